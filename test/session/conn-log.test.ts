import { test } from 'node:test';
import assert from 'node:assert/strict';
import { streamSchema } from '../../src/events/schema.js';
import { CONN_SCHEMA, connRecord, formatMac, type ConnSummary } from '../../src/session/conn-log.js';
import { isLocalAddr } from '../../src/session/local-nets.js';
import { parseIpv4 } from '../../src/decode/ip-parse.js';
import { WEIRD_SCHEMA, makeWeird } from '../../src/session/weird-log.js';
import { blankPacket } from './packets.js';

test('conn schema: Zeek conn.log fields in Zeek order, then mac- and vlan-logging fields; key uid', () => {
  assert.equal(streamSchema('conn'), CONN_SCHEMA);
  assert.deepEqual(
    CONN_SCHEMA.fields.map((f) => f.name).join(' '),
    'ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto service duration orig_bytes resp_bytes conn_state ' +
      'local_orig local_resp missed_bytes history orig_pkts orig_ip_bytes resp_pkts resp_ip_bytes tunnel_parents ip_proto ' +
      'orig_l2_addr resp_l2_addr vlan inner_vlan',
  );
  assert.deepEqual(CONN_SCHEMA.key, ['uid']);
  const types = Object.fromEntries(CONN_SCHEMA.fields.map((f) => [f.name, f.type]));
  assert.equal(types.ts, 'time');
  assert.equal(types.duration, 'interval');
  assert.equal(types['id.orig_p'], 'port');
  assert.equal(types.tunnel_parents, 'set[string]');
});

test('weird schema: WeirdRecord field order', () => {
  assert.equal(streamSchema('weird'), WEIRD_SCHEMA);
  assert.deepEqual(
    WEIRD_SCHEMA.fields.map((f) => f.name),
    ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'name', 'addl', 'notice', 'peer', 'source', 'grade'],
  );
});

test('makeWeird: packet anomaly with unset ports and uid', () => {
  const p = blankPacket();
  p.ts = 12.5;
  p.src = '10.0.0.1';
  p.dst = '10.0.0.2';
  const w = makeWeird('ip.truncated_header', 'weird', p, 'caplen 30');
  assert.deepEqual(w, {
    ts: 12.5,
    uid: null,
    'id.orig_h': '10.0.0.1',
    'id.orig_p': null,
    'id.resp_h': '10.0.0.2',
    'id.resp_p': null,
    name: 'ip.truncated_header',
    addl: 'caplen 30',
    notice: false,
    peer: 'cranewatch',
    source: 'ip',
    grade: 'weird',
  });
});

test("local addresses: Zeek's private_address_space (RFC 1918, 4193, loopback, link local, …)", () => {
  for (const a of ['10.0.0.9', '172.16.0.1', '172.31.255.255', '192.168.10.111', '127.0.0.1', '169.254.1.1', '100.64.0.1', '::1', 'fe80::1', 'fd12:3456::1', 'fc00::', '::ffff:192.168.1.1', '255.255.255.255', '2002:c0a8:101::1']) {
    assert.equal(isLocalAddr(a), true, a);
  }
  for (const a of ['87.236.176.106', '172.32.0.1', '3.15.227.20', '8.8.8.8', '2001:4860::8888', '::ffff:8.8.8.8', 'fe00::1', 'not-an-ip', '1.2.3']) {
    assert.equal(isLocalAddr(a), false, a);
  }
});

test('parseIpv4 and formatMac', () => {
  assert.equal(parseIpv4('192.168.1.1'), 0xc0a80101);
  assert.equal(parseIpv4('255.255.255.255'), 0xffffffff);
  assert.equal(parseIpv4('256.1.1.1'), -1);
  assert.equal(parseIpv4('1.2.3'), -1);
  assert.equal(formatMac(0x001122334455), '00:11:22:33:44:55');
  assert.equal(formatMac(0xffffffffffff), 'ff:ff:ff:ff:ff:ff');
  assert.equal(formatMac(-1), null);
});

test('connRecord: duration/bytes unset when the duration is 0; empty service and history unset', () => {
  const s: ConnSummary = {
    ts: 1,
    uid: 'Cabc',
    origH: '10.0.0.1',
    origP: 1,
    respH: '8.8.8.8',
    respP: 53,
    proto: 'udp',
    services: [],
    duration: 0,
    origBytes: 10,
    respBytes: 0,
    connState: 'S0',
    missedBytes: 0,
    history: '',
    origPkts: 1,
    origIpBytes: 38,
    respPkts: 0,
    respIpBytes: 0,
    ipProto: 17,
    origMac: -1,
    respMac: -1,
    vlan: -1,
    innerVlan: -1,
  };
  const r = connRecord(s);
  assert.equal(r.duration, null);
  assert.equal(r.orig_bytes, null);
  assert.equal(r.service, null);
  assert.equal(r.history, null);
  assert.equal(r.local_orig, true);
  assert.equal(r.local_resp, false);
  const r2 = connRecord({ ...s, duration: 0.1234564999, services: ['cotp', 's7comm'], history: 'Dd' });
  assert.equal(r2.duration, 0.123456);
  assert.equal(r2.orig_bytes, 10);
  assert.equal(r2.service, 'cotp,s7comm');
});
