import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { HEADER_BYTES, OVERSIZED_LENGTH_CAP, parseHeader, parsePdu, type ModbusPdu, type PduResult } from '../../../src/protocols/modbus/grammar.js';
import { FIXTURE_DIR, fixture, loadFixture, subView } from './fixtures.js';

/** Parse a whole ADU held at a non-zero byteOffset; entries named *request* are requests. */
function parseAdu(bytes: Uint8Array, isRequest: boolean): { header: ReturnType<typeof okHeader>; result: PduResult } {
  const view = subView(bytes);
  const header = okHeader(view);
  return { header, result: parsePdu(isRequest, header.fc, view, HEADER_BYTES, view.length) };
}

function okHeader(view: Uint8Array) {
  const hr = parseHeader(view, 0, view.length);
  assert.equal(hr.kind, 'ok');
  if (hr.kind !== 'ok') throw new Error('unreachable');
  assert.equal(hr.aduLength, view.length, 'MBAP length matches the fixture');
  return hr.header;
}

function pdu(file: string, name: string, isRequest = name.includes('request')): ModbusPdu {
  const { result } = parseAdu(fixture(file, name), isRequest);
  assert.equal(result.kind, 'ok', JSON.stringify(result));
  if (result.kind !== 'ok') throw new Error('unreachable');
  return result.pdu;
}

function malformedName(file: string, name: string, isRequest = name.includes('request')): string {
  const { result } = parseAdu(fixture(file, name), isRequest);
  assert.equal(result.kind, 'malformed');
  return result.kind === 'malformed' ? result.anomaly : '';
}

describe('MBAP header (Implementation Guide V1.0b §3.1.3)', () => {
  test('fields of a header in a sub-view', () => {
    const view = subView(fixture('fc03-read-holding-registers.hex', 'request'));
    const hr = parseHeader(view, 0, view.length);
    assert.deepEqual(hr, { kind: 'ok', header: { tid: 3, pid: 0, length: 6, unit: 17, fc: 3 }, aduLength: 12 });
  });

  test('incomplete headers ask for the missing bytes', () => {
    const b = fixture('fc03-read-holding-registers.hex', 'request');
    assert.deepEqual(parseHeader(b, 0, 3), { kind: 'incomplete', need: 5 });
    assert.deepEqual(parseHeader(b, 0, 7), { kind: 'incomplete', need: 1 });
  });

  test('protocol id other than 0 is malformed as soon as it is in', () => {
    const b = Uint8Array.from([0x00, 0x01, 0x00, 0x01]);
    assert.deepEqual(parseHeader(b, 0, 4), { kind: 'malformed', anomaly: 'modbus.invalid_protocol_id', detail: 'protocol id 1' });
  });

  test('length outside 2..254 is malformed', () => {
    for (const len of [0, 1, 255, 0x1234]) {
      const b = Uint8Array.from([0, 1, 0, 0, len >> 8, len & 0xff, 1, 3]);
      const hr = parseHeader(b, 0, b.length);
      assert.equal(hr.kind === 'malformed' && hr.anomaly, 'modbus.invalid_length', `length ${len}`);
    }
    for (const len of [2, 254]) {
      const b = Uint8Array.from([0, 1, 0, 0, len >> 8, len & 0xff, 1, 3]);
      assert.equal(parseHeader(b, 0, b.length).kind, 'ok', `length ${len}`);
    }
  });

  test('a caller that tolerates oversized ADUs gets lengths up to OVERSIZED_LENGTH_CAP, no more', () => {
    assert.equal(OVERSIZED_LENGTH_CAP, 1454);
    const big = new Uint8Array(20).fill(0xee);
    for (const [len, kind] of [
      [1, 'malformed'],
      [255, 'ok'],
      [OVERSIZED_LENGTH_CAP, 'ok'],
      [OVERSIZED_LENGTH_CAP + 1, 'malformed'],
      [0xffff, 'malformed'],
    ] as const) {
      // tid 1, protocol 0, length, unit 1, function 90 — at offset 5 of a larger buffer.
      big.set([0, 1, 0, 0, len >> 8, len & 0xff, 1, 0x5a], 5);
      const hr = parseHeader(big.subarray(5, 13), 0, 8, OVERSIZED_LENGTH_CAP);
      assert.equal(hr.kind, kind, `length ${len}`);
      if (hr.kind === 'ok') assert.equal(hr.aduLength, 6 + len);
    }
    const umas = subView(fixture('oversized.hex', 'umas-255'));
    assert.equal(parseHeader(umas, 0, umas.length).kind, 'malformed', 'the default stays the specification\'s 254');
  });
});

describe('every fixture ADU parses to its MBAP length', () => {
  for (const file of readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.hex') && f !== 'not-modbus.hex')) {
    test(file, () => {
      for (const [name, bytes] of loadFixture(file)) {
        const view = subView(bytes);
        const hr = parseHeader(view, 0, view.length, OVERSIZED_LENGTH_CAP);
        assert.equal(hr.kind === 'ok' && hr.aduLength, bytes.length, `${file} @ ${name}`);
      }
    });
  }
});

describe('requests and responses of every public function code (V1.1b3 §6)', () => {
  test('FC 1 Read Coils', () => {
    assert.deepEqual(pdu('fc01-read-coils.hex', 'request'), { kind: 'read_request', address: 0x13, quantity: 19 });
    const r = pdu('fc01-read-coils.hex', 'response');
    assert.equal(r.kind, 'bits');
    if (r.kind !== 'bits') return;
    assert.equal(r.byteCount, 3);
    // 0xCD = 1100 1101 → LSB first 1,0,1,1,0,0,1,1
    assert.deepEqual(r.bits.slice(0, 8), [1, 0, 1, 1, 0, 0, 1, 1]);
    assert.deepEqual(r.bits.slice(16), [1, 0, 1, 0, 0, 0, 0, 0]);
    assert.deepEqual(pdu('fc01-read-coils.hex', 'exception', false), { kind: 'exception', code: 2 });
  });

  test('FC 2 Read Discrete Inputs', () => {
    assert.deepEqual(pdu('fc02-read-discrete-inputs.hex', 'request'), { kind: 'read_request', address: 0xc4, quantity: 22 });
    const r = pdu('fc02-read-discrete-inputs.hex', 'response');
    assert.ok(r.kind === 'bits' && r.bits.length === 24);
  });

  test('FC 3 / FC 4 Read Holding / Input Registers', () => {
    assert.deepEqual(pdu('fc03-read-holding-registers.hex', 'request'), { kind: 'read_request', address: 0x6b, quantity: 3 });
    assert.deepEqual(pdu('fc03-read-holding-registers.hex', 'response'), { kind: 'registers', byteCount: 6, registers: [555, 0, 100] });
    assert.equal(malformedName('fc03-read-holding-registers.hex', 'odd-byte-count-response'), 'modbus.invalid_byte_count');
    assert.deepEqual(pdu('fc04-read-input-registers.hex', 'response'), { kind: 'registers', byteCount: 2, registers: [10] });
  });

  test('FC 5 Write Single Coil, FC 6 Write Single Register', () => {
    assert.deepEqual(pdu('fc05-write-single-coil.hex', 'request'), { kind: 'write_single', address: 0xac, value: 0xff00 });
    assert.deepEqual(pdu('fc05-write-single-coil.hex', 'response'), { kind: 'write_single', address: 0xac, value: 0xff00 });
    assert.equal(malformedName('fc05-write-single-coil.hex', 'invalid-value-request'), 'modbus.invalid_coil_value');
    assert.deepEqual(pdu('fc06-write-single-register.hex', 'request'), { kind: 'write_single', address: 1, value: 3 });
  });

  test('FC 7 Read Exception Status', () => {
    assert.deepEqual(pdu('fc07-read-exception-status.hex', 'request'), { kind: 'empty' });
    assert.deepEqual(pdu('fc07-read-exception-status.hex', 'response'), { kind: 'exception_status', status: 0x6d });
  });

  test('FC 8 Diagnostics with sub-functions', () => {
    const r = pdu('fc08-diagnostics.hex', 'request');
    assert.ok(r.kind === 'diagnostics' && r.subfunction === 0 && r.data.length === 2 && r.data[0] === 0xa5);
    const reg = parseAdu(fixture('fc08-diagnostics.hex', 'diagnostic-register-request'), true).result;
    assert.ok(reg.kind === 'ok' && reg.weird === null);
    const bad = parseAdu(fixture('fc08-diagnostics.hex', 'bad-restart-request'), true).result;
    assert.ok(bad.kind === 'ok' && bad.weird === 'modbus.diag_invalid_request_data');
    // The response side is not held to the request rules.
    const resp = parseAdu(fixture('fc08-diagnostics.hex', 'bad-restart-request'), false).result;
    assert.ok(resp.kind === 'ok' && resp.weird === null);
  });

  test('FC 11 Get Comm Event Counter, FC 12 Get Comm Event Log', () => {
    assert.deepEqual(pdu('fc11-get-comm-event-counter.hex', 'response'), { kind: 'comm_event_counter', status: 0xffff, eventCount: 264 });
    const log = pdu('fc12-get-comm-event-log.hex', 'response');
    assert.ok(log.kind === 'comm_event_log');
    if (log.kind !== 'comm_event_log') return;
    assert.deepEqual([log.byteCount, log.status, log.eventCount, log.messageCount, [...log.events]], [8, 0, 264, 289, [0x20, 0x00]]);
  });

  test('FC 15 Write Multiple Coils', () => {
    const r = pdu('fc15-write-multiple-coils.hex', 'request');
    assert.ok(r.kind === 'write_multiple_coils');
    if (r.kind !== 'write_multiple_coils') return;
    assert.equal(r.address, 0x13);
    assert.equal(r.quantity, 10);
    // 0xCD, 0x01 → 1,0,1,1,0,0,1,1, 1,0 (only `quantity` values)
    assert.deepEqual(r.coils, [1, 0, 1, 1, 0, 0, 1, 1, 1, 0]);
    assert.deepEqual(pdu('fc15-write-multiple-coils.hex', 'response'), { kind: 'write_multiple_response', address: 0x13, quantity: 10 });
  });

  test('FC 16 Write Multiple Registers', () => {
    assert.deepEqual(pdu('fc16-write-multiple-registers.hex', 'request'), {
      kind: 'write_multiple_registers',
      address: 1,
      quantity: 2,
      byteCount: 4,
      registers: [10, 258],
    });
    assert.equal(malformedName('fc16-write-multiple-registers.hex', 'short-byte-count-request'), 'modbus.invalid_byte_count');
  });

  test('FC 17 Report Server ID', () => {
    const r = pdu('fc17-report-server-id.hex', 'response');
    assert.ok(r.kind === 'report_server_id' && r.byteCount === 4 && r.data[1] === 0xff);
  });

  test('FC 20 Read File Record', () => {
    const q = pdu('fc20-read-file-record.hex', 'request');
    assert.deepEqual(q, {
      kind: 'read_file_record_request',
      byteCount: 14,
      refs: [
        { refType: 6, fileNumber: 4, recordNumber: 1, recordLength: 2 },
        { refType: 6, fileNumber: 3, recordNumber: 9, recordLength: 2 },
      ],
    });
    const r = pdu('fc20-read-file-record.hex', 'response');
    assert.ok(r.kind === 'read_file_record_response');
    if (r.kind !== 'read_file_record_response') return;
    assert.deepEqual(
      r.records.map((x) => [x.fileRespLength, x.refType, [...x.data]]),
      [
        [5, 6, [0x0d, 0xfe, 0x00, 0x20]],
        [5, 6, [0x33, 0xcd, 0x00, 0x40]],
      ],
    );
  });

  test('FC 21 Write File Record (request and echo)', () => {
    for (const name of ['request', 'response']) {
      const r = pdu('fc21-write-file-record.hex', name);
      assert.ok(r.kind === 'write_file_record');
      if (r.kind !== 'write_file_record') return;
      assert.equal(r.refs.length, 1);
      const [ref] = r.refs;
      assert.deepEqual([ref.refType, ref.fileNumber, ref.recordNumber, ref.recordLength, ref.data.length], [6, 4, 7, 3, 6]);
    }
  });

  test('FC 22 Mask Write Register', () => {
    assert.deepEqual(pdu('fc22-mask-write-register.hex', 'request'), { kind: 'mask_write', address: 4, andMask: 0xf2, orMask: 0x25 });
  });

  test('FC 23 Read/Write Multiple Registers', () => {
    assert.deepEqual(pdu('fc23-read-write-multiple-registers.hex', 'request'), {
      kind: 'read_write_multiple_request',
      readAddress: 3,
      readQuantity: 6,
      writeAddress: 14,
      writeQuantity: 3,
      byteCount: 6,
      registers: [255, 255, 255],
    });
    assert.deepEqual(pdu('fc23-read-write-multiple-registers.hex', 'response'), {
      kind: 'registers',
      byteCount: 12,
      registers: [254, 2765, 1, 3, 13, 255],
    });
  });

  test('FC 24 Read FIFO Queue', () => {
    assert.deepEqual(pdu('fc24-read-fifo-queue.hex', 'request'), { kind: 'fifo_request', address: 0x4de });
    assert.deepEqual(pdu('fc24-read-fifo-queue.hex', 'response'), { kind: 'fifo_response', byteCount: 6, fifoCount: 2, registers: [440, 4740] });
  });

  test('FC 43 / MEI 14 Read Device Identification and MEI 13 CANopen', () => {
    assert.deepEqual(pdu('fc43-encapsulated-interface.hex', 'device-id-request'), { kind: 'device_id_request', readDeviceIdCode: 1, objectId: 0 });
    const r = pdu('fc43-encapsulated-interface.hex', 'device-id-response');
    assert.ok(r.kind === 'device_id_response');
    if (r.kind !== 'device_id_response') return;
    assert.deepEqual([r.readDeviceIdCode, r.conformityLevel, r.moreFollows, r.nextObjectId], [1, 1, 0, 0]);
    assert.deepEqual(
      r.objects.map((o) => [o.id, Buffer.from(o.value).toString('latin1')]),
      [
        [0, 'CraneWatch Plcs'],
        [1, 'STS-01'],
        [2, 'V2.11'],
      ],
    );
    const c = pdu('fc43-encapsulated-interface.hex', 'canopen-request');
    assert.ok(c.kind === 'mei' && c.meiType === 13 && c.data.length === 3);
  });

  test('unknown function codes keep their data; exceptions of them parse', () => {
    const u = pdu('unknown.hex', 'user-request');
    assert.ok(u.kind === 'raw' && u.data.length === 3);
    assert.deepEqual(pdu('unknown.hex', 'unknown-exception', false), { kind: 'exception', code: 1 });
  });

  test('every exception code of §7 parses', () => {
    const codes = [...loadFixture('exceptions.hex').values()].map((b) => {
      const r = parseAdu(b, false).result;
      return r.kind === 'ok' && r.pdu.kind === 'exception' ? r.pdu.code : -1;
    });
    assert.deepEqual(codes, [1, 2, 3, 4, 5, 6, 8, 10, 11, 7]);
  });
});

describe('malformed and odd PDUs', () => {
  function build(fc: number, data: number[]): Uint8Array {
    return Uint8Array.from([0, 1, 0, 0, 0, data.length + 2, 1, fc, ...data]);
  }
  function run(isRequest: boolean, fc: number, data: number[]): PduResult {
    const b = subView(build(fc, data));
    return parsePdu(isRequest, fc, b, HEADER_BYTES, b.length);
  }

  test('truncated bodies of each shape are malformed, not thrown', () => {
    const cases: [boolean, number, number[]][] = [
      [true, 1, [0]],
      [false, 3, [4, 0, 1]],
      [true, 5, [0, 1]],
      [true, 15, [0, 1, 0, 8, 2, 0xff]],
      [true, 16, [0, 1, 0, 1]],
      [true, 20, [7, 6, 0, 1]],
      [false, 24, [0, 4, 0, 1]],
      [true, 43, [0x0e, 1]],
      [false, 43, [0x0e, 1, 1, 0, 0, 2, 0, 3, 0x41]],
      [false, 0x83, []],
      [false, 12, [8, 0, 0]],
    ];
    for (const [isReq, fc, data] of cases) {
      const r = run(isReq, fc, data);
      assert.equal(r.kind, 'malformed', `fc ${fc} ${JSON.stringify(data)}`);
    }
  });

  test('trailing bytes and out-of-range quantities are weirds of a parsed PDU', () => {
    const t = run(true, 3, [0, 1, 0, 1, 0xaa]);
    assert.ok(t.kind === 'ok' && t.weird === 'modbus.trailing_bytes');
    const q = run(true, 3, [0, 1, 0, 200]);
    assert.ok(q.kind === 'ok' && q.weird === 'modbus.out_of_range');
    const m = run(true, 15, [0, 1, 0, 3, 2, 0xff, 0xff]);
    assert.ok(m.kind === 'ok' && m.weird === 'modbus.byte_count_mismatch');
    const ref = run(true, 20, [7, 5, 0, 1, 0, 1, 0, 1]);
    assert.ok(ref.kind === 'ok' && ref.weird === 'modbus.invalid_reference_type');
    const more = run(false, 43, [0x0e, 1, 1, 0x4d, 0xb7, 0]);
    assert.ok(more.kind === 'ok' && more.weird === 'modbus.invalid_more_follows');
    const diag = run(true, 8, [0x00, 0x15, 0, 0]);
    assert.ok(diag.kind === 'ok' && diag.weird === 'modbus.diag_unknown_subfunction');
  });

  test('file record byte counts that cut a sub-record are malformed', () => {
    assert.equal(run(true, 20, [8, 6, 0, 1, 0, 1, 0, 1, 0]).kind, 'malformed');
    assert.equal(run(false, 20, [3, 9, 6, 0]).kind, 'malformed');
    assert.equal(run(true, 21, [9, 6, 0, 1, 0, 1, 0, 2, 0, 1]).kind, 'malformed');
  });
});
