import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LinkType } from '../../src/capture/packet.js';
import { ETH_IPV4, IPV4_TCP_52, MODBUS_FRAME, MODBUS_READ, TCP_PSH_ACK } from './fixtures.js';
import { concat, DecoderHarness, decodeOnce, hex, rawOf, subView } from './helpers.js';

describe('IPv4 (RFC 791)', () => {
  test('fixed header fields', () => {
    const { status, pkt } = decodeOnce(rawOf(LinkType.ETHERNET, subView(MODBUS_FRAME)));
    assert.equal(status, 'ok');
    assert.equal(pkt.ipVersion, 4);
    assert.equal(pkt.ttl, 64);
    assert.equal(pkt.ipProto, 6);
    assert.equal(pkt.ipLen, 52);
    assert.equal(pkt.src, '192.168.10.10');
    assert.equal(pkt.dst, '192.168.10.20');
  });

  test('options are skipped', () => {
    const frame = concat(
      ETH_IPV4,
      hex`
        46                  # version 4, IHL 6 words (24 bytes)
        00                  # DSCP/ECN
        00 38               # total length 56
        00 01               # identification
        00 00               # flags 0, offset 0
        80                  # TTL 128
        06                  # protocol TCP
        00 00               # checksum
        0a 00 00 01         # source 10.0.0.1
        0a 00 00 02         # destination 10.0.0.2
        94 04 00 00         # option: router alert (RFC 2113)
      `,
      TCP_PSH_ACK,
      MODBUS_READ,
    );
    const { status, pkt } = decodeOnce(rawOf(LinkType.ETHERNET, frame));
    assert.equal(status, 'ok');
    assert.equal(pkt.ttl, 128);
    assert.equal(pkt.srcPort, 49374);
    assert.deepEqual([...pkt.payload], [...MODBUS_READ]);
  });

  test('Ethernet padding is trimmed by the total length', () => {
    const ack = hex`
      45 00               # version 4, IHL 5, DSCP/ECN 0
      00 28               # total length 40: header + bare TCP header
      00 02 40 00         # identification 2, DF
      40 06 00 00         # TTL 64, protocol TCP, checksum
      c0 a8 0a 14         # source 192.168.10.20
      c0 a8 0a 0a         # destination 192.168.10.10
      01 f6 c0 de         # ports 502 → 49374
      00 00 00 10         # sequence 16
      9a 3b 1c 39         # acknowledgment
      50 10 fa f0         # data offset 5, ACK, window 64240
      00 00 00 00         # checksum, urgent pointer
    `;
    const padding = hex`00 00 00 00 00 00   # Ethernet padding to the 60-byte minimum`;
    const { status, pkt, anomalies } = decodeOnce(rawOf(LinkType.ETHERNET, subView(concat(ETH_IPV4, ack, padding))));
    assert.equal(status, 'ok');
    assert.deepEqual(anomalies, []);
    assert.equal(pkt.payload.length, 0);
    assert.equal(pkt.payloadLen, 0);
    assert.equal(pkt.tcpFlags, 0x10);
  });

  test('truncated fixed header', () => {
    const r = decodeOnce(rawOf(LinkType.ETHERNET, concat(ETH_IPV4, IPV4_TCP_52.subarray(0, 19))));
    assert.equal(r.status, 'malformed');
    assert.deepEqual(r.anomalies, ['ip.truncated_header']);
    assert.equal(r.pkt.etherType, 0x0800);
    assert.equal(r.pkt.src, '');
  });

  test('header length beyond the captured bytes: addresses kept', () => {
    const hdr = IPV4_TCP_52.slice();
    hdr[0] = 0x4f; // IHL 15 words = 60 bytes, only 20 + 20 captured
    hdr[3] = 60; // total length 60 so the header length itself is consistent
    const r = decodeOnce(rawOf(LinkType.RAW, concat(hdr, TCP_PSH_ACK)));
    assert.equal(r.status, 'malformed');
    assert.deepEqual(r.anomalies, ['ip.truncated_header']);
    assert.equal(r.pkt.src, '192.168.10.10');
  });

  test('bad header length (IHL < 5, or above the total length)', () => {
    const a = IPV4_TCP_52.slice();
    a[0] = 0x44; // IHL 4 words
    const ra = decodeOnce(rawOf(LinkType.RAW, concat(a, TCP_PSH_ACK, MODBUS_READ)));
    assert.equal(ra.status, 'malformed');
    assert.deepEqual(ra.anomalies, ['ip.bad_header_length']);
    assert.equal(ra.pkt.dst, '192.168.10.20');
    const b = IPV4_TCP_52.slice();
    b[3] = 19; // total length 19 < 20
    const rb = decodeOnce(rawOf(LinkType.RAW, concat(b, TCP_PSH_ACK)));
    assert.equal(rb.status, 'malformed');
    assert.deepEqual(rb.anomalies, ['ip.bad_header_length']);
  });

  test('bad version', () => {
    const a = IPV4_TCP_52.slice();
    a[0] = 0x55;
    const r = decodeOnce(rawOf(LinkType.ETHERNET, concat(ETH_IPV4, a, TCP_PSH_ACK)));
    assert.equal(r.status, 'malformed');
    assert.deepEqual(r.anomalies, ['ip.bad_version']);
  });

  test('snap length cut: payloadLen from the header, payload what was captured', () => {
    const cut = MODBUS_FRAME.subarray(0, 60); // 6 of 12 Modbus bytes captured
    const h = new DecoderHarness();
    const status = h.decode(rawOf(LinkType.ETHERNET, subView(cut), { origLen: MODBUS_FRAME.length }));
    assert.equal(status, 'ok');
    assert.deepEqual(h.names(), ['ip.total_length_exceeds_capture']);
    assert.equal(h.anomalies[0].src, '192.168.10.10');
    assert.equal(h.pkt.ipLen, 52);
    assert.equal(h.pkt.payloadLen, 12);
    assert.deepEqual([...h.pkt.payload], [...MODBUS_READ.subarray(0, 6)]);
  });

  test('total length beyond the wire frame: decoded as far as it goes (payloadLen as tshark), malformed (Zeek truncated_IP_len)', () => {
    const cut = MODBUS_FRAME.subarray(0, 60); // the frame on the wire was 60 bytes too
    const { status, pkt, anomalies } = decodeOnce(rawOf(LinkType.ETHERNET, cut));
    assert.equal(status, 'malformed', 'no flow may count bytes that never existed');
    assert.deepEqual(anomalies, ['ip.total_length_exceeds_capture']);
    assert.equal(pkt.ipLen, 52);
    assert.equal(pkt.payloadLen, 6);
    assert.equal(pkt.payload.length, 6);
  });

  test('zero total length (segmentation offload): captured length stands in', () => {
    const hdr = IPV4_TCP_52.slice();
    hdr[2] = 0;
    hdr[3] = 0;
    const { status, pkt, anomalies } = decodeOnce(rawOf(LinkType.RAW, concat(hdr, TCP_PSH_ACK, MODBUS_READ)));
    assert.equal(status, 'ok');
    assert.deepEqual(anomalies, ['ip.zero_total_length']);
    assert.equal(pkt.ipLen, 52);
    assert.deepEqual([...pkt.payload], [...MODBUS_READ]);
  });

  test('non-TCP/UDP/ICMP protocol: the IP payload is the payload', () => {
    const frame = concat(
      hex`
        45 00 00 18         # version 4, IHL 5, total length 24
        00 03 00 00         # identification 3, no fragmentation
        40 2f 00 00         # TTL 64, protocol 47 (GRE), checksum
        0a 00 00 01         # source 10.0.0.1
        0a 00 00 02         # destination 10.0.0.2
        00 00 08 00         # GRE header: flags 0, protocol IPv4
      `,
    );
    const { status, pkt } = decodeOnce(rawOf(LinkType.RAW, frame));
    assert.equal(status, 'ok');
    assert.equal(pkt.ipProto, 47);
    assert.equal(pkt.srcPort, -1);
    assert.deepEqual([...pkt.payload], [0, 0, 8, 0]);
  });
});
