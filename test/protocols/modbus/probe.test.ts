import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { probeModbus } from '../../../src/protocols/modbus/probe.js';
import { concat, fixture, subView } from './fixtures.js';

const request = fixture('fc03-read-holding-registers.hex', 'request');
const response = fixture('fc03-read-holding-registers.hex', 'response');

describe('Modbus content probe', () => {
  test('a sane request or response on port 502 is Modbus', () => {
    assert.equal(probeModbus(subView(request), true, true), 'yes');
    assert.equal(probeModbus(subView(response), false, true), 'yes');
    assert.equal(probeModbus(subView(fixture('exceptions.hex', 'code-02')), false, true), 'yes');
    assert.equal(probeModbus(subView(fixture('unknown.hex', 'user-request')), true, true), 'yes');
  });

  test('fewer than 8 consistent bytes ask for more', () => {
    assert.equal(probeModbus(subView(request.subarray(0, 1)), true, true), 'maybe');
    assert.equal(probeModbus(subView(request.subarray(0, 7)), true, false), 'maybe');
  });

  test('TLS ClientHello, DCE-RPC bind and HTTP are not Modbus, on 502 or elsewhere', () => {
    for (const name of ['tls-client-hello', 'dce-rpc-bind', 'http-get']) {
      const b = subView(fixture('not-modbus.hex', name));
      assert.equal(probeModbus(b, true, true), 'no', name);
      assert.equal(probeModbus(b, true, false), 'no', name);
      assert.equal(probeModbus(b.subarray(0, 4), true, true), 'no', `${name}, first 4 bytes`);
    }
  });

  test('implausible function codes are refused', () => {
    const fc0 = Uint8Array.from([0, 1, 0, 0, 0, 2, 1, 0x00]);
    const excFromClient = Uint8Array.from([0, 1, 0, 0, 0, 3, 1, 0x83, 2]);
    assert.equal(probeModbus(fc0, true, true), 'no');
    assert.equal(probeModbus(excFromClient, true, true), 'no');
  });

  test('off port 502 the ADU must fit the bytes or be followed by another header', () => {
    assert.equal(probeModbus(subView(request), true, false), 'yes');
    assert.equal(probeModbus(subView(concat(request, request)), true, false), 'yes');
    assert.equal(probeModbus(subView(request.subarray(0, 10)), true, false), 'maybe');
    assert.equal(probeModbus(subView(concat(request, Uint8Array.from([0x16, 0x03, 0x01, 0x00]))), true, false), 'no');
    assert.equal(probeModbus(subView(concat(request, request.subarray(0, 3))), true, false), 'maybe');
  });

  test('off port 502 only public function codes (or their exceptions) count', () => {
    assert.equal(probeModbus(subView(fixture('unknown.hex', 'user-request')), true, false), 'no');
    assert.equal(probeModbus(subView(fixture('exceptions.hex', 'code-02')), false, false), 'yes');
    assert.equal(probeModbus(subView(fixture('unknown.hex', 'unknown-exception')), false, false), 'no');
  });
});
