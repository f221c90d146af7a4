import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LIMITS, type Limits } from '../../src/config/limits.js';
import { ReassemblyPool, SEGMENT_OVERHEAD_BYTES, TcpReassembler, seqDiff, type ReassemblySink } from '../../src/session/tcp-reassembly.js';

const OVH = SEGMENT_OVERHEAD_BYTES;
import { subView } from './packets.js';

type Ev = string; // 'D:<text>' delivered, 'G:<len>' gap, 'X' overlap mismatch

/** Records events per reassembler tag ('a', 'b', …). */
class Rec implements ReassemblySink<string> {
  readonly ev: Ev[] = [];
  readonly byTag = new Map<string, Ev[]>();
  private push(tag: string, e: Ev): void {
    this.ev.push(e);
    this.byTag.set(tag, [...(this.byTag.get(tag) ?? []), e]);
  }
  reassembled(r: TcpReassembler<string>, data: Uint8Array): void {
    this.push(r.tag, 'D:' + Buffer.from(data).toString('latin1'));
  }
  gapSkipped(r: TcpReassembler<string>, len: number): void {
    this.push(r.tag, 'G:' + len);
  }
  overlapMismatch(r: TcpReassembler<string>): void {
    this.push(r.tag, 'X');
  }
  /** Delivered text only. */
  text(): string {
    return this.ev.filter((e) => e.startsWith('D:')).map((e) => e.slice(2)).join('');
  }
}

function make(limits: Partial<Limits> = {}): { r: TcpReassembler<string>; rec: Rec; pool: ReassemblyPool<string> } {
  const rec = new Rec();
  const pool = new ReassemblyPool<string>(rec, { ...DEFAULT_LIMITS, ...limits });
  return { r: new TcpReassembler('a', pool), rec, pool };
}

/** Feed `text` at `seq` through a sub-view, then scribble over the view (it is dead after the call). */
function seg(r: TcpReassembler<string>, seq: number, text: string, ts = 1): void {
  const v = subView(text);
  r.data(seq >>> 0, v, ts);
  v.fill(0x3f);
}

test('seqDiff: signed distance modulo 2^32', () => {
  assert.equal(seqDiff(5, 3), 2);
  assert.equal(seqDiff(3, 5), -2);
  assert.equal(seqDiff(2, 0xfffffffe), 4); // across the wrap
  assert.equal(seqDiff(0xfffffffe, 2), -4);
});

test('reassembly: in-order data is delivered at once, SYN consumes one sequence number', () => {
  const { r, rec } = make();
  r.syn(1000);
  assert.equal(r.nextSeq, 1001);
  seg(r, 1001, 'hello ');
  seg(r, 1007, 'world');
  assert.deepEqual(rec.ev, ['D:hello ', 'D:world']);
  assert.equal(r.bufferedBytes, 0);
});

test('reassembly: retransmissions are dropped, partial overlaps with delivered bytes trimmed', () => {
  const { r, rec } = make();
  r.syn(0);
  seg(r, 1, 'abcd');
  seg(r, 1, 'abcd'); // full retransmission
  seg(r, 3, 'cdEF'); // first two bytes already delivered
  assert.equal(rec.text(), 'abcdEF');
});

test('reassembly: out-of-order segments are copied, buffered and delivered in order', () => {
  const { r, rec } = make();
  r.syn(99);
  seg(r, 106, 'ghi'); // ahead: buffered (its view is scribbled right after the call)
  seg(r, 103, 'def');
  assert.equal(rec.text(), '');
  assert.equal(r.bufferedSegments, 2);
  assert.equal(r.bufferedBytes, 6);
  seg(r, 100, 'abc'); // fills the hole
  assert.deepEqual(rec.ev, ['D:abc', 'D:def', 'D:ghi']);
  assert.equal(r.bufferedBytes, 0);
});

test('reassembly: overlap with different bytes keeps the first received and reports a mismatch', () => {
  const { r, rec } = make();
  r.syn(0);
  seg(r, 4, 'DEF'); // buffered first
  seg(r, 1, 'abcdxf'); // overlaps 4..6 with 'dxf' vs 'DEF'
  assert.ok(rec.ev.includes('X'));
  assert.equal(rec.text(), 'abcDEF');
});

test('reassembly: identical overlap is not a mismatch', () => {
  const { r, rec } = make();
  r.syn(0);
  seg(r, 4, 'def');
  seg(r, 1, 'abcdefgh');
  assert.ok(!rec.ev.includes('X'));
  assert.equal(rec.text(), 'abcdefgh');
});

test('reassembly: sequence numbers wrap around at 2^32', () => {
  const { r, rec } = make();
  r.syn(0xfffffffc); // next = 0xfffffffd
  seg(r, 0xfffffffd, 'abc'); // ends exactly at 2^32
  seg(r, 3, 'ghi'); // after the wrap, ahead: buffered
  seg(r, 0, 'def');
  assert.equal(rec.text(), 'abcdefghi');
  assert.equal(r.nextSeq, 6);
  seg(r, 0xfffffffe, 'bcd'); // old bytes from before the wrap: retransmission
  assert.equal(rec.text(), 'abcdefghi');
});

test('reassembly: segment-count pressure skips the oldest gap and resumes with buffered data', () => {
  const { r, rec } = make({ maxReassemblySegmentsPerDirection: 2 });
  r.syn(0);
  seg(r, 11, 'B'); // hole 1..10
  seg(r, 21, 'C');
  assert.deepEqual(rec.ev, []);
  seg(r, 31, 'D'); // third buffered segment: over the bound
  assert.deepEqual(rec.ev, ['G:10', 'D:B']);
  assert.equal(r.bufferedSegments, 2);
});

test('reassembly: byte pressure per direction skips gaps', () => {
  const { r, rec } = make({ maxReassemblyBytesPerDirection: 8 + OVH });
  r.syn(0);
  seg(r, 5, 'xxxxx'); // 5 bytes + one segment's overhead buffered, hole 1..4
  seg(r, 20, 'yyyyy'); // 10 bytes + two overheads > 8 + OVH: skip the first gap
  assert.deepEqual(rec.ev, ['G:4', 'D:xxxxx']);
  assert.equal(r.bufferedBytes, 5);
});

test('reassembly: the global budget skips gaps in the largest buffer first', () => {
  // a buffers one segment larger than b's two together, overheads included; relief goes down to 7/8 of the bound.
  const big = 'a'.repeat(OVH + 10);
  const max = 3 * OVH + 20;
  const { r: a, rec, pool } = make({ maxReassemblyBytesTotal: max });
  const b = new TcpReassembler('b', pool);
  a.syn(0);
  b.syn(0);
  seg(a, 3, big); // OVH + 10 bytes in a
  seg(b, 3, 'bbb'); // 3 in b
  assert.equal(pool.total, OVH + 13);
  assert.equal(pool.charged, 3 * OVH + 13);
  seg(b, 20, 'cc'); // charge now 4 * OVH + 15 > max: a is charged the most, its gap is skipped
  assert.deepEqual(rec.byTag.get('a'), ['G:2', 'D:' + big]);
  assert.equal(rec.byTag.get('b'), undefined);
  assert.equal(pool.total, 5);
  assert.equal(pool.charged, 5 + 2 * OVH);
  assert.ok(pool.charged <= max - Math.floor(max / 8));
});

test('reassembly: each buffered segment is charged its overhead, so one-byte segments hit the byte bound', () => {
  const { r, rec, pool } = make({ maxReassemblyBytesPerDirection: 3 * (1 + OVH) });
  r.syn(0);
  for (let k = 1; k <= 3; k++) seg(r, 2 * k, 'x'); // one-byte segments, each behind a one-byte hole
  assert.deepEqual(rec.ev, []);
  assert.equal(r.bufferedBytes, 3);
  assert.equal(r.chargedBytes, 3 + 3 * OVH);
  assert.equal(pool.charged, r.chargedBytes);
  seg(r, 8, 'y'); // a fourth: 4 + 4 overheads > bound, the oldest gap is skipped
  assert.deepEqual(rec.ev, ['G:1', 'D:x']);
  assert.equal(r.bufferedSegments, 3);
  assert.equal(pool.charged, 3 + 3 * OVH);
  r.release();
  assert.equal(pool.charged, 0);
});

test('reassembly: global relief goes down to 7/8 of the bound, so it does not run again on the next segment', () => {
  const unit = 1 + OVH; // one one-byte segment
  const { rec, pool } = make({ maxReassemblyBytesTotal: 10 * unit });
  const rs: TcpReassembler<string>[] = [];
  for (let k = 0; k < 12; k++) {
    const r = new TcpReassembler('r' + k, pool);
    r.syn(0);
    rs.push(r);
  }
  for (let k = 0; k < 10; k++) seg(rs[k], 5, 'z'); // ten holders, exactly at the bound
  assert.deepEqual(rec.ev, []);
  seg(rs[10], 5, 'z'); // eleventh: over; equal charges, so the oldest holders go first
  const low = 10 * unit - Math.floor((10 * unit) / 8);
  assert.ok(pool.charged <= low);
  assert.equal(pool.holders.size, 8);
  assert.deepEqual(rec.byTag.get('r0'), ['G:4', 'D:z']);
  assert.deepEqual(rec.byTag.get('r2'), ['G:4', 'D:z']);
  assert.equal(rec.byTag.get('r3'), undefined);
  const before = rec.ev.length;
  seg(rs[11], 5, 'z'); // still under the bound: no relief
  assert.equal(rec.ev.length, before);
  assert.equal(pool.holders.size, 9);
});

test('reassembly: an ack beyond unseen bytes skips them (capture loss), FIN octet excluded', () => {
  const { r, rec } = make();
  r.syn(0);
  seg(r, 1, 'abc');
  r.ack(10, 2); // bytes 4..9 never seen, acknowledged by the peer
  assert.deepEqual(rec.ev, ['D:abc', 'G:6']);
  r.fin(10, 3);
  r.ack(11, 3); // ack of the FIN octet: no gap
  assert.deepEqual(rec.ev, ['D:abc', 'G:6']);
});

test('reassembly: ack delivers buffered data on the way', () => {
  const { r, rec } = make();
  r.syn(0);
  seg(r, 5, 'efg');
  r.ack(8, 2);
  assert.deepEqual(rec.ev, ['G:4', 'D:efg']);
});

test('reassembly: start fixes where the stream begins; a gap later in the stream waits for an ack (Zeek relative seq 1)', () => {
  const { r, rec } = make();
  r.start(5000); // e.g. the peer's first acknowledgement
  r.start(7000); // no effect once started
  assert.equal(r.nextSeq, 5000);
  seg(r, 5000, 'abcd');
  seg(r, 5008, 'late'); // 5004..5007 never seen: buffered, not delivered
  assert.deepEqual(rec.ev, ['D:abcd']);
  r.ack(5012, 2);
  assert.deepEqual(rec.ev, ['D:abcd', 'G:4', 'D:late']);
});

test('reassembly: without the SYN, the first data segment beyond the estimated start is delivered at once', () => {
  // qut-dnp3 Injection attacker.pcap, 192.168.10.221:55076 → :20000: the first packet is an injected
  // "outstation" segment acknowledging 3497286667 (stale); the master's first segment starts at
  // 3497286682 and nothing ever fills or acknowledges the 15 octets in between.
  const { r, rec } = make();
  r.start(3497286667); // the peer's first acknowledgement
  seg(r, 3497286682, 'confirm-1');
  seg(r, 3497286691, 'confirm-2');
  assert.deepEqual(rec.ev, ['G:15', 'D:confirm-1', 'D:confirm-2']);
  seg(r, 3497286667, 'fifteen-octets!'); // arrives after the move: old, dropped
  assert.equal(rec.text(), 'confirm-1confirm-2');
});

test('reassembly: a start anchored by the SYN still waits for the missing first bytes', () => {
  const { r, rec } = make();
  r.syn(99);
  seg(r, 104, 'efg'); // 100..103 missing: buffered
  assert.deepEqual(rec.ev, []);
  seg(r, 100, 'abcd');
  assert.deepEqual(rec.ev, ['D:abcd', 'D:efg']);
});

test('reassembly: a segment more than a maximum window (2^30) ahead is dropped, not buffered', () => {
  // qut-dnp3 Attacks attacker.pcap, 192.168.10.221:60359 → :20000 frame 314754: an injected segment whose
  // sequence number (1228387893) belongs to the other direction, 2068575529 octets ahead of the stream.
  const { r, rec, pool } = make();
  r.syn(3454779645);
  seg(r, 3454779646, 'read-1');
  seg(r, 1228387893, 'injected');
  assert.equal(pool.total, 0);
  seg(r, 3454779652, 'read-2');
  assert.deepEqual(rec.ev, ['D:read-1', 'D:read-2']);
  seg(r, (3454779658 + (1 << 30)) >>> 0, 'edge'); // exactly 2^30 ahead: still inside, buffered
  assert.equal(pool.total, 4);
});

test('reassembly: mid-stream pickup starts at the first data segment', () => {
  const { r, rec } = make();
  r.ack(5000, 1); // nothing started yet: ignored
  seg(r, 123456, 'mid');
  seg(r, 123459, 'stream');
  assert.deepEqual(rec.ev, ['D:mid', 'D:stream']);
});

test('reassembly: data after the FIN is ignored, data on the SYN is delivered', () => {
  const { r, rec } = make();
  r.syn(10);
  seg(r, 11, 'syn-data'); // data carried by the SYN starts at seq + 1
  r.fin(19, 2);
  seg(r, 19, 'late');
  assert.equal(rec.text(), 'syn-data');
});

test('reassembly: release (end of flow) drops data behind a gap without delivering or reporting it', () => {
  const { r, rec, pool } = make();
  r.syn(0);
  seg(r, 50, 'zzz');
  assert.equal(pool.total, 3);
  r.release();
  assert.equal(pool.total, 0);
  assert.equal(pool.charged, 0);
  assert.equal(pool.holders.size, 0);
  assert.deepEqual(rec.ev, []);
});
