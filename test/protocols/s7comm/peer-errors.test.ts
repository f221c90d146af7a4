/**
 * The differences from ICSNPP-S7comm's expected logs (icsnpp/s7comm/baseline) that the conformance test
 * accepts as the peer's errors, each shown on the bytes of the frame concerned (snap7.pcap; fixtures.ts).
 * tshark agrees with CraneWatch on every one of these frames (test/conformance/s7comm-peers.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { S7commAnalyzer } from '../../../src/protocols/s7comm/analyzer.js';
import { newS7Pdu, parseS7comm } from '../../../src/protocols/s7comm/grammar.js';
import { FakeFlowContext } from '../modbus/fake-context.js';
import { ACK_ERROR, SZL_1C_FIRST, SZL_1C_LAST, SZL_1C_NEXT_REQUEST, SZL_REQUEST } from './fixtures.js';

const ID = { orig_h: '134.217.61.131', orig_p: 51212, resp_h: '134.217.61.211', resp_p: 102, proto: 'tcp' as const };
const S7_AT = 7;

test('peer error: ICSNPP logs the PDU reference byte-swapped (snap7.pcap frame 3: bytes 01 00, ICSNPP 1, tshark 256)', () => {
  const p = newS7Pdu();
  assert.equal(parseS7comm(SZL_REQUEST, S7_AT, SZL_REQUEST.length, p), 'ok');
  // The header's 16-bit fields are big-endian: read little-endian, the parameter length 00 08 would be
  // 2048 and the data length 2048, far past this 33-byte frame; read big-endian they end it exactly.
  assert.equal(p.paramLength, 8);
  assert.equal(p.dataLength, 8);
  assert.equal(p.dataOffset + p.dataLength, SZL_REQUEST.length);
  // So the PDU reference 01 00 is 256 (tshark s7comm.header.pduref = 256); ICSNPP writes 1.
  assert.equal(p.pduRef, 256);
  assert.notEqual(p.pduRef, 1);
});

test('peer error: ICSNPP drops a Read SZL response split over fragments and its follow-up request (snap7.pcap frames 6–8)', () => {
  const p = newS7Pdu();
  assert.equal(parseS7comm(SZL_1C_FIRST, S7_AT, SZL_1C_FIRST.length, p), 'ok');
  // First fragment: data unit reference 0xd5, last data unit 0x01 ("more follow"); the SZL list header
  // announces 10 records of 34 bytes (340) but the fragment holds 214 - 8 = 206 record bytes. The list goes
  // on in the last fragment, whose 134 data bytes are the other 134 (206 + 134 = 340).
  assert.deepEqual([p.udDataUnitRef, p.udLastUnit, p.itemLength], [0xd5, 0x01, 214]);
  assert.equal(34 * 10, 214 - 8 + 134);
  const last = newS7Pdu();
  assert.equal(parseS7comm(SZL_1C_LAST, S7_AT, SZL_1C_LAST.length, last), 'ok');
  assert.deepEqual([last.udDataUnitRef, last.udLastUnit, last.itemLength], [0xd5, 0x00, 134]);
  // The follow-up request carries no SZL id: return code 0x0a, data length 0 (ICSNPP reads an id and
  // index from it anyway and fails on the negative length that leaves).
  const next = newS7Pdu();
  assert.equal(parseS7comm(SZL_1C_NEXT_REQUEST, S7_AT, SZL_1C_NEXT_REQUEST.length, next), 'ok');
  assert.deepEqual([next.returnCode, next.itemLength], [0x0a, 0]);
  // CraneWatch logs all four PDUs in s7comm (ICSNPP: frames 5 and 8 only) and the response once, at its
  // last fragment, with the SZL id of the first (tshark shows szl_id 0x001c on frame 8, none on frame 6).
  const ctx = new FakeFlowContext('CHhAvVGS1DHFjwGM9', ID);
  const a = new S7commAnalyzer(ctx);
  a.deliver(false, SZL_1C_FIRST, 6);
  a.deliver(true, SZL_1C_NEXT_REQUEST, 7);
  a.deliver(false, SZL_1C_LAST, 8);
  assert.deepEqual(ctx.stream('s7comm').map((r) => r.ts), [6, 7, 8]);
  assert.deepEqual(ctx.stream('s7comm_read_szl').map((r) => [r.ts, r.szl_id]), [[8, '0x001c']]);
});

test('peer error: ICSNPP drops an Ack (ROSCTR 2) without parameter (snap7.pcap frame 44, the refused Full upload)', () => {
  const p = newS7Pdu();
  assert.equal(parseS7comm(ACK_ERROR, S7_AT, ACK_ERROR.length, p), 'ok');
  // TPKT 19 = 4 + COTP 3 + Ack header 12 (with error class and code): parameter and data lengths are 0,
  // so there is no function byte to read — ICSNPP's Ack record expects one.
  assert.deepEqual([ACK_ERROR.length, p.paramLength, p.dataLength, p.func], [4 + 3 + 12, 0, 0, -1]);
  assert.deepEqual([p.errorClass, p.errorCode], [0xd2, 0x0c]);
  const ctx = new FakeFlowContext('CHhAvVGS1DHFjwGM9', ID);
  new S7commAnalyzer(ctx).deliver(false, ACK_ERROR, 44);
  const [r] = ctx.stream('s7comm');
  assert.deepEqual([r.rosctr_name, r.error_class, r.error_code], ['ACK', 'Unknown error class-0xd2', '0x0c']);
});
