import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LinkType } from '../../src/capture/packet.js';
import { MODBUS_READ, TCP_PSH_ACK, pattern, udpHeader } from './fixtures.js';
import { concat, decodeOnce, hex, rawOf, subView } from './helpers.js';

/** Ethernet II header carrying IPv6. */
const ETH_IPV6 = hex`
  33 33 00 00 00 01   # destination MAC
  00 10 5a 0a 0b 0c   # source MAC
  86 dd               # EtherType IPv6
`;

/** IPv6 fixed header (RFC 8200 §3) 2001:db8::10 → 2001:db8::20 with the given payload length and next header. */
function ipv6(payloadLength: number, next: number): Uint8Array {
  return concat(
    Uint8Array.of(
      0x60, 0x00, 0x00, 0x00, // version 6, traffic class 0, flow label 0
      payloadLength >> 8, payloadLength & 0xff, // payload length
      next, // next header
      0x40, // hop limit 64
    ),
    hex`
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 10   # source 2001:db8::10
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 20   # destination 2001:db8::20
    `,
  );
}

/** Hop-by-hop options header, 8 bytes, next header 60 (destination options). */
const HOP_BY_HOP = hex`
  3c                  # next header 60: destination options
  00                  # header extension length 0 → 8 bytes
  05 02 00 00         # option router alert (type 5, length 2, value 0: MLD)
  01 00               # option PadN, 0 bytes of padding
`;

/** Destination options header, 16 bytes, next header 6 (TCP). */
const DEST_OPTIONS = hex`
  06                  # next header 6: TCP
  01                  # header extension length 1 → 16 bytes
  01 0c               # option PadN, 12 bytes of padding
  00 00 00 00 00 00 00 00 00 00 00 00   # padding
`;

describe('IPv6 (RFC 8200)', () => {
  test('hop-by-hop + destination options, then TCP', () => {
    const body = concat(HOP_BY_HOP, DEST_OPTIONS, TCP_PSH_ACK, MODBUS_READ);
    const frame = concat(ETH_IPV6, ipv6(body.length, 0), body);
    const { status, pkt, anomalies } = decodeOnce(rawOf(LinkType.ETHERNET, subView(frame)));
    assert.equal(status, 'ok');
    assert.deepEqual(anomalies, []);
    assert.equal(pkt.ipVersion, 6);
    assert.equal(pkt.src, '2001:db8::10');
    assert.equal(pkt.dst, '2001:db8::20');
    assert.equal(pkt.ttl, 64);
    assert.equal(pkt.ipProto, 6);
    assert.equal(pkt.ipLen, 40 + body.length);
    assert.equal(pkt.srcPort, 49374);
    assert.equal(pkt.dstPort, 502);
    assert.equal(pkt.payloadLen, 12);
    assert.deepEqual([...pkt.payload], [...MODBUS_READ]);
  });

  test('routing header then UDP', () => {
    const routing = hex`
      11                  # next header 17: UDP
      02                  # header extension length 2 → 24 bytes
      04                  # routing type 4 (segment routing)
      01                  # segments left 1
      00 00 00 00         # last entry, flags, tag
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 20   # segment 2001:db8::20
    `;
    const body = concat(routing, udpHeader(12), pattern(4));
    const { status, pkt } = decodeOnce(rawOf(LinkType.IPV6, concat(ipv6(body.length, 43), body)));
    assert.equal(status, 'ok');
    assert.equal(pkt.ipProto, 17);
    assert.equal(pkt.srcPort, 5000);
    assert.deepEqual([...pkt.payload], [0, 1, 2, 3]);
  });

  test('authentication header (length in 4-byte units + 2) then TCP', () => {
    const ah = hex`
      06                  # next header 6: TCP
      04                  # payload length 4 → (4 + 2) × 4 = 24 bytes
      00 00               # reserved
      00 00 10 01         # SPI
      00 00 00 07         # sequence number
      00 00 00 00 00 00 00 00 00 00 00 00   # ICV (96 bits)
    `;
    const body = concat(ah, TCP_PSH_ACK, MODBUS_READ);
    const { status, pkt } = decodeOnce(rawOf(LinkType.IPV6, concat(ipv6(body.length, 51), body)));
    assert.equal(status, 'ok');
    assert.equal(pkt.ipProto, 6);
    assert.equal(pkt.dstPort, 502);
  });

  test('ESP stops the walk; no-next-header ends the packet', () => {
    const esp = hex`
      00 00 10 02         # SPI
      00 00 00 01         # sequence number
      de ad be ef         # encrypted payload
    `;
    const body = concat(hex`32 00 01 04 00 00 00 00   # hop-by-hop: next 50 ESP, 8 bytes, PadN of 4`, esp);
    const a = decodeOnce(rawOf(LinkType.IPV6, concat(ipv6(body.length, 0), body)));
    assert.equal(a.status, 'ok');
    assert.equal(a.pkt.ipProto, 50);
    assert.equal(a.pkt.payloadLen, esp.length);
    assert.deepEqual([...a.pkt.payload], [...esp]);
    const b = decodeOnce(rawOf(LinkType.IPV6, ipv6(0, 59)));
    assert.equal(b.status, 'ok');
    assert.equal(b.pkt.ipProto, 59);
    assert.equal(b.pkt.payloadLen, 0);
  });

  test('first fragment: weird, transport parsed; later fragment: weird, no transport', () => {
    const first = concat(
      hex`
        06                  # next header 6: TCP
        00                  # reserved
        00 01               # fragment offset 0, M = 1
        12 34 56 78         # identification
      `,
      TCP_PSH_ACK,
      MODBUS_READ,
    );
    const a = decodeOnce(rawOf(LinkType.IPV6, concat(ipv6(first.length, 44), first)));
    assert.equal(a.status, 'ok');
    assert.deepEqual(a.anomalies, ['ipv6.fragment']);
    assert.equal(a.pkt.ipProto, 6);
    assert.equal(a.pkt.srcPort, 49374);
    const later = concat(
      hex`
        06                  # next header 6: TCP
        00                  # reserved
        00 08               # fragment offset 1 (8 bytes), M = 0
        12 34 56 78         # identification
      `,
      pattern(8),
    );
    const b = decodeOnce(rawOf(LinkType.IPV6, concat(ipv6(later.length, 44), later)));
    assert.equal(b.status, 'ok');
    assert.deepEqual(b.anomalies, ['ipv6.fragment']);
    assert.equal(b.pkt.ipProto, 44);
    assert.equal(b.pkt.srcPort, -1);
    assert.equal(b.pkt.payloadLen, 8);
    assert.deepEqual([...b.pkt.payload], [...pattern(8)]);
  });

  test('atomic fragment (offset 0, M = 0) is no anomaly', () => {
    const atomic = concat(hex`06 00 00 00 12 34 56 78   # fragment header: TCP, offset 0, M 0, id`, TCP_PSH_ACK);
    const r = decodeOnce(rawOf(LinkType.IPV6, concat(ipv6(atomic.length, 44), atomic)));
    assert.equal(r.status, 'ok');
    assert.deepEqual(r.anomalies, []);
    assert.equal(r.pkt.ipProto, 6);
  });

  test('truncated fixed header and truncated / overlong extension headers', () => {
    const full = concat(ipv6(56, 0), HOP_BY_HOP, DEST_OPTIONS, TCP_PSH_ACK, MODBUS_READ);
    const a = decodeOnce(rawOf(LinkType.IPV6, full.subarray(0, 39)));
    assert.equal(a.status, 'malformed');
    assert.deepEqual(a.anomalies, ['ipv6.truncated_header']);
    // snap length cut inside the destination options header (the wire frame was whole)
    const b = decodeOnce(rawOf(LinkType.IPV6, full.subarray(0, 52), { origLen: full.length }));
    assert.equal(b.status, 'malformed');
    assert.deepEqual(b.anomalies, ['ipv6.total_length_exceeds_capture', 'ipv6.truncated_extension_header']);
    assert.equal(b.pkt.src, '2001:db8::10');
    // payload length says 12: the destination options header (16 bytes at offset 8) runs past it
    const c = decodeOnce(rawOf(LinkType.IPV6, concat(ipv6(12, 0), HOP_BY_HOP, DEST_OPTIONS)));
    assert.equal(c.status, 'malformed');
    assert.deepEqual(c.anomalies, ['ipv6.bad_extension_header_length']);
  });

  test('bad version under EtherType 0x86dd', () => {
    const bad = ipv6(0, 59);
    bad[0] = 0x40;
    const r = decodeOnce(rawOf(LinkType.ETHERNET, concat(ETH_IPV6, bad)));
    assert.equal(r.status, 'malformed');
    assert.deepEqual(r.anomalies, ['ipv6.bad_version']);
  });
});
