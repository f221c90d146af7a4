import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Limits } from '../../../src/config/limits.js';
import type { LogRecord } from '../../../src/events/record.js';
import { ModbusAnalyzer } from '../../../src/protocols/modbus/analyzer.js';
import { MAX_QUEUED_PER_TID, RESPONSE_FIRST_SKEW_SEC } from '../../../src/protocols/modbus/transactions.js';
import { FakeFlowContext } from './fake-context.js';
import { fixture, subView } from './fixtures.js';

type Step = [isOrig: boolean, file: string, name: string];

function run(steps: Step[], limits: Partial<Limits> = {}): FakeFlowContext {
  const ctx = new FakeFlowContext(undefined, undefined, limits);
  const a = new ModbusAnalyzer(ctx);
  let ts = 100;
  for (const [isOrig, file, name] of steps) a.deliver(isOrig, subView(fixture(file, name)), ts++);
  a.end(ts);
  return ctx;
}

/** The ICSNPP content fields of modbus_detailed rows (ts, uid, conn id and link id left out). */
function detail(r: LogRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of [
    'tid',
    'unit',
    'func',
    'address',
    'quantity',
    'request_values',
    'response_values',
    'matched',
    'request_subfunction_code',
    'response_subfunction_code',
    'request_data',
    'response_data',
    'exception_code',
    'mei_type',
  ]) {
    if (r[k] !== null) out[k] = r[k];
  }
  return out;
}

function pair(file: string, reqName = 'request', respName = 'response'): Record<string, unknown>[] {
  const ctx = run([
    [true, file, reqName],
    [false, file, respName],
  ]);
  return ctx.stream('modbus_detailed').map(detail);
}

describe('modbus_detailed pairs by transaction id (ICSNPP semantics)', () => {
  test('FC 1: the first `quantity` coils are values, the padding bits go to response_data', () => {
    assert.deepEqual(pair('fc01-read-coils.hex'), [
      {
        tid: 1,
        unit: 17,
        func: 'READ_COILS',
        address: 0x13,
        quantity: 19,
        response_values: [1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1],
        matched: true,
        response_data: '0,0,0,0,0',
      },
    ]);
  });

  test('FC 3 and FC 4: registers', () => {
    assert.deepEqual(pair('fc03-read-holding-registers.hex'), [
      { tid: 3, unit: 17, func: 'READ_HOLDING_REGISTERS', address: 0x6b, quantity: 3, response_values: [555, 0, 100], matched: true },
    ]);
    assert.deepEqual(pair('fc04-read-input-registers.hex')[0].response_values, [10]);
  });

  test('FC 5 and FC 6: single writes carry request and response values', () => {
    assert.deepEqual(pair('fc05-write-single-coil.hex'), [
      { tid: 5, unit: 17, func: 'WRITE_SINGLE_COIL', address: 0xac, quantity: 1, request_values: [1], response_values: [1], matched: true },
    ]);
    assert.deepEqual(pair('fc06-write-single-register.hex'), [
      { tid: 6, unit: 17, func: 'WRITE_SINGLE_REGISTER', address: 1, quantity: 1, request_values: [3], response_values: [3], matched: true },
    ]);
  });

  test('FC 8: sub-function names and data in Zeek escapes', () => {
    assert.deepEqual(pair('fc08-diagnostics.hex'), [
      {
        tid: 8,
        unit: 17,
        func: 'DIAGNOSTICS',
        matched: true,
        request_subfunction_code: 'Return Query Data',
        response_subfunction_code: 'Return Query Data',
        request_data: '\\xa57',
        response_data: '\\xa57',
      },
    ]);
  });

  test('FC 15 and FC 16: written values and quantities', () => {
    assert.deepEqual(pair('fc15-write-multiple-coils.hex'), [
      { tid: 15, unit: 17, func: 'WRITE_MULTIPLE_COILS', address: 0x13, quantity: 10, request_values: [1, 0, 1, 1, 0, 0, 1, 1, 1, 0], matched: true },
    ]);
    assert.deepEqual(pair('fc16-write-multiple-registers.hex'), [
      { tid: 16, unit: 17, func: 'WRITE_MULTIPLE_REGISTERS', address: 1, quantity: 2, request_values: [10, 258], matched: true },
    ]);
  });

  test('FC 20 and FC 21: sub-request count and the records as Zeek formats them', () => {
    assert.deepEqual(pair('fc20-read-file-record.hex'), [
      {
        tid: 20,
        unit: 17,
        func: 'READ_FILE_RECORD',
        quantity: 2,
        matched: true,
        response_data: '[file_len=5, ref_type=6, record_data=\\x0d\\xfe\\x00 ] | [file_len=5, ref_type=6, record_data=3\\xcd\\x00@]',
      },
    ]);
    assert.deepEqual(pair('fc21-write-file-record.hex'), [
      {
        tid: 21,
        unit: 17,
        func: 'WRITE_FILE_RECORD',
        quantity: 1,
        matched: true,
        response_data: '[ref_type=6, file_num=4, record_num=7, record_len=3, record_data=\\x06\\xaf\\x04\\xbe\\x10\\x0d]',
      },
    ]);
  });

  test('FC 24: FIFO values and count', () => {
    assert.deepEqual(pair('fc24-read-fifo-queue.hex'), [
      { tid: 24, unit: 17, func: 'READ_FIFO_QUEUE', address: 0x4de, quantity: 2, response_values: [440, 4740], matched: true },
    ]);
  });

  test('FC 7, 11, 12, 17 and unknown codes: one bare row per message', () => {
    for (const file of ['fc07-read-exception-status.hex', 'fc11-get-comm-event-counter.hex', 'fc12-get-comm-event-log.hex', 'fc17-report-server-id.hex']) {
      const rows = pair(file);
      assert.equal(rows.length, 2, file);
      for (const r of rows) assert.deepEqual(Object.keys(r), ['tid', 'unit', 'func'], file);
    }
    assert.deepEqual(pair('unknown.hex', 'user-request', 'user-response'), [
      { tid: 65, unit: 1, func: 'unknown-65' },
      { tid: 65, unit: 1, func: 'unknown-65' },
    ]);
  });

  test('an exception closes its request; an unpaired one is logged alone as NAME_EXCEPTION', () => {
    assert.deepEqual(pair('fc03-read-holding-registers.hex', 'request', 'exception'), [
      { tid: 3, unit: 17, func: 'READ_HOLDING_REGISTERS', address: 0x6b, quantity: 3, matched: true, exception_code: 'ILLEGAL_DATA_ADDRESS' },
    ]);
    const alone = run([[false, 'exceptions.hex', 'code-04']]).stream('modbus_detailed').map(detail);
    assert.deepEqual(alone, [{ tid: 4, unit: 1, func: 'READ_HOLDING_REGISTERS_EXCEPTION', exception_code: 'SLAVE_DEVICE_FAILURE' }]);
    const unknown = run([[false, 'unknown.hex', 'unknown-exception']]).stream('modbus_detailed').map(detail);
    assert.deepEqual(unknown, [{ tid: 0, unit: 1, func: 'unknown-156', exception_code: 'ILLEGAL_FUNCTION' }]);
  });

  test('a response seen before its request waits for it and takes its fields', () => {
    const ctx = run([
      [false, 'fc03-read-holding-registers.hex', 'response'],
      [true, 'fc03-read-holding-registers.hex', 'request'],
    ]);
    assert.deepEqual(ctx.stream('modbus_detailed').map(detail), [
      { tid: 3, unit: 17, func: 'READ_HOLDING_REGISTERS', address: 0x6b, quantity: 3, response_values: [555, 0, 100], matched: true },
    ]);
    const r = ctx.stream('modbus_detailed')[0];
    assert.equal(r.ts, 100, 'the row keeps the time of the message that opened it');
    assert.equal(r.source_h, '10.0.0.2', 'and its direction');
  });

  test('unanswered requests and responses are logged unmatched at the end, requests first', () => {
    const ctx = run([
      [false, 'fc06-write-single-register.hex', 'response'],
      [true, 'fc03-read-holding-registers.hex', 'request'],
    ]);
    assert.deepEqual(
      ctx.stream('modbus_detailed').map((r) => [r.tid, r.matched, r.source_p]),
      [
        [3, false, 40000],
        [6, false, 502],
      ],
    );
  });

  test('requests reusing a transaction id in flight are paired first in, first out', () => {
    const f = 'tid-reuse.hex';
    const ctx = run([
      [true, f, 'request-r4-2500'],
      [true, f, 'request-r4-0'],
      [true, f, 'request-r5-14017'],
      [false, f, 'response-r4-2500'],
      [false, f, 'response-r4-0'],
      [false, f, 'response-r5-14017'],
    ]);
    assert.deepEqual(
      ctx.stream('modbus_detailed').map((r) => [r.ts, r.address, r.request_values, r.response_values, r.matched, r.source_p]),
      [
        [100, 4, [2500], [2500], true, 40000],
        [101, 4, [0], [0], true, 40000],
        [102, 5, [14017], [14017], true, 40000],
      ],
    );
    assert.ok(ctx.anomalyNames().includes('modbus.duplicate_tid'));
    assert.ok(!ctx.anomalyNames().includes('modbus.pending_overflow'));
  });

  test('a request of another function is skipped over, and stays waiting', () => {
    const c = new FakeFlowContext();
    const a = new ModbusAnalyzer(c);
    // Read Holding Registers with transaction id 504: tid 504, protocol 0, length 6, unit 7, function 3,
    // address 0, quantity 1.
    a.deliver(true, subView(Uint8Array.from([1, 0xf8, 0, 0, 0, 6, 7, 3, 0, 0, 0, 1])), 1);
    a.deliver(true, subView(fixture('tid-reuse.hex', 'request-r4-0')), 2); // FC 6 request, tid 504
    a.deliver(false, subView(fixture('tid-reuse.hex', 'response-r4-0')), 3); // FC 6 response
    a.end(4);
    assert.deepEqual(
      c.stream('modbus_detailed').map((r) => [r.function_code, r.matched]),
      [
        [6, true],
        [3, false],
      ],
    );
    assert.ok(!c.anomalyNames().includes('modbus.function_mismatch'));
  });

  test('at most MAX_QUEUED_PER_TID requests of one transaction id wait; the oldest is logged unmatched', () => {
    const ctx = new FakeFlowContext();
    const a = new ModbusAnalyzer(ctx);
    const req = fixture('tid-reuse.hex', 'request-r4-0');
    for (let i = 0; i <= MAX_QUEUED_PER_TID; i++) a.deliver(true, subView(req), i);
    assert.deepEqual(
      ctx.stream('modbus_detailed').map((r) => [r.ts, r.matched]),
      [[0, false]],
    );
    assert.ok(ctx.anomalyNames().includes('modbus.pending_overflow'));
    a.deliver(false, subView(fixture('tid-reuse.hex', 'response-r4-0')), 20);
    a.end(21);
    const rows = ctx.stream('modbus_detailed').map((r) => [r.ts, r.matched]);
    assert.deepEqual(rows.slice(0, 2), [
      [0, false],
      [1, true],
    ]);
    assert.equal(rows.length, MAX_QUEUED_PER_TID + 1);
    assert.ok(rows.slice(2).every(([, m]) => m === false));
  });

  test(`a response seen first waits at most ${RESPONSE_FIRST_SKEW_SEC} s of capture time`, () => {
    const req = subView(fixture('fc03-read-holding-registers.hex', 'request'));
    const resp = subView(fixture('fc03-read-holding-registers.hex', 'response'));
    const within = new FakeFlowContext();
    const a = new ModbusAnalyzer(within);
    a.deliver(false, resp, 10);
    a.deliver(true, req, 10 + RESPONSE_FIRST_SKEW_SEC);
    a.end(20);
    assert.deepEqual(
      within.stream('modbus_detailed').map((r) => [r.ts, r.matched]),
      [[10, true]],
    );
    const late = new FakeFlowContext();
    const b = new ModbusAnalyzer(late);
    b.deliver(false, resp, 10);
    b.deliver(true, req, 10 + RESPONSE_FIRST_SKEW_SEC + 0.001);
    assert.deepEqual(
      late.stream('modbus_detailed').map((r) => [r.ts, r.matched, r.source_p]),
      [[10, false, 502]],
      'the late request logs the response unmatched at once',
    );
    b.deliver(false, resp, 13);
    assert.deepEqual(
      late.stream('modbus_detailed').map((r) => [r.ts, r.matched, r.source_p]),
      [
        [10, false, 502],
        [10 + RESPONSE_FIRST_SKEW_SEC + 0.001, true, 40000],
      ],
      'and waits for its own response',
    );
  });

  test('a response seen first expires when a later message of its transaction id passes', () => {
    const req = subView(fixture('fc03-read-holding-registers.hex', 'request'));
    const resp = subView(fixture('fc03-read-holding-registers.hex', 'response'));
    const ctx = new FakeFlowContext();
    const a = new ModbusAnalyzer(ctx);
    a.deliver(false, resp, 10);
    a.deliver(false, resp, 10.5);
    a.deliver(true, req, 11);
    a.end(12);
    assert.deepEqual(
      ctx.stream('modbus_detailed').map((r) => [r.ts, r.matched]),
      [
        [10, false],
        [10.5, true],
      ],
    );
    const exc = new FakeFlowContext();
    const b = new ModbusAnalyzer(exc);
    b.deliver(false, subView(fixture('exceptions.hex', 'code-03')), 10); // tid 3, READ_HOLDING_REGISTERS exception
    b.deliver(false, resp, 10.2); // tid 3, waits
    b.deliver(false, subView(fixture('exceptions.hex', 'code-03')), 10.4); // later traffic of tid 3
    b.deliver(true, req, 10.6);
    b.end(11);
    assert.deepEqual(
      exc.stream('modbus_detailed').map((r) => [r.ts, r.func, r.matched]),
      [
        [10, 'READ_HOLDING_REGISTERS_EXCEPTION', null],
        [10.2, 'READ_HOLDING_REGISTERS', false],
        [10.4, 'READ_HOLDING_REGISTERS_EXCEPTION', null],
        [10.6, 'READ_HOLDING_REGISTERS', false],
      ],
    );
  });

  test('a response whose function differs from the pending request is not paired with it', () => {
    const ctx = new FakeFlowContext();
    const a = new ModbusAnalyzer(ctx);
    a.deliver(true, subView(fixture('fc03-read-holding-registers.hex', 'request')), 1);
    // Response to function 6 carrying the same transaction id 3.
    a.deliver(false, subView(Uint8Array.from([0, 3, 0, 0, 0, 6, 17, 6, 0, 1, 0, 3])), 2);
    a.end(3);
    assert.deepEqual(
      ctx.stream('modbus_detailed').map((r) => [r.func, r.matched]),
      [
        ['READ_HOLDING_REGISTERS', false],
        ['WRITE_SINGLE_REGISTER', false],
      ],
    );
    assert.ok(ctx.anomalyNames().includes('modbus.function_mismatch'));
  });

  test('the pending map is bounded by maxPendingRequests', () => {
    const ctx = new FakeFlowContext(undefined, undefined, { maxPendingRequests: 2 });
    const a = new ModbusAnalyzer(ctx);
    for (let tid = 1; tid <= 3; tid++) a.deliver(true, subView(Uint8Array.from([0, tid, 0, 0, 0, 6, 1, 3, 0, 0, 0, 1])), tid);
    assert.deepEqual(
      ctx.stream('modbus_detailed').map((r) => [r.tid, r.matched]),
      [[1, false]],
    );
    assert.ok(ctx.anomalyNames().includes('modbus.pending_overflow'));
    a.deliver(false, subView(Uint8Array.from([0, 3, 0, 0, 0, 5, 1, 3, 2, 0, 7])), 9);
    a.end(10);
    assert.deepEqual(
      ctx.stream('modbus_detailed').map((r) => [r.tid, r.matched]),
      [
        [1, false],
        [3, true],
        [2, false],
      ],
    );
  });

  test('vectors are bounded by maxVectorLength and strings by maxStringLength', () => {
    const v = run(
      [
        [true, 'fc03-read-holding-registers.hex', 'request'],
        [false, 'fc03-read-holding-registers.hex', 'response'],
      ],
      { maxVectorLength: 2 },
    );
    assert.deepEqual(v.stream('modbus_detailed')[0].response_values, [555, 0]);
    assert.ok(v.anomalyNames().includes('modbus.vector_truncated'));
    const s = run(
      [
        [true, 'fc08-diagnostics.hex', 'request'],
        [false, 'fc08-diagnostics.hex', 'response'],
      ],
      { maxStringLength: 4 },
    );
    assert.equal(s.stream('modbus_detailed')[0].request_data, '\\xa5');
    assert.ok(s.anomalyNames().includes('modbus.string_truncated'));
  });
});

describe('ICSNPP side logs joined by modbus_detailed_link_id', () => {
  test('mask write: a request and a response row with true source and destination', () => {
    const ctx = run([
      [true, 'fc22-mask-write-register.hex', 'request'],
      [false, 'fc22-mask-write-register.hex', 'response'],
    ]);
    const [d] = ctx.stream('modbus_detailed');
    assert.deepEqual(detail(d), { tid: 22, unit: 17, func: 'MASK_WRITE_REGISTER', address: 4, matched: true });
    const side = ctx.stream('modbus_mask_write_register');
    assert.deepEqual(
      side.map((r) => [r.is_orig, r.source_h, r.source_p, r.destination_h, r.destination_p, r.request_response, r.address, r.and_mask, r.or_mask]),
      [
        [true, '10.0.0.1', 40000, '10.0.0.2', 502, 'REQUEST', 4, 0xf2, 0x25],
        [false, '10.0.0.2', 502, '10.0.0.1', 40000, 'RESPONSE', 4, 0xf2, 0x25],
      ],
    );
    assert.ok(side.every((r) => r.modbus_detailed_link_id === d.modbus_detailed_link_id && typeof r.modbus_detailed_link_id === 'string'));
  });

  test('read/write multiple registers: request and response rows', () => {
    const ctx = run([
      [true, 'fc23-read-write-multiple-registers.hex', 'request'],
      [false, 'fc23-read-write-multiple-registers.hex', 'response'],
    ]);
    const [d] = ctx.stream('modbus_detailed');
    assert.deepEqual(detail(d), { tid: 23, unit: 17, func: 'READ_WRITE_MULTIPLE_REGISTERS', matched: true });
    assert.deepEqual(
      ctx.stream('modbus_read_write_multiple_registers').map((r) => [
        r.request_response,
        r.write_start_address,
        r.write_registers,
        r.read_start_address,
        r.read_quantity,
        r.read_registers,
        r.modbus_detailed_link_id === d.modbus_detailed_link_id,
      ]),
      [
        ['REQUEST', 14, [255, 255, 255], 3, 6, null, true],
        ['RESPONSE', null, null, null, null, [254, 2765, 1, 3, 13, 255], true],
      ],
    );
  });

  test('a response seen first still gets both side rows with one link id', () => {
    const ctx = run([
      [false, 'fc22-mask-write-register.hex', 'response'],
      [true, 'fc22-mask-write-register.hex', 'request'],
    ]);
    const links = new Set(ctx.stream('modbus_mask_write_register').map((r) => r.modbus_detailed_link_id));
    assert.equal(ctx.stream('modbus_mask_write_register').length, 2);
    assert.deepEqual([...links], [ctx.stream('modbus_detailed')[0].modbus_detailed_link_id]);
  });

  test('read device identification: the request and one row per object', () => {
    const ctx = run([
      [true, 'fc43-encapsulated-interface.hex', 'device-id-request'],
      [false, 'fc43-encapsulated-interface.hex', 'device-id-response'],
    ]);
    const [d] = ctx.stream('modbus_detailed');
    assert.deepEqual(detail(d), { tid: 43, unit: 255, func: 'ENCAP_INTERFACE_TRANSPORT', matched: true, mei_type: 'Read Device Identification' });
    assert.deepEqual(
      ctx.stream('modbus_read_device_identification').map((r) => [
        r.request_response,
        r.mei_type,
        r.device_id_code,
        r.conformity_level_code,
        r.conformity_level,
        r.object_id_code,
        r.object_id,
        r.object_value,
        r.more_follows,
        r.next_object_id_code,
        r.modbus_detailed_link_id === d.modbus_detailed_link_id,
      ]),
      [
        ['REQUEST', 'READ-DEVICE-IDENTIFICATION', 1, null, null, '0x00', 'VendorName', null, null, null, true],
        ['RESPONSE', 'READ-DEVICE-IDENTIFICATION', 1, '0x01', 'Basic Identification (Stream)', '0x00', 'VendorName', 'CraneWatch Plcs', false, '0x00', true],
        ['RESPONSE', 'READ-DEVICE-IDENTIFICATION', 1, '0x01', 'Basic Identification (Stream)', '0x01', 'ProductCode', 'STS-01', false, '0x00', true],
        ['RESPONSE', 'READ-DEVICE-IDENTIFICATION', 1, '0x01', 'Basic Identification (Stream)', '0x02', 'MajorMinorVersion', 'V2.11', false, '0x00', true],
      ],
    );
  });

  test('MEI 13 CANopen is named but has no device-id rows', () => {
    const ctx = run([
      [true, 'fc43-encapsulated-interface.hex', 'canopen-request'],
      [false, 'fc43-encapsulated-interface.hex', 'canopen-response'],
    ]);
    assert.deepEqual(ctx.stream('modbus_detailed').map(detail), [{ tid: 44, unit: 1, func: 'ENCAP_INTERFACE_TRANSPORT', matched: true, mei_type: 'CANopen' }]);
    assert.equal(ctx.stream('modbus_read_device_identification').length, 0);
  });

  test('link ids are deterministic: uid, transaction id and a counter', () => {
    const ctx = run([
      [true, 'fc22-mask-write-register.hex', 'request'],
      [true, 'fc23-read-write-multiple-registers.hex', 'request'],
    ]);
    assert.deepEqual(
      ctx.stream('modbus_detailed').map((r) => r.modbus_detailed_link_id),
      ['CTestUid:22:1', 'CTestUid:23:2'],
    );
  });
});

describe('pairing bounds at their extreme', () => {
  test('maxPendingRequests 0 keeps at most one row waiting per direction and never throws', () => {
    const ctx = new FakeFlowContext(undefined, undefined, { maxPendingRequests: 0 });
    const a = new ModbusAnalyzer(ctx);
    a.deliver(false, subView(fixture('fc03-read-holding-registers.hex', 'response')), 1);
    a.deliver(false, subView(fixture('fc06-write-single-register.hex', 'response')), 2);
    a.deliver(true, subView(fixture('fc16-write-multiple-registers.hex', 'request')), 3);
    a.deliver(true, subView(fixture('fc22-mask-write-register.hex', 'request')), 4);
    assert.deepEqual(
      ctx.stream('modbus_detailed').map((r) => r.tid),
      [3, 16],
      'the second of each direction displaced the first',
    );
    a.end(5);
    assert.equal(ctx.stream('modbus_detailed').length, 4);
    assert.ok(ctx.stream('modbus_detailed').every((r) => r.matched === false));
  });
});
