import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  multipleServiceStarts,
  newCipMessage,
  newCpfList,
  newEncapHeader,
  newIdentityFields,
  newIoDatagram,
  newPathIds,
  parseCip,
  parseCpf,
  parseIdentityAttributes,
  parseIdentityItem,
  parseIoDatagram,
  parsePath,
  readEncapHeader,
} from '../../../src/protocols/enip/grammar.js';
import { GAA_IDENTITY_REP, GAA_IDENTITY_REQ, IO_DATAGRAM, LIST_IDENTITY_REP, MSP_REP, MSP_REQ, REGISTER_SESSION_REP, hex, noisy } from './fixtures.js';
import { code8 } from '../../../src/protocols/enip/names.js';

test('readEncapHeader reads the 24-byte header of a sub-view', () => {
  const b = noisy(REGISTER_SESSION_REP);
  const h = newEncapHeader();
  assert.equal(readEncapHeader(b, 0, b.length, h), true);
  assert.equal(h.command, 0x65);
  assert.equal(h.length, 4);
  assert.equal(h.session, 0x12345678);
  assert.equal(h.status, 0);
  assert.equal(h.contextOff, 12);
  assert.deepEqual([...b.subarray(h.contextOff, h.contextOff + 8)], [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(readEncapHeader(b, 0, 23, h), false, '23 bytes are not a header');
});

test('parseCpf lists the items of SendRRData and rejects a truncated list', () => {
  const b = noisy(GAA_IDENTITY_REQ);
  const l = newCpfList();
  assert.equal(parseCpf(b, 30, b.length, l), null);
  assert.equal(l.count, 2);
  assert.deepEqual({ ...l.items[0] }, { type: 0x0000, off: 36, len: 0 });
  assert.deepEqual({ ...l.items[1] }, { type: 0x00b2, off: 40, len: 6 });
  assert.equal(parseCpf(b, 30, b.length - 1, l), 'enip.cpf_truncated');
  assert.equal(parseCpf(hex('41 00'), 0, 2, l), 'enip.cpf_too_many_items', '65 items');
});

test('parseCip reads a request path and a response status with additional status', () => {
  const m = newCipMessage();
  const req = noisy(GAA_IDENTITY_REQ);
  assert.equal(parseCip(req, 40, 46, m), null);
  assert.equal(m.service, 0x01);
  assert.equal(m.isResponse, false);
  assert.equal(m.pathOff, 42);
  assert.equal(m.pathLen, 4);
  assert.equal(m.dataOff, 46);
  assert.equal(parseCip(req, 40, 45, m), 'cip.truncated', 'path runs past the item');
  const rep = noisy(MSP_REP);
  // reply 1 of the Multiple Service Packet: 83 00 05 01 07 01
  const at = rep.length - 6;
  assert.equal(parseCip(rep, at, rep.length, m), null);
  assert.equal(m.service, 0x03);
  assert.equal(m.isResponse, true);
  assert.equal(m.status, 0x05);
  assert.equal(m.extStatus, 0x0107, 'additional status size counts 16-bit words (Vol 1 §2-4.2)');
  assert.equal(parseCip(rep, at, rep.length - 1, m), 'cip.truncated');
});

test('parsePath reads 8-, 16- and 32-bit logical segments and stops at other segment types', () => {
  const ids = newPathIds();
  parsePath(hex('20 02 24 01'), 0, 4, ids);
  assert.deepEqual({ ...ids }, { classId: 2, instanceId: 1, attributeId: -1 });
  // 16-bit class 0x0300 (pad byte), 32-bit instance 0x00012420 (pad byte), 8-bit attribute 7
  const b = noisy(hex('21 00 00 03  26 00 20 24 01 00  30 07'));
  parsePath(b, 0, b.length, ids);
  assert.deepEqual({ ...ids }, { classId: 0x0300, instanceId: 0x00012420, attributeId: 7 });
  // symbolic segment 0x91 "abc": no class
  parsePath(hex('91 03 61 62 63 00'), 0, 6, ids);
  assert.deepEqual({ ...ids }, { classId: -1, instanceId: -1, attributeId: -1 });
  // a 16-bit segment cut by the path's end is ignored
  parsePath(hex('20 06 25 00'), 0, 4, ids);
  assert.deepEqual({ ...ids }, { classId: 6, instanceId: -1, attributeId: -1 });
});

test('multipleServiceStarts turns offsets into absolute starts and rejects outside offsets', () => {
  const b = noisy(MSP_REQ);
  const starts = [0, 0, 0, 0];
  const data = 52; // after 0a 02 20 02 24 01
  assert.equal(multipleServiceStarts(b, data, b.length, starts), 2);
  assert.deepEqual(starts.slice(0, 2), [data + 6, data + 14]);
  assert.equal(b[starts[0]], 0x0e);
  assert.equal(b[starts[1]], 0x03);
  assert.equal(multipleServiceStarts(hex('01 00 09 00 00'), 0, 5, starts), -1, 'offset 9 past the end');
  assert.equal(multipleServiceStarts(hex('03 00 06 00'), 0, 4, starts), -1, 'offset table past the end');
});

test('parseIdentityItem reads a ListIdentity item (big-endian socket address)', () => {
  const b = noisy(LIST_IDENTITY_REP);
  const d = newIdentityFields();
  assert.equal(parseIdentityItem(b, 30, b.length, d), true);
  assert.equal(d.encapVersion, 1);
  assert.equal(d.socketPort, 44818);
  assert.equal(d.socketAddr, 0x0a0101a4);
  assert.equal(d.vendorId, 1);
  assert.equal(d.deviceType, 12);
  assert.equal(d.productCode, 58);
  assert.equal(`${d.revMajor}.${d.revMinor}`, '4.3');
  assert.equal(d.status, 0x30);
  assert.equal(d.serial, 0x00524d8e);
  assert.equal(Buffer.from(b.subarray(d.nameOff, d.nameOff + d.nameLen)).toString('latin1'), '1756-ENBT/A');
  assert.equal(d.state, 3);
  assert.equal(parseIdentityItem(b, 30, b.length - 2, d), false, 'name cut');
});

test('parseIdentityAttributes reads a Get_Attributes_All reply; state is optional', () => {
  const b = noisy(GAA_IDENTITY_REP);
  const d = newIdentityFields();
  const data = b.length - 26;
  assert.equal(parseIdentityAttributes(b, data, b.length, d), true);
  assert.equal(d.encapVersion, -1);
  assert.equal(d.deviceType, 14);
  assert.equal(d.serial, 0x003a8fae);
  assert.equal(d.state, 3);
  assert.equal(parseIdentityAttributes(b, data, b.length - 1, d), true);
  assert.equal(d.state, -1);
});

test('parseIoDatagram reads the sequenced address and connected data items', () => {
  const b = noisy(IO_DATAGRAM);
  const io = newIoDatagram();
  assert.equal(parseIoDatagram(b, 0, b.length, io), true);
  assert.equal(io.connectionId, 0x004b0603);
  assert.equal(io.sequence, 4166875);
  assert.equal(io.dataOff, 18);
  assert.equal(io.dataLen, 6);
  assert.equal(parseIoDatagram(b, 0, b.length - 1, io), false, 'data cut');
  const wrong = IO_DATAGRAM.slice();
  wrong[2] = 0x01; // item type 0x8001
  assert.equal(parseIoDatagram(wrong, 0, wrong.length, io), false);
});

test('code8: the 0x-prefixed hex of a code, two digits for a byte, unpadded above', () => {
  assert.deepEqual([code8(0), code8(0x0a), code8(0xff), code8(0x100), code8(0x1234)], ['0x00', '0x0a', '0xff', '0x100', '0x1234']);
});
