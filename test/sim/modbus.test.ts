import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExceptionCode, FunctionCode } from '../../src/sim/modbus/constants.js';
import { writeMbap } from '../../src/sim/modbus/mbap.js';
import { RegisterBank } from '../../src/sim/modbus/register-bank.js';
import {
  encodeRequest,
  writeMultipleCoilsRequest,
  writeMultipleRegistersRequest,
  writeReadDeviceIdRequest,
  writeReadRequest,
  writeSingleWrite,
} from '../../src/sim/modbus/requests.js';
import {
  writeDeviceIdResponse,
  writeExceptionResponse,
  writeReadBitsResponse,
  writeReadRegistersResponse,
  writeWriteMultipleResponse,
} from '../../src/sim/modbus/responses.js';
import { ModbusServer } from '../../src/sim/modbus/server.js';
import { fromHex, hex } from './wire.js';

/** A 300-byte buffer whose encoders write at offset 5 of a sub-view starting at byte 11. */
function noisy(): { big: Uint8Array; view: Uint8Array } {
  const big = new Uint8Array(300).fill(0xaa);
  return { big, view: big.subarray(11) };
}

function adu(view: Uint8Array, len: number): string {
  return hex(view.subarray(5, 5 + len));
}

test('request encoders (Modbus AP V1.1b3 §6.1–§6.21) write exact ADUs into sub-views', () => {
  const { big, view } = noisy();
  let n = writeReadRequest(view, 5, 0x1234, 1, FunctionCode.READ_HOLDING_REGISTERS, 0, 12);
  assert.equal(n, 12);
  assert.equal(
    adu(view, n),
    hex(fromHex(`
      1234 0000 0006 01   # MBAP: transaction 0x1234, protocol 0, length 6, unit 1
      03 0000 000c        # FC 3, start address 0, quantity 12
    `)),
  );
  assert.equal(big[11 + 4], 0xaa, 'byte before the ADU untouched');
  assert.equal(big[11 + 5 + n], 0xaa, 'byte after the ADU untouched');

  n = writeSingleWrite(view, 5, 7, 1, FunctionCode.WRITE_SINGLE_REGISTER, 100, 450);
  assert.equal(adu(view, n), hex(fromHex('0007 0000 0006 01  06 0064 01c2  # FC 6, register 100, value 450')));

  n = writeSingleWrite(view, 5, 8, 255, FunctionCode.WRITE_SINGLE_COIL, 3, 0xff00);
  assert.equal(adu(view, n), hex(fromHex('0008 0000 0006 ff  05 0003 ff00  # FC 5, coil 3, ON')));

  n = writeMultipleRegistersRequest(view, 5, 9, 1, 2, [0x0001, 0xfffe, 0x8000], 0, 3);
  assert.equal(
    adu(view, n),
    hex(fromHex(`
      0009 0000 000d 01        # MBAP length 13 = unit + 12-byte PDU
      10 0002 0003 06          # FC 16, start 2, quantity 3, byte count 6
      0001 fffe 8000           # values
    `)),
  );

  // 10 coils: ON OFF ON ON OFF OFF OFF OFF | ON ON -> 0x0d, 0x03 (LSB first)
  n = writeMultipleCoilsRequest(view, 5, 10, 1, 19, [1, 0, 1, 1, 0, 0, 0, 0, 1, 1], 0, 10);
  assert.equal(adu(view, n), hex(fromHex('000a 0000 0009 01  0f 0013 000a 02  0d 03  # FC 15, start 19, qty 10, 2 bytes')));

  n = writeReadDeviceIdRequest(view, 5, 11, 1, 1, 0);
  assert.equal(adu(view, n), hex(fromHex('000b 0000 0005 01  2b 0e 01 00  # FC 43, MEI 14, basic, object 0')));

  n = encodeRequest({ fc: 1, unit: 2, address: 0x10, quantity: 2000 }, 0xffff, view, 5);
  assert.equal(adu(view, n), hex(fromHex('ffff 0000 0006 02  01 0010 07d0  # FC 1, start 16, qty 2000')));
});

test('response encoders write exact ADUs', () => {
  const { view } = noisy();
  let n = writeReadRegistersResponse(view, 5, 1, 1, 3, Uint16Array.from([9, 0, 0xffff, 0x0102]), 1, 3);
  assert.equal(adu(view, n), hex(fromHex('0001 0000 0009 01  03 06 0000 ffff 0102  # FC 3, 6 bytes, regs[1..3]')));

  n = writeReadBitsResponse(view, 5, 2, 1, 1, Uint8Array.from([1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1]), 0, 11);
  assert.equal(adu(view, n), hex(fromHex('0002 0000 0005 01  01 02 53 06  # FC 1, 2 bytes, 0b01010011, 0b110')));

  n = writeWriteMultipleResponse(view, 5, 3, 1, 16, 100, 2);
  assert.equal(adu(view, n), hex(fromHex('0003 0000 0006 01  10 0064 0002  # FC 16 echo of start and quantity')));

  n = writeExceptionResponse(view, 5, 4, 1, 3, ExceptionCode.ILLEGAL_DATA_ADDRESS);
  assert.equal(adu(view, n), hex(fromHex('0004 0000 0003 01  83 02  # FC 3 | 0x80, exception 2')));

  n = writeDeviceIdResponse(view, 5, 5, 1, 1, 0x81, false, 0, [
    { id: 0, value: Uint8Array.from([0x41, 0x42]) },
    { id: 2, value: Uint8Array.from([0x31]) },
  ]);
  assert.equal(
    adu(view, n),
    hex(fromHex(`
      0005 0000 000f 01        # MBAP length 15
      2b 0e 01 81 00 00 02     # FC 43, MEI 14, code 1, conformity 0x81, more 0, next 0, 2 objects
      00 02 4142               # object 0 "AB"
      02 01 31                 # object 2 "1"
    `)),
  );
});

test('encoders return -1 and write nothing when the ADU cannot be encoded', () => {
  const small = new Uint8Array(11).fill(0xaa);
  assert.equal(writeReadRequest(small, 0, 1, 1, 3, 0, 1), -1, 'needs 12 bytes');
  assert.ok(small.every((b) => b === 0xaa));
  const buf = new Uint8Array(400);
  assert.equal(writeMultipleRegistersRequest(buf, 0, 1, 1, 0, new Array(128).fill(1), 0, 128), -1, 'byte count > 255');
  assert.equal(writeMultipleRegistersRequest(buf, 0, 1, 1, 0, new Array(123).fill(1), 0, 123), 7 + 6 + 246);
  assert.equal(writeMultipleCoilsRequest(buf, 0, 1, 1, 0, new Array(2041).fill(1), 0, 2041), -1);
  assert.equal(writeMbap(buf, 0, 1, 1, 254), -1, 'PDU over 253 bytes');
  assert.equal(writeReadRegistersResponse(buf, 0, 1, 1, 3, new Uint16Array(200), 0, 125), 7 + 2 + 250);
  assert.equal(writeReadRegistersResponse(buf, 0, 1, 1, 3, new Uint16Array(200), 0, 126), -1, 'PDU of 254 bytes');
});

function plc(): ModbusServer {
  const bank = new RegisterBank({ coils: 20, discreteInputs: 8, inputRegisters: 4, holdingRegisters: 110 });
  bank.holdingRegisters[5] = 0xbeef;
  bank.discreteInputs[1] = 1;
  bank.inputRegisters[3] = 77;
  return new ModbusServer(bank, { vendorName: 'Schneider Electric', productCode: 'BMEP582040', revision: 'v3.20' }, null);
}

function ask(server: ModbusServer, req: Uint8Array, len: number): string {
  const out = new Uint8Array(300);
  const n = server.handle(0, req, 3, len, out, 0);
  return hex(out.subarray(0, n));
}

function request(fill: (b: Uint8Array, off: number) => number): { req: Uint8Array; len: number } {
  const req = new Uint8Array(300);
  const len = fill(req, 3);
  return { req, len };
}

test('PLC server: reads, writes, exceptions 1/2/3, device identification, dropped MBAP', () => {
  const s = plc();
  let r = request((b, o) => writeReadRequest(b, o, 1, 1, 3, 4, 2));
  assert.equal(ask(s, r.req, r.len), hex(fromHex('0001 0000 0007 01  03 04 0000 beef')));
  r = request((b, o) => writeReadRequest(b, o, 2, 1, 3, 109, 2));
  assert.equal(ask(s, r.req, r.len), hex(fromHex('0002 0000 0003 01  83 02  # past the table: exception 2')));
  r = request((b, o) => writeReadRequest(b, o, 3, 1, 3, 0, 126));
  assert.equal(ask(s, r.req, r.len), hex(fromHex('0003 0000 0003 01  83 03  # quantity 126: exception 3')));
  r = request((b, o) => writeReadRequest(b, o, 4, 1, 4, 3, 1));
  assert.equal(ask(s, r.req, r.len), hex(fromHex('0004 0000 0005 01  04 02 004d')));
  r = request((b, o) => writeReadRequest(b, o, 5, 1, 2, 0, 3));
  assert.equal(ask(s, r.req, r.len), hex(fromHex('0005 0000 0004 01  02 01 02')));

  r = request((b, o) => writeSingleWrite(b, o, 6, 1, 6, 100, 450));
  assert.equal(ask(s, r.req, r.len), hex(r.req.subarray(3, 3 + r.len)), 'FC 6 response echoes the request');
  assert.equal(s.bank.holdingRegisters[100], 450);
  r = request((b, o) => writeSingleWrite(b, o, 7, 1, 5, 2, 0x1234));
  assert.equal(ask(s, r.req, r.len), hex(fromHex('0007 0000 0003 01  85 03  # coil value neither ON nor OFF')));
  r = request((b, o) => writeSingleWrite(b, o, 8, 1, 5, 2, 0xff00));
  ask(s, r.req, r.len);
  assert.equal(s.bank.coils[2], 1);
  r = request((b, o) => writeMultipleRegistersRequest(b, o, 9, 1, 10, [1, 2, 3], 0, 3));
  assert.equal(ask(s, r.req, r.len), hex(fromHex('0009 0000 0006 01  10 000a 0003')));
  assert.deepEqual(Array.from(s.bank.holdingRegisters.subarray(10, 13)), [1, 2, 3]);
  r = request((b, o) => writeMultipleCoilsRequest(b, o, 10, 1, 8, [1, 0, 1, 1, 0, 0, 0, 0, 1], 0, 9));
  assert.equal(ask(s, r.req, r.len), hex(fromHex('000a 0000 0006 01  0f 0008 0009')));
  assert.deepEqual(Array.from(s.bank.coils.subarray(8, 17)), [1, 0, 1, 1, 0, 0, 0, 0, 1]);

  r = request((b, o) => writeReadDeviceIdRequest(b, o, 11, 1, 4, 1));
  assert.equal(ask(s, r.req, r.len), hex(fromHex('000b 0000 0014 01  2b 0e 04 81 00 00 01  01 0a 424d45503538323034 30  # length 20; object 1 "BMEP582040"')));
  r = request((b, o) => writeReadDeviceIdRequest(b, o, 12, 1, 4, 9));
  assert.equal(ask(s, r.req, r.len), hex(fromHex('000c 0000 0003 01  ab 02  # object 9 does not exist')));

  const unknown = fromHex('000d 0000 0002 01 08  # FC 8 (diagnostics) is not served');
  assert.equal(ask(s, concat3(unknown), unknown.length), hex(fromHex('000d 0000 0003 01  88 01')));
  const badProto = fromHex('000e 0001 0006 01 03 0000 0001  # protocol id 1');
  assert.equal(ask(s, concat3(badProto), badProto.length), '', 'dropped');
  const badLen = fromHex('000f 0000 0009 01 03 0000 0001  # length says 9, 6 present');
  assert.equal(ask(s, concat3(badLen), badLen.length), '', 'dropped');
  assert.equal(s.exceptionResponses, 5);
  assert.equal(s.normalResponses, 8);
});

function concat3(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length + 3);
  out.set(b, 3);
  return out;
}

test('32-bit values are stored high word first, negatives in two\'s complement', () => {
  const t = new Uint16Array(4);
  RegisterBank.putU32(t, 0, 100_000);
  RegisterBank.putU32(t, 2, -9000);
  assert.deepEqual(Array.from(t), [0x0001, 0x86a0, 0xffff, 0xdcd8]);
});
