/**
 * Modbus/TCP conformance against tshark (Wireshark 4.0's mbtcp/modbus dissectors) on every capture of
 * the shared data set that carries Modbus/TCP, zipped captures included (extracted to a temporary
 * folder). How captures are found, how records are matched and which fields are compared like with
 * like: test/helpers/modbus-conformance.ts and test/helpers/modbus-tshark-compare.ts.
 *
 * The target is 100 % agreement. Every remaining difference must be covered by exactly one entry of
 * EXPLANATIONS (test/helpers/conformance/modbus.ts, shared with docs/CONFORMANCE.md), and each entry has a test of its own below that shows the bytes and says who is right;
 * an entry that no longer covers any difference fails too, so the list follows the code.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LogRecord } from '../../src/events/record.js';
import { probeModbus } from '../../src/protocols/modbus/probe.js';
import { captureLayout } from '../helpers/capture-files.js';
import { prng } from '../helpers/capture-mutate.js';
import { agreementLine, overall, runModbusConformance, type ConformanceRun } from '../helpers/modbus-conformance.js';
import { describeDifference, EXPLANATIONS, FUZZ72, PART1, PART2 } from '../helpers/conformance/modbus.js';
import { alignSequences, compareModbus, cranewatchModbus } from '../helpers/modbus-tshark-compare.js';
import { haveTshark, SHARED_DATA, sharedFile } from '../helpers/shared-data.js';
import { hexOf, tcpSegments, type TcpSegment } from '../helpers/tcp-segments.js';
import { tsharkModbus } from '../helpers/tshark-modbus.js';
import { readZeekLog } from '../helpers/zeek-log.js';

let run: Promise<ConformanceRun> | null = null;

/** The whole comparison, computed once for every test of this file. */
function conformance(): Promise<ConformanceRun> {
  run ??= runModbusConformance(SHARED_DATA, { zips: true });
  return run;
}

/** Shared data folder and tshark present (else the test is skipped with a note). */
function ready(t: TestContext): boolean {
  return sharedFile(t, '.') !== null && haveTshark(t);
}

function segment(segs: readonly TcpSegment[], frame: number): TcpSegment {
  const s = segs.find((x) => x.frame === frame);
  assert.ok(s, `frame ${frame} is a TCP segment`);
  return s;
}

/** `b` copied into a larger buffer at offset 5, returned as a sub-view (non-zero byteOffset). */
function inside(b: Uint8Array): Uint8Array {
  const big = new Uint8Array(b.length + 11).fill(0xee);
  big.set(b, 5);
  return big.subarray(5, 5 + b.length);
}

/** Hex text of a commented hex dump (`# …` to the end of a line is a comment). */
function dump(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/#.*$/, ''))
    .join(' ')
    .split(/\s+/)
    .filter((x) => x !== '')
    .join(' ');
}

const MODICON = 'iti-ics-pcaps/modicon/modicon_test.pcap';
const MODBUS_TEST = 'iti-ics-pcaps/ModbusTCP/Modbus/modbus_test.pcap';
const FUZZ72_ZEEK = 'zeek-ics-baselines/baseline/scripts.base.protocols.modbus.exception_handling/modbus.log';

test('every Modbus/TCP capture agrees with tshark record for record, except where explained', async (t) => {
  if (!ready(t)) return;
  const r = await conformance();
  t.diagnostic(`${r.scanned} captures scanned, tshark run on ${r.candidates}, Modbus/TCP in ${r.results.length}`);
  for (const c of r.results) t.diagnostic(agreementLine(c));
  for (const l of overall(r.results).lines) t.diagnostic(l);

  // The data set's Modbus captures, as a full `tshark -Y mbtcp` scan of all of them lists them.
  for (const known of [FUZZ72, MODICON, MODBUS_TEST, ...PART1, ...PART2, 'iti-ics-pcaps/ModbusTCP/ModbusTCP.pcap']) {
    assert.ok(
      r.results.some((c) => c.name === known),
      `${known} found`,
    );
  }
  assert.ok(r.results.length >= 19, `${r.results.length} captures with Modbus/TCP`);

  const used = new Map<string, number>(EXPLANATIONS.map((e) => [e.title, 0]));
  const unexplained: string[] = [];
  for (const c of r.results) {
    for (const d of c.agreement.differences) {
      const by = EXPLANATIONS.filter((e) => e.covers(c.name, d));
      if (by.length !== 1) unexplained.push(`${c.name}: ${describeDifference(d)} (${by.length} explanations)`);
      else used.set(by[0].title, used.get(by[0].title)! + 1);
    }
  }
  for (const [title, n] of used) t.diagnostic(`explained, ${n} records: ${title}`);
  assert.deepEqual(unexplained, [], 'every difference has exactly one explanation');
  assert.deepEqual(
    [...used].filter(([, n]) => n === 0).map(([title]) => title),
    [],
    'every explanation still covers a difference',
  );
});

test('the comparison finds a changed field, a missing record and an extra record', async (t) => {
  if (!ready(t)) return;
  const file = sharedFile(t, 'icsnpp/modbus/traces/modbus_example.pcap');
  if (file === null) return;
  const [pdus, cw] = await Promise.all([tsharkModbus(file), cranewatchModbus(file)]);
  assert.equal(compareModbus(pdus, cw).differences.length, 0);
  const i = cw.modbus.findIndex((r) => r.pdu_type === 'REQ' && r.function_code === 3);
  const changed: LogRecord[] = cw.modbus.map((r, j) => (j === i ? { ...r, unit: (r.unit as number) + 1 } : r));
  const a = compareModbus(pdus, { ...cw, modbus: changed });
  // A changed unit breaks the alignment key: the tshark PDU and the CraneWatch row are each left alone.
  assert.deepEqual(
    a.differences.map((d) => d.kind),
    ['only_tshark', 'only_cranewatch'],
  );
  const row = cw.detailed.findIndex((r) => r.function_code === 3 && r.address !== null);
  const detailed = cw.detailed.map((r, j) => (j === row ? { ...r, address: (r.address as number) + 1 } : r));
  const b = compareModbus(pdus, { ...cw, detailed });
  assert.deepEqual(
    b.differences.map((d) => `${d.kind} ${d.field}`),
    ['field reference_num'],
  );
  assert.deepEqual(alignSequences([1, 2, 3, 4], [1, 3, 4, 5]), [
    [0, 0],
    [2, 1],
    [3, 2],
  ]);
  // Against the textbook O(N·M) LCS length on fixed-seed random sequences over small alphabets.
  const rnd = prng(0x1c5);
  for (let round = 0; round < 300; round++) {
    const seq = (): number[] => Array.from({ length: Math.floor(rnd() * 40) }, () => Math.floor(rnd() * 4));
    const a = seq();
    const b = seq();
    const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) dp[i][j] = a[i - 1] === b[j - 1] ? dp[i - 1][j - 1] + 1 : Math.max(dp[i - 1][j], dp[i][j - 1]);
    }
    const pairs = alignSequences(a, b);
    assert.equal(pairs.length, dp[a.length][b.length], `LCS of ${a} / ${b}`);
    pairs.forEach(([i, j], n) => {
      assert.equal(a[i], b[j]);
      if (n > 0) assert.ok(i > pairs[n - 1][0] && j > pairs[n - 1][1]);
    });
  }
});

test('the PDML reader gives what `tshark -T fields` gives, per PDU where -T fields can say', async (t) => {
  if (!ready(t)) return;
  const file = sharedFile(t, 'iti-ics-pcaps/ModbusTCP/ModbusTCP.pcap');
  if (file === null) return;
  const fields = ['frame.number', 'frame.time_epoch', 'ip.src', 'tcp.srcport', 'ip.dst', 'tcp.dstport', 'mbtcp.trans_id', 'mbtcp.unit_id', 'modbus.func_code', 'modbus.exception_code', 'modbus.reference_num', 'modbus.word_cnt'];
  const out = spawnSync('tshark', ['-n', '-r', file, '-Y', 'mbtcp', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|', ...fields.flatMap((f) => ['-e', f])], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  assert.equal(out.status, 0, out.stderr);
  const pdus = await tsharkModbus(file);
  const byFrame = new Map<number, typeof pdus>();
  for (const p of pdus) byFrame.set(p.frame, [...(byFrame.get(p.frame) ?? []), p]);
  let single = 0;
  let multi = 0;
  let ambiguous = 0;
  for (const line of out.stdout.split('\n').filter((l) => l !== '')) {
    const c = line.split('\t');
    const ps = byFrame.get(Number(c[0]))!;
    assert.ok(ps, `frame ${c[0]} in PDML`);
    assert.equal(Math.round(Number(c[1]) * 1e6), Math.round(ps[0].ts * 1e6));
    assert.deepEqual([c[2], Number(c[3]), c[4], Number(c[5])], [ps[0].src, ps[0].sport, ps[0].dst, ps[0].dport]);
    const list = (i: number): string => c[i];
    const joined = (v: (number | null)[]): string => v.filter((x) => x !== null).join('|');
    // -T fields aggregates each field on its own: the PDML values with the unset ones left out.
    assert.equal(list(6), joined(ps.map((p) => p.tid)), `frame ${c[0]} trans_id`);
    assert.equal(list(7), joined(ps.map((p) => p.unit)));
    assert.equal(list(8), joined(ps.map((p) => p.funcCode)));
    assert.equal(list(9), joined(ps.map((p) => p.exceptionCode)));
    assert.equal(list(10), joined(ps.map((p) => p.referenceNum)));
    assert.equal(list(11), joined(ps.map((p) => p.wordCnt)));
    if (ps.length === 1) single++;
    else {
      multi++;
      const counts = [9, 10, 11].map((i) => (list(i) === '' ? 0 : list(i).split('|').length));
      if (counts.some((n) => n !== 0 && n !== ps.length)) ambiguous++;
    }
  }
  t.diagnostic(`${single} single-PDU frames, ${multi} frames with several PDUs, ${ambiguous} of them with a field -T fields cannot assign`);
  // Frame 14 carries three requests (FC 4, 4, 2): word_cnt "115|4" cannot tell which PDU lacks it.
  assert.deepEqual(
    byFrame.get(14)!.map((p) => [p.funcCode, p.referenceNum, p.wordCnt, p.bitCnt]),
    [
      [4, 1100, 115, null],
      [4, 1300, 4, null],
      [2, 203, null, 30],
    ],
  );
  assert.ok(ambiguous > 0);
});

test(`explained: ${EXPLANATIONS[0].title}`, async (t) => {
  if (!ready(t)) return;
  for (const rel of PART2) {
    const file = sharedFile(t, rel);
    if (file === null) return;
    const segs = await tcpSegments(file);
    assert.equal(
      hexOf(segment(segs, 62).payload),
      dump(`
        00 00   # transaction id 0
        00 00   # protocol id 0
        00 06   # length 6: unit, function and 4 data bytes
        01      # unit 1
        16      # function 22, Mask Write Register: needs address, AND mask and OR mask (V1.1b3 §6.16, 6 bytes)
        00 00   # reference address 0
        00 00   # AND mask 0; the OR mask is missing`),
    );
    const [pdus, cw] = await Promise.all([tsharkModbus(file), cranewatchModbus(file)]);
    const p = pdus.find((x) => x.frame === 62)!;
    assert.deepEqual([p.funcByte, p.referenceNum], [22, 0]);
    const w = cw.weird.filter((r) => r.name === 'modbus.truncated_pdu');
    assert.deepEqual(
      w.map((r) => [r.grade, r.addl, Math.round((r.ts as number) * 1e6)]),
      [['violation', 'function 22 needs 6 data bytes, has 4', Math.round(p.ts * 1e6)]],
    );
    // The request's modbus row is written (its header is sound) but no modbus_detailed row opens.
    assert.equal(cw.modbus.filter((r) => r.function_code === 22 && Math.round((r.ts as number) * 1e6) === Math.round(p.ts * 1e6)).length, 1);
    assert.deepEqual(
      cw.detailed.filter((r) => r.function_code === 22 || r.function_code === 0x96).map((r) => [r.func, r.matched, r.exception_code]),
      [['MASK_WRITE_REGISTER_EXCEPTION', null, 'ILLEGAL_DATA_VALUE']],
    );
  }
  t.diagnostic('CraneWatch is right: the PDU cannot be a Mask Write Register request (4 of 6 data bytes). tshark prints the');
  t.diagnostic('reference and AND mask, then "[Malformed Packet]"; CraneWatch reports modbus.truncated_pdu and, like');
  t.diagnostic('Zeek/ICSNPP (whose parser raises no event for it), writes no modbus_detailed row, so no address to compare.');
});

test('a function-code sweep opening with code 0x00 on port 502 is analyzed (MODBUS-TestDataPart2 frames 6, 9)', async (t) => {
  if (!ready(t)) return;
  for (const rel of PART2) {
    const file = sharedFile(t, rel);
    if (file === null) return;
    const segs = await tcpSegments(file);
    const client = segs.filter((s) => s.sport === 2582 && s.payload.length > 0);
    const server = segs.filter((s) => s.sport === 502 && s.payload.length > 0);
    assert.equal(client[0].frame, 6);
    assert.equal(
      hexOf(client[0].payload),
      dump(`
        00 00   # transaction id 0
        00 00   # protocol id 0
        00 06   # length 6
        01      # unit 1
        00      # function code 0x00: no Modbus function has it (V1.1b3 §5.1: 1–127)
        00 00 00 00   # data`),
    );
    assert.equal(server[0].frame, 9);
    assert.equal(
      hexOf(server[0].payload),
      dump(`
        00 00 00 00 00 03   # tid 0, protocol 0, length 3
        01      # unit 1
        80      # exception response to function 0x00
        01      # exception code 1, ILLEGAL FUNCTION`),
    );
    // On port 502 a sane header whose length fits the bytes is Modbus whatever its function code
    // (also as views inside a larger buffer); off port 502 code 0x00 stays refused.
    assert.equal(probeModbus(client[0].payload, true, true), 'yes');
    assert.equal(probeModbus(server[0].payload, false, true), 'yes');
    assert.equal(probeModbus(inside(client[0].payload), true, true), 'yes');
    assert.equal(probeModbus(inside(server[0].payload), false, true), 'yes');
    assert.equal(probeModbus(inside(client[0].payload), true, false), 'no');
    const [pdus, cw] = await Promise.all([tsharkModbus(file), cranewatchModbus(file)]);
    // The client walks every function code: a function-code sweep (reconnaissance), now fully logged.
    const requests = pdus.filter((p) => p.dport === 502).map((p) => p.funcByte);
    assert.deepEqual(
      requests.slice(0, 128),
      Array.from({ length: 128 }, (_, i) => i),
    );
    assert.equal(pdus.length, 281);
    assert.equal(cw.modbus.length, 281);
    assert.deepEqual(
      cw.modbus.filter((r) => r.pdu_type === 'REQ').map((r) => r.function_code),
      requests,
    );
    assert.deepEqual(
      cw.modbus.slice(0, 2).map((r) => [r.pdu_type, r.func, r.function_code, r.exception, r.exception_code]),
      [
        ['REQ', 'unknown-0', 0, null, null],
        ['RESP', 'unknown-128', 0x80, 'ILLEGAL_FUNCTION', 1],
      ],
    );
    assert.equal(compareModbus(pdus, cw).differences.length, 1, 'only frame 62 differs (explained above)');
  }
});

test('a server that opens the connection from port 502 sends responses as originator (MODBUS-TestDataPart1 frames 88–113)', async (t) => {
  if (!ready(t)) return;
  for (const rel of PART1) {
    const file = sharedFile(t, rel);
    if (file === null) return;
    const segs = await tcpSegments(file);
    const syn = segment(segs, 88);
    assert.deepEqual([syn.src, syn.sport, syn.dst, syn.dport, syn.flags], ['10.0.0.8', 502, '10.0.0.57', 4446, 0x02]);
    assert.equal(segment(segs, 89).flags, 0x12, 'SYN-ACK from 10.0.0.57:4446');
    const first = segment(segs, 91);
    assert.equal(
      hexOf(first.payload),
      dump(`
        00 01 00 00   # tid 1, protocol 0
        00 04   # length 4: unit, function, exception code and one byte more
        0a      # unit 10
        81      # exception response to Read Coils
        06      # exception code 6, SLAVE DEVICE BUSY
        00      # the extra byte`),
    );
    // The originator (it sent the SYN, from port 502) sends an exception of a public function: the
    // probe, told only that the responder port is not 502, accepts it from either side.
    assert.equal(probeModbus(first.payload, true, false), 'yes');
    assert.equal(probeModbus(inside(first.payload), true, false), 'yes');
    const [pdus, cw] = await Promise.all([tsharkModbus(file), cranewatchModbus(file)]);
    const there = pdus.filter((p) => p.src === '10.0.0.8' && p.dport === 4446);
    assert.deepEqual(
      there.map((p) => p.funcByte),
      [0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 42],
    );
    const rows = cw.modbus.filter((r) => r.source_h === '10.0.0.8' && r.destination_p === 4446);
    // Responses (the side on 502 is the server), with the true sender in source_*; id.* stay Zeek's:
    // the originator is 10.0.0.8:502.
    assert.deepEqual(
      rows.map((r) => [r.function_code, r.pdu_type, r.exception_code]),
      there.map((p) => [p.funcByte, 'RESP', p.exceptionCode]),
    );
    assert.ok(rows.every((r) => r['id.orig_h'] === '10.0.0.8' && r['id.orig_p'] === 502 && r['id.resp_h'] === '10.0.0.57' && r['id.resp_p'] === 4446));
    assert.ok(rows.every((r) => r.source_p === 502 && r.destination_h === '10.0.0.57'));
    const uid = rows[0].uid;
    assert.deepEqual(
      cw.weird.filter((w) => w.uid === uid && w.name === 'modbus.exception_in_request'),
      [],
      'no exception is taken for a request',
    );
    assert.deepEqual(
      cw.detailed.filter((r) => r.uid === uid).map((r) => [r.func, r.matched, r.source_p]),
      [...Array<[string, null, number]>(10).fill(['READ_COILS_EXCEPTION', null, 502]), ['unknown-42', null, 502]],
    );
  }
});

test('UMAS messages with MBAP length 255 are parsed with a weird (modicon_test frames 19, 20)', async (t) => {
  if (!ready(t)) return;
  const file = sharedFile(t, MODICON);
  if (file === null) return;
  const segs = await tcpSegments(file);
  const req = segment(segs, 19);
  const resp = segment(segs, 20);
  assert.equal(
    hexOf(req.payload.subarray(0, 10)),
    dump(`
      00 07   # tid 7
      00 00   # protocol id 0
      00 ff   # length 255: unit + a 254-byte PDU, one more than V1.1b3 §4.1 allows (PDU ≤ 253 bytes)
      00      # unit 0
      5a      # function 90, Schneider UMAS
      00 0a   # UMAS session and code`),
  );
  assert.equal(req.payload.length, 261);
  assert.equal(hexOf(resp.payload.subarray(0, 8)), '00 07 00 00 00 ff 00 5a');
  assert.equal(resp.payload.length, 261);
  const cw = await cranewatchModbus(file);
  assert.deepEqual(
    cw.weird.filter((r) => String(r.name).startsWith('modbus.')).map((r) => [r.name, r.grade, r.addl, Math.round((r.ts as number) * 1e6)]),
    [['modbus.oversized_adu', 'weird', 'length 255 > 254, function 90', Math.round(req.ts * 1e6)]],
  );
  assert.deepEqual(
    cw.modbus.filter((r) => r.tid === 7 && r.function_code === 0x5a).map((r) => [r.pdu_type, r.func, Math.round((r.ts as number) * 1e6)]),
    [
      ['REQ', 'PROGRAM_UNITY', Math.round(req.ts * 1e6)],
      ['RESP', 'PROGRAM_UNITY', Math.round(resp.ts * 1e6)],
    ],
  );
});

test('transaction id 504 reused with requests in flight pairs first in, first out (modbus_test frames 68–72, 1187–1188)', async (t) => {
  if (!ready(t)) return;
  const file = sharedFile(t, MODBUS_TEST);
  if (file === null) return;
  const segs = await tcpSegments(file);
  const hex = (f: number): string => hexOf(segment(segs, f).payload, 2);
  // Write Single Register (V1.1b3 §6.6): tid 01f8 (504), protocol 0, length 6, unit 7, fc 06, address, value.
  assert.equal(hex(68), '01f8 0000 0006 0706 0004 09c4', 'request: register 4 := 2500');
  assert.equal(hex(69), '01f8 0000 0006 0706 0004 0000 01f8 0000 0006 0706 0005 36c1', 'requests: register 4 := 0, register 5 := 14017');
  assert.equal(hex(70), '01f8 0000 0006 0706 0004 09c4', 'echo of frame 68');
  assert.equal(hex(71), '01f8 0000 0006 0706 0004 0000', 'echo of frame 69, first request');
  assert.equal(hex(72), '01f8 0000 0006 0706 0005 36c1', 'echo of frame 69, second request');
  assert.equal(hex(1187), '01f8 0000 0006 0706 0005 36c2', 'request 60 s later: register 5 := 14018');
  assert.equal(hex(1188), '01f8 0000 0006 0706 0005 36c2', 'its echo');
  const cw = await cranewatchModbus(file);
  const us = (f: number): number => Math.round(segment(segs, f).ts * 1e6);
  const rows = cw.detailed
    .filter((r) => r.tid === 504)
    .map((r) => [Math.round((r.ts as number) * 1e6), r.source_p, r.address, r.matched, r.request_values, r.response_values]);
  assert.deepEqual(rows, [
    [us(68), 53842, 4, true, [2500], [2500]], // frame 68 with frame 70
    [us(69), 53842, 4, true, [0], [0]], // frame 69, first request, with frame 71
    [us(69), 53842, 5, true, [14017], [14017]], // frame 69, second request, with frame 72
    [us(1187), 53842, 5, true, [14018], [14018]], // frame 1187 with frame 1188
  ]);
  assert.deepEqual(
    cw.weird.filter((r) => (r.name as string).startsWith('modbus.')).map((r) => [r.name, Math.round((r.ts as number) * 1e6)]),
    [['modbus.duplicate_tid', us(69)]],
  );
});

test(`explained: ${EXPLANATIONS[1].title}`, async (t) => {
  if (!ready(t)) return;
  const file = sharedFile(t, FUZZ72);
  const zeekLog = sharedFile(t, FUZZ72_ZEEK);
  if (file === null || zeekLog === null) return;
  const [pdus, cw, segs] = await Promise.all([tsharkModbus(file), cranewatchModbus(file), tcpSegments(file)]);
  const a = compareModbus(pdus, cw);
  const wrap = (x: number, y: number): number => (x - y) | 0;
  // Zeek's expected modbus.log of this trace (tid, unit, func, pdu_type), to check CraneWatch's extra rows against.
  const zeek = readZeekLog(zeekLog).rows.map((r) => `${r.tid} ${r.unit} ${r.func} ${r.pdu_type}`);
  for (const d of a.differences) {
    const dir = d.direction;
    const peerOf = (s: TcpSegment): boolean => `${s.dst}:${s.dport}>${s.src}:${s.sport}` === dir;
    if (d.kind === 'field') {
      // Time: the segment follows a sequence hole; CraneWatch's stream (like Zeek's) hands its bytes on only
      // when the peer acknowledges past them, and the row's time is that acknowledgement's.
      assert.equal(d.field, 'time');
      const seg = segment(segs, d.frame!);
      const end = (seg.seq + seg.payload.length) >>> 0;
      const ackAt = segs.find((s) => s.frame > seg.frame && peerOf(s) && (s.flags & 0x10) !== 0 && wrap(s.ack, end) >= 0);
      assert.ok(ackAt, `an acknowledgement covers frame ${d.frame}`);
      assert.equal(Math.round(Number(d.cranewatch) * 1e6), Math.round(ackAt.ts * 1e6), `frame ${d.frame}: row at the ACK of frame ${ackAt.frame}`);
    } else if (d.kind === 'only_tshark') {
      // tshark dissects what CraneWatch and Zeek never deliver: a datagram cut short by its capture
      // (IPv4 total length beyond the frame), or bytes behind a hole no acknowledgement ever passes.
      const seg = segment(segs, d.frame!);
      const acked = segs.some((s) => s.frame > seg.frame && peerOf(s) && wrap(s.ack, seg.seq) > 0);
      assert.ok(seg.truncated || !acked, `frame ${d.frame}: truncated ${seg.truncated}, acknowledged ${acked}`);
    } else {
      // Rows only CraneWatch writes are in Zeek's expected log too.
      const r = cw.modbus.find((x) => Math.round((x.ts as number) * 1e6) === Math.round(d.ts * 1e6) && x.tid === d.tid && x.function_code === d.funcByte);
      assert.ok(r);
      const key = `${r.tid} ${r.unit} ${r.func} ${r.pdu_type}`;
      assert.ok(zeek.includes(key), `${key} is in Zeek's modbus.log`);
    }
  }
  assert.ok(segment(segs, 1).truncated && segment(segs, 20).truncated, 'frames 1 and 20 are cut short');
  assert.equal(wrap(segment(segs, 2).seq, segment(segs, 1).seq), -436207616, 'frame 2 sits 436 MB before frame 1 in sequence space');
  t.diagnostic('A fuzzed trace (Zeek exception_handling): random sequence jumps, truncated datagrams, bad MBAP fields.');
  t.diagnostic('No byte stream is "right" here. CraneWatch reads it as Zeek does (its extra rows are in Zeek\'s log);');
  t.diagnostic('tshark dissects segment by segment, at once, and dissects truncated datagrams.');
});

/**
 * A copy of a pcap (Ethernet/IPv4) with TCP port `from` changed to `to` on both sides and the TCP
 * checksum recomputed (RFC 9293 §3.1; RFC 1624 incremental form not needed for a full recompute).
 */
function movePort(bytes: Uint8Array, from: number, to: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const dv = new DataView(out.buffer);
  const le = dv.getUint32(0, false) === 0xd4c3b2a1;
  for (const r of captureLayout(out).records) {
    const f = r.start + 16;
    const caplen = dv.getUint32(r.start + 8, le);
    if (caplen < 54 || dv.getUint16(f + 12) !== 0x0800 || out[f + 23] !== 6) continue;
    const ip = f + 14;
    const tcp = ip + (out[ip] & 0x0f) * 4;
    const tcpLen = dv.getUint16(ip + 2) - (tcp - ip);
    if (tcp + tcpLen > f + caplen) continue;
    for (const o of [tcp, tcp + 2]) if (dv.getUint16(o) === from) dv.setUint16(o, to);
    dv.setUint16(tcp + 16, 0);
    let sum = 6 + tcpLen;
    for (let i = 0; i < 8; i += 2) sum += dv.getUint16(ip + 12 + i);
    for (let i = 0; i + 1 < tcpLen; i += 2) sum += dv.getUint16(tcp + i);
    if (tcpLen % 2 === 1) sum += out[tcp + tcpLen - 1] << 8;
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    dv.setUint16(tcp + 16, ~sum & 0xffff);
  }
  return out;
}

test('Modbus on a port other than 502 is found by content and given to tshark as a Modbus/TCP port', async (t) => {
  if (!ready(t)) return;
  const file = sharedFile(t, 'icsnpp/modbus/traces/modbus_example.pcap');
  if (file === null) return;
  const root = mkdtempSync(join(tmpdir(), 'cranewatch-port-'));
  try {
    writeFileSync(join(root, 'moved.pcap'), movePort(new Uint8Array(readFileSync(file)), 502, 5020));
    // tshark alone no longer sees Modbus there.
    assert.equal((await tsharkModbus(join(root, 'moved.pcap'))).length, 0);
    const r = await runModbusConformance(root);
    assert.equal(r.results.length, 1);
    const [c] = r.results;
    t.diagnostic(agreementLine(c));
    assert.deepEqual(c.extraPorts, [5020]);
    assert.equal(c.agreement.tsharkPdus, 48);
    assert.equal(c.agreement.recordsAgreeing, c.agreement.recordsCompared);
    assert.equal(c.agreement.recordsCompared, 48);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  await assert.rejects(tsharkModbus(resolve(SHARED_DATA, 'no-such-file.pcap')));
});
