/**
 * Conformance of conn records with real Zeek baselines: Zeek's own modbus-and-non-modbus-p502
 * test and the CISA ICSNPP conn.log baselines, each against its trace, read with openCapture and
 * decoded with the project's Decoder, fed to the session table as the pipeline does (only 'ok'
 * packets; transport checksum failures as such). Checksums: Zeek's own baseline ran without `-C`
 * (checksums 'verify'); the ICSNPP baselines ran `zeek -C` (icsnpp/SOURCES.md: 'ignore'). Both also
 * run under the pipeline's default 'auto', which must give the same records (several ICSNPP traces
 * were captured on a host with checksum offloading). Compared per row (matched on proto and the 4-tuple):
 * proto, duration (to 1e-6), orig_bytes, resp_bytes, conn_state, local_orig, local_resp,
 * missed_bytes, history, orig_pkts, orig_ip_bytes, resp_pkts, resp_ip_bytes, ip_proto — where
 * the baseline sets a column (`-` for local_* means Site::local_nets was empty in that run, and
 * older baselines have no ip_proto). `service` is not compared (no dce_rpc / ssl / ICSNPP analyzers
 * attached here) nor `uid` / `ts` (masked by btest).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openCapture } from '../../src/capture/open.js';
import { DEFAULT_LIMITS } from '../../src/config/limits.js';
import type { ChecksumMode } from '../../src/decode/checksum-policy.js';
import { Decoder, newDecodedPacket } from '../../src/decode/decoder.js';
import type { LogRecord } from '../../src/events/record.js';
import { SessionTable } from '../../src/session/flow-table.js';
import { sharedFile } from '../helpers/shared-data.js';
import { MemorySink } from './packets.js';

/** One Zeek TSV log: rows as field → text maps. */
function readZeekLog(path: string): Record<string, string>[] {
  let fields: string[] = [];
  const rows: Record<string, string>[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('#fields')) fields = line.split('\t').slice(1);
    else if (line !== '' && !line.startsWith('#')) {
      const v = line.split('\t');
      rows.push(Object.fromEntries(fields.map((f, i) => [f, v[i]])));
    }
  }
  return rows;
}

/** Conn records of one trace as this project makes them (no analyzers), with checksums handled per `checksums`. */
async function ourConn(trace: string, checksums: ChecksumMode): Promise<LogRecord[]> {
  const sink = new MemorySink();
  const table = new SessionTable({ limits: DEFAULT_LIMITS, analyzers: [], sink });
  const decoder = new Decoder(DEFAULT_LIMITS, () => {}, { checksums });
  const pkt = newDecodedPacket();
  const reader = await openCapture(trace, 0);
  let last = 0;
  for await (const batch of reader.batches()) {
    for (const raw of batch) {
      if (raw.ts > last) last = raw.ts;
      if (decoder.decode(raw, pkt) !== 'ok') continue;
      const p = pkt.ipProto;
      if (p === 6 || p === 17 || p === 1 || p === 58) table.onPacket(pkt, decoder.badTransportChecksum);
    }
  }
  table.finish(last);
  return sink.of('conn');
}

const COMPARED = [
  'proto',
  'duration',
  'orig_bytes',
  'resp_bytes',
  'conn_state',
  'local_orig',
  'local_resp',
  'missed_bytes',
  'history',
  'orig_pkts',
  'orig_ip_bytes',
  'resp_pkts',
  'resp_ip_bytes',
  'ip_proto',
] as const;

/** Our value in Zeek's TSV spelling. */
function zeekText(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  return String(v);
}

/** Fields of one row that disagree ([] = full agreement); baseline `-` in local_* and absent columns are skipped. */
function diff(base: Record<string, string>, ours: LogRecord): string[] {
  const out: string[] = [];
  for (const f of COMPARED) {
    const b = base[f];
    if (b === undefined) continue;
    if ((f === 'local_orig' || f === 'local_resp') && b === '-') continue;
    const o = ours[f];
    if (f === 'duration' && b !== '-' && typeof o === 'number') {
      if (Math.abs(Number(b) - o) > 1e-6) out.push(`${f}: zeek ${b} ours ${o}`);
    } else if (zeekText(o) !== b) out.push(`${f}: zeek ${b} ours ${zeekText(o)}`);
  }
  return out;
}

interface Agreement {
  rows: number;
  matchedRows: number;
  identicalRows: number;
  fields: number;
  agreeingFields: number;
  problems: string[];
}

/** Match every baseline row to one of ours with the same proto and 4-tuple (best agreement first) and compare. */
function compare(baseline: Record<string, string>[], ours: LogRecord[]): Agreement {
  const key = (proto: unknown, oh: unknown, op: unknown, rh: unknown, rp: unknown): string => `${String(proto)} ${String(oh)}:${String(op)} > ${String(rh)}:${String(rp)}`;
  const pool = new Map<string, LogRecord[]>();
  for (const r of ours) {
    const k = key(r.proto, r['id.orig_h'], r['id.orig_p'], r['id.resp_h'], r['id.resp_p']);
    pool.set(k, [...(pool.get(k) ?? []), r]);
  }
  const a: Agreement = { rows: baseline.length, matchedRows: 0, identicalRows: 0, fields: 0, agreeingFields: 0, problems: [] };
  for (const b of baseline) {
    const k = key(b.proto, b['id.orig_h'], b['id.orig_p'], b['id.resp_h'], b['id.resp_p']);
    const cands = pool.get(k) ?? [];
    const counted = COMPARED.filter((f) => b[f] !== undefined && !((f === 'local_orig' || f === 'local_resp') && b[f] === '-')).length;
    a.fields += counted;
    if (cands.length === 0) {
      a.problems.push(`${k}: no such flow of ours`);
      continue;
    }
    let best = 0;
    for (let i = 1; i < cands.length; i++) if (diff(b, cands[i]).length < diff(b, cands[best]).length) best = i;
    const d = diff(b, cands[best]);
    cands.splice(best, 1);
    a.matchedRows++;
    a.agreeingFields += counted - d.length;
    if (d.length === 0) a.identicalRows++;
    else a.problems.push(`${k}: ${d.join('; ')}`);
  }
  const extra = [...pool.values()].reduce((s, l) => s + l.length, 0);
  if (extra > 0) a.problems.push(`${extra} flow(s) of ours not in the baseline`);
  return a;
}

/** Compare the baseline with our records under each checksum mode in `modes`. */
async function check(t: TestContext, baselineRel: string, traceRel: string, modes: readonly ChecksumMode[]): Promise<void> {
  const base = sharedFile(t, baselineRel);
  const trace = base === null ? null : sharedFile(t, traceRel);
  if (base === null || trace === null) return;
  for (const mode of modes) {
    const a = compare(readZeekLog(base), await ourConn(trace, mode));
    t.diagnostic(
      `${traceRel} (checksums ${mode}): rows ${a.matchedRows}/${a.rows} matched, ${a.identicalRows} identical; fields ${a.agreeingFields}/${a.fields} agree`,
    );
    for (const p of a.problems) t.diagnostic(p);
    assert.deepEqual(a.problems, [], `checksums ${mode}`);
  }
}

test('conn conformance: Zeek modbus_and_non_modbus_on_port_502', async (t) => {
  await check(
    t,
    'zeek-ics-baselines/baseline/scripts.base.protocols.modbus.modbus_and_non_modbus_on_port_502/conn.log',
    'zeek-ics-baselines/traces/modbus/modbus-and-non-modbus-p502.pcap',
    ['verify', 'auto'],
  );
});

const ICSNPP: readonly (readonly [string, string])[] = [
  ['bacnet/baseline/analyzer.basic/conn.log', 'bacnet/traces/bacnet_example.pcap'],
  ['bacnet/baseline/analyzer.services/conn.log', 'bacnet/traces/bacnet_services.pcap'],
  ['dnp3/baseline/analyzer.basic/conn.log', 'dnp3/traces/dnp3_example.pcap'],
  ['enip/baseline/analyzer.basic/conn.log', 'enip/traces/enip_cip_example.pcap'],
  ['modbus/baseline/analyzer.basic/conn.log', 'modbus/traces/modbus_example.pcap'],
  ['opcua-binary/baseline/analyzer.basic/conn.log', 'opcua-binary/traces/open62541_client-server_mainloop.pcap'],
  ['s7comm/baseline/analyzer.s7comm_plus/conn.log', 's7comm/traces/s7comm_plus.pcap'],
  ['s7comm/baseline/analyzer.snap7/conn.log', 's7comm/traces/snap7.pcap'],
];

for (const [baseline, trace] of ICSNPP) {
  test(`conn conformance: ICSNPP ${baseline.split('/baseline/')[0]} ${baseline.split('/')[2]}`, async (t) => {
    await check(t, `icsnpp/${baseline}`, `icsnpp/${trace}`, ['ignore', 'auto']);
  });
}
