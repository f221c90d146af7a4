import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LinkType } from '../../src/capture/packet.js';
import { ETH_IPV4, IPV4_TCP_52, MODBUS_FRAME, MODBUS_READ, TCP_PSH_ACK, ipv4Header, pattern, udpHeader } from './fixtures.js';
import { concat, DecoderHarness, decodeOnce, hex, rawOf, subView } from './helpers.js';

describe('TCP (RFC 9293)', () => {
  test('ports, unsigned seq/ack, flags, window, payload view', () => {
    const frame = subView(MODBUS_FRAME);
    const { status, pkt } = decodeOnce(rawOf(LinkType.ETHERNET, frame));
    assert.equal(status, 'ok');
    assert.equal(pkt.srcPort, 49374);
    assert.equal(pkt.dstPort, 502);
    assert.equal(pkt.seq, 2587565101);
    assert.equal(pkt.ack, 2147483650);
    assert.equal(pkt.tcpFlags, 0x18);
    assert.equal(pkt.window, 64240);
    assert.equal(pkt.payloadLen, 12);
    assert.equal(pkt.payload.buffer, frame.buffer, 'payload is a view, not a copy');
    assert.equal(pkt.payload.byteOffset, frame.byteOffset + 54);
    assert.deepEqual([...pkt.payload], [...MODBUS_READ]);
  });

  test('all nine flags including NS; options skipped', () => {
    const tcp = hex`
      c0 de 01 f6         # ports 49374 → 502
      ff ff ff ff         # sequence 4294967295
      00 00 00 00         # acknowledgment 0
      61                  # data offset 6 words (24 bytes), reserved 0, NS 1
      ff                  # CWR ECE URG ACK PSH RST SYN FIN
      00 00 00 00 00 00   # window 0, checksum, urgent pointer
      02 04 05 b4         # option MSS 1460
    `;
    const { status, pkt } = decodeOnce(rawOf(LinkType.RAW, concat(ipv4Header({ totalLength: 44, proto: 6 }), tcp)));
    assert.equal(status, 'ok');
    assert.equal(pkt.tcpFlags, 0x1ff);
    assert.equal(pkt.seq, 4294967295);
    assert.equal(pkt.payloadLen, 0);
    assert.equal(pkt.payload.length, 0);
  });

  test('bad data offset: under 5 words, and beyond the IP payload', () => {
    const small = TCP_PSH_ACK.slice();
    small[12] = 0x40; // data offset 4 words
    const a = decodeOnce(rawOf(LinkType.ETHERNET, concat(ETH_IPV4, IPV4_TCP_52, small, MODBUS_READ)));
    assert.equal(a.status, 'malformed');
    assert.deepEqual(a.anomalies, ['tcp.bad_header_length']);
    assert.equal(a.pkt.srcPort, 49374, 'fields decoded so far are kept');
    assert.equal(a.pkt.seq, 2587565101);
    const big = TCP_PSH_ACK.slice();
    big[12] = 0xf0; // data offset 15 words = 60 bytes > 32 bytes of IP payload
    const b = decodeOnce(rawOf(LinkType.ETHERNET, concat(ETH_IPV4, IPV4_TCP_52, big, MODBUS_READ)));
    assert.equal(b.status, 'malformed');
    assert.deepEqual(b.anomalies, ['tcp.bad_header_length']);
  });

  test('truncated header: ports kept when 4 bytes exist; reported with the hosts', () => {
    const h = new DecoderHarness();
    const frame = MODBUS_FRAME.subarray(0, 14 + 20 + 10);
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, frame, { origLen: MODBUS_FRAME.length })), 'malformed');
    assert.deepEqual(h.names(), ['ip.total_length_exceeds_capture', 'tcp.truncated_header']);
    assert.equal(h.anomalies[1].src, '192.168.10.10');
    assert.equal(h.anomalies[1].srcPort, 49374);
    assert.equal(h.pkt.seq, -1);
    const h2 = new DecoderHarness();
    assert.equal(h2.decode(rawOf(LinkType.ETHERNET, MODBUS_FRAME.subarray(0, 14 + 20 + 3), { origLen: 66 })), 'malformed');
    assert.equal(h2.pkt.srcPort, -1);
    assert.equal(h2.names().at(-1), 'tcp.truncated_header');
  });

  test('options cut by the snap length', () => {
    const tcp = hex`
      c0 de 01 f6         # ports
      00 00 00 01 00 00 00 00   # sequence 1, acknowledgment 0
      70 02 ff ff         # data offset 7 words (28 bytes), SYN, window 65535
      00 00 00 00         # checksum, urgent pointer
      02 04 05 b4         # option MSS 1460
      01 01 04 02         # NOP NOP SACK-permitted
    `;
    const dgram = concat(ipv4Header({ totalLength: 48, proto: 6 }), tcp);
    const r = decodeOnce(rawOf(LinkType.RAW, dgram.subarray(0, 44), { origLen: 48 }));
    assert.equal(r.status, 'malformed');
    assert.deepEqual(r.anomalies, ['ip.total_length_exceeds_capture', 'tcp.truncated_header']);
    assert.equal(r.pkt.tcpFlags, 0x02);
  });
});

describe('UDP (RFC 768)', () => {
  test('ports and payload', () => {
    const dgram = concat(ipv4Header({ totalLength: 20 + 8 + 5 }), udpHeader(13), pattern(5));
    const { status, pkt, anomalies } = decodeOnce(rawOf(LinkType.RAW, subView(dgram)));
    assert.equal(status, 'ok');
    assert.deepEqual(anomalies, []);
    assert.equal(pkt.ipProto, 17);
    assert.equal(pkt.srcPort, 5000);
    assert.equal(pkt.dstPort, 6000);
    assert.equal(pkt.payloadLen, 5);
    assert.deepEqual([...pkt.payload], [0, 1, 2, 3, 4]);
  });

  test('length shorter than the IP payload bounds the data; longer or under 8 falls back to IP', () => {
    const shorter = decodeOnce(rawOf(LinkType.RAW, concat(ipv4Header({ totalLength: 20 + 8 + 5 }), udpHeader(11), pattern(5))));
    assert.equal(shorter.status, 'ok');
    assert.deepEqual(shorter.anomalies, ['udp.bad_length']);
    assert.equal(shorter.pkt.payloadLen, 3);
    assert.deepEqual([...shorter.pkt.payload], [0, 1, 2]);
    const longer = decodeOnce(rawOf(LinkType.RAW, concat(ipv4Header({ totalLength: 20 + 8 + 5 }), udpHeader(200), pattern(5))));
    assert.deepEqual(longer.anomalies, ['udp.bad_length']);
    assert.equal(longer.pkt.payloadLen, 5);
    const tiny = decodeOnce(rawOf(LinkType.RAW, concat(ipv4Header({ totalLength: 20 + 8 + 5 }), udpHeader(3), pattern(5))));
    assert.deepEqual(tiny.anomalies, ['udp.bad_length']);
    assert.equal(tiny.pkt.payload.length, 5);
  });

  test('truncated header', () => {
    const r = decodeOnce(rawOf(LinkType.RAW, concat(ipv4Header({ totalLength: 26 }), udpHeader(8).subarray(0, 6))));
    assert.equal(r.status, 'malformed');
    assert.deepEqual(r.anomalies, ['udp.truncated_header']);
    assert.equal(r.pkt.srcPort, 5000);
  });
});

describe('ICMP (RFC 792) and ICMPv6 (RFC 4443)', () => {
  test('echo request: type/code as ports (Zeek), data after the 8-byte header', () => {
    const icmp = hex`
      08                  # type 8: echo request
      00                  # code 0
      f7 ff               # checksum (checksums ignored)
      00 01               # identifier 1
      00 02               # sequence number 2
      61 62 63 64         # data "abcd"
    `;
    const { status, pkt } = decodeOnce(rawOf(LinkType.RAW, concat(ipv4Header({ totalLength: 32, proto: 1 }), icmp)));
    assert.equal(status, 'ok');
    assert.equal(pkt.icmpType, 8);
    assert.equal(pkt.icmpCode, 0);
    assert.equal(pkt.srcPort, 8);
    assert.equal(pkt.dstPort, 0);
    assert.equal(pkt.payloadLen, 4);
    assert.equal(Buffer.from(pkt.payload).toString('latin1'), 'abcd');
  });

  test('ICMPv6 neighbor solicitation', () => {
    const frame = hex`
      33 33 ff aa bb cc   # destination MAC (solicited-node multicast)
      00 0c 29 aa bb cc   # source MAC
      86 dd               # EtherType IPv6
      60 00 00 00         # version 6
      00 20               # payload length 32
      3a                  # next header 58: ICMPv6
      ff                  # hop limit 255
      fe 80 00 00 00 00 00 00 02 0c 29 ff fe 11 22 33   # source fe80::20c:29ff:fe11:2233
      ff 02 00 00 00 00 00 00 00 00 00 01 ff aa bb cc   # destination ff02::1:ffaa:bbcc
      87                  # type 135: neighbor solicitation
      00                  # code 0
      00 00               # checksum
      00 00 00 00         # reserved
      fe 80 00 00 00 00 00 00 02 0c 29 ff fe aa bb cc   # target address
      01 01 00 0c 29 11 22 33   # option: source link-layer address
    `;
    const { status, pkt } = decodeOnce(rawOf(LinkType.ETHERNET, subView(frame)));
    assert.equal(status, 'ok');
    assert.equal(pkt.ipProto, 58);
    assert.equal(pkt.dst, 'ff02::1:ffaa:bbcc');
    assert.equal(pkt.icmpType, 135);
    assert.equal(pkt.srcPort, 135);
    assert.equal(pkt.dstPort, 0);
    assert.equal(pkt.payloadLen, 24);
  });

  test('truncated ICMP and ICMPv6 headers', () => {
    const a = decodeOnce(rawOf(LinkType.RAW, concat(ipv4Header({ totalLength: 24, proto: 1 }), hex`03 03 00 00   # dest unreachable, port; checksum; rest missing`)));
    assert.equal(a.status, 'malformed');
    assert.deepEqual(a.anomalies, ['icmp.truncated_header']);
    assert.equal(a.pkt.icmpType, 3);
    assert.equal(a.pkt.icmpCode, 3);
    const v6 = hex`
      60 00 00 00 00 02 3a 40   # version 6, payload length 2, ICMPv6, hop limit 64
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01   # source ::1
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01   # destination ::1
      80 00               # type 128 echo request, code 0; nothing more
    `;
    const b = decodeOnce(rawOf(LinkType.IPV6, v6));
    assert.equal(b.status, 'malformed');
    assert.deepEqual(b.anomalies, ['icmpv6.truncated_header']);
    assert.equal(b.pkt.icmpType, 128);
  });
});
