/**
 * MQTT conformance: CraneWatch's `mqtt_connect`, `mqtt_subscribe` and `mqtt_publish` records against
 * - Zeek's own expected logs for zeek-ics-baselines/traces/mqtt.pcap (btest baseline
 *   scripts.base.protocols.mqtt.mqtt), record for record by (connection 4-tuple, n-th record of that
 *   stream on that connection), every column but ts and uid;
 * - tshark's `mqtt` dissector on every shared capture it dissects as MQTT (and on any capture handed to
 *   `mqttTsharkAgreement`, such as the twin's), PDU for PDU:
 *   PUBLISH ↔ mqtt_publish by (connection, frame time, n-th PUBLISH of the frame): from_client, retain,
 *   qos, topic, payload (first 100 bytes, escaped as Zeek does), payload_len;
 *   CONNACK ↔ mqtt_connect by (connection, n-th CONNACK): connect_status, and proto_name, proto_version,
 *   client_id, will_topic, will_payload of the connection's last CONNECT before it;
 *   SUBSCRIBE / UNSUBSCRIBE ↔ mqtt_subscribe by (connection, frame time, n-th of the frame): action,
 *   topics, qos_levels, and granted_qos_level / ack from the first SUBACK / UNSUBACK with its Packet
 *   Identifier that follows on the connection.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LogRecord, LogValue } from '../../../src/events/record.js';
import { analyzeCaptures } from '../../../src/pipeline/analyze.js';
import { zeekEscape } from '../../../src/protocols/zeek-escape.js';
import { MQTT_MAX_PAYLOAD_BYTES } from '../../../src/protocols/mqtt/analyzer.js';
import { qosName, returnCodeName, versionName } from '../../../src/protocols/mqtt/names.js';
import { findCaptures } from '../capture-files.js';
import { readZeekLog } from '../zeek-log.js';
import type { CaptureAgreement, FieldAgreement, ProtocolAgreement } from './agreement.js';

const STREAMS = ['mqtt_connect', 'mqtt_subscribe', 'mqtt_publish'] as const;
type MqttStream = (typeof STREAMS)[number];

const BASELINE_TRACE = 'zeek-ics-baselines/traces/mqtt.pcap';
const BASELINE_DIR = 'zeek-ics-baselines/baseline/scripts.base.protocols.mqtt.mqtt';

/** CraneWatch's records of the MQTT streams in one capture, in emission order. */
export async function cranewatchMqtt(file: string): Promise<Record<MqttStream, LogRecord[]>> {
  const out: Record<MqttStream, LogRecord[]> = { mqtt_connect: [], mqtt_subscribe: [], mqtt_publish: [] };
  const sink = {
    write(stream: string, r: LogRecord): void {
      if ((STREAMS as readonly string[]).includes(stream)) out[stream as MqttStream].push(r);
    },
    async close(): Promise<void> {},
  };
  await analyzeCaptures([file], { sink });
  return out;
}

/** A log value as comparable text (vectors joined by ","; unset as "-"). */
function cell(v: LogValue | readonly string[] | undefined): string {
  if (v === null || v === undefined) return '-';
  if (Array.isArray(v)) return v.length === 0 ? '(empty)' : v.join(',');
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  return String(v);
}

function flowKey(r: { [k: string]: unknown }): string {
  return `${r['id.orig_h']}:${r['id.orig_p']}>${r['id.resp_h']}:${r['id.resp_p']}`;
}

/** Tally of one stream's comparison. */
class Tally {
  peerRecords = 0;
  matched = 0;
  agreed = 0;
  readonly fields = new Map<string, { compared: number; agreed: number }>();
  readonly differences: string[] = [];

  /** Compare one peer record with CraneWatch's (null when none matched). */
  record(key: string, cw: Record<string, string> | null, peer: Record<string, string>): void {
    this.peerRecords++;
    if (cw === null) {
      this.differences.push(`${key}: no CraneWatch record`);
      return;
    }
    this.matched++;
    let all = true;
    for (const [field, pv] of Object.entries(peer)) {
      const f = this.fields.get(field) ?? { compared: 0, agreed: 0 };
      this.fields.set(field, f);
      f.compared++;
      const cv = cw[field];
      if (cv === pv) {
        f.agreed++;
        continue;
      }
      all = false;
      this.differences.push(`${key}: ${field} cw=${cv} peer=${pv}`);
    }
    if (all) this.agreed++;
  }

  result(capture: string, stream: string): CaptureAgreement {
    const fields: FieldAgreement[] = [...this.fields].map(([field, f]) => ({ field, compared: f.compared, agreed: f.agreed }));
    return { capture, stream, peerRecords: this.peerRecords, matched: this.matched, agreed: this.agreed, fields, differences: this.differences };
  }
}

/** Records keyed `flow#n` (n-th record of the stream on that flow, from 0). */
function byFlowOrdinal(rows: readonly { [k: string]: unknown }[]): Map<string, { [k: string]: unknown }> {
  const seen = new Map<string, number>();
  const out = new Map<string, { [k: string]: unknown }>();
  for (const r of rows) {
    const f = flowKey(r);
    const n = seen.get(f) ?? 0;
    seen.set(f, n + 1);
    out.set(`${f}#${n}`, r);
  }
  return out;
}

/** Agreement with Zeek's baseline logs for traces/mqtt.pcap (all three streams); null when the files are absent. */
export async function mqttZeekAgreement(sharedData: string): Promise<ProtocolAgreement | null> {
  const trace = join(sharedData, BASELINE_TRACE);
  if (!existsSync(trace)) return null;
  const cw = await cranewatchMqtt(trace);
  const captures: CaptureAgreement[] = [];
  for (const stream of STREAMS) {
    const log = readZeekLog(join(sharedData, BASELINE_DIR, `${stream}.log`));
    const ours = byFlowOrdinal(cw[stream] as unknown as { [k: string]: unknown }[]);
    const tally = new Tally();
    for (const [key, row] of byFlowOrdinal(log.rows as unknown as { [k: string]: unknown }[])) {
      const mine = ours.get(key);
      const peer: Record<string, string> = {};
      const theirs: Record<string, string> = {};
      for (const f of log.fields) {
        if (f === 'ts' || f === 'uid' || f.startsWith('id.')) continue;
        peer[f] = cell(row[f] as LogValue);
        if (mine !== undefined) theirs[f] = cell(mine[f] as LogValue);
      }
      tally.record(`${stream} ${key}`, mine === undefined ? null : theirs, peer);
    }
    captures.push(tally.result(BASELINE_TRACE, stream));
  }
  return { protocol: 'mqtt', peer: 'zeek', captures };
}

/** One MQTT PDU as tshark dissects it, with its frame's time and addresses. */
interface TsharkPdu {
  ts: number;
  src: string;
  dst: string;
  /** n-th PDU of its type in its frame. */
  nth: number;
  f: Record<string, string | string[]>;
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function list(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Flatten a tshark JSON layer into `field → value(s)` (nested `_tree` objects merged). */
function flatten(o: Record<string, unknown>, out: Record<string, string | string[]>): Record<string, string | string[]> {
  for (const [k, v] of Object.entries(o)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, out);
    else if (Array.isArray(v) && v.length > 0 && typeof v[0] === 'object') for (const x of v) flatten(x as Record<string, unknown>, out);
    else if (out[k] === undefined) out[k] = v as string | string[];
    else out[k] = [...list(out[k]), ...list(v as string | string[])];
  }
  return out;
}

/** tshark's version line ("tshark 4.0.17"), or null when tshark does not run. */
export function tsharkVersion(): string | null {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const m = /TShark \(Wireshark\) ([0-9.]+)/.exec(r.stdout);
  return `tshark ${m !== null ? m[1] : '?'}`;
}

/** Every MQTT PDU tshark dissects in `file` (port 1883, or `-d tcp.port==N,mqtt` for the ports given). */
export function tsharkMqtt(file: string, extraPorts: readonly number[] = []): TsharkPdu[] {
  const args = ['-n', '-r', file, '-Y', 'mqtt', '-T', 'json', '--no-duplicate-keys', '-J', 'frame ip ipv6 tcp mqtt'];
  for (const p of extraPorts) args.push('-d', `tcp.port==${p},mqtt`);
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`tshark failed on ${file}: ${r.stderr}`);
  const out: TsharkPdu[] = [];
  for (const pkt of JSON.parse(r.stdout) as { _source: { layers: Record<string, unknown> } }[]) {
    const l = pkt._source.layers;
    const frame = l.frame as Record<string, string>;
    const ip = (l.ip ?? l.ipv6) as Record<string, string>;
    const tcp = l.tcp as Record<string, string>;
    const src = `${ip['ip.src'] ?? ip['ipv6.src']}:${tcp['tcp.srcport']}`;
    const dst = `${ip['ip.dst'] ?? ip['ipv6.dst']}:${tcp['tcp.dstport']}`;
    const ts = Number(frame['frame.time_epoch']);
    const counts = new Map<string, number>();
    for (const m of Array.isArray(l.mqtt) ? l.mqtt : [l.mqtt]) {
      const f = flatten(m as Record<string, unknown>, {});
      const type = first(f['mqtt.msgtype']) ?? '';
      const nth = counts.get(type) ?? 0;
      counts.set(type, nth + 1);
      out.push({ ts, src, dst, nth, f });
    }
  }
  return out;
}

/** tshark's colon-separated hex bytes as a Uint8Array. */
function hexBytes(s: string | undefined): Uint8Array {
  if (s === undefined || s === '') return new Uint8Array(0);
  return Uint8Array.from(s.split(':').map((h) => parseInt(h, 16)));
}

/** A tshark text field as Zeek would log its bytes. */
function textField(s: string | undefined): string {
  const b = Buffer.from(s ?? '', 'utf8');
  return zeekEscape(b, 0, b.length, 1 << 20).text;
}

const close = (a: number, b: number): boolean => Math.abs(a - b) < 2e-6;

/** Compare CraneWatch's records of one capture with tshark's PDUs; one CaptureAgreement per stream with peer records. */
export async function mqttTsharkAgreement(file: string, name: string, extraPorts: readonly number[] = []): Promise<CaptureAgreement[]> {
  const pdus = tsharkMqtt(file, extraPorts);
  const cw = await cranewatchMqtt(file);
  const flows = new Map<string, { orig: string; resp: string }>();
  for (const s of STREAMS) {
    for (const r of cw[s]) {
      const orig = `${r['id.orig_h']}:${r['id.orig_p']}`;
      const resp = `${r['id.resp_h']}:${r['id.resp_p']}`;
      flows.set(`${orig}|${resp}`, { orig, resp });
      flows.set(`${resp}|${orig}`, { orig, resp });
    }
  }
  const flowOf = (p: TsharkPdu): { key: string; fromOrig: boolean } => {
    const f = flows.get(`${p.src}|${p.dst}`);
    if (f === undefined) return { key: `${p.src}>${p.dst}`, fromOrig: true };
    return { key: `${f.orig}>${f.resp}`, fromOrig: f.orig === p.src };
  };
  const pub = new Tally();
  const con = new Tally();
  const sub = new Tally();
  const lastConnect = new Map<string, TsharkPdu>();
  const connacks = new Map<string, number>();
  const ours = {
    connect: byFlowOrdinal(cw.mqtt_connect as unknown as { [k: string]: unknown }[]),
  };
  const tf = (p: TsharkPdu, k: string): string | undefined => first(p.f[k]);
  for (let i = 0; i < pdus.length; i++) {
    const p = pdus[i];
    const { key, fromOrig } = flowOf(p);
    const type = Number(tf(p, 'mqtt.msgtype'));
    if (type === 1) lastConnect.set(key, p);
    else if (type === 2) {
      const n = connacks.get(key) ?? 0;
      connacks.set(key, n + 1);
      const c = lastConnect.get(key);
      const peer: Record<string, string> = { connect_status: returnCodeName(Number(tf(p, 'mqtt.conack.val') ?? tf(p, 'mqtt.connack.reason_code'))) };
      if (c !== undefined) {
        peer.proto_name = textField(tf(c, 'mqtt.protoname'));
        peer.proto_version = versionName(Number(tf(c, 'mqtt.ver')));
        peer.client_id = textField(tf(c, 'mqtt.clientid'));
        const will = tf(c, 'mqtt.conflag.willflag') === '1' || tf(c, 'mqtt.conflag.willflag') === 'True';
        peer.will_topic = will ? textField(tf(c, 'mqtt.willtopic')) : '-';
        peer.will_payload = will ? zeekEscape(hexBytes(tf(c, 'mqtt.willmsg')), 0, hexBytes(tf(c, 'mqtt.willmsg')).length, 1 << 20).text : '-';
      }
      const mine = ours.connect.get(`${key}#${n}`);
      const cwCells: Record<string, string> | null = mine === undefined ? null : Object.fromEntries(Object.keys(peer).map((f) => [f, cell(mine[f] as LogValue)]));
      con.record(`mqtt_connect ${key} CONNACK #${n}`, cwCells, peer);
    } else if (type === 3) {
      const bytes = hexBytes(tf(p, 'mqtt.msg'));
      const qos = Number(tf(p, 'mqtt.qos'));
      const peer: Record<string, string> = {
        from_client: fromOrig ? 'T' : 'F',
        retain: tf(p, 'mqtt.retain') === '1' || tf(p, 'mqtt.retain') === 'True' ? 'T' : 'F',
        qos: qosName(qos),
        topic: textField(tf(p, 'mqtt.topic')),
        payload: zeekEscape(bytes, 0, Math.min(bytes.length, MQTT_MAX_PAYLOAD_BYTES), 1 << 20).text,
        payload_len: String(bytes.length),
      };
      const cands = cw.mqtt_publish.filter((r) => flowKey(r) === key && close(r.ts as number, p.ts));
      const mine = cands[p.nth];
      const cwCells = mine === undefined ? null : Object.fromEntries(Object.keys(peer).map((f) => [f, cell(mine[f])]));
      pub.record(`mqtt_publish ${key} @${p.ts.toFixed(6)} #${p.nth}`, cwCells, peer);
    } else if (type === 8 || type === 10) {
      const id = tf(p, 'mqtt.msgid');
      const topics = list(p.f['mqtt.topic']).map(textField);
      const peer: Record<string, string> = {
        action: type === 8 ? 'MQTT::SUBSCRIBE' : 'MQTT::UNSUBSCRIBE',
        topics: topics.length === 0 ? '(empty)' : topics.join(','),
        qos_levels: type === 8 ? list(p.f['mqtt.sub.qos'] ?? p.f['mqtt.subscription_options_qos']).join(',') : '-',
      };
      let ack: TsharkPdu | undefined;
      for (let j = i + 1; j < pdus.length && ack === undefined; j++) {
        const q = pdus[j];
        if (flowOf(q).key === key && Number(tf(q, 'mqtt.msgtype')) === type + 1 && tf(q, 'mqtt.msgid') === id) ack = q;
      }
      peer.granted_qos_level = type === 8 && ack !== undefined ? String(Number(first(ack.f['mqtt.suback.qos'] ?? ack.f['mqtt.suback.reason_code']))) : '-';
      peer.ack = ack !== undefined ? 'T' : 'F';
      const cands = cw.mqtt_subscribe.filter((r) => flowKey(r) === key && close(r.ts as number, p.ts));
      const mine = cands[p.nth];
      const cwCells = mine === undefined ? null : Object.fromEntries(Object.keys(peer).map((f) => [f, cell(mine[f])]));
      sub.record(`mqtt_subscribe ${key} @${p.ts.toFixed(6)} #${p.nth}`, cwCells, peer);
    }
  }
  const out: CaptureAgreement[] = [];
  for (const [stream, t] of [
    ['mqtt_connect', con],
    ['mqtt_subscribe', sub],
    ['mqtt_publish', pub],
  ] as const) {
    if (t.peerRecords > 0) out.push(t.result(name, stream));
  }
  return out;
}

/**
 * Shared captures carrying MQTT, as paths relative to `sharedData`, with the server ports tshark must be
 * told about (`-d tcp.port==N,mqtt`, for MQTT off port 1883): CraneWatch analyses every capture (cheap)
 * and a capture is a candidate when a flow uses port 1883 or CraneWatch names its service `mqtt`; tshark
 * then keeps those it dissects as MQTT.
 */
export async function mqttCaptures(sharedData: string): Promise<{ rel: string; ports: number[] }[]> {
  const out: { rel: string; ports: number[] }[] = [];
  for (const rel of findCaptures(sharedData)) {
    const file = join(sharedData, rel);
    let candidate = false;
    const ports = new Set<number>();
    const sink = {
      write(stream: string, r: LogRecord): void {
        if (stream !== 'conn') return;
        const resp = r['id.resp_p'] as number;
        if (resp === 1883 || r['id.orig_p'] === 1883) candidate = true;
        if (typeof r.service === 'string' && r.service.split(',').includes('mqtt')) {
          candidate = true;
          if (resp !== 1883) ports.add(resp);
        }
      },
      async close(): Promise<void> {},
    };
    await analyzeCaptures([file], { sink });
    if (!candidate) continue;
    const extra = [...ports].sort((a, b) => a - b);
    const args = ['-n', '-r', file, '-Y', 'mqtt', '-c', '1', '-T', 'fields', '-e', 'frame.number'];
    for (const p of extra) args.push('-d', `tcp.port==${p},mqtt`);
    const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status === 0 && r.stdout.trim() !== '') out.push({ rel, ports: extra });
  }
  return out;
}

/**
 * MQTT agreement with every peer the shared data offers: Zeek's expected logs and tshark over every
 * capture carrying MQTT. A peer whose inputs are absent (no baseline, no tshark) is left out.
 */
export async function mqttConformance(sharedData: string): Promise<ProtocolAgreement[]> {
  const out: ProtocolAgreement[] = [];
  const zeek = await mqttZeekAgreement(sharedData);
  if (zeek !== null) out.push(zeek);
  const version = tsharkVersion();
  if (version !== null) {
    const captures: CaptureAgreement[] = [];
    for (const { rel, ports } of await mqttCaptures(sharedData)) captures.push(...(await mqttTsharkAgreement(join(sharedData, rel), rel, ports)));
    out.push({ protocol: 'mqtt', peer: version, captures });
  }
  return out;
}
