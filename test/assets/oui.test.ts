import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMac, macKind, macVendor, parseMac } from '../../src/assets/oui.js';

const vendor = (text: string): string | null => macVendor(parseMac(text));

describe('parseMac / formatMac', () => {
  it('parses six hex octets with ":" or "-", any case, into a 48-bit integer', () => {
    assert.equal(parseMac('00:80:f4:01:02:03'), 0x0080f4010203);
    assert.equal(parseMac('00-80-F4-01-02-03'), 0x0080f4010203);
    assert.equal(parseMac('ff:ff:ff:ff:ff:ff'), 2 ** 48 - 1);
  });
  it('rejects other text with -1', () => {
    for (const bad of ['', '00:80:f4:01:02', '00:80:f4:01:02:03:04', '00:80:f4:01:02:0g', '0080.f401.0203', '00:80:f4:01:02;03']) {
      assert.equal(parseMac(bad), -1, bad);
    }
  });
  it('formats lowercase with leading zeros', () => {
    assert.equal(formatMac(0x0080f4010203), '00:80:f4:01:02:03');
    assert.equal(formatMac(0xa0b0c0d0e0f0), 'a0:b0:c0:d0:e0:f0');
    assert.equal(formatMac(1), '00:00:00:00:00:01');
  });
});

describe('macKind (IEEE 802 I/G and U/L bits)', () => {
  it('classifies', () => {
    assert.equal(macKind(parseMac('00:80:f4:01:02:03')), 'unicast');
    assert.equal(macKind(parseMac('02:80:f4:01:02:03')), 'local'); // U/L bit 0x02
    assert.equal(macKind(parseMac('da:a1:19:00:00:01')), 'local'); // a randomized phone MAC
    assert.equal(macKind(parseMac('01:00:5e:00:00:fb')), 'multicast'); // IPv4 multicast (RFC 1112)
    assert.equal(macKind(parseMac('33:33:00:00:00:01')), 'multicast'); // IPv6 multicast (RFC 2464)
    assert.equal(macKind(parseMac('01:80:c2:00:00:00')), 'multicast'); // STP
    assert.equal(macKind(parseMac('ff:ff:ff:ff:ff:ff')), 'broadcast');
    assert.equal(macKind(0), 'zero');
  });
});

describe('macVendor (IEEE registry via oui-data 2.1.9)', () => {
  it('finds industrial vendors by their MA-L (OUI)', () => {
    assert.equal(vendor('00:80:f4:12:34:56'), 'TELEMECANIQUE ELECTRIQUE'); // Schneider Electric (Modicon) PLCs
    assert.equal(vendor('00:0e:8c:aa:bb:cc'), 'Siemens AG');
    assert.equal(vendor('00:1d:9c:11:22:33'), 'Rockwell Automation');
  });

  it('finds cellular router / modem vendors', () => {
    assert.equal(vendor('00:a0:d5:00:00:01'), 'Sierra Wireless, ULC');
    assert.equal(vendor('00:30:44:00:00:01'), 'CradlePoint, Inc');
    assert.equal(vendor('00:1e:42:00:00:01'), 'Teltonika');
    assert.equal(vendor('20:97:27:00:00:01'), 'TELTONIKA NETWORKS UAB');
  });

  it('prefers MA-S (36 bits) over MA-M (28 bits) over MA-L (24 bits)', () => {
    // 00:8d:f4 is an IEEE Registration Authority MA-L split into MA-M blocks.
    assert.equal(vendor('00:8d:f4:50:00:01'), 'Schneider Electric'); // MA-M 008DF45
    assert.equal(vendor('00:8d:f4:6f:ff:ff'), 'Annapurna labs'); // MA-M 008DF46, the next block
    // 70:b3:d5 is split into MA-S blocks.
    assert.equal(vendor('70:b3:d5:15:30:00'), 'Schneider Electric Motion USA'); // MA-S 70B3D5153
    assert.equal(vendor('70:b3:d5:15:4f:ff'), 'Walk Horizon Technology (Beijing) Co., Ltd.'); // MA-S 70B3D5154
    assert.equal(vendor('c8:5c:e2:7a:bc:de'), 'SYNERGY SYSTEMS AND SOLUTIONS'); // the package README's example, MA-M C85CE27
  });

  it('does not name the Registration Authority for an unassigned sub-block', () => {
    assert.equal(vendor('10:06:48:f0:00:01'), null); // MA-L 100648 is the IEEE RA's; MA-M 100648F is not assigned
  });

  it('names no vendor for locally administered, group and zero addresses', () => {
    assert.equal(vendor('02:80:f4:12:34:56'), null); // would be Telemecanique without the U/L bit
    assert.equal(vendor('01:80:f4:12:34:56'), null);
    assert.equal(vendor('ff:ff:ff:ff:ff:ff'), null);
    assert.equal(macVendor(0), null);
    assert.equal(macVendor(-1), null);
  });
});
