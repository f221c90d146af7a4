import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DnsQueryRecord, DnsDialog } from '../../../src/sim/terminal/dns-dialog.js';
import { NtpDialog } from '../../../src/sim/terminal/ntp-dialog.js';
import { Prng } from '../../../src/sim/random.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('DNS query and answer in RFC 1035 wire format', () => {
  const records: DnsQueryRecord[] = [];
  const d = new DnsDialog([['tos.nlrtm.example', '10.30.0.10']], new Prng(1), '10.21.0.10', '10.30.0.53', records);
  const buf = new Uint8Array(512);
  const qlen = d.request(100.5, 42, buf);
  const id = records[0].id;
  const idHex = id.toString(16).padStart(4, '0');
  const question =
    '03746f73' + // 3 "tos"
    '056e6c72746d' + // 5 "nlrtm"
    '076578616d706c65' + // 7 "example"
    '00' + // root label
    '0001' + // QTYPE A
    '0001'; // QCLASS IN
  assert.equal(
    hex(buf.subarray(0, qlen)),
    idHex + // ID
      '0100' + // flags: standard query, RD
      '0001' + // QDCOUNT 1
      '0000' + // ANCOUNT 0
      '0000' + // NSCOUNT 0
      '0000' + // ARCOUNT 0
      question,
  );
  const alen = d.response(100.501, buf);
  assert.equal(
    hex(buf.subarray(0, alen)),
    idHex + // same ID
      '8180' + // flags: response, RD, RA, NOERROR
      '0001' + // QDCOUNT 1
      '0001' + // ANCOUNT 1
      '0000' + // NSCOUNT 0
      '0000' + // ARCOUNT 0
      question +
      'c00c' + // name: pointer to offset 12
      '0001' + // TYPE A
      '0001' + // CLASS IN
      '0000012c' + // TTL 300 s
      '0004' + // RDLENGTH 4
      '0a1e000a', // 10.30.0.10
  );
  assert.deepEqual(records[0], { frame: 42, ts: 100.5, src: '10.21.0.10', dst: '10.30.0.53', id, qname: 'tos.nlrtm.example', qtype: 'A', answer: '10.30.0.10' });
});

test('NTPv4 client request and server reply (RFC 5905 §7.3)', () => {
  const n = new NtpDialog(6, 0.25, 0xc000027b);
  const buf = new Uint8Array(512);
  const ts = 1_741_939_200.5; // 2025-03-14T08:00:00.5Z
  assert.equal(n.request(ts, 1, buf), 48);
  const ntpSecs = (1_741_939_200 + 2_208_988_800).toString(16); // eb7e... seconds since 1900
  assert.equal(buf[0], 0x23, 'LI 0, VN 4, mode 3');
  assert.equal(buf[2], 6, 'poll 2^6 s');
  assert.equal(hex(buf.subarray(40, 48)), `${ntpSecs}c0000000`, 'transmit = ts + 0.25 s offset → fraction 0.75');
  assert.equal(n.response(ts + 0.001, buf), 48);
  assert.equal(buf[0], 0x24, 'LI 0, VN 4, mode 4');
  assert.equal(buf[1], 2, 'stratum 2');
  assert.equal(hex(buf.subarray(12, 16)), 'c000027b', 'reference id 192.0.2.123');
  assert.equal(hex(buf.subarray(24, 32)), `${ntpSecs}c0000000`, 'origin = the client transmit timestamp');
  assert.equal(hex(buf.subarray(32, 36)), ntpSecs, 'receive time seconds');
});
