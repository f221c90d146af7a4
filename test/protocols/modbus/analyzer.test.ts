import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Limits } from '../../../src/config/limits.js';
import { MAX_UNCONFIRMED_VIOLATIONS, ModbusAnalyzer } from '../../../src/protocols/modbus/analyzer.js';
import { originatorIsClient } from '../../../src/protocols/modbus/roles.js';
import type { ConnId } from '../../../src/session/analyzer.js';
import { FakeFlowContext } from './fake-context.js';
import { concat, fixture, subView } from './fixtures.js';

function start(limits: Partial<Limits> = {}): { ctx: FakeFlowContext; a: ModbusAnalyzer } {
  const ctx = new FakeFlowContext(undefined, undefined, limits);
  return { ctx, a: new ModbusAnalyzer(ctx) };
}

function rows(ctx: FakeFlowContext): string[] {
  return ctx.stream('modbus').map((r) => `${r.tid} ${r.unit} ${r.func} ${r.pdu_type} ${r.exception ?? '-'}`);
}

const REQ3 = fixture('fc03-read-holding-registers.hex', 'request');
const RESP3 = fixture('fc03-read-holding-registers.hex', 'response');
const REQ6 = fixture('fc06-write-single-register.hex', 'request');
const RESP6 = fixture('fc06-write-single-register.hex', 'response');

/** Requests, responses and exceptions of every fixture file, with the modbus row Zeek writes for each. */
const ROWS: [string, string, boolean, string][] = [
  ['fc01-read-coils.hex', 'request', true, '1 17 READ_COILS REQ -'],
  ['fc01-read-coils.hex', 'response', false, '1 17 READ_COILS RESP -'],
  ['fc01-read-coils.hex', 'exception', false, '1 17 READ_COILS_EXCEPTION RESP ILLEGAL_DATA_ADDRESS'],
  ['fc02-read-discrete-inputs.hex', 'request', true, '2 17 READ_DISCRETE_INPUTS REQ -'],
  ['fc02-read-discrete-inputs.hex', 'exception', false, '2 17 READ_DISCRETE_INPUTS_EXCEPTION RESP ILLEGAL_FUNCTION'],
  ['fc03-read-holding-registers.hex', 'response', false, '3 17 READ_HOLDING_REGISTERS RESP -'],
  ['fc04-read-input-registers.hex', 'exception', false, '4 17 READ_INPUT_REGISTERS_EXCEPTION RESP SLAVE_DEVICE_FAILURE'],
  ['fc05-write-single-coil.hex', 'request', true, '5 17 WRITE_SINGLE_COIL REQ -'],
  ['fc05-write-single-coil.hex', 'exception', false, '5 17 WRITE_SINGLE_COIL_EXCEPTION RESP ILLEGAL_DATA_VALUE'],
  ['fc06-write-single-register.hex', 'exception', false, '6 17 WRITE_SINGLE_REGISTER_EXCEPTION RESP SLAVE_DEVICE_BUSY'],
  ['fc07-read-exception-status.hex', 'request', true, '7 17 READ_EXCEPTION_STATUS REQ -'],
  ['fc07-read-exception-status.hex', 'exception', false, '7 17 READ_EXCEPTION_STATUS_EXCEPTION RESP ACKNOWLEDGE'],
  ['fc08-diagnostics.hex', 'response', false, '8 17 DIAGNOSTICS RESP -'],
  ['fc08-diagnostics.hex', 'exception', false, '8 17 DIAGNOSTICS_EXCEPTION RESP MEMORY_PARITY_ERROR'],
  ['fc11-get-comm-event-counter.hex', 'request', true, '11 17 GET_COMM_EVENT_COUNTER REQ -'],
  ['fc11-get-comm-event-counter.hex', 'exception', false, '11 17 GET_COMM_EVENT_COUNTER_EXCEPTION RESP GATEWAY_PATH_UNAVAILABLE'],
  ['fc12-get-comm-event-log.hex', 'response', false, '12 17 GET_COMM_EVENT_LOG RESP -'],
  [
    'fc12-get-comm-event-log.hex',
    'exception',
    false,
    '12 17 GET_COMM_EVENT_LOG_EXCEPTION RESP GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND',
  ],
  ['fc15-write-multiple-coils.hex', 'request', true, '15 17 WRITE_MULTIPLE_COILS REQ -'],
  ['fc16-write-multiple-registers.hex', 'response', false, '16 17 WRITE_MULTIPLE_REGISTERS RESP -'],
  ['fc17-report-server-id.hex', 'response', false, '17 17 REPORT_SLAVE_ID RESP -'],
  ['fc17-report-server-id.hex', 'exception', false, '17 17 REPORT_SLAVE_ID_EXCEPTION RESP ILLEGAL_FUNCTION'],
  ['fc20-read-file-record.hex', 'request', true, '20 17 READ_FILE_RECORD REQ -'],
  ['fc21-write-file-record.hex', 'response', false, '21 17 WRITE_FILE_RECORD RESP -'],
  ['fc22-mask-write-register.hex', 'request', true, '22 17 MASK_WRITE_REGISTER REQ -'],
  ['fc23-read-write-multiple-registers.hex', 'exception', false, '23 17 READ_WRITE_MULTIPLE_REGISTERS_EXCEPTION RESP GATEWAY_PATH_UNAVAILABLE'],
  ['fc24-read-fifo-queue.hex', 'response', false, '24 17 READ_FIFO_QUEUE RESP -'],
  ['fc43-encapsulated-interface.hex', 'device-id-request', true, '43 255 ENCAP_INTERFACE_TRANSPORT REQ -'],
  ['fc43-encapsulated-interface.hex', 'exception', false, '43 255 ENCAP_INTERFACE_TRANSPORT_EXCEPTION RESP ILLEGAL_FUNCTION'],
  ['unknown.hex', 'user-request', true, '65 1 unknown-65 REQ -'],
  ['unknown.hex', 'unknown-exception', false, '0 1 unknown-156 RESP ILLEGAL_FUNCTION'],
  ['exceptions.hex', 'code-07', false, '7 1 READ_HOLDING_REGISTERS_EXCEPTION RESP unknown-7'],
];

describe('modbus rows (Zeek modbus.log)', () => {
  for (const [file, name, isOrig, expected] of ROWS) {
    test(`${file} @ ${name}`, () => {
      const { ctx, a } = start();
      a.deliver(isOrig, subView(fixture(file, name)), 1.5);
      assert.deepEqual(rows(ctx), [expected]);
      const r = ctx.stream('modbus')[0];
      assert.equal(r.ts, 1.5);
      assert.equal(r.uid, 'CTestUid');
      assert.deepEqual(
        [r.source_h, r.source_p, r.destination_h, r.destination_p],
        isOrig ? ['10.0.0.1', 40000, '10.0.0.2', 502] : ['10.0.0.2', 502, '10.0.0.1', 40000],
      );
      assert.equal(r.function_code, fixture(file, name)[7]);
    });
  }

  test('a request row is written as soon as its header is in; an exception row waits for its code', () => {
    const { ctx, a } = start();
    a.deliver(true, subView(REQ3.subarray(0, 8)), 1);
    assert.deepEqual(rows(ctx), ['3 17 READ_HOLDING_REGISTERS REQ -']);
    const exc = fixture('exceptions.hex', 'code-02');
    a.deliver(false, subView(exc.subarray(0, 8)), 2);
    assert.equal(ctx.stream('modbus').length, 1);
    a.deliver(false, subView(exc.subarray(8)), 3);
    assert.deepEqual(rows(ctx).slice(1), ['2 1 READ_HOLDING_REGISTERS_EXCEPTION RESP ILLEGAL_DATA_ADDRESS']);
    assert.equal(ctx.stream('modbus')[1].ts, 3);
  });

  test('an exception function code from the originator is logged with a weird', () => {
    const { ctx, a } = start();
    a.deliver(true, subView(Uint8Array.from([0, 9, 0, 0, 0, 3, 1, 0x83, 0x02])), 1);
    assert.deepEqual(rows(ctx), ['9 1 READ_HOLDING_REGISTERS_EXCEPTION REQ -']);
    assert.ok(ctx.anomalyNames().includes('modbus.exception_in_request'));
  });
});

describe('framing over arbitrary chunks', () => {
  const stream = concat(REQ3, REQ6, fixture('fc16-write-multiple-registers.hex', 'request'), fixture('fc43-encapsulated-interface.hex', 'device-id-request'));

  function whole(): FakeFlowContext {
    const { ctx, a } = start();
    a.deliver(true, subView(stream), 1);
    a.end(2);
    return ctx;
  }

  test('several ADUs in one chunk', () => {
    assert.deepEqual(rows(whole()), [
      '3 17 READ_HOLDING_REGISTERS REQ -',
      '6 17 WRITE_SINGLE_REGISTER REQ -',
      '16 17 WRITE_MULTIPLE_REGISTERS REQ -',
      '43 255 ENCAP_INTERFACE_TRANSPORT REQ -',
    ]);
  });

  test('the same stream byte by byte, and cut at every chunk size, gives the same records', () => {
    const reference = whole().records;
    for (let size = 1; size <= stream.length; size++) {
      const { ctx, a } = start();
      for (let o = 0; o < stream.length; o += size) a.deliver(true, subView(stream.slice(o, o + size)), 1);
      a.end(2);
      assert.deepEqual(ctx.records, reference, `chunk size ${size}`);
      assert.deepEqual(ctx.anomalies, [], `chunk size ${size}`);
    }
  });

  test('the carried bytes are copied: the caller may reuse its buffer', () => {
    const { ctx, a } = start();
    const buf = new Uint8Array(64);
    buf.set(REQ3.subarray(0, 5));
    a.deliver(true, buf.subarray(0, 5), 1);
    buf.fill(0xff);
    buf.set(REQ3.subarray(5));
    a.deliver(true, buf.subarray(0, REQ3.length - 5), 1);
    assert.deepEqual(rows(ctx), ['3 17 READ_HOLDING_REGISTERS REQ -']);
    assert.deepEqual(ctx.anomalies, []);
  });
});

describe('confirmation, violations and resynchronisation', () => {
  test('the first valid message confirms the service once', () => {
    const { ctx, a } = start();
    a.deliver(true, subView(concat(REQ3, REQ6)), 1);
    a.deliver(false, subView(RESP3), 2);
    assert.deepEqual(ctx.services, ['modbus']);
  });

  test('bad protocol id and length are violations; a few before confirmation stop the analyzer', () => {
    const { ctx, a } = start();
    const tls = fixture('not-modbus.hex', 'tls-client-hello');
    for (let i = 0; i < MAX_UNCONFIRMED_VIOLATIONS; i++) a.deliver(true, subView(tls), i);
    assert.equal(a.done, false);
    // tid 1, protocol 0, length 1455 (one above OVERSIZED_LENGTH_CAP), unit 1, function 3.
    a.deliver(true, subView(Uint8Array.from([0, 1, 0, 0, 0x05, 0xaf, 1, 3])), 9);
    assert.equal(a.done, true);
    const names = ctx.anomalies.map((x) => `${x.name}/${x.grade}`);
    assert.ok(names.includes('modbus.invalid_protocol_id/violation'));
    assert.ok(names.includes('modbus.invalid_length/violation'));
    assert.equal(names.at(-1), 'modbus.too_many_violations/fatal');
    a.deliver(true, subView(REQ3), 10);
    assert.deepEqual(ctx.stream('modbus'), [], 'nothing is parsed after the fatal anomaly');
    assert.deepEqual(ctx.services, []);
  });

  test('after confirmation violations are reported but never fatal', () => {
    const { ctx, a } = start();
    a.deliver(true, subView(REQ3), 1);
    for (let i = 0; i < 10; i++) a.deliver(true, subView(fixture('not-modbus.hex', 'dce-rpc-bind')), 2);
    a.deliver(true, subView(REQ6), 3);
    assert.equal(a.done, false);
    assert.deepEqual(rows(ctx), ['3 17 READ_HOLDING_REGISTERS REQ -', '6 17 WRITE_SINGLE_REGISTER REQ -']);
    assert.ok(ctx.anomalies.every((x) => x.grade !== 'fatal'));
  });

  test('after a bad header the rest of the chunk is searched for a strict candidate', () => {
    const { ctx, a } = start();
    a.deliver(true, subView(REQ3), 1);
    a.deliver(true, subView(concat(Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0x00]), REQ6)), 2);
    assert.deepEqual(rows(ctx), ['3 17 READ_HOLDING_REGISTERS REQ -', '6 17 WRITE_SINGLE_REGISTER REQ -']);
    assert.ok(ctx.anomalyNames().includes('modbus.invalid_protocol_id'));
  });

  test('a non-public function code inside garbage is not believed, at the next chunk start it is', () => {
    const { ctx, a } = start();
    a.deliver(true, subView(REQ3), 1);
    const user = fixture('unknown.hex', 'user-request');
    a.deliver(true, subView(concat(Uint8Array.from([0xde, 0xad, 0xbe, 0xef]), user)), 2);
    assert.equal(ctx.stream('modbus').length, 1);
    a.deliver(true, subView(user), 3);
    assert.deepEqual(rows(ctx).slice(1), ['65 1 unknown-65 REQ -']);
  });

  test('gap: a partial ADU is dropped and parsing resumes at the next header', () => {
    const { ctx, a } = start();
    a.deliver(true, subView(REQ3.subarray(0, 10)), 1);
    a.gap(true, 100, 2);
    a.deliver(true, subView(REQ6), 3);
    assert.deepEqual(rows(ctx), ['3 17 READ_HOLDING_REGISTERS REQ -', '6 17 WRITE_SINGLE_REGISTER REQ -']);
    assert.ok(ctx.anomalyNames().includes('modbus.partial_adu_discarded'));
  });

  test('gap that lands mid-ADU: the tail is skipped and the next ADU in the chunk is found', () => {
    const { ctx, a } = start();
    a.deliver(true, subView(REQ3), 1);
    a.gap(true, 7, 2);
    a.deliver(true, subView(concat(REQ6.subarray(7), REQ3)), 3);
    assert.deepEqual(rows(ctx), ['3 17 READ_HOLDING_REGISTERS REQ -', '3 17 READ_HOLDING_REGISTERS REQ -']);
  });

  test('the other direction keeps its framing across a gap of this one', () => {
    const { ctx, a } = start();
    a.deliver(false, subView(RESP3.subarray(0, 9)), 1);
    a.gap(true, 50, 2);
    a.deliver(false, subView(RESP3.subarray(9)), 3);
    assert.deepEqual(rows(ctx), ['3 17 READ_HOLDING_REGISTERS RESP -']);
  });

  test('an ADU larger than maxAnalyzerBufferBytes is not joined across chunks', () => {
    const { ctx, a } = start({ maxAnalyzerBufferBytes: 10 });
    a.deliver(true, subView(REQ3.subarray(0, 9)), 1);
    a.deliver(true, subView(REQ3.subarray(9)), 2);
    a.deliver(true, subView(REQ6), 3);
    assert.ok(ctx.anomalyNames().includes('modbus.buffer_limit'));
    assert.deepEqual(rows(ctx), ['3 17 READ_HOLDING_REGISTERS REQ -', '6 17 WRITE_SINGLE_REGISTER REQ -']);
    assert.equal(ctx.stream('modbus_detailed').length, 0, 'the cut ADU is not paired');
  });

  test('end reports a partial ADU', () => {
    const { ctx, a } = start();
    a.deliver(false, subView(RESP6.subarray(0, 5)), 1);
    a.end(2);
    assert.deepEqual(ctx.anomalyNames(), ['modbus.partial_adu_discarded']);
  });

  test('a malformed PDU keeps its header row, is a violation and is not paired', () => {
    const { ctx, a } = start();
    a.deliver(true, subView(fixture('fc05-write-single-coil.hex', 'invalid-value-request')), 1);
    a.end(2);
    assert.deepEqual(rows(ctx), ['5 17 WRITE_SINGLE_COIL REQ -']);
    assert.deepEqual(ctx.anomalies.map((x) => `${x.name}/${x.grade}`), ['modbus.invalid_coil_value/violation']);
    assert.equal(ctx.stream('modbus_detailed').length, 0);
  });

  test('output is deterministic', () => {
    const steps: [boolean, Uint8Array][] = [
      [true, REQ3],
      [true, fixture('fc22-mask-write-register.hex', 'request')],
      [false, RESP3],
      [false, fixture('fc22-mask-write-register.hex', 'response')],
      [true, REQ6],
    ];
    const run = (): unknown => {
      const { ctx, a } = start();
      for (const [isOrig, b] of steps) a.deliver(isOrig, subView(b), 1);
      a.end(2);
      return ctx.records;
    };
    assert.deepEqual(run(), run());
  });
});

describe('client and server by port (roles.ts)', () => {
  /** A flow opened by 10.0.0.1:`origP` to 10.0.0.2:`respP`. */
  function conn(origP: number, respP: number): ConnId {
    return { orig_h: '10.0.0.1', orig_p: origP, resp_h: '10.0.0.2', resp_p: respP, proto: 'tcp' };
  }

  test('the side on port 502 is the server; with both or neither on it, the originator is the client', () => {
    assert.equal(originatorIsClient(conn(40000, 502)), true);
    assert.equal(originatorIsClient(conn(502, 4446)), false);
    assert.equal(originatorIsClient(conn(502, 502)), true);
    assert.equal(originatorIsClient(conn(40000, 5020)), true);
    assert.equal(originatorIsClient(conn(40000, 5020), [5020]), true);
    assert.equal(originatorIsClient(conn(5020, 40000), [5020]), false);
  });

  test('a server that opened the connection from 502: its messages are responses, sent by the originator', () => {
    const ctx = new FakeFlowContext('CFromServer', conn(502, 4446));
    const a = new ModbusAnalyzer(ctx);
    a.deliver(false, subView(REQ3), 1); // the client (responder) asks
    a.deliver(true, subView(RESP3), 2); // the server (originator) answers
    a.deliver(true, subView(fixture('exceptions.hex', 'code-06')), 3); // an exception with no request
    a.end(4);
    assert.deepEqual(rows(ctx), ['3 17 READ_HOLDING_REGISTERS REQ -', '3 17 READ_HOLDING_REGISTERS RESP -', '6 1 READ_HOLDING_REGISTERS_EXCEPTION RESP SLAVE_DEVICE_BUSY']);
    const m = ctx.stream('modbus');
    // id.* stay the TCP connection's; source/destination are the true sender and receiver.
    assert.ok(m.every((r) => r['id.orig_h'] === '10.0.0.1' && r['id.orig_p'] === 502 && r['id.resp_h'] === '10.0.0.2' && r['id.resp_p'] === 4446));
    assert.deepEqual(
      m.map((r) => `${r.source_h}:${r.source_p}>${r.destination_h}:${r.destination_p}`),
      ['10.0.0.2:4446>10.0.0.1:502', '10.0.0.1:502>10.0.0.2:4446', '10.0.0.1:502>10.0.0.2:4446'],
    );
    assert.deepEqual(
      m.map((r) => r.exception_code),
      [null, null, 6],
    );
    assert.ok(!ctx.anomalyNames().includes('modbus.exception_in_request'));
    const d = ctx.stream('modbus_detailed');
    assert.deepEqual(
      d.map((r) => [r.func, r.matched, r.response_values, r.source_p, r.exception_code]),
      [
        ['READ_HOLDING_REGISTERS', true, [555, 0, 100], 4446, null],
        ['READ_HOLDING_REGISTERS_EXCEPTION', null, null, 502, 'SLAVE_DEVICE_BUSY'],
      ],
    );
    assert.deepEqual(ctx.services, ['modbus']);
  });

  test('side logs keep is_orig as the TCP direction and REQUEST / RESPONSE as the role', () => {
    const ctx = new FakeFlowContext('CFromServer', conn(502, 4446));
    const a = new ModbusAnalyzer(ctx);
    a.deliver(false, subView(fixture('fc22-mask-write-register.hex', 'request')), 1);
    a.deliver(true, subView(fixture('fc22-mask-write-register.hex', 'response')), 2);
    a.end(3);
    assert.deepEqual(
      ctx.stream('modbus_mask_write_register').map((r) => [r.is_orig, r.request_response, r.source_p, r.destination_p]),
      [
        [false, 'REQUEST', 4446, 502],
        [true, 'RESPONSE', 502, 4446],
      ],
    );
  });

  test('with 502 on neither side the originator stays the client', () => {
    const ctx = new FakeFlowContext('CNeither', conn(40000, 5020));
    const a = new ModbusAnalyzer(ctx);
    a.deliver(true, subView(REQ3), 1);
    a.deliver(false, subView(RESP3), 2);
    assert.deepEqual(rows(ctx), ['3 17 READ_HOLDING_REGISTERS REQ -', '3 17 READ_HOLDING_REGISTERS RESP -']);
    const custom = new FakeFlowContext('CCustom', conn(5020, 40000));
    const b = new ModbusAnalyzer(custom, [5020]);
    b.deliver(true, subView(RESP3), 1);
    assert.deepEqual(rows(custom), ['3 17 READ_HOLDING_REGISTERS RESP -'], 'a configured server port decides the same way');
  });
});

describe('oversized ADUs (MBAP length above 254)', () => {
  const UMAS = fixture('oversized.hex', 'umas-255');

  test('a length-255 ADU is parsed, with a weird and no violation, whole or byte by byte', () => {
    for (const chunk of [UMAS.length, 100, 7, 1]) {
      const { ctx, a } = start();
      for (let o = 0; o < UMAS.length; o += chunk) a.deliver(true, subView(UMAS.subarray(o, o + chunk)), 1);
      a.deliver(true, subView(REQ6), 2);
      a.end(3);
      assert.deepEqual(rows(ctx), ['7 0 PROGRAM_UNITY REQ -', '6 17 WRITE_SINGLE_REGISTER REQ -'], `chunks of ${chunk}`);
      assert.deepEqual(
        ctx.anomalies.map((x) => `${x.name}/${x.grade}/${x.addl}`),
        ['modbus.oversized_adu/weird/length 255 > 254, function 90'],
        `chunks of ${chunk}`,
      );
      assert.deepEqual(ctx.services, ['modbus']);
    }
  });

  test('the request and its oversized answer make one bare row each in modbus_detailed', () => {
    const { ctx, a } = start();
    a.deliver(true, subView(UMAS), 1);
    a.deliver(false, subView(UMAS), 2);
    a.end(3);
    assert.deepEqual(
      ctx.stream('modbus_detailed').map((r) => [r.func, r.matched, r.source_p]),
      [
        ['PROGRAM_UNITY', null, 40000],
        ['PROGRAM_UNITY', null, 502],
      ],
    );
  });

  test('an oversized ADU is joined across chunks only within maxAnalyzerBufferBytes', () => {
    const { ctx, a } = start({ maxAnalyzerBufferBytes: 260 });
    a.deliver(true, subView(UMAS.subarray(0, 100)), 1);
    a.deliver(true, subView(UMAS.subarray(100)), 2);
    a.deliver(true, subView(REQ6), 3);
    assert.ok(ctx.anomalyNames().includes('modbus.buffer_limit'));
    assert.deepEqual(rows(ctx), ['7 0 PROGRAM_UNITY REQ -', '6 17 WRITE_SINGLE_REGISTER REQ -']);
  });

  test('a length above OVERSIZED_LENGTH_CAP is still a violation', () => {
    const { ctx, a } = start();
    a.deliver(true, subView(REQ3), 1);
    // tid 8, protocol 0, length 1455 (cap + 1), unit 0, function 90, 4 data bytes.
    a.deliver(true, subView(Uint8Array.from([0, 8, 0, 0, 0x05, 0xaf, 0, 0x5a, 1, 2, 3, 4])), 2);
    assert.deepEqual(rows(ctx), ['3 17 READ_HOLDING_REGISTERS REQ -']);
    assert.deepEqual(ctx.anomalies.map((x) => `${x.name}/${x.grade}/${x.addl}`), ['modbus.invalid_length/violation/length 1455']);
  });
});
