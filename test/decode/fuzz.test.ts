import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LinkType } from '../../src/capture/packet.js';
import { DEFAULT_LIMITS } from '../../src/config/limits.js';
import { Decoder, newDecodedPacket } from '../../src/decode/decoder.js';
import type { DecodeStatus } from '../../src/decode/packet.js';
import { ETH_IPV4, MODBUS_FRAME, ipv4Header, udpHeader } from './fixtures.js';
import { concat, hex } from './helpers.js';

/** mulberry32: a small deterministic PRNG (fixed seed, so a failure reproduces). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Valid frames per link type, mutated so the fuzzer reaches the deep layers. */
const SEEDS: readonly [number, Uint8Array][] = [
  [LinkType.ETHERNET, MODBUS_FRAME],
  [LinkType.ETHERNET, concat(ETH_IPV4, ipv4Header({ totalLength: 36, flagsOffset: 0x2000 }), udpHeader(16), new Uint8Array(8))],
  [LinkType.ETHERNET, concat(hex`00 15 ac 1e 01 02 00 10 5a 0a 0b 0c 81 00 00 64   # MACs, 802.1Q VID 100`, MODBUS_FRAME.subarray(12))],
  [LinkType.LINUX_SLL, concat(hex`00 00 00 01 00 06 00 0c 29 aa bb cc 00 00   # SLL up to the address`, MODBUS_FRAME.subarray(12))],
  [LinkType.LINUX_SLL2, concat(hex`08 00 00 00 00 00 00 02 00 01 00 06 00 0c 29 aa bb cc 00 00   # SLL2 header`, MODBUS_FRAME.subarray(14))],
  [LinkType.NULL, concat(hex`02 00 00 00   # AF_INET`, MODBUS_FRAME.subarray(14))],
  [LinkType.LOOP, concat(hex`00 00 00 1e   # AF_INET6 (Darwin)`, hex`
    60 00 00 00 00 18 00 40   # IPv6, payload 24, hop-by-hop, hop limit 64
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01   # source ::1
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01   # destination ::1
    2c 00 00 00 00 00 00 00   # hop-by-hop: next 44 fragment
    11 00 00 01 00 00 00 05   # fragment: next UDP, offset 0, M 1, id 5
    13 88 17 70 00 08 00 00   # UDP header
  `)],
  [LinkType.RAW, MODBUS_FRAME.subarray(14)],
  [LinkType.IPV4, MODBUS_FRAME.subarray(14)],
  [LinkType.IPV6, hex`60 00 00 00 00 08 3a 40 ${'00'.repeat(32)} 80 00 00 00 00 01 00 01   # IPv6 + ICMPv6 echo`],
  [LinkType.ETHERNET, hex`ff ff ff ff ff ff 00 10 5a 0a 0b 0c 08 06 00 01 08 00 06 04 00 01 ${'00'.repeat(20)}   # ARP`],
];

const LINK_TYPES = Object.values(LinkType);

test('100 000 random and mutated frames across all link types never throw', (t) => {
  const rnd = prng(0xc0ffee);
  const counts: Record<DecodeStatus, number> = { ok: 0, held: 0, malformed: 0, unsupported: 0 };
  let anomalies = 0;
  const decoder = new Decoder({ ...DEFAULT_LIMITS, maxFragmentSets: 64 }, () => anomalies++);
  const pkt = newDecodedPacket();
  const backing = new Uint8Array(2048);
  for (let i = 0; i < 100_000; i++) {
    let linkType: number;
    let len: number;
    if (i % 2 === 0) {
      linkType = LINK_TYPES[Math.floor(rnd() * LINK_TYPES.length)];
      len = Math.floor(rnd() * rnd() * 300);
      for (let j = 0; j < len; j++) backing[7 + j] = Math.floor(rnd() * 256);
    } else {
      const [lt, seed] = SEEDS[Math.floor(rnd() * SEEDS.length)];
      linkType = lt;
      len = Math.max(0, seed.length + Math.floor(rnd() * 24) - 16);
      backing.fill(0, 7, 7 + len);
      backing.set(seed.subarray(0, Math.min(len, seed.length)), 7);
      const flips = 1 + Math.floor(rnd() * 4);
      for (let f = 0; f < flips && len > 0; f++) backing[7 + Math.floor(rnd() * len)] = Math.floor(rnd() * 256);
    }
    const data = backing.subarray(7, 7 + len);
    const status = decoder.decode({ ts: i * 0.01, linkType, data, origLen: len + Math.floor(rnd() * 3), source: 0, frame: i + 1 }, pkt);
    counts[status]++;
    assert.ok(pkt.payload.length <= len + 65_535);
    if (i % 1000 === 0) decoder.expire(i * 0.01);
  }
  decoder.expire(Number.POSITIVE_INFINITY);
  t.diagnostic(`statuses ${JSON.stringify(counts)}, anomalies ${anomalies}`);
  assert.equal(decoder.heldFragmentSets, 0);
  assert.ok(counts.ok > 10_000, `ok ${counts.ok}: the mutated seeds must reach the deep layers`);
  assert.ok(counts.malformed > 1000 && anomalies > 1000);
});
