import assert from 'node:assert/strict';
import { test } from 'node:test';
import { S7commAnalyzer } from '../../../src/protocols/s7comm/analyzer.js';
import { FIRST_CARRY_BYTES, RETAINED_CARRY_BYTES } from '../../../src/protocols/s7comm/carry.js';
import { FakeFlowContext } from '../modbus/fake-context.js';
import {
  ACK_ERROR, hex, noisy, PLC_CONTROL_JOB, PLUS_REQUEST, SETUP_ACK, SETUP_JOB, START_UPLOAD_ACK, START_UPLOAD_JOB, SZL_1C_FIRST,
  SZL_1C_LAST, SZL_1C_NEXT_REQUEST, SZL_REQUEST,
} from './fixtures.js';

const ID = { orig_h: '10.0.0.1', orig_p: 50000, resp_h: '10.0.0.2', resp_p: 102, proto: 'tcp' as const };

function setup(): { ctx: FakeFlowContext; a: S7commAnalyzer } {
  const ctx = new FakeFlowContext('CS7', ID);
  return { ctx, a: new S7commAnalyzer(ctx) };
}

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

test('analyzer: job and ack rows, cotp rows, services confirmed once', () => {
  const { ctx, a } = setup();
  a.deliver(true, noisy(SETUP_JOB), 1);
  a.deliver(false, noisy(SETUP_ACK), 2);
  a.deliver(true, noisy(SETUP_JOB), 3);
  assert.deepEqual(ctx.services, ['cotp', 's7comm']);
  assert.equal(ctx.stream('cotp').length, 3);
  const [job, ack] = ctx.stream('s7comm');
  assert.deepEqual(
    { ...job },
    {
      ts: 1, uid: 'CS7', 'id.orig_h': '10.0.0.1', 'id.orig_p': 50000, 'id.resp_h': '10.0.0.2', 'id.resp_p': 102, is_orig: true,
      source_h: '10.0.0.1', source_p: 50000, destination_h: '10.0.0.2', destination_p: 102, rosctr_code: 1, rosctr_name: 'Job-Request',
      pdu_reference: 0, function_code: '0xf0', function_name: 'Setup Communication', subfunction_code: null, subfunction_name: null,
      error_class: null, error_code: null,
    },
  );
  assert.equal(ack.source_h, '10.0.0.2');
  assert.deepEqual([ack.error_class, ack.error_code], ['No error', '0x00']);
  assert.deepEqual(ctx.anomalies, []);
});

test('analyzer: PDUs split byte by byte and several per segment give the same rows', () => {
  const whole = setup();
  const stream = concat(SETUP_JOB, SZL_REQUEST, PLC_CONTROL_JOB);
  whole.a.deliver(true, stream, 1);
  const split = setup();
  for (let i = 0; i < stream.length; i++) split.a.deliver(true, noisy(stream.subarray(i, i + 1)), 1);
  assert.deepEqual(split.ctx.records, whole.ctx.records);
  assert.equal(whole.ctx.stream('s7comm').length, 3);
  const plc = whole.ctx.stream('s7comm')[2];
  assert.deepEqual([plc.subfunction_code, plc.subfunction_name], ['_MODU', 'PLC Copy Ram to Rom']);
});

test('analyzer: Read SZL rows; a fragmented 0x001c response is one row at its last fragment and fills known devices', () => {
  const { ctx, a } = setup();
  a.deliver(true, SZL_REQUEST, 1);
  a.deliver(false, noisy(SZL_1C_FIRST), 2);
  a.deliver(true, SZL_1C_NEXT_REQUEST, 3);
  a.deliver(false, noisy(SZL_1C_LAST), 4);
  a.end(9);
  const szl = ctx.stream('s7comm_read_szl');
  assert.deepEqual(
    szl.map((r) => [r.ts, r.pdu_reference, r.method, r.szl_id, r.szl_id_name, r.szl_index, r.return_code, r.return_code_name]),
    [
      [1, 256, 'Request', '0x0011', 'Module identification', '0x0000', '0xff', 'Success'],
      [4, 768, 'Response', '0x001c', 'Component Identification', '0x0000', '0xff', 'Success'],
    ],
  );
  const [dev] = ctx.stream('s7comm_known_devices');
  assert.deepEqual(
    [dev.ts, dev.automation_system_name, dev.module_name, dev.plant_name, dev.module_serial, dev.module_type_name],
    [4, 'S7300/ET200M station_1', 'PLC_1', '', 'S C-B1U393142011', 'CPU 315-2 PN/DP'],
    'stamped with the flow\u2019s last delivery, not the (possibly much later) time the flow was ended',
  );
  assert.equal(ctx.stream('s7comm').length, 4);
});

test('analyzer: upload rows with file name parts, session and block length', () => {
  const { ctx, a } = setup();
  a.deliver(true, START_UPLOAD_JOB, 1);
  a.deliver(false, START_UPLOAD_ACK, 2);
  const [job, ack] = ctx.stream('s7comm_upload_download');
  assert.deepEqual(
    [job.rosctr, job.pdu_reference, job.function_name, job.function_status, job.session_id, job.blocklength, job.filename, job.block_type, job.block_number, job.destination_filesystem],
    ['Job-Request', 0x0800, 'Start Upload', '0x00', 0, null, '_0B00000A', 'System Data Block', '00000', 'Active'],
  );
  assert.deepEqual([ack.rosctr, ack.session_id, ack.blocklength, ack.filename], ['ACK-Data', 7, 216, null]);
});

test('analyzer: S7comm-plus header row and service', () => {
  const { ctx, a } = setup();
  a.deliver(true, noisy(PLUS_REQUEST), 1);
  assert.deepEqual(ctx.services, ['cotp', 's7comm-plus']);
  const [r] = ctx.stream('s7comm_plus');
  assert.deepEqual([r.version, r.opcode, r.opcode_name, r.function_code, r.function_name], [3, '0x31', 'Request', '0x04f2', 'Set Variable']);
});

test('analyzer: COTP DT fragments are joined into one S7 PDU', () => {
  const { ctx, a } = setup();
  // SETUP_JOB's S7 PDU (18 bytes) in two DT TPDUs: 8 bytes without EOT, then 10 bytes with EOT.
  const pdu = SETUP_JOB.subarray(7);
  const first = concat(hex('03 00 00 0f  02 f0 00'), pdu.subarray(0, 8)); // TPKT 15, DT without EOT
  const second = concat(hex('03 00 00 11  02 f0 80'), pdu.subarray(8)); // TPKT 17, DT with EOT
  a.deliver(true, concat(first, second), 1);
  assert.equal(ctx.stream('cotp').length, 2);
  const rows = ctx.stream('s7comm');
  assert.equal(rows.length, 1);
  assert.equal(rows[0].function_name, 'Setup Communication');
});

test('analyzer: mid-stream start and garbage resync at the next TPKT; gap resets framing', () => {
  const { ctx, a } = setup();
  a.deliver(true, concat(SZL_REQUEST.subarray(20), SETUP_JOB), 1); // the tail of a PDU, then a whole one
  assert.equal(ctx.stream('s7comm').length, 1);
  a.deliver(true, SETUP_JOB.subarray(0, 10), 2);
  a.gap(true, 100, 3);
  a.deliver(true, concat(hex('ff ff ff'), SZL_REQUEST), 4);
  assert.deepEqual(ctx.stream('s7comm').map((r) => r.function_code), ['0xf0', '0x44']);
  assert.deepEqual(ctx.anomalies, []);
});

test('analyzer: bad TPKT, bad COTP and oversized packets become anomalies, never throws', () => {
  const ctx = new FakeFlowContext('CS7a', ID, { maxAnalyzerBufferBytes: 1024 });
  const a = new S7commAnalyzer(ctx);
  a.deliver(true, SETUP_JOB, 1);
  a.deliver(true, hex('03 00 00 07  00 f0 80'), 2); // COTP LI 0
  a.deliver(true, hex('03 00 ff ff'), 3); // 65535-byte packet: past the 1024-byte bound, skipped
  a.deliver(true, new Uint8Array(65531), 4); // its body
  a.deliver(true, SETUP_JOB, 5); // framing goes on after it
  assert.equal(ctx.stream('s7comm').length, 2);
  const small = new FakeFlowContext('CS7b', ID, { maxAnalyzerBufferBytes: 64 });
  const b = new S7commAnalyzer(small);
  b.deliver(true, hex('03 00 01 00  02 f0 80 32'), 1);
  b.deliver(false, hex('03 00 00 0b  02 f0 80  32 01 00 00'), 2); // S7 header cut short
  b.deliver(false, hex('03 00 00 0a  02 f0 80  99 00 00'), 3); // unknown protocol id
  assert.deepEqual(ctx.anomalyNames(), ['s7comm.cotp_invalid', 's7comm.tpkt_too_long']);
  assert.deepEqual(small.anomalyNames(), ['s7comm.tpkt_too_long', 's7comm.truncated_header', 's7comm.unknown_protocol_id']);
});

test('analyzer: Ack with error and no parameter is logged with its class and code', () => {
  const { ctx, a } = setup();
  a.deliver(false, ACK_ERROR, 1);
  const [r] = ctx.stream('s7comm');
  assert.deepEqual([r.rosctr_code, r.rosctr_name, r.pdu_reference, r.function_code, r.error_class, r.error_code], [2, 'ACK', 0x1500, null, 'Unknown error class-0xd2', '0x0c']);
});

test('analyzer: mutated and randomly cut streams never throw and keep every buffer bounded', () => {
  const stream = concat(SETUP_JOB, SETUP_ACK, SZL_REQUEST, SZL_1C_FIRST, SZL_1C_NEXT_REQUEST, SZL_1C_LAST, START_UPLOAD_JOB, START_UPLOAD_ACK, PLC_CONTROL_JOB, ACK_ERROR, PLUS_REQUEST);
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  let rows = 0;
  for (let round = 0; round < 300; round++) {
    const b = stream.slice();
    for (let k = 0; k < 1 + rnd(8); k++) b[rnd(b.length)] = rnd(256);
    const ctx = new FakeFlowContext('CFuzz', ID, { maxAnalyzerBufferBytes: 512 });
    const a = new S7commAnalyzer(ctx);
    for (let off = 0; off < b.length; ) {
      const n = 1 + rnd(64);
      a.deliver(rnd(2) === 0, noisy(b.subarray(off, off + n)), round);
      if (rnd(20) === 0) a.gap(rnd(2) === 0, 10, round);
      off += n;
    }
    a.end(round + 1);
    rows += ctx.records.length;
  }
  assert.ok(rows > 0);
});

/** A TPKT + COTP DT packet of `len` bytes (EOT set or not) carrying a Job whose parameter fills it: function 0x04 Read Var. */
function bigJob(len: number, eot = true): Uint8Array {
  const b = new Uint8Array(len);
  b.set(hex(`
    03 00  // TPKT: version 3, reserved
  `));
  b[2] = len >> 8; // TPKT length, big-endian
  b[3] = len & 0xff;
  b.set(hex(`02 f0`), 4); // COTP: LI 2, DT
  b[6] = eot ? 0x80 : 0x00; // EOT flag, TPDU-NR 0
  b.set(hex(`32 01 00 00 00 05`), 7); // S7: Job, redundancy id, PDU reference 5
  const param = len - 17;
  b[13] = param >> 8; // parameter length, big-endian
  b[14] = param & 0xff;
  b.set(hex(`00 00  04`), 15); // data length 0; function 0x04 Read Var (rest of the parameter zeros)
  return b;
}

test('analyzer: a header declaring 64 KiB followed by 3 bytes holds a small buffer, not the declared length', () => {
  const { ctx, a } = setup();
  a.deliver(true, SETUP_JOB, 1);
  a.deliver(false, SETUP_ACK, 1);
  assert.equal(a.bufferedBytes, 0, 'whole packets in one delivery are parsed in place');
  for (const side of [true, false]) {
    a.deliver(side, hex('03 00 00 0b  02 f0 00  32 01 00 00'), 2); // DT without EOT: a 4-byte TSDU start is held
    a.deliver(side, hex('03 00 ff ff  02 f0 00'), 3); // TPKT declaring 65535 bytes, then 3 bytes of it
  }
  assert.ok(a.bufferedBytes <= 4 * FIRST_CARRY_BYTES, `${a.bufferedBytes} bytes held`);
  assert.deepEqual(ctx.anomalies, []);
});

test('analyzer: carried packets and TSDUs grow with the bytes that arrive and large storage is released when they complete', () => {
  const { ctx, a } = setup();
  a.deliver(true, SETUP_JOB, 1);
  const pkt = bigJob(5000);
  for (let off = 0; off < pkt.length; off += 1000) {
    a.deliver(true, noisy(pkt.subarray(off, off + 1000)), 2);
    if (off + 1000 < pkt.length) assert.ok(a.bufferedBytes <= 2 * (off + 1000), `${a.bufferedBytes} bytes held after ${off + 1000}`);
  }
  assert.ok(a.bufferedBytes <= RETAINED_CARRY_BYTES, 'released after the packet completed');
  // One TSDU in three 3000-byte DT fragments (EOT on the last): S7 PDU of 3 × 2993 bytes.
  const pdu = bigJob(7 + 3 * 2993).subarray(7);
  for (let i = 0; i < 3; i++) {
    const frag = concat(hex('03 00 0b b8  02 f0'), Uint8Array.of(i === 2 ? 0x80 : 0x00), pdu.subarray(i * 2993, (i + 1) * 2993)); // TPKT 3000, DT
    a.deliver(true, frag, 3);
    if (i < 2) assert.ok(a.bufferedBytes >= (i + 1) * 2993, 'the TSDU so far is held');
  }
  assert.ok(a.bufferedBytes <= RETAINED_CARRY_BYTES, 'released after the TSDU completed');
  assert.deepEqual(ctx.stream('s7comm').map((r) => [r.pdu_reference, r.function_code]), [[0, '0xf0'], [5, '0x04'], [5, '0x04']]);
  assert.deepEqual(ctx.anomalies, []);
});

test('analyzer: resync scans deliveries in place, keeping at most 5 bytes, and finds a header split across deliveries', () => {
  const { ctx, a } = setup();
  const junk = new Uint8Array(20000).fill(0x55);
  a.deliver(true, junk, 1);
  assert.ok(a.bufferedBytes <= FIRST_CARRY_BYTES, `${a.bufferedBytes} bytes held while scanning`);
  // Garbage, then SETUP_JOB cut inside its TPKT header, then cut inside its COTP header.
  a.deliver(true, concat(hex('ff 03 00'), SETUP_JOB.subarray(0, 3)), 2);
  a.deliver(true, SETUP_JOB.subarray(3, 5), 3);
  a.deliver(true, SETUP_JOB.subarray(5), 4);
  assert.deepEqual(ctx.stream('s7comm').map((r) => [r.ts, r.function_code]), [[4, '0xf0']]);
  assert.deepEqual(ctx.anomalies, []);
});

/** Wire bytes with ESC, CR LF, quote, backslash, U+202E (UTF-8) and bytes that make the whole invalid UTF-8. */
const EVIL = concat(
  new TextEncoder().encode('_0A\x1b[31mRED\x1b[0m\r\n"q"\\\u202egpj.exe'),
  hex('ff fe c3 28'), // invalid UTF-8: 0xff, 0xfe, 0xc3 without a continuation byte
);
/** EVIL rendered as Zeek writes it: control bytes, backslash and (the whole being invalid UTF-8) every byte ≥ 0x80 escaped. */
const EVIL_TEXT = '_0A\\x1b[31mRED\\x1b[0m\\x0d\\x0a"q"\\\\\\xe2\\x80\\xaegpj.exe\\xff\\xfe\\xc3(';

/** A Job packet: TPKT + COTP DT (EOT) + S7 header (PDU reference 9) + `param`. */
function job(param: Uint8Array): Uint8Array {
  const s7 = concat(hex('32 01 00 00 00 09'), Uint8Array.of(param.length >> 8, param.length & 0xff, 0, 0), param); // Job, ref 9, param length, data length 0
  return concat(Uint8Array.of(3, 0, (s7.length + 7) >> 8, (s7.length + 7) & 0xff), hex('02 f0 80'), s7); // TPKT, COTP DT EOT
}

test('analyzer: file names and PI service names are rendered with the shared Zeek escaping', () => {
  const { ctx, a } = setup();
  // Start Upload: function 0x1d, status 0, 2 unknown bytes, session id 7, file name length, name.
  a.deliver(true, noisy(job(concat(hex('1d 00 00 00 00 00 00 07'), Uint8Array.of(EVIL.length), EVIL))), 1);
  // PLC Control: function 0x28, 7 unknown bytes, parameter block length 0, service name length, name.
  a.deliver(true, noisy(job(concat(hex('28 00 00 00 00 00 00 fd 00 00'), Uint8Array.of(EVIL.length), EVIL))), 2);
  // A valid UTF-8 name keeps its characters: "_0A" + "é" (2 bytes) + "00012P"; the parts are byte ranges.
  const utf8 = new TextEncoder().encode('_0A\u00e900012P');
  a.deliver(true, job(concat(hex('1d 00 00 00 00 00 00 08'), Uint8Array.of(utf8.length), utf8)), 3);
  const [evil, plain] = ctx.stream('s7comm_upload_download');
  assert.deepEqual(
    [evil.filename, evil.block_type, evil.block_number, evil.destination_filesystem],
    [EVIL_TEXT, 'Data Block', '\\x1b[31m', 'Unknown'],
  );
  assert.deepEqual([plain.filename, plain.block_type, plain.block_number, plain.destination_filesystem], ['_0A\u00e900012P', 'Data Block', '\u00e9000', 'Unknown']);
  const plc = ctx.stream('s7comm')[1];
  assert.deepEqual([plc.subfunction_code, plc.subfunction_name], [EVIL_TEXT, 'unknown']);
  const small = new FakeFlowContext('CS7s', ID, { maxStringLength: 6 });
  new S7commAnalyzer(small).deliver(true, job(concat(hex('1d 00 00 00 00 00 00 07'), Uint8Array.of(EVIL.length), EVIL)), 1);
  assert.equal(small.stream('s7comm_upload_download')[0].filename, '_0A', 'cut at maxStringLength before an escape');
});
