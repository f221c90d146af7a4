import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LinkType } from '../../src/capture/packet.js';
import { DEFAULT_LIMITS, type Limits } from '../../src/config/limits.js';
import { FRAGMENT_PIECE_OVERHEAD_BYTES } from '../../src/decode/ipv4-defrag.js';
import { ETH_IPV4, ipv4Header, pattern, udpHeader } from './fixtures.js';
import { concat, DecoderHarness, rawOf, subView } from './helpers.js';

const T0 = 1_700_000_000;

/** The UDP datagram being fragmented: 8-byte header + 40 data bytes = 48 bytes of IP payload. */
const UDP_DGRAM = concat(udpHeader(48), pattern(40));

/**
 * One Ethernet frame carrying the fragment `data` at byte `offset` of the IP payload
 * (offset a multiple of 8), in a sub-view buffer.
 */
function fragment(offset: number, data: Uint8Array, more: boolean, o: { id?: number; src?: number[] } = {}): Uint8Array {
  const ip = ipv4Header({
    totalLength: 20 + data.length,
    id: o.id ?? 0x77,
    flagsOffset: (more ? 0x2000 : 0) | (offset >> 3),
    proto: 17,
    src: o.src,
  });
  return subView(concat(ETH_IPV4, ip, data));
}

/** Fragment `n` of the three 16-byte pieces of UDP_DGRAM. */
function piece(n: 0 | 1 | 2, o: { id?: number; src?: number[] } = {}): Uint8Array {
  return fragment(16 * n, UDP_DGRAM.subarray(16 * n, 16 * n + 16), n < 2, o);
}

function limits(over: Partial<Limits>): Readonly<Limits> {
  return { ...DEFAULT_LIMITS, ...over };
}

describe('IPv4 reassembly (RFC 791 / RFC 815)', () => {
  test('in order: held, held, then ok with the whole datagram in a fresh buffer', () => {
    const h = new DecoderHarness();
    const frames = [piece(0), piece(1), piece(2)];
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, frames[0], { ts: T0, frame: 1 })), 'held');
    assert.equal(h.pkt.src, '10.0.0.1');
    assert.equal(h.pkt.payload.length, 16);
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, frames[1], { ts: T0 + 0.1, frame: 2 })), 'held');
    assert.equal(h.decoder.heldFragmentSets, 1);
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, frames[2], { ts: T0 + 0.2, frame: 3 })), 'ok');
    assert.deepEqual(h.names(), []);
    assert.equal(h.decoder.heldFragmentSets, 0);
    const p = h.pkt;
    assert.equal(p.ts, T0 + 0.2);
    assert.equal(p.raw.frame, 3);
    assert.equal(p.ipLen, 68);
    assert.equal(p.ipProto, 17);
    assert.equal(p.srcPort, 5000);
    assert.equal(p.dstPort, 6000);
    assert.equal(p.payloadLen, 40);
    assert.deepEqual([...p.payload], [...pattern(40)]);
    for (const f of frames) assert.notEqual(p.payload.buffer, f.buffer, 'payload lives in a fresh datagram');
    const dg = new Uint8Array(p.payload.buffer);
    assert.equal(dg.length, 68);
    assert.equal((dg[2] << 8) | dg[3], 68, 'total length rewritten');
    assert.equal(((dg[6] << 8) | dg[7]) & 0x3fff, 0, 'MF and offset cleared');
  });

  test('out of order: last, first, middle', () => {
    const h = new DecoderHarness();
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, piece(2), { ts: T0 })), 'held');
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, piece(0), { ts: T0 + 1 })), 'held');
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, piece(1), { ts: T0 + 2 })), 'ok');
    assert.deepEqual(h.names(), []);
    assert.equal(h.pkt.ts, T0 + 2);
    assert.deepEqual([...h.pkt.payload], [...pattern(40)]);
  });

  test('overlap: first-arrived bytes win, ip.fragment_overlap reported', () => {
    const h = new DecoderHarness();
    // [0, 24): the real bytes
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, fragment(0, UDP_DGRAM.subarray(0, 24), true), { ts: T0 })), 'held');
    // [16, 40): 0xaa filler overlapping [16, 24)
    const filler = new Uint8Array(24).fill(0xaa);
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, fragment(16, filler, true), { ts: T0 + 1 })), 'held');
    assert.deepEqual(h.names(), ['ip.fragment_overlap']);
    assert.equal(h.anomalies[0].src, '10.0.0.1');
    // [40, 48): the end
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, fragment(40, UDP_DGRAM.subarray(40, 48), false), { ts: T0 + 2 })), 'ok');
    const got = [...h.pkt.payload];
    assert.deepEqual(got.slice(0, 16), [...UDP_DGRAM.subarray(8, 24)], 'overlapped bytes are the first copy');
    assert.deepEqual(got.slice(16, 32), new Array(16).fill(0xaa));
    assert.deepEqual(got.slice(32), [...UDP_DGRAM.subarray(40, 48)]);
  });

  test('a duplicate fragment is an overlap and changes nothing', () => {
    const h = new DecoderHarness();
    h.decode(rawOf(LinkType.ETHERNET, piece(0), { ts: T0 }));
    h.decode(rawOf(LinkType.ETHERNET, piece(0), { ts: T0 }));
    h.decode(rawOf(LinkType.ETHERNET, piece(1), { ts: T0 }));
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, piece(2), { ts: T0 })), 'ok');
    assert.deepEqual(h.names(), ['ip.fragment_overlap']);
    assert.deepEqual([...h.pkt.payload], [...pattern(40)]);
  });

  test('timed out by expire(now): dropped with the set hosts, stamped first arrival + timeout', () => {
    const h = new DecoderHarness(limits({ fragmentTimeoutSec: 30 }));
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, piece(0, { src: [10, 9, 9, 9] }), { ts: T0, frame: 7 })), 'held');
    h.decoder.expire(T0 + 30);
    assert.equal(h.decoder.heldFragmentSets, 1, 'not yet: exactly the timeout');
    h.decoder.expire(T0 + 31);
    assert.equal(h.decoder.heldFragmentSets, 0);
    assert.deepEqual(h.names(), ['ip.fragment_timeout']);
    assert.equal(h.anomalies[0].src, '10.9.9.9');
    assert.equal(h.anomalies[0].dst, '10.0.0.2');
    assert.equal(h.anomalies[0].ts, T0 + 30);
    assert.equal(h.anomalies[0].frame, 7);
    // the rest arriving later starts a new set, which cannot complete without piece 0
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, piece(1, { src: [10, 9, 9, 9] }), { ts: T0 + 32 })), 'held');
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, piece(2, { src: [10, 9, 9, 9] }), { ts: T0 + 33 })), 'held');
  });

  test('timed out when a late fragment arrives; expire(Infinity) flushes with finite stamps', () => {
    const h = new DecoderHarness(limits({ fragmentTimeoutSec: 15 }));
    h.decode(rawOf(LinkType.ETHERNET, piece(0), { ts: T0 }));
    h.decode(rawOf(LinkType.ETHERNET, piece(1), { ts: T0 + 20 }));
    assert.deepEqual(h.names(), ['ip.fragment_timeout']);
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, piece(2), { ts: T0 + 21 })), 'held');
    h.decoder.expire(Number.POSITIVE_INFINITY);
    assert.deepEqual(h.names(), ['ip.fragment_timeout', 'ip.fragment_timeout']);
    assert.equal(h.anomalies[1].ts, T0 + 20 + 15);
    assert.equal(h.decoder.heldFragmentSets, 0);
  });

  test('evicted: one set too many drops the oldest', () => {
    const h = new DecoderHarness(limits({ maxFragmentSets: 2 }));
    h.decode(rawOf(LinkType.ETHERNET, piece(0, { id: 1, src: [10, 1, 1, 1] }), { ts: T0, frame: 1 }));
    h.decode(rawOf(LinkType.ETHERNET, piece(0, { id: 2 }), { ts: T0 + 1, frame: 2 }));
    assert.deepEqual(h.names(), []);
    h.decode(rawOf(LinkType.ETHERNET, piece(0, { id: 3 }), { ts: T0 + 2, frame: 3 }));
    assert.deepEqual(h.names(), ['ip.fragment_evicted']);
    assert.equal(h.anomalies[0].src, '10.1.1.1');
    assert.equal(h.anomalies[0].frame, 1);
    assert.equal(h.anomalies[0].ts, T0 + 2);
    assert.equal(h.decoder.heldFragmentSets, 2);
    // set 2 still completes; set 1 is gone
    h.decode(rawOf(LinkType.ETHERNET, piece(1, { id: 2 }), { ts: T0 + 3 }));
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, piece(2, { id: 2 }), { ts: T0 + 3 })), 'ok');
    h.decode(rawOf(LinkType.ETHERNET, piece(1, { id: 1, src: [10, 1, 1, 1] }), { ts: T0 + 4 }));
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, piece(2, { id: 1, src: [10, 1, 1, 1] }), { ts: T0 + 4 })), 'held');
  });

  test('byte budget: sets are charged the bytes received, the oldest dropped beyond maxFragmentBytesTotal', () => {
    const first = 20 + 16 + FRAGMENT_PIECE_OVERHEAD_BYTES; // header copy + 16 data bytes + one piece
    const h = new DecoderHarness(limits({ maxFragmentBytesTotal: 2 * first + 10 }));
    h.decode(rawOf(LinkType.ETHERNET, piece(0, { id: 1, src: [10, 1, 1, 1] }), { ts: T0, frame: 1 }));
    h.decode(rawOf(LinkType.ETHERNET, piece(0, { id: 2 }), { ts: T0 + 1, frame: 2 }));
    assert.deepEqual(h.names(), []);
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, piece(0, { id: 3 }), { ts: T0 + 2, frame: 3 })), 'held');
    assert.deepEqual(h.names(), ['ip.fragment_evicted']);
    assert.equal(h.anomalies[0].src, '10.1.1.1');
    assert.equal(h.anomalies[0].ts, T0 + 2);
    assert.equal(h.decoder.heldFragmentSets, 2);
    // a further piece of set 2 passes the budget again: set 3, now the oldest other, goes
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, piece(1, { id: 2 }), { ts: T0 + 3 })), 'held');
    assert.deepEqual(h.names(), ['ip.fragment_evicted', 'ip.fragment_evicted']);
    assert.equal(h.anomalies[1].frame, 3);
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, piece(2, { id: 2 }), { ts: T0 + 3 })), 'ok');
    assert.deepEqual([...h.pkt.payload], [...pattern(40)]);
    assert.equal(h.decoder.heldFragmentSets, 0);
  });

  test('byte budget: a far fragment is charged its 8 bytes, not the datagram it implies', () => {
    const far = (id: number): Uint8Array => fragment(64960, pattern(8), true, { id });
    const h = new DecoderHarness(limits({ maxFragmentBytesTotal: 4 * (8 + FRAGMENT_PIECE_OVERHEAD_BYTES) }));
    for (let id = 1; id <= 4; id++) assert.equal(h.decode(rawOf(LinkType.ETHERNET, far(id), { ts: T0 })), 'held');
    assert.deepEqual(h.names(), []);
    assert.equal(h.decoder.heldFragmentSets, 4);
    h.decode(rawOf(LinkType.ETHERNET, far(5), { ts: T0 }));
    assert.deepEqual(h.names(), ['ip.fragment_evicted']);
    assert.equal(h.decoder.heldFragmentSets, 4);
  });

  test('byte budget: a set passing the budget alone is dropped with its fragment', () => {
    const h = new DecoderHarness(limits({ maxFragmentBytesTotal: 100 }));
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, piece(0), { ts: T0 })), 'malformed');
    assert.deepEqual(h.names(), ['ip.fragment_evicted']);
    assert.equal(h.decoder.heldFragmentSets, 0);
  });

  test('too large: a fragment reaching past maxDatagramBytes drops its set', () => {
    const h = new DecoderHarness(limits({ maxDatagramBytes: 60 }));
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, piece(0), { ts: T0 })), 'held');
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, piece(2), { ts: T0 })), 'malformed'); // 20 + 48 > 60
    assert.deepEqual(h.names(), ['ip.fragment_too_large']);
    assert.equal(h.decoder.heldFragmentSets, 0);
    const d = new DecoderHarness();
    const far = fragment(8184 * 8, pattern(1480), false);
    assert.equal(d.decode(rawOf(LinkType.ETHERNET, far, { ts: T0 })), 'malformed');
    assert.deepEqual(d.names(), ['ip.fragment_too_large']);
  });

  test('inconsistent ends: the first last-fragment fixes the length', () => {
    const h = new DecoderHarness();
    h.decode(rawOf(LinkType.ETHERNET, piece(2), { ts: T0 })); // ends at 48
    h.decode(rawOf(LinkType.ETHERNET, fragment(16, UDP_DGRAM.subarray(16, 24), false), { ts: T0 })); // claims 24
    assert.deepEqual(h.names(), ['ip.fragment_inconsistent']);
    h.decode(rawOf(LinkType.ETHERNET, piece(0), { ts: T0 }));
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, piece(1), { ts: T0 })), 'ok');
    assert.equal(h.pkt.ipLen, 68);
  });

  test('a TCP segment split in two fragments reassembles to the segment', () => {
    const tcp = concat(
      Uint8Array.of(0xc0, 0xde, 0x01, 0xf6, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0), // TCP header, PSH ACK
      pattern(20),
    );
    const ipA = ipv4Header({ totalLength: 20 + 24, id: 9, flagsOffset: 0x2000, proto: 6 });
    const ipB = ipv4Header({ totalLength: 20 + 16, id: 9, flagsOffset: 3, proto: 6 });
    const h = new DecoderHarness();
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, subView(concat(ETH_IPV4, ipA, tcp.subarray(0, 24))), { ts: T0 })), 'held');
    assert.equal(h.pkt.srcPort, -1, 'no transport parse on a held fragment');
    assert.equal(h.decode(rawOf(LinkType.ETHERNET, subView(concat(ETH_IPV4, ipB, tcp.subarray(24))), { ts: T0 })), 'ok');
    assert.equal(h.pkt.dstPort, 502);
    assert.equal(h.pkt.tcpFlags, 0x18);
    assert.equal(h.pkt.payloadLen, 20);
    assert.deepEqual([...h.pkt.payload], [...pattern(20)]);
  });

  test('DF alone is not a fragment', () => {
    const dgram = concat(ipv4Header({ totalLength: 20 + 48, flagsOffset: 0x4000 }), UDP_DGRAM);
    const h = new DecoderHarness();
    assert.equal(h.decode(rawOf(LinkType.RAW, dgram)), 'ok');
    assert.equal(h.decoder.heldFragmentSets, 0);
  });
});
