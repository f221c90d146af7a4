import { connOrigBytes, connRespBytes, connServices } from '../assets/conn-view.js';
import { fieldNumber, fieldString, fieldStrings } from '../events/fields.js';
import { ipSortKey, isHostAddress } from '../assets/ip.js';
import type { CaptureWarning } from '../capture/packet.js';
import { DEFAULT_LIMITS, type Limits } from '../config/limits.js';
import type { LogRecord, LogSink, StreamName } from '../events/record.js';
import { renderTable, truncate, type TableColumn } from './text-table.js';
import { StreamMemo } from '../events/stream-memo.js';

/** What the pipeline read, handed over when the input ends (pipeline/analyze.ts's result fits). */
export interface SummaryInputs {
  /** Input files in command-line order: path, format (pcap / pcapng), packets, bytes read. */
  readonly inputs: readonly { readonly path: string; readonly format?: string; readonly packets: number; readonly bytes: number }[];
  /** Packets of all inputs. */
  readonly packets: number;
  /** Captured bytes of all packets (sum of caplen). */
  readonly bytes: number;
  /** Timestamps of the first and last packet, seconds since the epoch; null without packets. */
  readonly firstTs: number | null;
  readonly lastTs: number | null;
  /** Problems the capture readers found. */
  readonly warnings: readonly CaptureWarning[];
}

/**
 * The summary as JSON (`summary_version` 1). Every list is sorted: by count descending, then
 * by name (top talkers: by bytes descending, then by address). Bytes are IP bytes from conn
 * records (`*_ip_bytes`, payload bytes when absent); times are seconds since the epoch.
 * ```
 * { summary_version: 1,
 *   inputs: { files: [{ path, format, packets, bytes }], packets, bytes, first_ts, last_ts, span_sec,
 *             warnings, warning_list: [CaptureWarning (first 20)] },
 *   hosts, hosts_truncated,                      // assets records (the inventory), else distinct host addresses in conn records
 *   records: [{ stream, count }],                // records seen per stream
 *   flows: { total, by_proto: [{ proto, flows }], by_service: [{ service, flows }] },  // service "-" = none
 *   top_talkers: [{ host, bytes, bytes_sent, bytes_received, flows }],                 // top 10
 *   modbus: { pdus, functions: [{ func, req, resp, exceptions }], exceptions: [{ exception, count }] },
 *   anomalies: { total, by_name: [{ name, count }] },                                  // `weird` records
 *   detection: null | { findings, incidents: [{ incident_id, severity, first_ts, last_ts, title, msg,   // null without a site file
 *                      hosts, cranes, techniques, findings }] } }                    // most severe first, first 50
 * ```
 * Distinct names per table are bounded; the rest is counted under "(other)".
 */
export interface SummaryJson {
  readonly summary_version: 1;
  readonly inputs: {
    readonly files: readonly { path: string; format: string; packets: number; bytes: number }[];
    readonly packets: number;
    readonly bytes: number;
    readonly first_ts: number | null;
    readonly last_ts: number | null;
    readonly span_sec: number | null;
    readonly warnings: number;
    readonly warning_list: readonly CaptureWarning[];
  };
  readonly hosts: number;
  readonly hosts_truncated: boolean;
  /** Hosts that told their identity (assets `device_*`), at most DEVICES_LISTED, by address. */
  readonly devices: readonly { host: string; vendor: string; product: string; model: string; firmware: string; serial: string }[];
  readonly records: readonly { stream: string; count: number }[];
  readonly flows: {
    readonly total: number;
    readonly by_proto: readonly { proto: string; flows: number }[];
    readonly by_service: readonly { service: string; flows: number }[];
  };
  readonly top_talkers: readonly { host: string; bytes: number; bytes_sent: number; bytes_received: number; flows: number }[];
  readonly modbus: {
    readonly pdus: number;
    readonly functions: readonly { func: string; req: number; resp: number; exceptions: number }[];
    readonly exceptions: readonly { exception: string; count: number }[];
  };
  readonly anomalies: { readonly total: number; readonly by_name: readonly { name: string; count: number }[] };
  readonly detection: { readonly findings: number; readonly incidents: readonly IncidentSummary[] } | null;
}

/** One incident as the summary lists it (fields of the `incidents` log). */
export interface IncidentSummary {
  readonly incident_id: string;
  readonly severity: string;
  readonly first_ts: number;
  readonly last_ts: number;
  readonly title: string;
  readonly msg: string;
  readonly hosts: readonly string[];
  readonly cranes: readonly string[];
  readonly techniques: readonly string[];
  readonly findings: number;
}

/** Incidents the summary lists. */
const INCIDENTS_LISTED = 50;
const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low'];

/** Options of `SummaryCollector.render`. */
export interface RenderOptions {
  /** ANSI bold section titles and yellow warning / anomaly counts. */
  readonly color: boolean;
  /** Terminal columns; tables shrink their widest text column to fit. */
  readonly width: number;
}

const TOP_TALKERS = 10;
const WARNINGS_LISTED = 20;
/** Devices with an identity listed (the inventory has them all). */
const DEVICES_LISTED = 20;
/** Modbus function rows shown in the text summary (a function-code sweep makes hundreds). */
const MODBUS_FUNCTIONS_SHOWN = 12;
const OTHER = '(other)';

/** A count per name with at most `cap` names; later new names count under "(other)". */
class BoundedCounter {
  /** Counts in boxes, so that counting a known name is one map lookup, or none for the last two names. */
  private readonly counts = new Map<string, { n: number }>();
  private readonly boxes = new StreamMemo((name) => this.box(name));
  constructor(private readonly cap: number) {}
  add(name: string, n = 1): void {
    this.boxes.get(name).n += n;
  }
  private box(name: string): { n: number } {
    let box = this.counts.get(name);
    if (box === undefined) {
      const key = this.counts.size < this.cap ? name : OTHER;
      box = this.counts.get(key);
      if (box === undefined) this.counts.set(key, (box = { n: 0 }));
    }
    return box;
  }
  /** Entries by count descending, then name. */
  sorted(): [string, number][] {
    return [...this.counts]
      .map(([name, box]): [string, number] => [name, box.n])
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
}

interface Talker {
  sent: number;
  received: number;
  flows: number;
}

interface ModbusRow {
  req: number;
  resp: number;
  exceptions: number;
}

/**
 * A LogSink that counts what a run saw for the end-of-run summary: hosts and flows (conn),
 * flows by `proto` and `service`, top talkers by bytes, the Modbus function table (`modbus`
 * records: `func` × `pdu_type` REQ / RESP, `exception`), anomalies by name (`weird`), records
 * per stream; plus the inputs the pipeline hands to `setInputs`. Memory is bounded: hosts by
 * `limits.maxAssets`, names per table by fixed caps. `write` keeps nothing of the record.
 */
export class SummaryCollector implements LogSink {
  private readonly maxHosts: number;
  private readonly talkers = new Map<string, Talker>();
  private hostsTruncated = false;
  private flows = 0;
  private readonly protos = new BoundedCounter(16);
  private readonly services = new BoundedCounter(256);
  private readonly streams = new BoundedCounter(256);
  private readonly anomalies = new BoundedCounter(1024);
  private anomalyTotal = 0;
  private readonly modbusFuncs = new Map<string, ModbusRow>();
  private readonly modbusExceptions = new BoundedCounter(256);
  private modbusPdus = 0;
  /** The `func` text of the last Modbus record and its row: a polling capture repeats one function. */
  private lastFunc: string | null = null;
  private lastFuncRow: ModbusRow = { req: 0, resp: 0, exceptions: 0 };
  /** `assets` records seen (the inventory the pipeline writes at the end of a run). */
  private assets = 0;
  private readonly devices: SummaryJson['devices'][number][] = [];
  private inputs: SummaryInputs | null = null;
  private warningCount = 0;
  private detectionOn = false;
  private findingCount = 0;
  private readonly incidents: IncidentSummary[] = [];

  constructor(options: { readonly limits?: Readonly<Limits> } = {}) {
    this.maxHosts = (options.limits ?? DEFAULT_LIMITS).maxAssets;
  }

  write(stream: StreamName, record: LogRecord): void {
    this.streams.add(stream);
    if (stream === 'conn') this.countConn(record);
    else if (stream === 'modbus') this.countModbus(record);
    else if (stream === 'assets') {
      this.assets++;
      if (record.identified_by !== undefined && this.devices.length < DEVICES_LISTED) {
        const f = (k: string): string => fieldString(record, k);
        this.devices.push({ host: f('host'), vendor: f('device_vendor'), product: f('device_product'), model: f('device_model'), firmware: f('device_firmware'), serial: f('device_serial') });
      }
    }
    else if (stream === 'findings') this.findingCount++;
    else if (stream === 'incidents') this.addIncident(record);
    else if (stream === 'weird') {
      this.anomalyTotal++;
      this.anomalies.add(fieldString(record, 'name') || '(unnamed)');
    }
  }

  /** Records what the pipeline read (replaces an earlier call). The warning list is copied, first 20 kept. */
  setInputs(inputs: SummaryInputs): void {
    this.inputs = {
      inputs: inputs.inputs.map((f) => ({ path: f.path, format: f.format, packets: f.packets, bytes: f.bytes })),
      packets: inputs.packets,
      bytes: inputs.bytes,
      firstTs: inputs.firstTs,
      lastTs: inputs.lastTs,
      warnings: inputs.warnings.slice(0, WARNINGS_LISTED),
    };
    this.warningCount = inputs.warnings.length;
  }

  /** Detection ran (a site file was given): the summary lists its incidents, else says it was off. */
  setDetection(on: boolean): void {
    this.detectionOn = on;
  }

  /** Nothing is buffered. */
  async close(): Promise<void> {}

  /** The summary (see SummaryJson); deterministic for the same records and inputs. */
  toJSON(): SummaryJson {
    const inp = this.inputs;
    const first = inp?.firstTs ?? null;
    const last = inp?.lastTs ?? null;
    const talkers = [...this.talkers]
      .map(([host, t]) => ({ host, key: ipSortKey(host), bytes: t.sent + t.received, t }))
      .sort((a, b) => b.bytes - a.bytes || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .slice(0, TOP_TALKERS);
    const funcs = [...this.modbusFuncs]
      .map(([func, r]) => ({ func, req: r.req, resp: r.resp, exceptions: r.exceptions }))
      .sort((a, b) => b.req + b.resp - (a.req + a.resp) || (a.func < b.func ? -1 : a.func > b.func ? 1 : 0));
    return {
      summary_version: 1,
      inputs: {
        files: (inp?.inputs ?? []).map((f) => ({ path: f.path, format: f.format ?? '', packets: f.packets, bytes: f.bytes })),
        packets: inp?.packets ?? 0,
        bytes: inp?.bytes ?? 0,
        first_ts: first,
        last_ts: last,
        span_sec: first === null || last === null ? null : Math.round((last - first) * 1e6) / 1e6,
        warnings: this.warningCount,
        warning_list: [...(inp?.warnings ?? [])],
      },
      hosts: this.assets > 0 ? this.assets : this.talkers.size,
      hosts_truncated: this.hostsTruncated,
      devices: [...this.devices],
      records: this.streams.sorted().map(([stream, count]) => ({ stream, count })),
      flows: {
        total: this.flows,
        by_proto: this.protos.sorted().map(([proto, flows]) => ({ proto, flows })),
        by_service: this.services.sorted().map(([service, flows]) => ({ service, flows })),
      },
      top_talkers: talkers.map(({ host, bytes, t }) => ({ host, bytes, bytes_sent: t.sent, bytes_received: t.received, flows: t.flows })),
      modbus: {
        pdus: this.modbusPdus,
        functions: funcs,
        exceptions: this.modbusExceptions.sorted().map(([exception, count]) => ({ exception, count })),
      },
      anomalies: { total: this.anomalyTotal, by_name: this.anomalies.sorted().map(([name, count]) => ({ name, count })) },
      detection: this.detectionOn ? { findings: this.findingCount, incidents: this.sortedIncidents() } : null,
    };
  }

  /**
   * The summary for a terminal: titled sections of plain aligned tables (output/text-table.ts),
   * lines no wider than `width` where they can shrink, ANSI color only when `color`. Ends with a newline.
   */
  render(opts: RenderOptions): string {
    const s = this.toJSON();
    const width = Math.max(40, opts.width);
    const bold = (t: string): string => (opts.color ? `\x1b[1m${t}\x1b[0m` : t);
    const warn = (n: number): string => (opts.color && n > 0 ? `\x1b[33m${group(n)}\x1b[0m` : group(n));
    const out: string[] = [];
    const section = (title: string, lines: string[]): void => {
      if (out.length > 0) out.push('');
      out.push(bold(title), ...lines);
    };
    const table = (cols: TableColumn[], rows: string[][]): string[] => renderTable(cols, rows, width, 2, bold);
    const L = (header: string, shrink?: 'end' | 'start'): TableColumn => ({ header, align: 'left', shrink });
    const R = (header: string): TableColumn => ({ header, align: 'right' });

    const i = s.inputs;
    const span =
      i.first_ts === null || i.last_ts === null || i.span_sec === null
        ? '-'
        : `${isoTime(i.first_ts)} .. ${isoTime(i.last_ts)} (${formatSpan(i.span_sec)})`;
    section('Inputs', [
      ...table(
        [L('file', 'start'), L('format'), R('packets'), R('bytes')],
        i.files.map((f) => [f.path, f.format, group(f.packets), formatBytes(f.bytes)]),
      ),
      truncate(`  packets   ${group(i.packets)} (${formatBytes(i.bytes)} captured)`, width),
      truncate(`  span      ${span}`, width),
      `  warnings  ${warn(i.warnings)}`,
      ...i.warning_list.map((w) => truncate(`    ${w.code} ${w.file}@${w.offset}: ${w.message}`, width)),
    ]);
    section('Hosts', [`  ${group(s.hosts)} in the asset inventory${s.hosts_truncated ? ` (inventory bound reached)` : ''}`]);
    if (s.devices.length > 0) {
      section(
        `Devices that told their identity (${s.devices.length}${s.devices.length === DEVICES_LISTED ? '+' : ''})`,
        table(
          [L('host'), L('vendor', 'end'), L('product', 'end'), L('model', 'end'), L('firmware'), L('serial')],
          s.devices.map((d) => [d.host, d.vendor || '-', d.product || '-', d.model || '-', d.firmware || '-', d.serial || '-']),
        ),
      );
    }
    section(
      'Logs',
      table([L('stream', 'end'), R('records')], s.records.map((r) => [r.stream, group(r.count)])),
    );
    section(`Flows (${group(s.flows.total)})`, [
      ...table([L('proto'), R('flows')], s.flows.by_proto.map((p) => [p.proto, group(p.flows)])),
      '',
      ...table([L('service', 'end'), R('flows')], s.flows.by_service.map((p) => [p.service, group(p.flows)])),
    ]);
    section(
      `Top talkers by IP bytes (${s.top_talkers.length} of ${group(this.talkers.size)} hosts in flows)`,
      table(
        [L('host'), R('IP bytes'), R('sent'), R('received'), R('flows')],
        s.top_talkers.map((t) => [t.host, formatBytes(t.bytes), formatBytes(t.bytes_sent), formatBytes(t.bytes_received), group(t.flows)]),
      ),
    );
    if (s.modbus.pdus > 0) {
      section(`Modbus (${group(s.modbus.pdus)} PDUs)`, [
        ...table(
          [L('function', 'end'), R('req'), R('resp'), R('exceptions')],
          s.modbus.functions.slice(0, MODBUS_FUNCTIONS_SHOWN).map((f) => [f.func, group(f.req), group(f.resp), group(f.exceptions)]),
        ),
        ...(s.modbus.functions.length > MODBUS_FUNCTIONS_SHOWN ? [`  … and ${s.modbus.functions.length - MODBUS_FUNCTIONS_SHOWN} more functions (modbus.log; --json lists them all)`] : []),
        ...(s.modbus.exceptions.length === 0
          ? []
          : ['', ...table([L('exception', 'end'), R('count')], s.modbus.exceptions.map((e) => [e.exception, group(e.count)]))]),
      ]);
    }
    section(
      `Anomalies (${warn(s.anomalies.total)})`,
      s.anomalies.by_name.length === 0 ? ['  none'] : table([L('name', 'end'), R('count')], s.anomalies.by_name.map((a) => [a.name, group(a.count)])),
    );
    const d = s.detection;
    if (d === null) section('Incidents', ['  detection off: give the site file with --site to run the detectors']);
    else
      section(
        `Incidents (${warn(d.incidents.length)}, from ${group(d.findings)} finding${d.findings === 1 ? '' : 's'})`,
        d.incidents.length === 0
          ? ['  none']
          : table(
              [L('severity'), L('first seen'), L('title', 'end'), L('hosts', 'end'), R('findings')],
              d.incidents.map((x) => [x.severity, isoTime(x.first_ts), x.title, x.hosts.slice(0, 3).join(' ') + (x.hosts.length > 3 ? ' …' : ''), group(x.findings)]),
            ),
      );
    return `${out.join('\n')}\n`;
  }

  private addIncident(r: LogRecord): void {
    this.incidents.push({
      incident_id: fieldString(r, 'incident_id'),
      severity: fieldString(r, 'severity'),
      first_ts: fieldNumber(r, 'ts'),
      last_ts: fieldNumber(r, 'last_ts'),
      title: fieldString(r, 'title'),
      msg: fieldString(r, 'msg'),
      hosts: fieldStrings(r, 'hosts'),
      cranes: fieldStrings(r, 'cranes'),
      techniques: fieldStrings(r, 'techniques'),
      findings: fieldNumber(r, 'findings'),
    });
    if (this.incidents.length > 4 * INCIDENTS_LISTED) this.incidents.splice(0, this.incidents.length, ...this.sortedIncidents());
  }

  /** Most severe first, then earliest; the first INCIDENTS_LISTED. */
  private sortedIncidents(): IncidentSummary[] {
    const rank = (s: string): number => {
      const i = SEVERITY_ORDER.indexOf(s);
      return i < 0 ? SEVERITY_ORDER.length : i;
    };
    return [...this.incidents]
      .sort((a, b) => rank(a.severity) - rank(b.severity) || a.first_ts - b.first_ts || (a.incident_id < b.incident_id ? -1 : 1))
      .slice(0, INCIDENTS_LISTED);
  }

  private countConn(r: LogRecord): void {
    this.flows++;
    this.protos.add(fieldString(r, 'proto') || '-');
    const services = connServices(r);
    this.services.add(services.length === 0 ? '-' : services.join(','));
    const orig = connOrigBytes(r);
    const resp = connRespBytes(r);
    this.talk(fieldString(r, 'id.orig_h'), orig, resp);
    this.talk(fieldString(r, 'id.resp_h'), resp, orig);
  }

  private talk(host: string, sent: number, received: number): void {
    let t = this.talkers.get(host);
    if (t === undefined) {
      if (!isHostAddress(host)) return;
      if (this.talkers.size >= this.maxHosts) {
        this.hostsTruncated = true;
        return;
      }
      t = { sent: 0, received: 0, flows: 0 };
      this.talkers.set(host, t);
    }
    t.sent += sent;
    t.received += received;
    t.flows++;
  }

  private countModbus(r: LogRecord): void {
    this.modbusPdus++;
    const named = fieldString(r, 'func');
    let row: ModbusRow;
    if (named === this.lastFunc) {
      row = this.lastFuncRow;
    } else {
      // An exception response counts on its function's row (Zeek logs it as NAME_EXCEPTION).
      let func = named || '(none)';
      if (func.endsWith(EXCEPTION_SUFFIX)) func = func.slice(0, -EXCEPTION_SUFFIX.length);
      let found = this.modbusFuncs.get(func);
      if (found === undefined) {
        if (this.modbusFuncs.size >= 512) func = OTHER;
        found = this.modbusFuncs.get(func);
        if (found === undefined) this.modbusFuncs.set(func, (found = { req: 0, resp: 0, exceptions: 0 }));
      }
      row = found;
      this.lastFunc = named;
      this.lastFuncRow = row;
    }
    const pdu = fieldString(r, 'pdu_type');
    if (pdu === 'REQ') row.req++;
    else if (pdu === 'RESP') row.resp++;
    const exception = fieldString(r, 'exception');
    if (exception !== '') {
      row.exceptions++;
      this.modbusExceptions.add(exception);
    }
  }
}

/** Integer with ',' thousands separators (locale-independent). */
function group(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Bytes in IEC units with one decimal ("512 B", "1.5 MiB"). */
function formatBytes(n: number): string {
  if (n < 1024) return `${Math.round(n)} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/** Seconds since the epoch as ISO 8601 UTC with milliseconds (the number itself when out of Date's range). */
function isoTime(ts: number): string {
  const ms = Math.round(ts * 1000);
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ts);
}

const EXCEPTION_SUFFIX = '_EXCEPTION';

/** A time span for people: seconds with milliseconds below two minutes, else d/h/min/s. */
function formatSpan(sec: number): string {
  if (sec < 120) return `${sec.toFixed(3)} s`;
  const total = Math.round(sec);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  const parts = d > 0 ? [`${d} d`, `${h} h`] : h > 0 ? [`${h} h`, `${m} min`] : [`${m} min`, `${rest} s`];
  return parts.join(' ');
}
