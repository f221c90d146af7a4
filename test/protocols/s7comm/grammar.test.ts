import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  newCotpHeader, newS7Pdu, parseCotp, parsePlusHeader, parseS7comm, parseSzlHeader, parseTransfer, plcControlServiceAt, tpktLength,
  type PlusHeader, type SzlHeader, type TransferFields,
} from '../../../src/protocols/s7comm/grammar.js';
import { ACK_ERROR, hex, noisy, PLC_CONTROL_JOB, PLUS_REQUEST, SETUP_ACK, SETUP_JOB, START_UPLOAD_ACK, START_UPLOAD_JOB, SZL_1C_FIRST, SZL_REQUEST } from './fixtures.js';

const S7_AT = 7; // TPKT (4) + COTP DT (3)

test('tpktLength: whole length, incomplete and invalid headers (RFC 1006 §6)', () => {
  const b = noisy(SETUP_JOB);
  assert.equal(tpktLength(b, 0, b.length), 25);
  assert.equal(tpktLength(b, 0, 3), 0);
  assert.equal(tpktLength(hex('04 00 00 19'), 0, 4), -1); // version 4
  assert.equal(tpktLength(hex('03 01 00 19'), 0, 4), -1); // reserved byte set
  assert.equal(tpktLength(hex('03 00 00 06'), 0, 4), -1); // shorter than TPKT + COTP minimum
});

test('parseCotp: DT with EOT, CR, and bad length indicators (ISO 8073 §13)', () => {
  const c = newCotpHeader();
  const b = noisy(SETUP_JOB);
  assert.equal(parseCotp(b, 4, b.length, c), true);
  assert.deepEqual({ ...c }, { code: 0xf, eot: true, payloadOffset: 7 });
  const cr = hex(`
    03 00 00 16  // TPKT length 22
    11 e0        // COTP: LI 17, CR with credit 0
    00 00 00 01 00  // destination ref 0, source ref 1, class 0
    c0 01 0a     // TPDU size 1024
    c1 02 01 00  // source TSAP
    c2 02 01 02  // destination TSAP
  `);
  assert.equal(parseCotp(cr, 4, cr.length, c), true);
  assert.equal(c.code, 0xe);
  assert.equal(c.payloadOffset, 22);
  assert.equal(parseCotp(hex('03 00 00 07 00 f0 80'), 4, 7, c), false); // LI 0
  assert.equal(parseCotp(hex('03 00 00 07 09 f0 80'), 4, 7, c), false); // LI past the packet
  assert.equal(parseCotp(hex('03 00 00 07 01 f0 80'), 4, 7, c), false); // DT needs LI ≥ 2
  const frag = hex('03 00 00 08 02 f0 00 32'); // DT without EOT
  assert.equal(parseCotp(frag, 4, 8, c), true);
  assert.equal(c.eot, false);
});

test('parseS7comm: Job and Ack-Data headers, function byte, error class and code', () => {
  const p = newS7Pdu();
  const job = noisy(SETUP_JOB);
  assert.equal(parseS7comm(job, S7_AT, job.length, p), 'ok');
  assert.equal(p.rosctr, 1);
  assert.equal(p.pduRef, 0);
  assert.equal(p.func, 0xf0);
  assert.equal(p.errorClass, -1);
  const ack = noisy(SETUP_ACK);
  assert.equal(parseS7comm(ack, S7_AT, ack.length, p), 'ok');
  assert.equal(p.rosctr, 3);
  assert.equal(p.errorClass, 0);
  assert.equal(p.func, 0xf0);
  const err = noisy(ACK_ERROR);
  assert.equal(parseS7comm(err, S7_AT, err.length, p), 'ok');
  assert.deepEqual([p.rosctr, p.pduRef, p.errorClass, p.errorCode, p.func], [2, 0x1500, 0xd2, 0x0c, -1]);
});

test('parseS7comm: User-Data parameter and data item; short and overrunning PDUs', () => {
  const p = newS7Pdu();
  const req = noisy(SZL_REQUEST);
  assert.equal(parseS7comm(req, S7_AT, req.length, p), 'ok');
  assert.equal(p.pduRef, 0x0100);
  assert.deepEqual([p.udMethod, p.udFunction, p.udSub, p.udSeq, p.udDataUnitRef, p.udError], [0x11, 0x44, 1, 0, -1, -1]);
  assert.deepEqual([p.returnCode, p.itemLength], [0xff, 4]);
  const resp = noisy(SZL_1C_FIRST);
  assert.equal(parseS7comm(resp, S7_AT, resp.length, p), 'ok');
  assert.deepEqual([p.udMethod, p.udFunction, p.udDataUnitRef, p.udLastUnit, p.udError, p.itemLength], [0x12, 0x84, 0xd5, 1, 0, 214]);
  assert.equal(parseS7comm(req, S7_AT, S7_AT + 9, p), 'short');
  assert.equal(parseS7comm(req, S7_AT, req.length - 1, p), 'overrun');
});

test('parseSzlHeader: request id / index and response list header', () => {
  const p = newS7Pdu();
  const z: SzlHeader = { id: 0, index: 0, recordLength: 0, recordCount: 0, recordsOffset: 0 };
  const req = noisy(SZL_REQUEST);
  parseS7comm(req, S7_AT, req.length, p);
  assert.equal(parseSzlHeader(req, p.itemOffset, p.itemLength, false, z), true);
  assert.deepEqual([z.id, z.index, z.recordLength], [0x0011, 0, -1]);
  const resp = noisy(SZL_1C_FIRST);
  parseS7comm(resp, S7_AT, resp.length, p);
  assert.equal(parseSzlHeader(resp, p.itemOffset, p.itemLength, true, z), true);
  assert.deepEqual([z.id, z.index, z.recordLength, z.recordCount, z.recordsOffset], [0x001c, 0, 34, 10, 41]);
  assert.equal(parseSzlHeader(resp, p.itemOffset, 3, true, z), false);
});

test('parseTransfer: Start Upload job file name and ack session / block length', () => {
  const p = newS7Pdu();
  const t: TransferFields = { status: 0, sessionId: 0, blockLength: 0, filenameOffset: 0, filenameLength: 0 };
  const job = noisy(START_UPLOAD_JOB);
  parseS7comm(job, S7_AT, job.length, p);
  assert.equal(parseTransfer(job, p, job.length, true, t), true);
  // File name after the parameter's 9 fixed bytes: S7 header at 7, parameter at 17, name at 26, 9 bytes.
  assert.deepEqual({ ...t }, { status: 0, sessionId: 0, blockLength: -1, filenameOffset: 26, filenameLength: 9 });
  assert.equal(Buffer.from(job.subarray(26, 35)).toString('latin1'), '_0B00000A');
  const ack = noisy(START_UPLOAD_ACK);
  parseS7comm(ack, S7_AT, ack.length, p);
  assert.equal(parseTransfer(ack, p, ack.length, false, t), true);
  assert.deepEqual({ ...t }, { status: 0, sessionId: 7, blockLength: 216, filenameOffset: -1, filenameLength: -1 });
  assert.equal(parseTransfer(ack, p, ack.length - 3, false, t), false);
});

test('plcControlServiceAt: the PI service name\u2019s length byte after the parameter block', () => {
  const p = newS7Pdu();
  const b = noisy(PLC_CONTROL_JOB);
  parseS7comm(b, S7_AT, b.length, p);
  // Parameter at 17: function, 7 unknown bytes, block length 2 at 25, block "EP", name length at 29.
  const at = plcControlServiceAt(b, p.paramOffset, p.dataOffset);
  assert.equal(at, 29);
  assert.equal(Buffer.from(b.subarray(at + 1, at + 1 + b[at])).toString('latin1'), '_MODU');
  assert.equal(plcControlServiceAt(b, p.paramOffset, p.dataOffset - 1), -1);
});

test('parsePlusHeader: version 3 digest skipped, opcode and function; trailer alone is no header', () => {
  const h: PlusHeader = { version: 0, opcode: 0, func: 0 };
  const b = noisy(PLUS_REQUEST);
  assert.equal(parsePlusHeader(b, S7_AT, b.length, h), true);
  assert.deepEqual({ ...h }, { version: 3, opcode: 0x31, func: 0x04f2 });
  const v1 = hex('72 01 00 10  33 00 00'); // version 1 (no integrity part), opcode 0x33 notification
  assert.equal(parsePlusHeader(v1, 0, v1.length, h), true);
  assert.deepEqual({ ...h }, { version: 1, opcode: 0x33, func: -1 });
  assert.equal(parsePlusHeader(hex('72 03 00 00 00'), 0, 5, h), false); // trailer: length 0
});
