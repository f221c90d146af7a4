import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LinkType } from '../../src/capture/packet.js';
import { decodeOnce, hex, rawOf, subView } from './helpers.js';

/** ARP request who-has 192.168.10.20 tell 192.168.10.10, padded to 60 bytes. */
const REQUEST = hex`
  ff ff ff ff ff ff   # destination MAC broadcast
  00 10 5a 0a 0b 0c   # source MAC
  08 06               # EtherType ARP
  00 01               # hardware type 1: Ethernet
  08 00               # protocol type IPv4
  06                  # hardware address length 6
  04                  # protocol address length 4
  00 01               # opcode 1: request
  00 10 5a 0a 0b 0c   # sender MAC
  c0 a8 0a 0a         # sender IP 192.168.10.10
  00 00 00 00 00 00   # target MAC (unknown)
  c0 a8 0a 14         # target IP 192.168.10.20
  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00   # Ethernet padding
`;

/** ARP reply 192.168.10.20 is-at 00:15:ac:1e:01:02. */
const REPLY = hex`
  00 10 5a 0a 0b 0c   # destination MAC
  00 15 ac 1e 01 02   # source MAC
  08 06               # EtherType ARP
  00 01 08 00 06 04   # Ethernet / IPv4, lengths 6 and 4
  00 02               # opcode 2: reply
  00 15 ac 1e 01 02   # sender MAC
  c0 a8 0a 14         # sender IP 192.168.10.20
  00 10 5a 0a 0b 0c   # target MAC
  c0 a8 0a 0a         # target IP 192.168.10.10
`;

test('ARP request (RFC 826)', () => {
  const { status, pkt, anomalies } = decodeOnce(rawOf(LinkType.ETHERNET, subView(REQUEST)));
  assert.equal(status, 'ok');
  assert.deepEqual(anomalies, []);
  assert.equal(pkt.etherType, 0x0806);
  assert.equal(pkt.ipVersion, 0);
  assert.equal(pkt.src, '');
  assert.deepEqual(pkt.arp, { op: 1, senderMac: 0x00105a0a0b0c, senderIp: '192.168.10.10', targetMac: 0, targetIp: '192.168.10.20' });
});

test('ARP reply', () => {
  const { status, pkt } = decodeOnce(rawOf(LinkType.ETHERNET, REPLY));
  assert.equal(status, 'ok');
  assert.deepEqual(pkt.arp, {
    op: 2,
    senderMac: 0x0015ac1e0102,
    senderIp: '192.168.10.20',
    targetMac: 0x00105a0a0b0c,
    targetIp: '192.168.10.10',
  });
});

test('ARP over other hardware / protocol is unsupported; truncated ARP is malformed', () => {
  const other = REPLY.slice();
  other[15] = 0x06; // hardware type 6 (IEEE 802)
  const a = decodeOnce(rawOf(LinkType.ETHERNET, other));
  assert.equal(a.status, 'unsupported');
  assert.equal(a.pkt.arp, null);
  for (const n of [14 + 7, 14 + 27]) {
    const r = decodeOnce(rawOf(LinkType.ETHERNET, REPLY.subarray(0, n)));
    assert.equal(r.status, 'malformed', `cut at ${n}`);
    assert.deepEqual(r.anomalies, ['arp.truncated_header']);
    assert.equal(r.pkt.arp, null);
  }
});
