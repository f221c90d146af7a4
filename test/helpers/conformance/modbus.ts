/**
 * Modbus/TCP conformance of CraneWatch's `modbus` / `modbus_detailed` records with tshark (Wireshark's
 * mbtcp / modbus dissectors), as a ProtocolAgreement: the comparison itself is
 * test/helpers/modbus-conformance.ts (which captures, zipped ones included) and
 * test/helpers/modbus-tshark-compare.ts (record alignment, compared fields). This module adds the
 * known differences between the tools (EXPLANATIONS), each proved with its bytes by a test of
 * test/conformance/modbus-tshark.test.ts, so the report and that test mark the same lines as accepted.
 *
 * Zeek / ICSNPP peers (modbusZeekAgreements): the expected logs of the shared data set, compared with
 * the records of the project's pipeline (`analyzeCaptures`) as test/conformance/modbus-zeek.test.ts
 * compares them at its pipeline level — rows matched per flow (id.orig_h/orig_p/resp_h/resp_p), in
 * order, aligned by a longest common subsequence on a row key (tid, func and the direction column);
 * ts, uid and link ids ignored (link presence compared); aligned rows compared on every other column.
 * Zeek: modbus.log of `exception_handling` (fuzz-72.pcap) and `modbus_and_non_modbus_on_port_502`;
 * ICSNPP: modbus.log (RESP rows, cut columns), modbus_detailed.log, modbus_mask_write_register.log,
 * modbus_read_write_multiple_registers.log of modbus_example.pcap. (The coil_parsing event dumps are
 * events, not log rows, and stay in that test.)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LogRecord } from '../../../src/events/record.js';
import { analyzeCaptures } from '../../../src/pipeline/analyze.js';
import type { ComparedField, Difference } from '../modbus-tshark-compare.js';
import { cellText, readZeekLog, toZeekCell, type ZeekCell, type ZeekRow } from '../zeek-log.js';
import { COMPARED_FIELDS } from '../modbus-tshark-compare.js';
import { runModbusConformance, type CaptureResult, type ConformanceRun } from '../modbus-conformance.js';
import type { CaptureAgreement, ProtocolAgreement } from './agreement.js';
import { tsharkVersion } from './http.js';

/** MODBUS-TestDataPart1 in both of its shared copies. */
export const PART1 = ['iti-ics-pcaps/openics/MODBUS-TestDataPart1.pcap', 'iti-ics-pcaps/ModbusTCP/modbus_test_data_part1.pcap'];
/** MODBUS-TestDataPart2 (a function-code sweep) in both of its shared copies. */
export const PART2 = ['iti-ics-pcaps/openics/MODBUS-TestDataPart2.pcap', 'iti-ics-pcaps/ModbusTCP/modbus_test_data_part2.pcap'];
/** Zeek's fuzzed Modbus trace (sequence holes, truncated datagrams). */
export const FUZZ72 = 'zeek-ics-baselines/traces/modbus/fuzz-72.pcap';

/** The test file that proves every explanation with the bytes of the capture. */
const PROOF = 'test/conformance/modbus-tshark.test.ts';

/** A known difference between the tools; `title` names the test of modbus-tshark.test.ts that proves it. */
export interface Explanation {
  readonly title: string;
  /** True when this explanation accounts for difference `d` of capture `capture` (path relative to the data root). */
  covers(capture: string, d: Difference): boolean;
}

/** Every accepted difference between CraneWatch and tshark on the shared Modbus/TCP captures. */
export const EXPLANATIONS: readonly Explanation[] = [
  {
    title: 'a Mask Write Register request of the function-code sweep is 2 bytes short (MODBUS-TestDataPart2 frame 62)',
    covers: (c, d) => PART2.includes(c) && d.kind === 'field' && d.field === 'reference_num' && d.frame === 62 && d.funcByte === 22,
  },
  {
    title: 'fuzz-72: sequence holes and truncated datagrams, read as Zeek reads them',
    covers: (c, d) => c === FUZZ72 && (d.kind !== 'field' || d.field === 'time'),
  },
];

/** One line for a difference: `direction frame N tid T fc F: what` (times in seconds when there is no tshark frame). */
export function describeDifference(d: Difference): string {
  const where = d.frame === null ? `ts ${d.ts}` : `frame ${d.frame}`;
  const what = d.kind === 'field' ? `${d.field}: tshark ${d.tshark ?? '-'}, CraneWatch ${d.cranewatch ?? '-'}` : d.kind;
  return `${d.direction} ${where} tid ${d.tid} fc ${d.funcByte}: ${what}`;
}

/** CraneWatch field each compared tshark field is checked against (modbus-tshark-compare.ts). */
const CW_FIELD: Record<ComparedField, string> = {
  tid: 'tid',
  unit: 'unit',
  func_code: 'function_code',
  exception_code: 'exception_code',
  time: 'ts',
  reference_num: 'address',
  word_cnt: 'quantity (word_cnt)',
  bit_cnt: 'quantity (bit_cnt)',
};

/** One capture's comparison as a CaptureAgreement, each difference marked `accepted:` when an explanation covers it. */
export function modbusCaptureAgreement(r: CaptureResult): CaptureAgreement {
  const a = r.agreement;
  let onlyTshark = 0;
  const differences: string[] = [];
  for (const d of a.differences) {
    if (d.kind === 'only_tshark') onlyTshark++;
    const by = EXPLANATIONS.find((e) => e.covers(r.name, d));
    differences.push(by === undefined ? describeDifference(d) : `accepted: ${describeDifference(d)} (see ${PROOF}, "${by.title}")`);
  }
  return {
    capture: r.name,
    stream: 'modbus',
    peerRecords: a.tsharkPdus,
    matched: a.tsharkPdus - onlyTshark,
    agreed: a.recordsAgreeing,
    fields: COMPARED_FIELDS.filter((f) => a.perField[f].compared > 0).map((f) => ({ field: CW_FIELD[f], compared: a.perField[f].compared, agreed: a.perField[f].equal })),
    differences,
  };
}

/** A finished run (runModbusConformance) as the tshark ProtocolAgreement of `modbus`. */
export function modbusTsharkAgreement(run: ConformanceRun, version: string | null = tsharkVersion()): ProtocolAgreement {
  return { protocol: 'modbus', peer: version === null ? 'tshark' : `tshark ${version}`, captures: run.results.map(modbusCaptureAgreement) };
}

const FLOW = ['id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p'];

/** The cells of `fields` joined with `|` (Zeek's text of each). */
function rowText(r: ZeekRow, fields: readonly string[]): string {
  return fields.map((f) => cellText(r[f] ?? null)).join('|');
}

/** A CraneWatch record as a Zeek row of `fields`; `link?` is T when the record carries a modbus_detailed link id. */
function asRow(rec: LogRecord, fields: readonly string[]): ZeekRow {
  const out: Record<string, ZeekCell> = {};
  for (const f of fields) out[f] = f === 'link?' ? (rec.modbus_detailed_link_id == null ? 'F' : 'T') : toZeekCell(rec[f]);
  return out;
}

/** Expected rows with the `link?` column added. */
function withLink(rows: readonly ZeekRow[]): ZeekRow[] {
  return rows.map((r) => ({ ...r, 'link?': r.modbus_detailed_link_id == null ? 'F' : 'T' }));
}

/** Longest common subsequence of two key lists (dynamic programming): aligned index pairs in order. */
function lcs(a: readonly string[], b: readonly string[]): [number, number][] {
  const t: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) t[i][j] = a[i] === b[j] ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) pairs.push([i++, j++]);
    else if (t[i + 1][j] >= t[i][j + 1]) i++;
    else j++;
  }
  return pairs;
}

/**
 * Compare expected rows with CraneWatch's rows: per flow, in order, aligned on `key` columns, aligned
 * rows compared on `content` columns. `accept` returns the note of a difference line explained
 * elsewhere (marked `accepted:`), or null.
 */
function compareRows(capture: string, stream: string, expected: readonly ZeekRow[], produced: readonly ZeekRow[], key: readonly string[], content: readonly string[], accept: (line: string) => string | null = () => null): CaptureAgreement {
  const fields = content.map((field) => ({ field, compared: 0, agreed: 0 }));
  const differences: string[] = [];
  const note = (line: string): void => {
    const why = accept(line);
    differences.push(why === null ? line : `accepted: ${line} (${why})`);
  };
  let matched = 0;
  let agreed = 0;
  const flows = [...new Set([...expected, ...produced].map((r) => rowText(r, FLOW)))];
  for (const flow of flows) {
    const e = expected.filter((r) => rowText(r, FLOW) === flow);
    const p = produced.filter((r) => rowText(r, FLOW) === flow);
    const pairs = lcs(
      e.map((r) => rowText(r, key)),
      p.map((r) => rowText(r, key)),
    );
    const seenE = new Set(pairs.map(([i]) => i));
    const seenP = new Set(pairs.map(([, j]) => j));
    for (const [i, j] of pairs) {
      matched++;
      let all = true;
      content.forEach((f, k) => {
        const x = cellText(e[i][f] ?? null);
        const y = cellText(p[j][f] ?? null);
        fields[k].compared++;
        if (x === y) fields[k].agreed++;
        else {
          all = false;
          note(`${flow} row ${rowText(e[i], key)}: ${f} cw=${y} peer=${x}`);
        }
      });
      if (all) agreed++;
    }
    e.forEach((r, i) => seenE.has(i) || note(`${flow}: no CraneWatch record for ${rowText(r, content)}`));
    p.forEach((r, j) => seenP.has(j) || note(`${flow}: extra CraneWatch record ${rowText(r, content)}`));
  }
  return { capture, stream, peerRecords: expected.length, matched, agreed, fields, differences };
}

/** Every stream CraneWatch's pipeline writes for `file`. */
async function pipelineLogs(file: string): Promise<Map<string, LogRecord[]>> {
  const logs = new Map<string, LogRecord[]>();
  const sink = {
    write(stream: string, record: LogRecord): void {
      let l = logs.get(stream);
      if (l === undefined) logs.set(stream, (l = []));
      l.push(record);
    },
    async close(): Promise<void> {},
  };
  await analyzeCaptures([file], { sink });
  return logs;
}

const MODBUS_KEY = ['tid', 'func', 'pdu_type'];
const MODBUS_CONTENT = [...FLOW, 'tid', 'unit', 'func', 'pdu_type', 'exception'];
const DETAILED_CONTENT = [...FLOW, 'tid', 'unit', 'func', 'address', 'quantity', 'request_values', 'response_values', 'link?', 'matched', 'request_subfunction_code', 'response_subfunction_code', 'request_data', 'response_data', 'exception_code', 'mei_type'];
const SIDE_HEAD = [...FLOW, 'is_orig', 'source_h', 'source_p', 'destination_h', 'destination_p', 'link?', 'tid', 'unit', 'func', 'request_response'];
const MASK_CONTENT = [...SIDE_HEAD, 'address', 'and_mask', 'or_mask'];
const RW_CONTENT = [...SIDE_HEAD, 'write_start_address', 'write_registers', 'read_start_address', 'read_quantity', 'read_registers'];
const ZEEK = 'zeek-ics-baselines';
const ICSNPP = 'icsnpp/modbus';

/**
 * The requests of fuzz-72.pcap the pipeline logs and Zeek does not (function names as logged): four
 * after the 48-byte sequence hole that Zeek's binpac fills with later bytes, one left behind an
 * unacknowledged hole at the end of the flow that Zeek never delivers.
 */
const FUZZ72_EXTRA = ['ENCAP_INTERFACE_TRANSPORT', 'unknown-46', 'unknown-47', 'unknown-52', 'unknown-70'].map((f) => `extra CraneWatch record 192.168.66.235|2582|166.161.16.230|502|0|1|${f}|REQ|-`);
const FUZZ72_NOTE = 'see test/conformance/modbus-zeek.test.ts, "modbus.log of Zeek exception_handling (fuzz-72.pcap), pipeline level"';

/**
 * Modbus agreement with Zeek's and ICSNPP's expected logs of the shared data set (see the module doc);
 * a peer whose files are absent is left out. Errors: throws when a log or trace cannot be read.
 */
export async function modbusZeekAgreements(sharedData: string): Promise<ProtocolAgreement[]> {
  const at = (rel: string): string | null => (existsSync(join(sharedData, rel)) ? join(sharedData, rel) : null);
  const out: ProtocolAgreement[] = [];
  const zeek: CaptureAgreement[] = [];
  const zeekCases: [string, string, (line: string) => string | null][] = [
    ['fuzz-72.pcap', 'exception_handling', (l) => (FUZZ72_EXTRA.some((x) => l.endsWith(x)) ? FUZZ72_NOTE : null)],
    ['modbus-and-non-modbus-p502.pcap', 'modbus_and_non_modbus_on_port_502', () => null],
  ];
  for (const [trace, btest, accept] of zeekCases) {
    const t = at(`${ZEEK}/traces/modbus/${trace}`);
    const b = at(`${ZEEK}/baseline/scripts.base.protocols.modbus.${btest}/modbus.log`);
    if (t === null || b === null) continue;
    const logs = await pipelineLogs(t);
    zeek.push(compareRows(`${ZEEK}/traces/modbus/${trace}`, 'modbus', readZeekLog(b).rows, (logs.get('modbus') ?? []).map((r) => asRow(r, MODBUS_CONTENT)), MODBUS_KEY, MODBUS_CONTENT, accept));
  }
  if (zeek.length > 0) out.push({ protocol: 'modbus', peer: 'zeek', captures: zeek });
  const trace = at(`${ICSNPP}/traces/modbus_example.pcap`);
  const dir = at(`${ICSNPP}/baseline/analyzer.basic`);
  if (trace !== null && dir !== null) {
    const logs = await pipelineLogs(trace);
    const capture = `${ICSNPP}/traces/modbus_example.pcap`;
    const rows = (stream: string, fields: readonly string[]): ZeekRow[] => (logs.get(stream) ?? []).map((r) => asRow(r, fields));
    // ICSNPP's modbus.log is Zeek's, cut by its btest command: RESP rows only, no tid / unit / pdu_type, no header.
    const cut = ['ts', 'uid', ...FLOW, 'func', 'exception'];
    const resp = rows('modbus', MODBUS_CONTENT).filter((r) => r.pdu_type === 'RESP');
    out.push({
      protocol: 'modbus',
      peer: 'icsnpp',
      captures: [
        compareRows(capture, 'modbus', readZeekLog(join(dir, 'modbus.log'), { fields: cut }).rows, resp, ['func'], [...FLOW, 'func', 'exception']),
        compareRows(capture, 'modbus_detailed', withLink(readZeekLog(join(dir, 'modbus_detailed.log')).rows), rows('modbus_detailed', DETAILED_CONTENT), ['tid', 'func'], DETAILED_CONTENT),
        compareRows(capture, 'modbus_mask_write_register', withLink(readZeekLog(join(dir, 'modbus_mask_write_register.log')).rows), rows('modbus_mask_write_register', MASK_CONTENT), ['tid', 'request_response'], MASK_CONTENT),
        compareRows(capture, 'modbus_read_write_multiple_registers', withLink(readZeekLog(join(dir, 'modbus_read_write_multiple_registers.log')).rows), rows('modbus_read_write_multiple_registers', RW_CONTENT), ['tid', 'request_response'], RW_CONTENT),
      ],
    });
  }
  return out;
}

/**
 * Modbus/TCP conformance: against tshark on every shared capture carrying Modbus/TCP, zipped captures
 * included (left out when tshark is not installed), then against Zeek's and ICSNPP's expected logs
 * (modbusZeekAgreements). Errors: rejects when tshark fails on a capture or a log cannot be read.
 */
export async function modbusConformance(sharedData: string): Promise<ProtocolAgreement[]> {
  const version = tsharkVersion();
  const tshark = version === null ? [] : [modbusTsharkAgreement(await runModbusConformance(sharedData, { zips: true }), version)];
  return [...tshark, ...(await modbusZeekAgreements(sharedData))];
}
