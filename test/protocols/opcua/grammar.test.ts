import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Cursor,
  POLICY_NONE,
  chunkHeaderSize,
  guidText,
  hexCapped,
  parseAsymHeader,
  parseError,
  parseHelloAck,
  parseRequestHeader,
  parseResponseHeader,
  readNodeId,
} from '../../../src/protocols/opcua/grammar.js';
import { serviceTypeName } from '../../../src/protocols/opcua/service-types.js';
import { statusCodeName } from '../../../src/protocols/opcua/status-codes.js';
import { ACK, CLOSE_REQ, CLOSE_RES, ERR, HEL, OPN_REQ, bytes, subView, u32 } from './fixtures.js';

function cursorAt(b: Uint8Array, start: number): Cursor {
  const c = new Cursor();
  c.reset(b, start, b.length);
  return c;
}

test('chunk header: size of every fixture, on a sub-view', () => {
  for (const m of [HEL, ACK, ERR, OPN_REQ, CLOSE_REQ, CLOSE_RES]) {
    const v = subView(m);
    assert.equal(chunkHeaderSize(v, 0, 1 << 24), m.length);
  }
});

test('chunk header: unknown type, bad chunk letter, size out of range are not headers', () => {
  assert.equal(chunkHeaderSize(bytes(['585858', 'XXX'], ['46', 'F'], [u32(16), 'size']), 0, 1 << 24), -1);
  assert.equal(chunkHeaderSize(bytes(['48454c', 'HEL'], ['43', 'C: HEL has only F'], [u32(56), 'size']), 0, 1 << 24), -1);
  assert.equal(chunkHeaderSize(bytes(['4d5347', 'MSG'], ['43', 'C'], [u32(100), 'size']), 0, 1 << 24), 100);
  assert.equal(chunkHeaderSize(bytes(['4d5347', 'MSG'], ['46', 'F'], [u32(15), 'size below 16']), 0, 1 << 24), -1);
  assert.equal(chunkHeaderSize(bytes(['4d5347', 'MSG'], ['46', 'F'], [u32(1 << 25), 'size above the bound']), 0, 1 << 24), -1);
  assert.equal(chunkHeaderSize(bytes(['4d5347', 'MSG'], ['46', 'F'], ['1000', 'size cut']), 0, 1 << 24), -1);
});

test('HEL, ACK and ERR bodies', () => {
  const h = parseHelloAck(cursorAt(subView(HEL), 8), true);
  assert.deepEqual(h, { version: 0, rcvBufSize: 65535, sndBufSize: 65535, maxMsgSize: 0, maxChunkCnt: 0, endpointUrl: 'opc.tcp://localhost:4840' });
  assert.equal(parseHelloAck(cursorAt(ACK, 8), false)?.endpointUrl, null);
  assert.deepEqual(parseError(cursorAt(ERR, 8)), { error: 0x80830000, reason: 'bad url a' });
  assert.equal(parseHelloAck(cursorAt(HEL.subarray(0, 40), 8), true), null, 'a HEL cut inside its EndpointUrl');
});

test('asymmetric security header of OPN', () => {
  const a = parseAsymHeader(cursorAt(subView(OPN_REQ), 12));
  assert.deepEqual(a, { policyUriLen: 47, policyUri: POLICY_NONE, sndCertLen: -1, sndCert: null, rcvThumbLen: -1, rcvThumb: null });
});

test('certificates are logged as 0x-hex of their first 24 bytes', () => {
  const cert = new Uint8Array(30).map((_, i) => i);
  assert.equal(hexCapped(cert, 0, 30), '0x000102030405060708090a0b0c0d0e0f1011121314151617...');
  assert.equal(hexCapped(cert, 2, 3), '0x020304');
});

test('GUID text: Data1-Data3 are little-endian numbers (ICSNPP prints them in wire order: its error)', () => {
  // AuthenticationToken of open62541_client-server_mainloop.pcap, frame 47 (ActivateSessionRequest):
  const g = bytes(
    ['39121615', 'Data1 UInt32 LE = 0x15161239'],
    ['46f3', 'Data2 UInt16 LE = 0xf346'],
    ['6d34', 'Data3 UInt16 LE = 0x346d'],
    ['fecffcbfbacb4c14', 'Data4 8 bytes in order'],
  );
  // OPC 10000-6 §5.1.3 / §5.2.2.6: Data1 is a UInt32, Data2 and Data3 UInt16, encoded little-endian.
  // tshark shows opcua.nodeid.guid == 15161239-f346-346d-fecf-fcbfbacb4c14 for these bytes.
  assert.equal(guidText(subView(g), 0), '15161239-f346-346d-fecf-fcbfbacb4c14');
  // ICSNPP's opcua_binary.log shows req_hdr_node_id_guid 39121615-46f3-6d34-fecf-fcbfbacb4c14: the bytes
  // printed in wire order, not the GUID they encode.
  assert.notEqual(guidText(g, 0), '39121615-46f3-6d34-fecf-fcbfbacb4c14');
});

test('NodeId encodings', () => {
  const two = readNodeId(cursorAt(bytes(['00', 'TwoByte'], ['2a', 'id 42']), 0), false);
  assert.deepEqual([two.encoding, two.ns, two.numeric], [0, -1, 42]);
  const four = readNodeId(cursorAt(bytes(['01', 'FourByte'], ['02', 'ns 2'], ['7702', 'id 631']), 0), false);
  assert.deepEqual([four.ns, four.numeric], [2, 631]);
  const num = readNodeId(cursorAt(bytes(['02', 'Numeric'], ['0300', 'ns 3'], [u32(70000), 'id 70000']), 0), false);
  assert.deepEqual([num.ns, num.numeric], [3, 70000]);
  const str = readNodeId(cursorAt(bytes(['03', 'String'], ['0100', 'ns 1'], [u32(3), 'length 3'], ['616263', '"abc"']), 0), false);
  assert.deepEqual([str.ns, str.str], [1, 'abc']);
  const opq = readNodeId(cursorAt(bytes(['05', 'ByteString'], ['0000', 'ns 0'], [u32(2), 'length 2'], ['beef', 'bytes']), 0), false);
  assert.equal(opq.opaque, '0xbeef');
  const bad = cursorAt(bytes(['07', 'no such encoding'], ['00', 'pad']), 0);
  readNodeId(bad, false);
  assert.equal(bad.bad, true);
  const cut = cursorAt(bytes(['03', 'String'], ['0000', 'ns 0'], [u32(9), 'length 9 past the end'], ['61', 'one byte']), 0);
  readNodeId(cut, false);
  assert.equal(cut.bad, true);
});

test('RequestHeader and ResponseHeader of CloseSession', () => {
  const c = cursorAt(subView(CLOSE_REQ), 28);
  const h = parseRequestHeader(c);
  assert.ok(h);
  assert.equal(h.authToken.encoding, 4);
  assert.equal(h.authToken.ns, 1);
  assert.equal(h.requestHandle, 7);
  assert.equal(h.timeoutHint, 10000);
  assert.equal(h.auditEntryId, '');
  assert.deepEqual([h.addHdr.typeId, h.addHdr.encoding], [0, 0]);
  // ticks 0x01d5d125a44bcae0 = 132242723677723360 → 1579698767.772336 s after the Unix epoch
  assert.ok(h.timestamp !== null && Math.abs(h.timestamp - 1579698767.772336) < 1e-6);
  const r = parseResponseHeader(cursorAt(CLOSE_RES, 28));
  assert.ok(r);
  assert.equal(r.serviceResult, 0x80250000);
  assert.equal(r.requestHandle, 7);
  assert.equal(r.diagEncoding, 0);
});

test('DateTime keeps sub-microsecond precision; 0 is unset', () => {
  // ticks 0x01d842b7f21e6180 = 132929546815955328 → 1648481081.5955328 s (tshark: .595532)
  const c = cursorAt(bytes(['80611ef2b742d801', 'DateTime'], ['0000000000000000', 'DateTime 0']), 0);
  const t = c.dateTime();
  assert.ok(t !== null && Math.abs(t - 1648481081.5955328) < 3e-7);
  assert.equal(c.dateTime(), null);
});

test('a ResponseHeader with DiagnosticInfo and a string table is skipped to its end', () => {
  const b = bytes(
    ['0000000000000000', 'Timestamp unset'],
    [u32(3), 'RequestHandle 3'],
    ['00003480', 'ServiceResult BadNodeIdUnknown'],
    ['51', 'DiagnosticInfo mask: SymbolicId 0x01, AdditionalInfo 0x10, InnerDiagnosticInfo 0x40'],
    [u32(1), 'SymbolicId 1'],
    [u32(2), 'AdditionalInfo length 2'],
    ['6869', '"hi"'],
    ['20', 'inner DiagnosticInfo mask: InnerStatusCode'],
    ['00000000', 'InnerStatusCode Good'],
    [u32(1), 'StringTable: 1 string'],
    [u32(1), 'length 1'],
    ['78', '"x"'],
    ['00 00 00', 'AdditionalHeader null'],
    ['ff', 'next field'],
  );
  const c = cursorAt(b, 0);
  const r = parseResponseHeader(c);
  assert.ok(r);
  assert.equal(r.diagEncoding, 0x51);
  assert.equal(r.timestamp, null);
  assert.equal(b[c.pos], 0xff);
});

test('service type and status code names', () => {
  assert.equal(serviceTypeName(631), 'ReadRequest');
  assert.equal(serviceTypeName(397), 'ServiceFault');
  assert.equal(serviceTypeName(632), null);
  assert.equal(statusCodeName(0), 'Good');
  assert.equal(statusCodeName(0x80340000), 'BadNodeIdUnknown');
  assert.equal(statusCodeName(0x00a60400), 'GoodMoreData', 'info bits ignored');
  assert.equal(statusCodeName(0x81ff0000), 'Unknown_0x81ff0000');
});
