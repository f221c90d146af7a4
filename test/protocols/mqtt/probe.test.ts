import assert from 'node:assert/strict';
import { test } from 'node:test';
import { probeMqtt } from '../../../src/protocols/mqtt/probe.js';
import * as F from './fixtures.js';

const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

test('a sane CONNECT is MQTT on any port: 3.1.1, 3.1 (MQIsdp) and 5.0', () => {
  for (const c of [F.CONNECT_V311, F.CONNECT_V31, F.CONNECT_V5]) {
    assert.equal(probeMqtt(F.noisy(c), true, false), 'yes');
    assert.equal(probeMqtt(c, true, true), 'yes');
  }
});

test('a CONNECT cut short is maybe until the protocol name, level and flags are in', () => {
  for (let n = 1; n < 10; n++) assert.equal(probeMqtt(F.CONNECT_V311.subarray(0, n), true, false), 'maybe', `${n} bytes`);
  assert.equal(probeMqtt(F.CONNECT_V311.subarray(0, 10), true, false), 'yes');
});

test('a CONNECT-like start with a wrong name, level, reserved flag or length is no', () => {
  const bad = [
    F.hex('10 28', '00 04 4d 51 54 58', '04 02'), //  name "MQTX"
    F.hex('10 28', '00 04 4d 51 54 54', '03 02'), //  "MQTT" with level 3 (only MQIsdp is 3)
    F.hex('10 10', '00 06 4d 51 49 73 64 70', '04 02'), // "MQIsdp" with level 4
    F.hex('10 28', '00 04 4d 51 54 54', '04 03'), //  reserved Connect Flags bit 0 set
    F.hex('10 05', '00 04 4d 51 54'), //              Remaining Length 5, below a CONNECT's minimum
    F.hex('11 28', '00 04 4d 51 54 54', '04 02'), //  CONNECT with fixed-header flags 1
  ];
  for (const b of bad) assert.equal(probeMqtt(b, true, true), 'no');
});

test('mid-session on port 1883: packets that frame the bytes are yes, elsewhere no', () => {
  const stream = F.concat(F.PUBLISH_QOS1, F.PINGREQ);
  assert.equal(probeMqtt(F.noisy(stream), true, true), 'yes');
  assert.equal(probeMqtt(stream, true, false), 'no');
  assert.equal(probeMqtt(F.concat(F.CONNACK_OK, F.SUBACK_V311), false, true), 'yes');
  // the first packet not whole yet
  assert.equal(probeMqtt(F.PUBLISH_QOS1.subarray(0, 5), true, true), 'maybe');
  // a packet followed by junk, type 0, or a PINGREQ with a length
  assert.equal(probeMqtt(F.concat(F.PUBACK_7, F.hex('00 00')), true, true), 'no');
  assert.equal(probeMqtt(F.hex('c0 01 00'), true, true), 'no');
  // PUBLISH whose topic length runs past its Remaining Length
  assert.equal(probeMqtt(F.hex('30 04', '00 09 61 62'), true, true), 'no');
});

test('other protocols are no, even on port 1883', () => {
  for (const s of ['GET / HTTP/1.1\r\nHost: x\r\n\r\n', 'SSH-2.0-OpenSSH_9.2\r\n']) assert.equal(probeMqtt(ascii(s), true, true), 'no');
  assert.equal(probeMqtt(F.hex('16 03 01 00 a5 01 00 00 a1 03 03'), true, true), 'no'); // TLS ClientHello record
  assert.equal(probeMqtt(F.hex('00 01 00 00 00 06 01 03 00 00 00 0a'), true, true), 'no'); // Modbus/TCP read request
  assert.equal(probeMqtt(F.hex('16 03 01 00 a5 01 00 00 a1 03 03'), true, false), 'no');
});
