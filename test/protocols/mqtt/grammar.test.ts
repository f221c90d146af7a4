import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  connackCode,
  flagsValid,
  HEADER_INCOMPLETE,
  HEADER_MALFORMED,
  HEADER_OK,
  newFixedHeader,
  newPublishFields,
  packetId,
  parseConnect,
  parsePublish,
  parseSubscribe,
  readFixedHeader,
  skipProperties,
  subackFirstCode,
  type ConnectFields,
  type SubscribeFields,
} from '../../../src/protocols/mqtt/grammar.js';
import * as F from './fixtures.js';

const text = (b: Uint8Array, s: number, e: number): string => Buffer.from(b.subarray(s, e)).toString('latin1');

test('fixed header: Remaining Length of 1 to 4 bytes, incomplete and a fifth byte (3.1.1 §2.2.3)', () => {
  const h = newFixedHeader();
  assert.equal(readFixedHeader(F.noisy(F.hex('30 7f')), 0, 2, h), HEADER_OK);
  assert.deepEqual(h, { type: 3, flags: 0, remLen: 127, headerLen: 2 });
  // 0x80 0x01 = 128; 0xff 0xff 0xff 0x7f = 268 435 455, the largest
  assert.equal(readFixedHeader(F.hex('82 80 01'), 0, 3, h), HEADER_OK);
  assert.deepEqual(h, { type: 8, flags: 2, remLen: 128, headerLen: 3 });
  assert.equal(readFixedHeader(F.hex('30 ff ff ff 7f'), 0, 5, h), HEADER_OK);
  assert.equal(h.remLen, 268_435_455);
  assert.equal(h.headerLen, 5);
  assert.equal(readFixedHeader(F.hex('30'), 0, 1, h), HEADER_INCOMPLETE);
  assert.equal(readFixedHeader(F.hex('30 80 80'), 0, 3, h), HEADER_INCOMPLETE);
  assert.equal(readFixedHeader(F.hex('30 80 80 80 80 01'), 0, 6, h), HEADER_MALFORMED);
});

test('fixed-header flags: PUBREL / SUBSCRIBE / UNSUBSCRIBE need 0b0010, PUBLISH QoS 3 is invalid (3.1.1 §2.2.2)', () => {
  assert.ok(flagsValid(6, 2) && flagsValid(8, 2) && flagsValid(10, 2));
  assert.ok(!flagsValid(8, 0) && !flagsValid(6, 0));
  assert.ok(flagsValid(3, 0x0b) && !flagsValid(3, 0x06));
  assert.ok(flagsValid(12, 0) && !flagsValid(12, 1));
});

test('CONNECT 3.1.1: name, level, client id, will topic and message; user name and password checked', () => {
  const b = F.noisy(F.CONNECT_V311);
  const f = parseConnect(b, 2, b.length) as ConnectFields;
  assert.equal(typeof f, 'object');
  assert.equal(text(b, f.nameStart, f.nameEnd), 'MQTT');
  assert.equal(f.level, 4);
  assert.equal(f.flags, 0xce);
  assert.equal(f.keepAlive, 60);
  assert.equal(text(b, f.clientStart, f.clientEnd), 'crane-1');
  assert.equal(text(b, f.willTopicStart, f.willTopicEnd), 't/will');
  assert.equal(text(b, f.willMsgStart, f.willMsgEnd), 'bye');
  // the password announced by the flags is cut off
  assert.equal(parseConnect(b, 2, b.length - 2), 'mqtt.malformed_connect');
});

test('CONNECT 3.1 (MQIsdp) and 5.0 (property block before the client id)', () => {
  const v31 = parseConnect(F.CONNECT_V31, 2, F.CONNECT_V31.length) as ConnectFields;
  assert.equal(text(F.CONNECT_V31, v31.nameStart, v31.nameEnd), 'MQIsdp');
  assert.equal(v31.level, 3);
  assert.equal(text(F.CONNECT_V31, v31.clientStart, v31.clientEnd), 'p1');
  assert.equal(v31.willTopicStart, -1);
  const b = F.noisy(F.CONNECT_V5);
  const v5 = parseConnect(b, 2, b.length) as ConnectFields;
  assert.equal(v5.level, 5);
  assert.equal(text(b, v5.clientStart, v5.clientEnd), 'c5');
  // Property Length 5 claims more bytes than the packet holds
  const cut = F.hex('00 04 4d 51 54 54', '05', '02', '00 1e', '09', '11 00 00 0e 10');
  assert.equal(parseConnect(cut, 0, cut.length), 'mqtt.invalid_properties');
});

test('v5 properties: every defined identifier is skipped by its layout; an unknown one is malformed (5.0 §2.2.2.2)', () => {
  const props = F.hex(
    '1c', //                      Property Length 28
    '01 01', //                   Payload Format Indicator (byte)
    '02 00 00 00 3c', //          Message Expiry Interval (four bytes)
    '03 00 02 6a 73', //          Content Type "js" (string)
    '0b 81 01', //                Subscription Identifier 129 (Variable Byte Integer, two bytes)
    '23 00 04', //                Topic Alias 4 (two bytes)
    '26 00 01 6b 00 02 76 76', // User Property "k" = "vv" (string pair)
    '17 01', //                   Request Problem Information (byte)
  );
  const alias = new Int32Array(1);
  assert.equal(skipProperties(F.noisy(props), 0, props.length, alias), props.length);
  assert.equal(alias[0], 4);
  assert.equal(skipProperties(F.hex('02', '04 00'), 0, 3), -1); // 0x04 is not a property identifier
  assert.equal(skipProperties(F.hex('03', '23 00'), 0, 3), -1); // Property Length past the end
});

test('PUBLISH: topic, packet id by QoS, v5 properties and Topic Alias, payload length beyond the bytes at hand', () => {
  const f = newPublishFields();
  const q0 = F.noisy(F.PUBLISH_QOS0);
  assert.equal(parsePublish(q0, 2, q0.length, 12, 0, false, f), null);
  assert.equal(text(q0, f.topicStart, f.topicEnd), 'a/b');
  assert.deepEqual([f.msgId, f.payloadStart, f.payloadLen], [0, 7, 7]);
  assert.equal(parsePublish(F.PUBLISH_QOS1, 2, F.PUBLISH_QOS1.length, 7, 1, false, f), null);
  assert.equal(f.msgId, 7);
  assert.equal(parsePublish(F.PUBLISH_V5_ALIAS_SET, 2, F.PUBLISH_V5_ALIAS_SET.length, 13, 1, true, f), null);
  assert.deepEqual([f.msgId, f.topicAlias, f.payloadLen], [7, 1, 2]);
  // only the first 9 of 1000 body bytes at hand: the payload length is still the whole one
  const big = F.hex('30 e8 07', '00 01 74', '41 42 43 44');
  assert.equal(parsePublish(big, 3, big.length, 1000, 0, false, f), null);
  assert.equal(f.payloadLen, 997);
  // topic length 5 past the body
  assert.equal(parsePublish(F.hex('30 03', '00 05 61'), 2, 5, 3, 0, false, f), 'mqtt.malformed_publish');
});

test('SUBSCRIBE / UNSUBSCRIBE filters and QoS; SUBACK first code; acknowledgement packet ids', () => {
  const s = parseSubscribe(F.noisy(F.SUBSCRIBE_V311), 2, F.SUBSCRIBE_V311.length, true, false, 16) as SubscribeFields;
  assert.equal(s.msgId, 1);
  assert.deepEqual(s.qos, [1, 0]);
  assert.equal(s.count, 2);
  const v5 = parseSubscribe(F.SUBSCRIBE_V5, 2, F.SUBSCRIBE_V5.length, true, true, 1) as SubscribeFields;
  assert.deepEqual([v5.msgId, v5.qos, v5.count, v5.topics.length], [10, [1], 2, 2]); // one filter kept of two
  const u = parseSubscribe(F.UNSUBSCRIBE_V311, 2, F.UNSUBSCRIBE_V311.length, false, false, 16) as SubscribeFields;
  assert.deepEqual([u.msgId, u.qos, u.count], [2, [], 1]);
  assert.equal(parseSubscribe(F.hex('00 01'), 0, 2, true, false, 16), 'mqtt.malformed_subscribe'); // no filter
  assert.equal(subackFirstCode(F.SUBACK_V311, 2, F.SUBACK_V311.length, false), 1);
  assert.equal(subackFirstCode(F.SUBACK_V5, 2, F.SUBACK_V5.length, true), 1);
  assert.equal(subackFirstCode(F.hex('00 01'), 0, 2, false), -1);
  assert.equal(packetId(F.PUBREC_9, 2, 4), 9);
  assert.equal(packetId(F.hex('00'), 0, 1), -1);
  assert.equal(connackCode(F.CONNACK_REFUSED, 2, 4), 5);
  assert.equal(connackCode(F.hex('00'), 0, 1), -1);
});
