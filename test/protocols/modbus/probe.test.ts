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

  test('on port 502 any function code counts when the ADU fits the bytes (a function-code sweep)', () => {
    const fc0 = fixture('sweep.hex', 'fc00-request');
    const fc80 = fixture('sweep.hex', 'fc00-exception');
    assert.equal(probeModbus(subView(fc0), true, true), 'yes');
    assert.equal(probeModbus(subView(fc80), false, true), 'yes');
    assert.equal(probeModbus(subView(concat(fc0, request)), true, true), 'yes', 'followed by another header');
    // tid 1, protocol 0, length 3, unit 1, function 0x83 (an exception bit from the client), code 2.
    assert.equal(probeModbus(subView(Uint8Array.from([0, 1, 0, 0, 0, 3, 1, 0x83, 2])), true, true), 'yes');
    assert.equal(probeModbus(subView(fc0.subarray(0, 10)), true, true), 'maybe', 'the bytes end inside the ADU');
    assert.equal(probeModbus(subView(concat(fc0, Uint8Array.from([0x16, 0x03, 0x01, 0x00]))), true, true), 'no', 'followed by a TLS record');
    // An ordinary function code needs no more than a sane header, as before.
    assert.equal(probeModbus(subView(request.subarray(0, 10)), true, true), 'yes');
  });

  test('off port 502 code 0x00 and its exception are refused', () => {
    assert.equal(probeModbus(subView(fixture('sweep.hex', 'fc00-request')), true, false), 'no');
    assert.equal(probeModbus(subView(fixture('sweep.hex', 'fc00-exception')), false, false), 'no');
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

  test('off port 502 an exception from the originator counts too (a server that opened the connection from 502)', () => {
    const exc = fixture('exceptions.hex', 'code-02');
    assert.equal(probeModbus(subView(exc), true, false), 'yes');
    assert.equal(probeModbus(subView(concat(exc, exc)), true, false), 'yes');
    assert.equal(probeModbus(subView(concat(exc, Uint8Array.from([0x47, 0x45, 0x54, 0x20]))), true, false), 'no', 'followed by HTTP');
    assert.equal(probeModbus(subView(fixture('unknown.hex', 'unknown-exception')), true, false), 'no');
  });
});
