import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LinkType } from '../../src/capture/packet.js';
import { newDecodedPacket } from '../../src/decode/decoder.js';
import { MODBUS_FRAME } from './fixtures.js';
import { DecoderHarness, hex, rawOf } from './helpers.js';

/** Every field of a packet with nothing decoded. */
const UNSET = {
  srcMac: -1,
  dstMac: -1,
  vlan: -1,
  innerVlan: -1,
  etherType: -1,
  ipVersion: 0,
  src: '',
  dst: '',
  ipProto: -1,
  ipLen: -1,
  ttl: -1,
  srcPort: -1,
  dstPort: -1,
  tcpFlags: -1,
  seq: -1,
  ack: -1,
  window: -1,
  icmpType: -1,
  icmpCode: -1,
  payloadLen: -1,
  arp: null,
};

test('newDecodedPacket has every field unset', () => {
  const p = newDecodedPacket();
  for (const [k, v] of Object.entries(UNSET)) assert.equal(p[k as keyof typeof UNSET], v, k);
  assert.equal(p.payload.length, 0);
  assert.equal(p.raw.data.length, 0);
});

test('a reused packet is fully reset: nothing leaks from the previous frame', () => {
  const h = new DecoderHarness();
  assert.equal(h.decode(rawOf(LinkType.ETHERNET, MODBUS_FRAME, { ts: 5, frame: 1 })), 'ok');
  assert.equal(h.pkt.srcPort, 49374);
  const arpFrame = hex`
    ff ff ff ff ff ff 00 10 5a 0a 0b 0c 08 06   # broadcast ← 00:10:5a:0a:0b:0c, ARP
    00 01 08 00 06 04 00 01                     # Ethernet/IPv4, request
    00 10 5a 0a 0b 0c c0 a8 0a 0a               # sender
    00 00 00 00 00 00 c0 a8 0a 14               # target
  `;
  assert.equal(h.decode(rawOf(LinkType.ETHERNET, arpFrame, { ts: 6, frame: 2 })), 'ok');
  assert.notEqual(h.pkt.arp, null);
  const raw = rawOf(LinkType.NULL, new Uint8Array(0), { ts: 7, frame: 3 });
  assert.equal(h.decode(raw), 'malformed');
  for (const [k, v] of Object.entries(UNSET)) assert.equal(h.pkt[k as keyof typeof UNSET], v, k);
  assert.equal(h.pkt.payload.length, 0);
  assert.equal(h.pkt.ts, 7);
  assert.equal(h.pkt.raw, raw);
});

test('zero-length and 1-byte frames never throw, on every link type', () => {
  const h = new DecoderHarness();
  const types = [...Object.values(LinkType), 12, 9999];
  for (const lt of types) {
    for (const data of [new Uint8Array(0), Uint8Array.of(0x45), Uint8Array.of(0x60), Uint8Array.of(0xff)]) {
      const s = h.decode(rawOf(lt, data));
      assert.ok(s === 'malformed' || s === 'unsupported', `link ${lt} ${data.length} bytes: ${s}`);
    }
  }
});

test('anomaly callback sees the fields decoded up to the failing layer', () => {
  const h = new DecoderHarness();
  const frame = MODBUS_FRAME.slice();
  frame[14 + 20 + 12] = 0x30; // TCP data offset 3 words
  assert.equal(h.decode(rawOf(LinkType.ETHERNET, frame, { frame: 42 })), 'malformed');
  assert.deepEqual(h.anomalies, [
    { name: 'tcp.bad_header_length', addl: 'data_offset=12 stated=32', src: '192.168.10.10', dst: '192.168.10.20', srcPort: 49374, ts: 1_700_000_000.5, frame: 42 },
  ]);
});
