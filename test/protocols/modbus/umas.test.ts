import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ModbusAnalyzer } from '../../../src/protocols/modbus/analyzer.js';
import { UmasFunction, parseUmas, umasName, umasStatusName } from '../../../src/protocols/modbus/umas.js';
import { FakeFlowContext } from './fake-context.js';
import { hex, subView } from '../dns/fixtures.js';

/** READ_ID request, modicon_test.pcap frame 4 (192.168.63.100:7718 → 192.168.63.253:502). */
const READ_ID_REQ = hex(`
  00 00                 # MBAP transaction id 0
  00 00                 # protocol id 0
  00 04                 # length 4: unit + fc + 2 data bytes
  00                    # unit 0 (the PLC itself)
  5a                    # function code 90: UMAS
  00                    # session key 0 (no reservation)
  02                    # UMAS code 0x02 READ_ID
`);

/** Its response (frame 6, shortened to its first data bytes, MBAP length adjusted). */
const READ_ID_RESP = hex(`
  00 00 00 00           # tid 0, protocol id 0
  00 07                 # length 7
  00 5a                 # unit 0, fc 90
  00                    # session key 0
  fe                    # status 0xFE: OK
  10 ff 5a              # data
`);

/** TAKE_PLC_RESERVATION request as the twin sends it: key 0, two zero bytes, host name length + text. */
const RESERVE_REQ = hex(`
  00 07 00 00 00 0a     # tid 7, pid 0, length 10
  00 5a                 # unit 0, fc 90
  00 10                 # key 0, UMAS 0x10 TAKE_PLC_RESERVATION
  00 00 03 50 43 31     # data: 00 00, name length 3, "PC1"
`);

/** The PLC grants it: status OK, the new session key 0x41. */
const RESERVE_RESP = hex(`
  00 07 00 00 00 05     # tid 7, pid 0, length 5
  00 5a                 # unit 0, fc 90
  00 fe 41              # key 0, status OK, new key 0x41
`);

/** STOP_PLC with the session key. */
const STOP_REQ = hex(`
  00 08 00 00 00 04     # tid 8, pid 0, length 4
  00 5a                 # unit 0, fc 90
  41 41                 # key 0x41, UMAS 0x41 STOP_PLC
`);

/** Refused: status 0xFD. */
const STOP_ERR = hex(`
  00 08 00 00 00 04     # tid 8, pid 0, length 4
  00 5a                 # unit 0, fc 90
  41 fd                 # key 0x41, status 0xFD error
`);

/** UPLOAD_BLOCK (PC → PLC) block 0x0102: data 00 01, block number LE, length LE, 2 program bytes. */
const BLOCK_REQ = hex(`
  00 09 00 00 00 0c     # tid 9, pid 0, length 12
  00 5a                 # unit 0, fc 90
  41 31                 # key 0x41, UMAS 0x31 UPLOAD_BLOCK
  00 01                 # constant 00 01
  02 01                 # block number 0x0102 (little-endian)
  02 00                 # block length 2 (little-endian)
  de ad                 # program bytes
`);

/** A function-90 request with only the key byte. */
const SHORT_REQ = hex('00 0a 00 00 00 03  00 5a  41   # tid 10, length 3, unit 0, fc 90, key only');

function run(...adus: [boolean, Uint8Array][]): FakeFlowContext {
  const ctx = new FakeFlowContext('CUmas', { orig_h: '10.40.5.172', orig_p: 50000, resp_h: '10.20.1.10', resp_p: 502, proto: 'tcp' });
  const a = new ModbusAnalyzer(ctx);
  let ts = 10;
  for (const [isOrig, b] of adus) a.deliver(isOrig, subView(b), ts++);
  a.end(ts);
  return ctx;
}

test('names and statuses follow the public UMAS tables', () => {
  assert.equal(umasName(0x41), 'STOP_PLC');
  assert.equal(umasName(0x40), 'START_PLC');
  assert.equal(umasName(0x30), 'INITIALIZE_UPLOAD');
  assert.equal(umasName(0x33), 'INITIALIZE_DOWNLOAD');
  assert.equal(umasName(0x10), 'TAKE_PLC_RESERVATION');
  assert.equal(umasName(0xee), 'unknown-0xee');
  assert.equal(umasStatusName(0xfe), 'OK');
  assert.equal(umasStatusName(0xfd), 'ERROR');
  assert.equal(UmasFunction.END_STRATEGY_DOWNLOAD, 0x35);
});

test('parseUmas: key, code and the block number of transfer requests', () => {
  assert.deepEqual(parseUmas(BLOCK_REQ, 8, BLOCK_REQ.length, true), { sessionKey: 0x41, code: 0x31, block: 0x0102 });
  assert.deepEqual(parseUmas(STOP_REQ, 8, STOP_REQ.length, true), { sessionKey: 0x41, code: 0x41, block: -1 });
  assert.deepEqual(parseUmas(STOP_ERR, 8, STOP_ERR.length, false), { sessionKey: 0x41, code: 0xfd, block: -1 });
  assert.equal(parseUmas(SHORT_REQ, 8, SHORT_REQ.length, true), null);
});

test('modbus_umas: requests and responses, the response named by its request', () => {
  const ctx = run([true, READ_ID_REQ], [false, READ_ID_RESP], [true, RESERVE_REQ], [false, RESERVE_RESP], [true, STOP_REQ], [false, STOP_ERR], [true, BLOCK_REQ]);
  const rows = ctx.stream('modbus_umas').map((r) => [r.tid, r.pdu_type, r.umas_code, r.umas_name, r.session_key, r.status, r.status_name, r.block, r.source_h, r.destination_h]);
  assert.deepEqual(rows, [
    [0, 'REQ', 2, 'READ_ID', 0, null, null, null, '10.40.5.172', '10.20.1.10'],
    [0, 'RESP', 2, 'READ_ID', 0, 254, 'OK', null, '10.20.1.10', '10.40.5.172'],
    [7, 'REQ', 0x10, 'TAKE_PLC_RESERVATION', 0, null, null, null, '10.40.5.172', '10.20.1.10'],
    [7, 'RESP', 0x10, 'TAKE_PLC_RESERVATION', 0, 254, 'OK', null, '10.20.1.10', '10.40.5.172'],
    [8, 'REQ', 0x41, 'STOP_PLC', 0x41, null, null, null, '10.40.5.172', '10.20.1.10'],
    [8, 'RESP', 0x41, 'STOP_PLC', 0x41, 253, 'ERROR', null, '10.20.1.10', '10.40.5.172'],
    [9, 'REQ', 0x31, 'UPLOAD_BLOCK', 0x41, null, null, 0x0102, '10.40.5.172', '10.20.1.10'],
  ]);
  assert.equal(ctx.stream('modbus_umas')[0].uid, 'CUmas');
  assert.equal(ctx.stream('modbus_umas')[0].unit, 0);
});

test('the modbus and modbus_detailed rows of function 90 are what they were without UMAS', () => {
  const ctx = run([true, READ_ID_REQ], [false, READ_ID_RESP]);
  assert.deepEqual(ctx.stream('modbus').map((r) => [r.tid, r.func, r.pdu_type, r.function_code]), [
    [0, 'PROGRAM_UNITY', 'REQ', 90],
    [0, 'PROGRAM_UNITY', 'RESP', 90],
  ]);
  assert.equal(ctx.stream('modbus_detailed').length, 2);
});

test('a function-90 PDU without key and code is a weird, not a record', () => {
  const ctx = run([true, SHORT_REQ]);
  assert.deepEqual(ctx.stream('modbus_umas'), []);
  assert.ok(ctx.anomalyNames().includes('modbus.umas_truncated'));
});

test('a response whose request was not seen has no UMAS code', () => {
  const ctx = run([false, RESERVE_RESP]);
  const [r] = ctx.stream('modbus_umas');
  assert.equal(r.umas_code, null);
  assert.equal(r.umas_name, null);
  assert.equal(r.status_name, 'OK');
});
