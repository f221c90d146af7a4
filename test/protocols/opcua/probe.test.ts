import assert from 'node:assert/strict';
import { test } from 'node:test';
import { probeOpcua } from '../../../src/protocols/opcua/probe.js';
import { ACK, CLOSE_RES, HEL, OPN_REQ, bytes, subView, u32 } from './fixtures.js';

test('probe: a chunk header of each type says yes, on any port and sub-views', () => {
  for (const m of [HEL, ACK, OPN_REQ, CLOSE_RES]) assert.equal(probeOpcua(subView(m), true, false), 'yes');
});

test('probe: prefixes wait, other protocols say no', () => {
  assert.equal(probeOpcua(HEL.subarray(0, 3), true, false), 'maybe');
  assert.equal(probeOpcua(OPN_REQ.subarray(0, 6), true, true), 'maybe');
  assert.equal(probeOpcua(bytes(['474554', 'GET']), true, false), 'no');
  // Modbus/TCP request: transaction 1, protocol 0, length 6, unit 1, FC 3
  assert.equal(probeOpcua(bytes(['0001', 'tid'], ['0000', 'protocol id'], ['0006', 'length'], ['01', 'unit'], ['03', 'fc'], ['00000001', 'addr, count']), true, false), 'no');
});

test('probe: implausible sizes say no', () => {
  assert.equal(probeOpcua(bytes(['41434b46', 'ACK F'], [u32(40), 'ACK is always 28 bytes'], ['00'.repeat(32), 'body']), false, false), 'no');
  assert.equal(probeOpcua(bytes(['48454c46', 'HEL F'], [u32(20000), 'HEL above 4128 bytes']), true, false), 'no');
  assert.equal(probeOpcua(bytes(['4d534746', 'MSG F'], [u32(8), 'below the 16-byte minimum']), true, false), 'no');
  assert.equal(probeOpcua(bytes(['48454c43', 'HEL C: not a chunk type HEL has'], [u32(56), 'size']), true, false), 'no');
});
