import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ipv4Text, ipv6Text, readIpv4 } from '../../src/decode/ip-text.js';
import { subView } from './helpers.js';

/** 16 bytes of an IPv6 address from its eight 16-bit groups. */
function v6(...groups: number[]): Uint8Array {
  const b = new Uint8Array(16);
  groups.forEach((g, i) => {
    b[2 * i] = g >> 8;
    b[2 * i + 1] = g & 0xff;
  });
  return b;
}

test('IPv4 dotted quad, signed or unsigned input, cached string identity', () => {
  assert.equal(ipv4Text(0xc0a80001), '192.168.0.1');
  assert.equal(ipv4Text(0xc0a80001 | 0), '192.168.0.1');
  assert.equal(ipv4Text(0), '0.0.0.0');
  assert.equal(ipv4Text(0xffffffff), '255.255.255.255');
  assert.equal(readIpv4(subView(Uint8Array.of(10, 1, 2, 254)), 0), 0x0a0102fe);
  // many addresses through the bounded cache, then each again: text stays right after evictions
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 20_000; i++) {
      const a = (0x0a000000 + i * 7919) >>> 0;
      assert.equal(ipv4Text(a), `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`);
    }
  }
});

test('IPv6 RFC 5952 text, matching what tshark 4.0 prints for ipv6.src', () => {
  const cases: [number[], string][] = [
    [[0x2001, 0xdb8, 0, 0, 1, 0, 0, 1], '2001:db8::1:0:0:1'], // first of two equal runs
    [[0x2001, 0, 0, 1, 0, 0, 0, 1], '2001:0:0:1::1'], // longest run wins
    [[0x2001, 0xdb8, 0, 1, 1, 1, 1, 1], '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
    [[1, 0, 0, 2, 0, 0, 3, 4], '1::2:0:0:3:4'],
    [[0, 0, 0, 0, 0, 0, 0, 0], '::'],
    [[0, 0, 0, 0, 0, 0, 0, 1], '::1'],
    [[1, 0, 0, 0, 0, 0, 0, 0], '1::'],
    [[0, 1, 0, 0, 0, 0, 0, 0], '0:1::'],
    [[1, 2, 3, 4, 5, 6, 7, 0], '1:2:3:4:5:6:7:0'],
    [[0xabcd, 0xef01, 0, 0, 0, 0, 0, 0], 'abcd:ef01::'], // lowercase
    [[0xfe80, 0, 0, 0, 0x20c, 0x29ff, 0xfeaa, 0xbbcc], 'fe80::20c:29ff:feaa:bbcc'], // leading zeros dropped
    [[0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304], '::ffff:1.2.3.4'], // IPv4-mapped
    [[0, 0, 0, 0, 0, 0xffff, 0, 0], '::ffff:0.0.0.0'],
    [[0, 0, 0, 0, 0, 0, 0x0102, 0x0304], '::1.2.3.4'], // IPv4-compatible, as tshark prints it
    [[0, 0, 0, 0, 0, 0, 1, 0], '::0.1.0.0'],
    [[0, 0, 0, 0, 0, 0, 0, 0xffff], '::ffff'],
    [[0, 0, 0, 0, 0xffff, 0, 0x0102, 0x0304], '::ffff:0:102:304'],
    [[0, 0, 0, 0, 1, 0xffff, 0x0102, 0x0304], '::1:ffff:102:304'],
    [[0x64, 0xff9b, 0, 0, 0, 0, 0x0102, 0x0304], '64:ff9b::102:304'],
    [[0xfe80, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304], 'fe80::ffff:102:304'],
  ];
  for (let round = 0; round < 2; round++) {
    for (const [groups, text] of cases) assert.equal(ipv6Text(subView(v6(...groups)), 0), text);
  }
  const big = new Uint8Array(40);
  big.set(v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x10), 8);
  assert.equal(ipv6Text(big, 8), '2001:db8::10');
});

test('IPv6 cache never returns another address text', () => {
  const b = new Uint8Array(16);
  for (let i = 0; i < 5000; i++) {
    b[14] = i >> 8;
    b[15] = i & 0xff;
    b[0] = 0x20;
    b[1] = 0x01;
    assert.equal(ipv6Text(b, 0), i === 0 ? '2001::' : `2001::${i.toString(16)}`);
  }
});
