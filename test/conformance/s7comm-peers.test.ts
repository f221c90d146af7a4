/**
 * S7comm conformance (test/helpers/conformance/s7comm.ts): ICSNPP's expected logs and tshark over every
 * shared capture with S7 traffic. Every difference must be an accepted peer error documented with its
 * bytes in test/protocols/s7comm/peer-errors.test.ts. Also checks snap7.pcap against the Snap7 client's
 * own transcript (icsnpp/s7comm/ground-truth/snap7_s300_events.txt): each of its 23 operations, in order
 * and with its result, must be visible in CraneWatch's logs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogRecord } from '../../src/events/record.js';
import { agreementRate, type ProtocolAgreement } from '../helpers/conformance/agreement.js';
import { analyzeOne, s7commConformance } from '../helpers/conformance/s7comm.js';
import { haveTshark, SHARED_DATA, sharedFile } from '../helpers/shared-data.js';

let run: Promise<ProtocolAgreement[]> | undefined;
const conformance = (): Promise<ProtocolAgreement[]> => (run ??= s7commConformance(SHARED_DATA));

/** Differences not accepted as the peer's error. */
const unaccepted = (p: ProtocolAgreement): string[] => p.captures.flatMap((c) => c.differences.filter((d) => !d.includes('accepted:')));

test('s7comm vs ICSNPP baselines: every peer row matched, every difference an accepted peer error', async (t) => {
  if (sharedFile(t, 'icsnpp/s7comm/baseline/analyzer.snap7/s7comm.log') === null) return;
  const [icsnpp] = await conformance();
  assert.equal(icsnpp.peer, 'icsnpp');
  const streams = new Set(icsnpp.captures.map((c) => c.stream));
  assert.deepEqual([...streams].sort(), ['conn', 'cotp', 's7comm', 's7comm_plus', 's7comm_read_szl', 's7comm_upload_download']);
  for (const c of icsnpp.captures) assert.equal(c.matched, c.peerRecords, `${c.capture} ${c.stream}: ${c.peerRecords - c.matched} peer rows unmatched`);
  assert.deepEqual(unaccepted(icsnpp), []);
  // Apart from the byte order of pdu_reference, every compared field agrees.
  for (const c of icsnpp.captures) for (const f of c.fields) if (f.field !== 'pdu_reference') assert.equal(f.agreed, f.compared, `${c.capture} ${c.stream} ${f.field}`);
  t.diagnostic(`icsnpp agreement ${(agreementRate(icsnpp) * 100).toFixed(2)} % (pdu_reference byte order accepted)`);
});

test('s7comm vs tshark on every shared capture tshark dissects as COTP / S7comm', async (t) => {
  if (sharedFile(t, 'iti-ics-pcaps/s7') === null || !haveTshark(t)) return;
  const res = await conformance();
  const tshark = res.find((p) => p.peer.startsWith('tshark'));
  assert.ok(tshark !== undefined);
  const captures = new Set(tshark.captures.filter((c) => c.stream === 's7comm' && c.peerRecords > 0).map((c) => c.capture));
  assert.ok(captures.size >= 20, `only ${captures.size} captures with S7comm frames`);
  for (const s of ['cotp', 's7comm', 's7comm_read_szl', 's7comm_upload_download']) {
    assert.ok(tshark.captures.some((c) => c.stream === s && c.peerRecords > 0), `no ${s} records compared`);
  }
  assert.deepEqual(unaccepted(tshark), []);
  t.diagnostic(`tshark agreement ${(agreementRate(tshark) * 100).toFixed(2)} % over ${captures.size} captures`);
});

/** One Snap7 client operation: how its request shows in s7comm, its result, and what else must be logged. */
interface Operation {
  name: string;
  request: (r: LogRecord, szl: Map<number, LogRecord>) => boolean;
  ok: boolean;
}

const fn = (name: string) => (r: LogRecord): boolean => r.function_name === name;
const sub = (name: string) => (r: LogRecord): boolean => r.subfunction_name === name;
const szlRead = (id: string, index = '0x0000') => (r: LogRecord, szl: Map<number, LogRecord>): boolean =>
  r.subfunction_name === 'Read SZL' && szl.get(r.pdu_reference as number)?.szl_id === id && szl.get(r.pdu_reference as number)?.szl_index === index;
const upload = (name: string): Operation => ({ name, request: fn('Start Upload'), ok: true });

/** The transcript's 23 operations, in its order (snap7_s300_events.txt). */
const OPERATIONS: readonly Operation[] = [
  { name: 'Unit Connection', request: fn('Setup Communication'), ok: true },
  { name: 'Catalog', request: szlRead('0x0011'), ok: true },
  { name: 'Unit Info', request: szlRead('0x001c'), ok: true },
  { name: 'Communication processor Info', request: szlRead('0x0131', '0x0001'), ok: true },
  { name: 'CPU Status', request: szlRead('0x0424'), ok: true },
  { name: 'Read SZL - ID : 0x0011, IDX 0x0000', request: szlRead('0x0011'), ok: true },
  { name: 'List Blocks in AG', request: sub('List Blocks'), ok: true },
  upload('Block Upload (SDB 0)'),
  { name: 'Get DB0', request: sub('Get Block Info'), ok: false },
  upload('Async (callback) Block Upload (SDB 0)'),
  upload('Async (Wait event) Block Upload (SDB 0)'),
  upload('Async (polling) Block Upload (SDB 0)'),
  { name: 'Full upload', request: fn('Start Upload'), ok: false },
  { name: 'Get Date Time', request: sub('Read Clock'), ok: true },
  { name: 'System Set Date Time', request: sub('Set Clock'), ok: true },
  { name: 'Simple Write', request: fn('Write Variable'), ok: true },
  { name: 'Simple Read', request: fn('Read Variable'), ok: true },
  { name: 'Multiwrite Vars', request: fn('Write Variable'), ok: true },
  { name: 'Multiread Vars', request: fn('Read Variable'), ok: true },
  { name: 'PLC STOP', request: fn('PLC Stop'), ok: true },
  { name: 'PLC Copy Ram to Rom', request: sub('PLC Copy Ram to Rom'), ok: true },
  { name: 'PLC Compress', request: sub('Compress PLC memory'), ok: true },
  { name: 'PLC ColdStart', request: sub('PLC Start / Stop'), ok: true },
];

test('snap7.pcap: all 23 operations of the Snap7 client transcript are visible, in order, with their result', async (t) => {
  const file = sharedFile(t, 'icsnpp/s7comm/traces/snap7.pcap');
  if (file === null || sharedFile(t, 'icsnpp/s7comm/ground-truth/snap7_s300_events.txt') === null) return;
  const logs = await analyzeOne(file);
  const s7 = logs.get('s7comm') ?? [];
  const szl = new Map((logs.get('s7comm_read_szl') ?? []).filter((r) => r.is_orig === true).map((r) => [r.pdu_reference as number, r]));
  // Requests, without the follow-up request of the fragmented SZL response (it carries no SZL id).
  const requests = s7.filter((r) => r.is_orig === true && (r.subfunction_name !== 'Read SZL' || szl.has(r.pdu_reference as number)));
  let at = 0;
  for (const op of OPERATIONS) {
    while (at < requests.length && !op.request(requests[at], szl)) at++;
    assert.ok(at < requests.length, `${op.name}: no request in s7comm`);
    const req = requests[at++];
    const resp = s7.find((r) => r.is_orig === false && r.pdu_reference === req.pdu_reference);
    assert.ok(resp !== undefined, `${op.name}: no response`);
    assert.equal(resp.error_class === 'No error', op.ok, `${op.name}: result ${String(resp.error_class)} ${String(resp.error_code)}`);
  }
  // The block uploaded four times is SDB 0 (216 bytes); the refused full upload asked for OB 0.
  const transfers = logs.get('s7comm_upload_download') ?? [];
  const files = transfers.filter((r) => r.filename !== null).map((r) => r.filename);
  assert.deepEqual(files, ['_0B00000A', '_0B00000A', '_0B00000A', '_0B00000A', '_0800000A']);
  assert.deepEqual(transfers.filter((r) => r.function_name === 'Upload' && r.is_orig === false).map((r) => r.blocklength), [216, 216, 216, 216]);
  // Unit Info: the transcript's module type, serial number, AS name and module name.
  const [dev] = logs.get('s7comm_known_devices') ?? [];
  assert.ok(dev !== undefined, 'no s7comm_known_devices record');
  assert.deepEqual(
    [dev.module_type_name, dev.module_serial, dev.automation_system_name, dev.module_name],
    ['CPU 315-2 PN/DP', 'S C-B1U393142011', 'S7300/ET200M station_1', 'PLC_1'],
  );
  // PLC STOP and the three PLC Control services are the control commands detectors look for.
  assert.deepEqual(s7.filter((r) => r.is_orig === true && (r.function_code === '0x29' || r.function_code === '0x28')).map((r) => r.subfunction_code ?? r.function_name), ['PLC Stop', '_MODU', '_GARB', 'P_PROGRAM']);
});
