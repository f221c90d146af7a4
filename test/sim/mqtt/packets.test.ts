import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CwError } from '../../../src/errors.js';
import { MQTT_V311, MQTT_V5, MqttReasonCode } from '../../../src/sim/mqtt/constants.js';
import {
  encodeConnack,
  encodeConnect,
  encodeDisconnect,
  encodePingreq,
  encodePingresp,
  encodePuback,
  encodePublish,
  encodeSuback,
  encodeSubscribe,
  newMqttMessage,
} from '../../../src/sim/mqtt/packets.js';
import { MqttWriter, varintLength } from '../../../src/sim/mqtt/writer.js';
import { fromHex, hex } from '../wire.js';

const ascii = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));
const configError = (e: unknown): boolean => e instanceof CwError && e.code === 'CW_ERR_CONFIG';

test('CONNECT 3.1.1 with user name and password (3.1.1 §3.1)', () => {
  const w = new MqttWriter();
  const p = encodeConnect(w, { version: MQTT_V311, clientId: 'cms-1', keepAliveSec: 60, clean: true, username: 'cw', password: ascii('pw') });
  assert.equal(
    hex(p),
    hex(
      fromHex(`
        10 19             # CONNECT, remaining length 25
        00 04 4d 51 54 54 # protocol name "MQTT"
        04                # protocol level 4 (3.1.1)
        c2                # flags: user name, password, clean session
        00 3c             # keep alive 60 s
        00 05 636d732d31  # client id "cms-1"
        00 02 6377        # user name "cw"
        00 02 7077        # password "pw"
      `),
    ),
  );
  assert.throws(() => encodeConnect(w, { version: MQTT_V311, clientId: 'x', keepAliveSec: 60, clean: true, password: ascii('pw') }), configError, 'password needs a user name in 3.1.1');
  assert.throws(() => encodeConnect(w, { version: MQTT_V311, clientId: 'x', keepAliveSec: 70000, clean: true }), configError);
});

test('CONNECT 5.0 with Session Expiry Interval and Receive Maximum (5.0 §3.1.2.11)', () => {
  const w = new MqttWriter();
  const p = encodeConnect(w, { version: MQTT_V5, clientId: 'c1', keepAliveSec: 30, clean: true, sessionExpirySec: 3600, receiveMaximum: 20 });
  assert.equal(
    hex(p),
    hex(
      fromHex(`
        10 17             # CONNECT, remaining length 23
        00 04 4d 51 54 54 # "MQTT"
        05                # protocol level 5
        02                # flags: clean start
        00 1e             # keep alive 30 s
        08                # property length 8
        11 00000e10       # session expiry interval 3600 s
        21 0014           # receive maximum 20
        00 02 6331        # client id "c1"
      `),
    ),
  );
  const bare = encodeConnect(w, { version: MQTT_V5, clientId: '', keepAliveSec: 0, clean: false, password: ascii('k') });
  assert.equal(hex(bare), '1010' + '00044d515454' + '05' + '40' + '0000' + '00' + '0000' + '0001' + '6b', 'v5 allows a password alone; empty property block');
});

test('CONNACK 3.1.1 and 5.0 (§3.2)', () => {
  const w = new MqttWriter();
  assert.equal(hex(encodeConnack(w, { version: MQTT_V311, sessionPresent: false })), '20020000');
  assert.equal(hex(encodeConnack(w, { version: MQTT_V311, sessionPresent: true, code: 5 })), '20020105', 'session present, not authorized');
  assert.equal(
    hex(encodeConnack(w, { version: MQTT_V5, sessionPresent: false, receiveMaximum: 100, topicAliasMaximum: 10 })),
    hex(
      fromHex(`
        20 09   # CONNACK, remaining length 9
        00      # acknowledge flags
        00      # reason code success
        06      # property length 6
        21 0064 # receive maximum 100
        22 000a # topic alias maximum 10
      `),
    ),
  );
  assert.equal(hex(encodeConnack(w, { version: MQTT_V5, sessionPresent: false, assignedClientId: 'a' })), '2007' + '0000' + '04' + '12' + '000161');
});

test('PUBLISH QoS 1 from a sub-view payload, QoS 0 with v5 properties (§3.3)', () => {
  const w = new MqttWriter();
  const big = ascii('xxxxhiyy');
  const m = newMqttMessage();
  m.topic = 'a/b';
  m.payload = big.subarray(2); // byteOffset 2
  m.payloadOff = 2;
  m.payloadLen = 2; // "hi"
  m.qos = 1;
  assert.equal(
    hex(encodePublish(w, MQTT_V311, m, 10)),
    hex(
      fromHex(`
        32 09        # PUBLISH, QoS 1, remaining length 9
        00 03 612f62 # topic "a/b"
        00 0a        # packet identifier 10
        6869         # payload "hi"
      `),
    ),
  );
  assert.equal(hex(encodePublish(w, MQTT_V311, m, 10, true)), '3a09' + '0003612f62000a6869', 'DUP flag');
  assert.throws(() => encodePublish(w, MQTT_V311, m, 0), configError, 'QoS 1 needs a packet id');

  const v = newMqttMessage();
  v.topic = 't';
  v.payload = ascii('{}');
  v.payloadLen = 2;
  v.retain = true;
  v.utf8Payload = true;
  v.messageExpirySec = 60;
  v.contentType = 'application/json';
  assert.equal(
    hex(encodePublish(w, MQTT_V5, v, 0)),
    hex(
      fromHex(`
        31 20               # PUBLISH, QoS 0, RETAIN, remaining length 32
        00 01 74            # topic "t"
        1a                  # property length 26
        01 01               # payload format indicator: UTF-8
        02 0000003c         # message expiry interval 60 s
        03 0010 6170706c69636174696f6e2f6a736f6e # content type "application/json"
        7b7d                # payload "{}"
      `),
    ),
  );
  v.topic = 'kräne';
  v.utf8Payload = false;
  v.messageExpirySec = -1;
  v.contentType = null;
  v.retain = false;
  assert.equal(hex(encodePublish(w, MQTT_V311, v, 0)), '300a' + '00066b72c3a46e65' + '7b7d', 'topic as UTF-8: ä = c3 a4');
  v.topic = 'x'.repeat(65536);
  assert.throws(() => encodePublish(w, MQTT_V311, v, 0), configError, 'topic longer than 65 535 bytes');
});

test('Remaining Length as a Variable Byte Integer at every width boundary (3.1.1 §2.2.3, 5.0 §1.5.5)', () => {
  const w = new MqttWriter(16);
  const m = newMqttMessage();
  m.topic = 't';
  const cases: Array<[number, string]> = [
    [127, '7f'],
    [128, '8001'],
    [16_383, 'ff7f'],
    [16_384, '808001'],
    [2_097_151, 'ffff7f'],
    [2_097_152, '80808001'],
  ];
  for (const [body, len] of cases) {
    m.payload = new Uint8Array(body - 3);
    m.payloadLen = body - 3;
    const p = encodePublish(w, MQTT_V311, m, 0);
    assert.equal(hex(p.subarray(0, 1 + len.length / 2)), `30${len}`, `body ${body}`);
    assert.equal(p.length, 1 + len.length / 2 + body);
    assert.equal(varintLength(body), len.length / 2);
  }
  assert.equal(varintLength(268_435_455), 4);
});

test('PUBACK, SUBSCRIBE, SUBACK, PINGREQ, PINGRESP, DISCONNECT (§3.4, §3.8, §3.9, §3.12–3.14)', () => {
  const w = new MqttWriter();
  assert.equal(hex(encodePuback(w, MQTT_V311, 10)), '4002000a');
  assert.equal(hex(encodePuback(w, MQTT_V5, 10)), '4002000a', 'v5 success: short form');
  assert.equal(hex(encodePuback(w, MQTT_V5, 10, MqttReasonCode.NO_MATCHING_SUBSCRIBERS)), '4004000a1000', 'reason 0x10, empty properties');
  assert.equal(
    hex(encodeSubscribe(w, MQTT_V311, 1, [{ filter: 'cmd/#', qos: 1 }])),
    hex(
      fromHex(`
        82 0a          # SUBSCRIBE (flags 0010), remaining length 10
        00 01          # packet identifier 1
        00 05 636d642f23 # filter "cmd/#"
        01             # requested QoS 1
      `),
    ),
  );
  assert.equal(hex(encodeSubscribe(w, MQTT_V5, 1, [{ filter: 'cmd/#', qos: 1 }])), '820b' + '0001' + '00' + '0005636d642f23' + '01');
  assert.throws(() => encodeSubscribe(w, MQTT_V311, 1, []), configError);
  assert.equal(hex(encodeSuback(w, MQTT_V311, 1, [1, 0x80])), '9004000101' + '80');
  assert.equal(hex(encodeSuback(w, MQTT_V5, 1, [1])), '9004000100' + '01');
  assert.equal(hex(encodePingreq(w)), 'c000');
  assert.equal(hex(encodePingresp(w)), 'd000');
  assert.equal(hex(encodeDisconnect(w, MQTT_V311)), 'e000');
  assert.equal(hex(encodeDisconnect(w, MQTT_V5)), 'e000');
  assert.equal(hex(encodeDisconnect(w, MQTT_V5, MqttReasonCode.KEEP_ALIVE_TIMEOUT)), 'e0028d00');
});
