import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { PollScript } from '../../src/sim/modbus/poll-script.js';
import { RegisterBank } from '../../src/sim/modbus/register-bank.js';
import { RequestListScript, type TimedRequest } from '../../src/sim/modbus/request-list-script.js';
import { ModbusServer } from '../../src/sim/modbus/server.js';
import { type ModbusAduObserver, ModbusTcpSession, type SessionClose } from '../../src/sim/modbus/session.js';
import { FrameBuilder } from '../../src/sim/net/frame-builder.js';
import type { FrameSink } from '../../src/sim/net/frame-sink.js';
import { createHost } from '../../src/sim/net/host.js';
import { Prng } from '../../src/sim/random.js';
import { Scheduler } from '../../src/sim/scheduler.js';
import { haveTshark, tsharkFields, tsharkProblems } from './tshark.js';
import { parseFrame, Recorder, replayTcp } from './wire.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-sim-mb-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Seen {
  frame: number;
  tid: number;
  unit: number;
  fc: number;
  fromClient: boolean;
}

class Log implements ModbusAduObserver {
  readonly seen: Seen[] = [];
  adu(frame: number, _ts: number, adu: Uint8Array, off: number, _len: number, fromClient: boolean): void {
    this.seen.push({ frame, tid: (adu[off] << 8) | adu[off + 1], unit: adu[off + 6], fc: adu[off + 7], fromClient });
  }
}

function session(sink: FrameSink, items: TimedRequest[], close: SessionClose, firstTid = 0xfffe) {
  const rng = new Prng(11);
  const fb = new FrameBuilder(sink);
  const cli = createHost({ name: 'hmi', mac: '00:1b:1b:00:00:01', ip: '10.10.2.21', stack: 'linux' }, rng);
  const srv = createHost({ name: 'plc', mac: '00:80:f4:00:00:02', ip: '10.10.2.11', stack: 'embedded' }, rng);
  const bank = new RegisterBank({ coils: 64, discreteInputs: 16, inputRegisters: 16, holdingRegisters: 128 });
  for (let i = 0; i < 128; i++) bank.holdingRegisters[i] = i * 3;
  const plc = new ModbusServer(bank, { vendorName: 'ABB', productCode: 'PM5650-2ETH', revision: '3.4.1' }, null);
  const log = new Log();
  const s = new ModbusTcpSession(fb, cli, srv, plc, new RequestListScript(items), rng, {
    connectTs: 1000,
    clientPort: 40001,
    firstTid,
    close,
    observer: log,
  });
  const sched = new Scheduler();
  sched.add(s);
  sched.run(2000);
  return { s, log, fb, bank };
}

const ALL: TimedRequest[] = [
  { ts: 1000.1, request: { fc: 3, unit: 1, address: 10, quantity: 4 } },
  { ts: 1000.11, request: { fc: 4, unit: 1, address: 0, quantity: 2 } },
  { ts: 1000.5, request: { fc: 1, unit: 1, address: 3, quantity: 13 } },
  { ts: 1000.6, request: { fc: 5, unit: 1, address: 7, value: 0xff00 } },
  { ts: 1000.7, request: { fc: 6, unit: 1, address: 101, value: 80 } },
  { ts: 1000.8, request: { fc: 15, unit: 1, address: 20, values: [1, 0, 1, 1, 0, 0, 1, 1, 1] } },
  { ts: 1000.9, request: { fc: 16, unit: 1, address: 100, values: [450, 65535] } },
  { ts: 1001.0, request: { fc: 43, unit: 1, code: 1, objectId: 0 } },
  { ts: 1001.1, request: { fc: 3, unit: 1, address: 4000, quantity: 10 } },
  { ts: 1001.2, request: { fc: 16, unit: 1, address: 0, values: [] } },
  { ts: 1001.3, request: { fc: 43, unit: 1, code: 4, objectId: 7 } },
];

test('session: every request answered, transaction ids wrap, delayed ACK only when the next request is far', () => {
  const rec = new Recorder();
  const { s, log, bank } = session(rec, ALL, 'fin');
  assert.equal(s.requests, ALL.length);
  assert.equal(s.responses, ALL.length);
  assert.equal(s.nextTs, Infinity);
  assert.deepEqual(
    log.seen.filter((x) => x.fromClient).map((x) => x.tid),
    [0xfffe, 0xffff, 0, 1, 2, 3, 4, 5, 6, 7, 8],
  );
  for (let i = 0; i < log.seen.length; i += 2) assert.equal(log.seen[i].tid, log.seen[i + 1].tid, 'response echoes the tid');
  assert.deepEqual(Array.from(bank.holdingRegisters.subarray(100, 102)), [450, 65535]);
  const parsed = rec.frames.map((f) => parseFrame(f.data));
  const { pureAcks } = replayTcp(parsed, '10.10.2.21');
  // request 2 follows request 1 within 40 ms (no pure ACK between), the rest are 100 ms+ apart
  const first = log.seen[1].frame; // response 1
  assert.ok(!pureAcks.includes(first), 'no delayed ACK after response 1: request 2 piggybacks it');
  assert.equal(parsed[first].tcp!.payload.length > 0, true, 'the frame after response 1 is request 2');
  assert.ok(pureAcks.length >= 9);
  const last = parsed[parsed.length - 1].tcp!;
  assert.equal(last.flags, 0x10, 'closes with FIN, FIN/ACK, ACK');
  assert.equal(parsed[parsed.length - 3].tcp!.flags, 0x11);
});

test('session close modes: RST ends with RST/ACK, none leaves the connection open', () => {
  const one: TimedRequest[] = [{ ts: 1000.2, request: { fc: 3, unit: 1, address: 0, quantity: 1 } }];
  const r1 = new Recorder();
  session(r1, one, 'rst');
  assert.equal(parseFrame(r1.frames[r1.frames.length - 1].data).tcp!.flags, 0x14);
  const r2 = new Recorder();
  const { s } = session(r2, one, 'none');
  assert.equal(s.conn.closed, false);
  assert.equal(s.nextTs, Infinity);
  assert.equal(r2.frames.length, 3 + 2 + 1, 'handshake, request, response, delayed ACK');
});

test('poll script: fixed-rate slots with jitter, late slots skipped, stops at endTs', () => {
  const p = new PollScript({ startTs: 10, intervalSec: 0.25, jitterSec: 0.002, endTs: 11, unit: 1, fc: 3, address: 0, quantity: 12 }, new Prng(3));
  const a = p.nextRequestTs(9);
  assert.ok(a >= 10 && a < 10.002);
  const b = p.nextRequestTs(10.1);
  assert.ok(b >= 10.25 && b < 10.252);
  const c = p.nextRequestTs(10.6);
  assert.ok(c >= 10.75 && c < 10.752, 'slot 10.5 was already past: skipped');
  assert.equal(p.nextRequestTs(10.9), Infinity, 'slot 11 is at endTs');
});

test('tshark decodes every function code as written (FC 1, 3, 4, 5, 6, 15, 16, 43/14, exceptions)', (t) => {
  if (!haveTshark()) {
    t.skip('tshark not installed');
    return;
  }
  const w = PcapWriter.toMemory({ linkType: 1 });
  const { log } = session(w, ALL, 'fin');
  w.close();
  const file = join(dir, 'all-fc.pcap');
  writeFileSync(file, w.bytes());
  assert.deepEqual(tsharkProblems(file), []);
  const rows = tsharkFields(file, 'mbtcp', [
    'frame.number',
    'mbtcp.trans_id',
    'mbtcp.unit_id',
    'modbus.func_code',
    'modbus.exception_code',
    'modbus.reference_num',
    'modbus.word_cnt',
    'modbus.bit_cnt',
    'modbus.byte_cnt',
    'modbus.regval_uint16',
    'modbus.object_str_value',
    'modbus.data',
  ]);
  assert.deepEqual(
    rows.map((r) => r.slice(0, 4).join('|')),
    log.seen.map((s) => [s.frame, s.tid, s.unit, s.fc & 0x7f].join('|')),
  );
  const byFrame = (i: number): string[] => rows[i].slice(4);
  // [exception, reference, word_cnt, bit_cnt, byte_cnt, regvals, strings, data]
  assert.deepEqual(byFrame(0), ['', '10', '4', '', '', '', '', '']);
  assert.deepEqual(byFrame(1), ['', '', '', '', '8', '30,33,36,39', '', '']);
  assert.deepEqual(byFrame(3).slice(4, 5), ['4']);
  assert.deepEqual(byFrame(4).slice(1, 4), ['3', '', '13']);
  assert.deepEqual(byFrame(5).slice(4, 5), ['2'], 'FC 1 response: 13 coils in 2 bytes');
  assert.deepEqual(byFrame(6).slice(1, 2), ['7'], 'FC 5 coil address');
  assert.deepEqual(byFrame(8).slice(1, 2), ['101'], 'FC 6 register');
  assert.deepEqual(byFrame(8).slice(7), ['0050'], 'FC 6 value 80');
  assert.deepEqual(byFrame(10).slice(1, 4), ['20', '', '9'], 'FC 15 start and coil count');
  assert.deepEqual(byFrame(10).slice(7), ['cd01'], 'FC 15 coils packed LSB first');
  assert.deepEqual(byFrame(12).slice(1, 3), ['100', '2'], 'FC 16 start and register count');
  assert.deepEqual(byFrame(12).slice(5, 6), ['450,65535']);
  assert.deepEqual(byFrame(15).slice(6, 7), ['ABB,PM5650-2ETH,3.4.1'], 'FC 43/14 objects');
  assert.equal(byFrame(17)[0], '2', 'FC 3 past the table: exception 2');
  assert.equal(byFrame(19)[0], '3', 'FC 16 with quantity 0: exception 3');
  assert.equal(byFrame(21)[0], '2', 'FC 43/14 unknown object: exception 2');
});
