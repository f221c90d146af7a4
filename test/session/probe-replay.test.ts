import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LIMITS } from '../../src/config/limits.js';
import { createProtocolAnalyzers } from '../../src/protocols/registry.js';
import { SessionTable } from '../../src/session/flow-table.js';
import { Feeder, MemorySink } from './packets.js';

// Real Modbus/TCP analyzer behind the session table, fed hand-made segments (client C → PLC S:502).
const C = '10.1.1.5';
const S = '10.1.1.9';
const CP = 50200;

/** Write Single Register request (Modbus AP V1.1b3 §6.6) as an MBAP ADU: tid, protocol id, length 6, unit 1, fc 6, address, value. */
function writeReq(tid: number, address: number, value: number, protocolId = 0): Uint8Array {
  return Uint8Array.from([tid >> 8, tid & 0xff, protocolId >> 8, protocolId & 0xff, 0, 6, 1, 6, address >> 8, address & 0xff, value >> 8, value & 0xff]);
}
/** Its echo response. */
const writeResp = (tid: number, address: number, value: number): Uint8Array => writeReq(tid, address, value);

function run(feed: (f: Feeder) => void): MemorySink {
  const sink = new MemorySink();
  const table = new SessionTable({ limits: DEFAULT_LIMITS, analyzers: createProtocolAnalyzers(), sink });
  const f = new Feeder(table);
  f.tcp(1, C, CP, S, 502, 'S', 1000, 0);
  f.tcp(1.01, S, 502, C, CP, 'SA', 5000, 1001);
  f.tcp(1.02, C, CP, S, 502, 'A', 1001, 5001);
  feed(f);
  table.finish(100);
  return sink;
}

const requests = (sink: MemorySink): number[] => sink.of('modbus').filter((r) => r.pdu_type === 'REQ').map((r) => r.tid as number);

test('a first request cut into one-byte segments, or header and body apart, is recognised and every write logged', () => {
  const bytewise = run((f) => {
    let seq = 1001;
    let ts = 2;
    for (let tid = 1; tid <= 5; tid++) {
      for (const b of writeReq(tid, 100, tid)) f.tcp((ts += 0.001), C, CP, S, 502, 'PA', seq++, 5001, { data: Uint8Array.of(b) });
    }
  });
  assert.deepEqual(requests(bytewise), [1, 2, 3, 4, 5]);
  assert.equal(bytewise.conn(CP).service, 'modbus');

  const split = run((f) => {
    let seq = 1001;
    let ts = 2;
    for (let tid = 1; tid <= 5; tid++) {
      const adu = writeReq(tid, 100, tid);
      f.tcp((ts += 0.01), C, CP, S, 502, 'PA', seq, 5001, { data: adu.subarray(0, 7) }); // MBAP header alone
      f.tcp((ts += 0.01), C, CP, S, 502, 'PA', seq + 7, 5001, { data: adu.subarray(7) }); // the PDU
      seq += adu.length;
    }
  });
  assert.deepEqual(requests(split), [1, 2, 3, 4, 5]);
});

test('requests sent before the server first answers are replayed when the answer confirms Modbus; a bad first request is a weird', () => {
  const sink = run((f) => {
    let seq = 1001;
    f.tcp(2, C, CP, S, 502, 'PA', seq, 5001, { data: writeReq(9, 100, 1, 1) }); // protocol id 1: not Modbus
    seq += 12;
    for (let tid = 1; tid <= 4; tid++) {
      f.tcp(2 + tid * 0.01, C, CP, S, 502, 'PA', seq, 5001, { data: writeReq(tid, 100, tid) });
      seq += 12;
    }
    let sseq = 5001;
    for (let tid = 1; tid <= 4; tid++) {
      f.tcp(3 + tid * 0.01, S, 502, C, CP, 'PA', sseq, seq, { data: writeResp(tid, 100, tid) });
      sseq += 12;
    }
  });
  assert.deepEqual(requests(sink), [1, 2, 3, 4]);
  assert.ok(sink.of('modbus_detailed').every((r) => r.matched === true), 'requests and responses pair');
  assert.ok(sink.of('weird').some((w) => w.name === 'session.unrecognized_prefix' || w.name === 'modbus.invalid_protocol_id'));
});

test('a one-way capture with a lost segment: the writes behind the hole are delivered at flow end with a content gap', () => {
  const sink = run((f) => {
    let seq = 1001;
    for (let tid = 1; tid <= 10; tid++) {
      if (tid !== 4) f.tcp(2 + tid * 0.1, C, CP, S, 502, 'PA', seq, 5001, { data: writeReq(tid, 100, tid) });
      seq += 12;
    }
  });
  assert.deepEqual(requests(sink), [1, 2, 3, 5, 6, 7, 8, 9, 10]);
  const gap = sink.of('weird').find((w) => w.name === 'tcp.content_gap');
  assert.match(String(gap?.addl), /^orig 12 bytes \(at flow end\)$/);
  assert.equal(sink.conn(CP).missed_bytes, 0, 'conn.log as Zeek writes it');
});

test('a first segment longer than the probe buffer reaches the analyzer whole', () => {
  const sink = run((f) => {
    const big = new Uint8Array(100 * 12);
    for (let i = 0; i < 100; i++) big.set(writeReq(i + 1, 100, i), i * 12); // 1,200 bytes > PROBE_BUFFER_BYTES
    f.tcp(2, C, CP, S, 502, 'PA', 1001, 5001, { data: big });
    f.tcp(3, C, CP, S, 502, 'PA', 2201, 5001, { data: writeReq(101, 100, 1) });
  });
  assert.deepEqual(requests(sink), Array.from({ length: 101 }, (_, i) => i + 1));
  assert.deepEqual(sink.of('weird').map((w) => w.name), []);
});

test('bytes a direction sent beyond the buffer before the flow was recognised are a gap, then parsing resumes', () => {
  const sink = run((f) => {
    // 600 bytes of junk from the client (not Modbus: protocol id 0xffff), one byte more than the buffer keeps…
    f.tcp(2, C, CP, S, 502, 'PA', 1001, 5001, { data: new Uint8Array(600).fill(0xff) });
    // … then the server's first answer confirms Modbus; the client's later request is parsed.
    f.tcp(3, S, 502, C, CP, 'PA', 5001, 1601, { data: writeResp(7, 100, 1) });
    f.tcp(4, C, CP, S, 502, 'PA', 1601, 5013, { data: writeReq(8, 100, 2) });
  });
  assert.deepEqual(requests(sink), [8]);
  assert.ok(sink.of('modbus').some((r) => r.pdu_type === 'RESP' && r.tid === 7));
});
