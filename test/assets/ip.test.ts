import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ipFamily, ipSortKey, isHostAddress, isLocalAddress, sortIps } from '../../src/assets/ip.js';
import { parseIpv4, parseIpv6 } from '../../src/decode/ip-parse.js';

describe('parseIpv4', () => {
  it('parses dotted quads', () => {
    assert.equal(parseIpv4('10.0.0.3'), 0x0a000003);
    assert.equal(parseIpv4('255.255.255.255'), 0xffffffff);
    assert.equal(parseIpv4('0.0.0.0'), 0);
  });
  it('rejects anything else with -1', () => {
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '1..2.3', '1.2.3.', 'a.b.c.d', '::1', ' 1.2.3.4']) assert.equal(parseIpv4(bad), -1, bad);
  });
});

describe('parseIpv6', () => {
  it('parses full, compressed and IPv4-suffixed forms', () => {
    assert.deepEqual(parseIpv6('2001:db8:0:0:0:0:0:1'), [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual(parseIpv6('2001:db8::1'), [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual(parseIpv6('::'), [0, 0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(parseIpv6('fe80::'), [0xfe80, 0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(parseIpv6('::ffff:10.0.0.3'), [0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0003]);
  });
  it('rejects malformed text', () => {
    for (const bad of ['1.2.3.4', '1::2::3', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '1.2.3.4::', 'fe80::1%eth0']) {
      assert.equal(parseIpv6(bad), null, bad);
    }
  });
});

describe('address classes', () => {
  it('local = RFC 1918, loopback, link-local, unique local', () => {
    for (const ip of ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '127.0.0.1', '169.254.3.4', '::1', 'fe80::1', 'fd12:3456::1', '::ffff:192.168.0.1']) {
      assert.equal(isLocalAddress(ip), true, ip);
    }
    for (const ip of ['172.15.0.1', '172.32.0.1', '100.64.0.1', '8.8.8.8', '2001:db8::1', 'fec0::1', 'junk']) assert.equal(isLocalAddress(ip), false, ip);
  });
  it('hosts exclude unspecified, broadcast and multicast addresses', () => {
    for (const ip of ['10.0.0.3', '8.8.8.8', '2001:db8::1', 'fe80::1']) assert.equal(isHostAddress(ip), true, ip);
    for (const ip of ['0.0.0.0', '255.255.255.255', '224.0.0.251', '239.255.255.250', '::', 'ff02::1', '::ffff:224.0.0.1', '', 'x']) {
      assert.equal(isHostAddress(ip), false, ip);
    }
  });
  it('families', () => {
    assert.equal(ipFamily('10.0.0.1'), 4);
    assert.equal(ipFamily('::1'), 6);
    assert.equal(ipFamily('host'), 0);
  });
});

describe('sortIps', () => {
  it('orders IPv4 numerically, then IPv6 by value, then invalid text', () => {
    const ips = ['fe80::1', '10.0.0.10', 'zzz', '2001:db8::2', '10.0.0.9', '9.255.255.255', '2001:db8::10', '10.0.0.100'];
    assert.deepEqual(sortIps(ips), ['9.255.255.255', '10.0.0.9', '10.0.0.10', '10.0.0.100', '2001:db8::2', '2001:db8::10', 'fe80::1', 'zzz']);
  });
  it('gives keys whose string order is the numeric order', () => {
    assert.ok(ipSortKey('10.0.0.9') < ipSortKey('10.0.0.10'));
    assert.ok(ipSortKey('255.255.255.255') < ipSortKey('::'));
  });
});
