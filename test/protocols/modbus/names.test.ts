import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  conformityName,
  diagnosticName,
  exceptionName,
  hexByte,
  isPublicFunction,
  loggedFunctionName,
  objectName,
  plainFunctionName,
} from '../../../src/protocols/modbus/names.js';

test('modbus.log func follows Zeek build_func', () => {
  assert.equal(loggedFunctionName(0x03), 'READ_HOLDING_REGISTERS');
  assert.equal(loggedFunctionName(0x83), 'READ_HOLDING_REGISTERS_EXCEPTION');
  assert.equal(loggedFunctionName(0xab), 'ENCAP_INTERFACE_TRANSPORT_EXCEPTION');
  // Neither 0x9C nor its low bits 0x1C are named: the raw code is written.
  assert.equal(loggedFunctionName(0x9c), 'unknown-156');
  assert.equal(loggedFunctionName(0x1d), 'unknown-29');
  assert.equal(loggedFunctionName(0x5a), 'PROGRAM_UNITY');
  assert.equal(loggedFunctionName(0xda), 'PROGRAM_UNITY_EXCEPTION');
  assert.equal(loggedFunctionName(0x80), 'unknown-128');
});

test('modbus_detailed func is the plain table name', () => {
  assert.equal(plainFunctionName(0x10), 'WRITE_MULTIPLE_REGISTERS');
  assert.equal(plainFunctionName(0x83), 'unknown-131');
  assert.equal(plainFunctionName(0x7d), 'FIRMWARE_REPLACEMENT');
});

test('exception, diagnostics and device identification names', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7, 8, 10, 11].map(exceptionName),
    [
      'ILLEGAL_FUNCTION',
      'ILLEGAL_DATA_ADDRESS',
      'ILLEGAL_DATA_VALUE',
      'SLAVE_DEVICE_FAILURE',
      'ACKNOWLEDGE',
      'SLAVE_DEVICE_BUSY',
      'unknown-7',
      'MEMORY_PARITY_ERROR',
      'GATEWAY_PATH_UNAVAILABLE',
      'GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND',
    ],
  );
  assert.equal(diagnosticName(2), 'Return Diagnostic Register');
  assert.equal(diagnosticName(0x14), 'Clear Overrun Counter and Flag');
  assert.equal(diagnosticName(0x13), 'unknown-19');
  assert.equal(objectName(4), 'ProductName');
  assert.equal(objectName(0x80), 'Unknown');
  assert.equal(conformityName(0x83), 'Extended Identification (Stream, Individual)');
  assert.equal(conformityName(0x03), 'Extended Identification (Stream)');
  assert.equal(hexByte(0x0e), '0x0e');
});

test('public function codes of V1.1b3 §5.1', () => {
  const pub = [];
  for (let fc = 0; fc < 256; fc++) if (isPublicFunction(fc)) pub.push(fc);
  assert.deepEqual(pub, [1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 15, 16, 17, 20, 21, 22, 23, 24, 43]);
});
