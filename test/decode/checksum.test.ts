/**
 * Checksum arithmetic (decode/checksum.ts) and the decoder's checksum modes and `auto` policy
 * (decode/checksum-policy.ts). Every fixture's checksums were checked with tshark
 * (`-o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE`: status good).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LinkType } from '../../src/capture/packet.js';
import { DEFAULT_LIMITS } from '../../src/config/limits.js';
import { AUTO_MIN_BAD_PACKETS } from '../../src/decode/checksum-policy.js';
import { fold16, ipv4HeaderChecksumOk, ipv6ChecksumUnverifiable, pseudoHeaderSum, sum16, transportChecksumOk } from '../../src/decode/checksum.js';
import type { ChecksumMode } from '../../src/decode/checksum-policy.js';
import { Decoder, newDecodedPacket } from '../../src/decode/decoder.js';
import type { DecodeStatus } from '../../src/decode/packet.js';
import { concat, hex, rawOf, subView } from './helpers.js';

/** Ethernet II, IPv4, TCP: a Modbus Read Holding Registers request, every checksum valid (66 bytes). */
const TCP4 = hex`
  00 15 ac 1e 01 02  00 10 5a 0a 0b 0c  08 00   # Ethernet: dst, src, IPv4
  45 00 00 34        # IPv4: version 4, IHL 5, total length 52
  1c 46 40 00        # identification 0x1c46, DF
  40 06 89 0f        # TTL 64, protocol TCP, header checksum 0x890f
  c0 a8 0a 0a        # source 192.168.10.10
  c0 a8 0a 14        # destination 192.168.10.20
  c0 de 01 f6        # TCP: ports 49374 → 502
  9a 3b 1c 2d        # sequence 2587565101
  80 00 00 02        # acknowledgment 2147483650
  50 18 fa f0        # data offset 5, PSH ACK, window 64240
  25 15 00 00        # checksum 0x2515, urgent pointer 0
  00 01 00 00 00 06 01 03 00 00 00 02   # Modbus: tid 1, proto 0, len 6, unit 1, fc 3, addr 0, qty 2
`;
/** Offsets in TCP4: IPv4 header, IPv4 checksum, TCP header, TCP checksum, first payload byte. */
const IP = 14;
const IP_SUM = 24;
const TCP_SUM = 50;
const PAYLOAD = 54;

/** Ethernet II, IPv4, UDP 5000 → 6000 with 5 data bytes (odd length), checksums valid (47 bytes). */
const UDP4 = hex`
  00 15 ac 1e 01 02  00 10 5a 0a 0b 0c  08 00   # Ethernet
  45 00 00 21        # IPv4: version 4, IHL 5, total length 33
  42 42 00 00        # identification 0x4242, no flags
  40 11 24 88        # TTL 64, protocol UDP, header checksum 0x2488
  0a 00 00 01        # source 10.0.0.1
  0a 00 00 02        # destination 10.0.0.2
  13 88 17 70        # UDP: ports 5000 → 6000
  00 0d ba d5        # length 13, checksum 0xbad5
  00 01 02 03 04     # data
`;

/** Ethernet II, IPv4, ICMP echo request with 8 data bytes, checksums valid (50 bytes). */
const ICMP4 = hex`
  00 15 ac 1e 01 02  00 10 5a 0a 0b 0c  08 00   # Ethernet
  45 00 00 24        # IPv4: total length 36
  42 43 00 00        # identification 0x4243
  40 01 24 94        # TTL 64, protocol ICMP, header checksum 0x2494
  0a 00 00 01        # source 10.0.0.1
  0a 00 00 02        # destination 10.0.0.2
  08 00 54 35        # ICMP: echo request, code 0, checksum 0x5435
  12 34 00 01        # identifier 0x1234, sequence 1
  61 62 63 64 65 66 67 68   # data "abcdefgh"
`;

/** Ethernet II, IPv6, UDP 50000 → 500 with 5 data bytes, checksum valid (67 bytes). */
const UDP6 = hex`
  00 15 ac 1e 01 02  00 10 5a 0a 0b 0c  86 dd   # Ethernet: IPv6
  60 00 00 00        # IPv6: version 6, traffic class 0, flow label 0
  00 0d 11 40        # payload length 13, next header UDP, hop limit 64
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 10   # source 2001:db8::10
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 20   # destination 2001:db8::20
  c3 50 01 f4        # UDP: ports 50000 → 500
  00 0d b5 26        # length 13, checksum 0xb526
  61 62 63 64 65     # data "abcde"
`;

/** Ethernet II, IPv6, ICMPv6 echo request with 4 data bytes, checksum valid (66 bytes). */
const ICMP6 = hex`
  00 15 ac 1e 01 02  00 10 5a 0a 0b 0c  86 dd   # Ethernet: IPv6
  60 00 00 00        # IPv6: version 6
  00 0c 3a 40        # payload length 12, next header ICMPv6, hop limit 64
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 10   # source 2001:db8::10
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 20   # destination 2001:db8::20
  80 00 4d 1b        # ICMPv6: echo request, code 0, checksum 0x4d1b
  12 34 00 01        # identifier 0x1234, sequence 1
  61 62 63 64        # data "abcd"
`;

/** A copy of `frame` with byte `at` XOR-ed with `x`. */
function flip(frame: Uint8Array, at: number, x = 0x01): Uint8Array {
  const c = frame.slice();
  c[at] ^= x;
  return c;
}

/** A copy of `frame` with the 16-bit field at `at` set to `v`. */
function setWord(frame: Uint8Array, at: number, v: number): Uint8Array {
  const c = frame.slice();
  c[at] = v >> 8;
  c[at + 1] = v & 0xff;
  return c;
}

/** TCP4 from another source address (IPv4 and TCP checksums adjusted so both stay valid). */
function tcpFrom(lastOctet: number): Uint8Array {
  const c = TCP4.slice();
  c[29] = lastOctet;
  c[IP_SUM] = 0;
  c[IP_SUM + 1] = 0;
  const ip = ~fold16(sum16(c, IP, IP + 20, 0)) & 0xffff;
  c[IP_SUM] = ip >> 8;
  c[IP_SUM + 1] = ip & 0xff;
  c[TCP_SUM] = 0;
  c[TCP_SUM + 1] = 0;
  const t = ~fold16(sum16(c, 34, 66, pseudoHeaderSum(c, IP, 4, 6, 32))) & 0xffff;
  c[TCP_SUM] = t >> 8;
  c[TCP_SUM + 1] = t & 0xff;
  return c;
}

/** A decoder in `mode` recording anomalies as `name|addl`. */
class Checked {
  readonly seen: string[] = [];
  readonly decoder: Decoder;
  readonly pkt = newDecodedPacket();
  constructor(mode: ChecksumMode | undefined, maxAssets = DEFAULT_LIMITS.maxAssets) {
    const limits = { ...DEFAULT_LIMITS, maxAssets };
    const cb = (name: string, _p: unknown, addl?: string): void => void this.seen.push(addl === undefined ? name : `${name}|${addl}`);
    this.decoder = mode === undefined ? new Decoder(limits, cb) : new Decoder(limits, cb, { checksums: mode });
  }
  /** Decode `frame` (as a sub-view); returns status and whether the transport checksum drops it. */
  run(frame: Uint8Array, origLen = frame.length): [DecodeStatus, boolean] {
    const st = this.decoder.decode(rawOf(LinkType.ETHERNET, subView(frame), { origLen }), this.pkt);
    return [st, this.decoder.badTransportChecksum];
  }
}

describe('checksum arithmetic (RFC 1071)', () => {
  test('sum16 / fold16: the RFC 1071 §3 example, odd lengths padded with a zero byte', () => {
    const b = subView(hex`00 01 f2 03 f4 f5 f6 f7`);
    assert.equal(sum16(b, 0, 8, 0), 0x2ddf0);
    assert.equal(fold16(sum16(b, 0, 8, 0)), 0xddf2);
    assert.equal(sum16(b, 0, 3, 0), 0x0001 + 0xf200); // trailing f2 counts as f200
    assert.equal(fold16(0xffff + 0xffff), 0xffff);
  });

  test('sum16 equals the word-by-word definition for every region length and start of a random buffer', () => {
    let x = 12345;
    const b = Uint8Array.from({ length: 96 }, () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24);
    const reference = (start: number, end: number): number => {
      let acc = 0;
      for (let i = start; i < end; i += 2) acc += (b[i] << 8) | (i + 1 < end ? b[i + 1] : 0);
      return acc;
    };
    for (let start = 0; start < 8; start++) {
      for (let end = start; end <= b.length; end++) assert.equal(sum16(b, start, end, 7), reference(start, end) + 7, `[${start}, ${end})`);
    }
  });

  test('IPv4 header checksum: valid headers verify, one flipped bit fails', () => {
    for (const f of [TCP4, UDP4, ICMP4]) {
      const v = subView(f);
      assert.ok(ipv4HeaderChecksumOk(v, IP, 20));
      assert.ok(!ipv4HeaderChecksumOk(subView(flip(f, IP + 8)), IP, 20));
    }
  });

  test('transport checksums over the IPv4 / IPv6 pseudo-header and ICMP over the message', () => {
    const cases: [Uint8Array, number, number, number, number][] = [
      // frame, IP version, protocol, transport offset, transport length
      [TCP4, 4, 6, 34, 32],
      [UDP4, 4, 17, 34, 13],
      [ICMP4, 4, 1, 34, 16],
      [UDP6, 6, 17, 54, 13],
      [ICMP6, 6, 58, 54, 12],
    ];
    for (const [f, v, proto, off, len] of cases) {
      assert.ok(transportChecksumOk(subView(f), IP, v, proto, off, len), `proto ${proto} v${v}`);
      assert.ok(!transportChecksumOk(subView(flip(f, f.length - 1)), IP, v, proto, off, len), `proto ${proto} v${v} corrupted`);
      // The pseudo-header binds the addresses: a different source fails.
      if (proto !== 1) assert.ok(!transportChecksumOk(subView(flip(f, v === 4 ? IP + 12 : IP + 8)), IP, v, proto, off, len));
    }
  });

  test('IPv6: a fragment or routing header makes the transport checksum unverifiable', () => {
    const base = hex`
      60 00 00 00 00 10 2c 40   # IPv6, payload length 16, next header 44 (fragment), hop limit 64
      ${'00'.repeat(32)}        # source and destination ::
    `;
    const frag = concat(base, hex`11 00 00 01 00 00 00 2a`, hex`00 00 00 00 00 00 00 00`); // fragment header → UDP, M set; 8 UDP bytes
    assert.ok(ipv6ChecksumUnverifiable(frag, 0, 48));
    const hop = concat(base, hex`11 00 01 04 00 00 00 00`); // hop-by-hop (next header rewritten below) → UDP
    hop[6] = 0;
    assert.ok(!ipv6ChecksumUnverifiable(hop, 0, 48));
    const routing = hop.slice();
    routing[6] = 43; // routing header instead
    assert.ok(ipv6ChecksumUnverifiable(routing, 0, 48));
  });
});

describe('decoder checksum modes', () => {
  test("default and 'ignore': nothing is verified", () => {
    for (const mode of [undefined, 'ignore'] as const) {
      const d = new Checked(mode);
      assert.deepEqual(d.run(flip(TCP4, IP_SUM)), ['ok', false]);
      assert.deepEqual(d.run(flip(TCP4, PAYLOAD)), ['ok', false]);
      assert.deepEqual(d.seen, []);
      assert.equal(d.decoder.checksums, null);
    }
  });

  test("'verify': valid packets pass; a bad IPv4 header is malformed, a bad transport checksum is flagged", () => {
    const d = new Checked('verify');
    for (const f of [TCP4, UDP4, ICMP4, UDP6, ICMP6]) assert.deepEqual(d.run(f), ['ok', false]);
    assert.deepEqual(d.run(setWord(TCP4, IP_SUM, 0x1234)), ['malformed', false]);
    assert.deepEqual(d.seen, ['ip.bad_checksum|checksum=0x1234']);
    assert.equal(d.pkt.src, '192.168.10.10', 'fields decoded so far are kept');
    for (const [f, at] of [
      [TCP4, PAYLOAD],
      [UDP4, 46],
      [ICMP4, 49],
      [UDP6, 66],
      [ICMP6, 65],
    ] as const) {
      assert.deepEqual(d.run(flip(f, at)), ['ok', true], `flipped byte ${at}`);
    }
    assert.equal(d.seen.length, 1, 'transport failures are left to the session layer');
    assert.equal(d.decoder.checksums?.dropped, 6);
    assert.deepEqual(d.run(TCP4), ['ok', false], 'the flag is per packet');
  });

  test("'verify': segmentation-offload zero total length is dropped as Zeek does without -C", () => {
    const d = new Checked('verify');
    assert.deepEqual(d.run(setWord(TCP4, IP + 2, 0)), ['malformed', false]);
    assert.deepEqual(d.seen, ['ip.zero_total_length', 'ip.bad_checksum|total_length=0']);
  });

  test('not verified: snap-length cut segments, UDP/IPv4 without checksum, datagrams longer than the frame', () => {
    const d = new Checked('verify');
    const bad = flip(TCP4, 60); // payload byte 6: checksum now wrong
    assert.deepEqual(d.run(bad.subarray(0, 60), 66), ['ok', false], 'caplen < length: not verified (Zeek)');
    const noSum = setWord(flip(UDP4, 46), 40, 0); // UDP checksum 0 = none (RFC 768)
    assert.deepEqual(d.run(noSum), ['ok', false]);
    const short = bad.subarray(0, 60); // the wire frame was 60 bytes too
    assert.equal(d.run(short)[0], 'malformed');
    assert.ok(!d.seen.includes('ip.bad_checksum'));
    assert.equal(d.decoder.checksums?.dropped, 0);
  });

  test('reassembled IPv4 fragments: each fragment header is verified, the transport over the whole datagram', () => {
    // UDP4's datagram (8-byte UDP header + 5 data bytes) in two fragments: 8 bytes (MF), then 5 at offset 8.
    const fragment = (flagsOffset: number, payload: Uint8Array): Uint8Array => {
      const h = hex`
        00 15 ac 1e 01 02  00 10 5a 0a 0b 0c  08 00   # Ethernet
        45 00 00 00        # IPv4: total length set below
        42 42 00 00        # identification 0x4242, flags/offset set below
        40 11 00 00        # TTL 64, UDP, checksum set below
        0a 00 00 01 0a 00 00 02   # 10.0.0.1 → 10.0.0.2
      `;
      const f = concat(h, payload);
      f[16] = 0;
      f[17] = 20 + payload.length;
      f[20] = flagsOffset >> 8;
      f[21] = flagsOffset & 0xff;
      const c = ~fold16(sum16(f, IP, IP + 20, 0)) & 0xffff;
      f[IP_SUM] = c >> 8;
      f[IP_SUM + 1] = c & 0xff;
      return f;
    };
    const udp = UDP4.subarray(34);
    const d = new Checked('verify');
    assert.deepEqual(d.run(fragment(0x2000, udp.subarray(0, 8))), ['held', false]);
    assert.deepEqual(d.run(fragment(0x0001, udp.subarray(8))), ['ok', false]);
    assert.deepEqual([...d.pkt.payload], [0, 1, 2, 3, 4]);
    assert.deepEqual(d.run(fragment(0x2000, udp.subarray(0, 8))), ['held', false]);
    assert.deepEqual(d.run(fragment(0x0001, flip(udp.subarray(8), 0))), ['ok', true], 'corrupted data behind a good fragment header');
    assert.deepEqual(d.run(flip(fragment(0x2000, udp.subarray(0, 8)), 22)), ['malformed', false], 'a bad fragment header is dropped');
    assert.equal(d.seen.length, 1);
    assert.match(d.seen[0], /^ip\.bad_checksum\|checksum=0x[0-9a-f]{4}$/);
  });
});

describe("'auto' checksum policy", () => {
  test('offload signature in the TCP checksum (folded pseudo-header sum): the host is marked at once, nothing dropped', () => {
    const d = new Checked('auto');
    const pseudo = fold16(pseudoHeaderSum(TCP4, IP, 4, 6, 32));
    assert.equal(pseudo, 0x9595);
    const offloaded = setWord(TCP4, TCP_SUM, pseudo);
    assert.deepEqual(d.run(TCP4), ['ok', false]);
    assert.deepEqual(d.run(offloaded), ['ok', false]);
    assert.deepEqual(d.seen, ['checksum.offload_suspected|host=192.168.10.10 rule=signature bad=1 good=1']);
    assert.deepEqual(d.decoder.checksums?.offloadingHosts(), ['192.168.10.10']);
    // No longer verified: even plain corruption from that host passes, without further anomalies.
    assert.deepEqual(d.run(flip(TCP4, PAYLOAD)), ['ok', false]);
    assert.deepEqual(d.run(setWord(TCP4, IP_SUM, 0x1234)), ['ok', false]);
    assert.equal(d.seen.length, 1);
    assert.equal(d.decoder.checksums?.dropped, 0);
  });

  test('offload signature in the IPv4 header (checksum 0x0000)', () => {
    const d = new Checked('auto');
    assert.deepEqual(d.run(setWord(UDP4, IP_SUM, 0)), ['ok', false]);
    assert.deepEqual(d.seen, ['checksum.offload_suspected|host=10.0.0.1 rule=signature bad=1 good=0']);
  });

  test('a host that has sent valid checksums: isolated corruption is dropped as under verify', () => {
    const d = new Checked('auto');
    assert.deepEqual(d.run(TCP4), ['ok', false]);
    assert.deepEqual(d.run(flip(TCP4, PAYLOAD)), ['ok', true]);
    assert.deepEqual(d.run(setWord(TCP4, IP_SUM, 0x1234)), ['malformed', false]);
    assert.deepEqual(d.seen, ['ip.bad_checksum|checksum=0x1234']);
    assert.deepEqual(d.decoder.checksums?.offloadingHosts(), []);
  });

  test('a host none of whose checksums verified: kept, and marked by count at the 8th failure', () => {
    const d = new Checked('auto');
    const bad = flip(TCP4, PAYLOAD); // not an offload signature
    for (let i = 1; i < AUTO_MIN_BAD_PACKETS; i++) assert.deepEqual(d.run(bad), ['ok', false], `failure ${i}`);
    assert.deepEqual(d.seen, []);
    assert.deepEqual(d.run(bad), ['ok', false]);
    assert.deepEqual(d.seen, [`checksum.offload_suspected|host=192.168.10.10 rule=count bad=${AUTO_MIN_BAD_PACKETS} good=0`]);
    assert.equal(d.decoder.checksums?.dropped, 0);
  });

  test('count rule with verified packets: failures are dropped until they reach 8 and outnumber the good ones', () => {
    const d = new Checked('auto');
    for (let i = 0; i < 3; i++) d.run(TCP4);
    const bad = flip(TCP4, PAYLOAD);
    const flags: boolean[] = [];
    for (let i = 0; i < AUTO_MIN_BAD_PACKETS + 2; i++) flags.push(d.run(bad)[1]);
    assert.deepEqual(flags, [true, true, true, true, true, true, true, false, false, false]);
    assert.deepEqual(d.seen, ['checksum.offload_suspected|host=192.168.10.10 rule=count bad=8 good=3']);
    assert.equal(d.decoder.checksums?.dropped, 7);
  });

  test('hosts are judged apart; the host table is bounded by maxAssets', () => {
    const d = new Checked('auto', 1);
    assert.deepEqual(d.run(tcpFrom(10)), ['ok', false]); // 192.168.10.10 tracked
    const other = flip(tcpFrom(11), PAYLOAD); // 192.168.10.11: untracked, judged as under verify
    assert.deepEqual(d.run(other), ['ok', true]);
    assert.deepEqual(d.run(other), ['ok', true]);
    assert.deepEqual(d.seen, ['checksum.host_table_full|max_hosts=1']);
  });

  test('deterministic: the same packets give the same verdicts and anomalies', () => {
    const seq = [TCP4, flip(TCP4, PAYLOAD), setWord(UDP4, IP_SUM, 0), flip(UDP4, 46), ICMP4, flip(ICMP6, 65)];
    const a = new Checked('auto');
    const b = new Checked('auto');
    assert.deepEqual(
      seq.map((f) => a.run(f)),
      seq.map((f) => b.run(f)),
    );
    assert.deepEqual(a.seen, b.seen);
  });
});
