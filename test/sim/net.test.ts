import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIpv4, formatMac, parseIpv4, parseMac } from '../../src/sim/net/address.js';
import { ArpOp } from '../../src/sim/net/arp.js';
import { finishChecksum, sum16 } from '../../src/sim/net/checksum.js';
import { BROADCAST_MAC, FrameBuilder, ZERO_MAC } from '../../src/sim/net/frame-builder.js';
import { createHost, ephemeralPort } from '../../src/sim/net/host.js';
import { IpProto, writeIpv4 } from '../../src/sim/net/ipv4.js';
import { TcpFlag } from '../../src/sim/net/tcp-header.js';
import { Prng } from '../../src/sim/random.js';
import { foldedSum, fromHex, hex, parseFrame, Recorder } from './wire.js';

function hosts(opts: { vlan?: number } = {}) {
  const a = createHost({ name: 'a', mac: 'b8:ca:3a:4f:10:0a', ip: '10.10.1.10', stack: 'windows', vlan: opts.vlan }, new Prng(1));
  const b = createHost({ name: 'b', mac: '00:80:f4:2c:11:0b', ip: '10.10.2.11', stack: 'embedded' }, new Prng(2));
  return { a, b };
}

test('IPv4 header checksum matches the RFC 1071 textbook header, written into a sub-view', () => {
  // 45 00 0073 0000 4000 40 11 [b861] c0a80001 c0a800c7 — the widely used example header.
  const big = new Uint8Array(64).fill(0xee);
  const view = big.subarray(9, 40);
  const end = writeIpv4(view, 3, 0, 0x73, 0, true, 64, IpProto.UDP, parseIpv4('192.168.0.1'), parseIpv4('192.168.0.199'));
  assert.equal(end, 23);
  assert.equal(hex(view.subarray(3, 23)), '450000730000400040 11b861c0a80001c0a800c7'.replace(/\s/g, ''));
  assert.equal(big[11], 0xee, 'bytes before the header untouched');
  assert.equal(big[9 + 23], 0xee, 'bytes after the header untouched');
});

test('checksum helpers: odd length, sub-view input, fold of large sums', () => {
  const big = new Uint8Array([9, 9, 0x45, 0x00, 0x00, 0x73, 0xff]);
  const v = big.subarray(2);
  assert.equal(sum16(v, 0, 5, 0), 0x4500 + 0x0073 + 0xff00);
  // 0x14473 folds to 0x4474, whose complement is 0xbb8b
  assert.equal(finishChecksum(0x4500 + 0x0073 + 0xff00), 0xbb8b);
  assert.equal(finishChecksum(0), 0xffff);
  assert.equal(finishChecksum(0xffff * 40000), 0);
});

test('TCP SYN and data frames byte for byte (checksums confirmed by tshark -o tcp.check_checksum:TRUE)', () => {
  const rec = new Recorder();
  const fb = new FrameBuilder(rec);
  const { a, b } = hosts();
  a.ipId = 0x1234;
  b.ipId = 0xffff;
  fb.tcp(1, a, b, 50000, 502, 0x01020304, 0, TcpFlag.SYN, 64240, 1460, new Uint8Array(0), 0, 0);
  const big = new Uint8Array(40).map((_, i) => i);
  // payload = big[7 + 3 .. 7 + 3 + 11) = 0a..14, read from a sub-view
  fb.tcp(2, b, a, 502, 50000, 0xaabbccdd, 0x01020305, TcpFlag.PSH | TcpFlag.ACK, 8192, 0, big.subarray(7), 3, 11);
  const syn = fromHex(`
    0080f42c110b   # dst MAC (b)
    b8ca3a4f100a   # src MAC (a, Dell OUI)
    0800           # EtherType IPv4
    45 00 002c     # version 4 IHL 5, TOS 0, total length 44
    1234 4000      # identification 0x1234, flags DF, fragment offset 0
    80 06 d16f     # TTL 128 (Windows), protocol TCP, header checksum
    0a0a010a       # src 10.10.1.10
    0a0a020b       # dst 10.10.2.11
    c350 01f6      # src port 50000, dst port 502
    01020304       # seq
    00000000       # ack (none on a SYN)
    60 02          # data offset 6 words, flags SYN
    faf0           # window 64240
    bcc0 0000      # checksum, urgent pointer
    020405b4       # option MSS (kind 2, len 4) 1460
    0000           # Ethernet padding to 60 bytes
  `);
  const data = fromHex(`
    b8ca3a4f100a 0080f42c110b 0800   # MACs, IPv4
    45 00 0033 ffff 4000 40 06 239d   # total length 51, id 0xffff, DF, TTL 64, TCP, checksum
    0a0a020b 0a0a010a                 # 10.10.2.11 -> 10.10.1.10
    01f6 c350 aabbccdd 01020305       # ports 502 -> 50000, seq, ack
    50 18 2000 dd66 0000              # data offset 5, PSH|ACK, window 8192, checksum, urgent
    0a0b0c0d0e0f1011121314            # 11 payload bytes
  `);
  assert.equal(hex(rec.frames[0].data), hex(syn));
  assert.equal(hex(rec.frames[1].data), hex(data));
  assert.equal(a.ipId, 0x1235, 'identification counter advanced');
  assert.equal(b.ipId, 0, 'identification counter wraps at 2^16');
});

test('UDP frame with an odd-length payload from a sub-view (checksum confirmed by tshark)', () => {
  const rec = new Recorder();
  const fb = new FrameBuilder(rec);
  const { a, b } = hosts();
  a.ipId = 0x1235;
  const big = new Uint8Array(40).map((_, i) => i);
  assert.equal(fb.udp(3, a, b, 40000, 53, big.subarray(1), 0, 13), true);
  const expect = fromHex(`
    0080f42c110b b8ca3a4f100a 0800   # MACs, IPv4
    45 00 0029 1235 4000 80 11 d166   # total length 41, id, DF, TTL 128, UDP, checksum
    0a0a010a 0a0a020b                 # 10.10.1.10 -> 10.10.2.11
    9c40 0035 0015 1afc               # ports 40000 -> 53, length 21, checksum
    0102030405060708090a0b0c0d        # 13 payload bytes
    0000000000                        # Ethernet padding to 60 bytes
  `);
  assert.equal(hex(rec.frames[0].data), hex(expect));
  const p = parseFrame(rec.frames[0].data);
  assert.equal(p.udp?.checksumOk, true);
});

test('802.1Q tag, no padding when disabled, ARP request and reply', () => {
  const rec = new Recorder();
  const fb = new FrameBuilder(rec, { padToMinimum: false });
  const { a, b } = hosts({ vlan: 20 });
  fb.tcp(0, a, b, 1, 2, 0, 0, TcpFlag.SYN, 100, 0, new Uint8Array(0), 0, 0);
  const f = rec.frames[0].data;
  assert.equal(f.length, 18 + 20 + 20, 'tagged, unpadded');
  assert.equal(hex(f.subarray(12, 18)), '8100' + '0014' + '0800');
  const p = parseFrame(f);
  assert.equal(p.vlan, 20);
  assert.equal(p.tcp?.checksumOk, true);
  assert.equal(p.ipChecksumOk, true);

  fb.arp(1, ArpOp.REQUEST, b, BROADCAST_MAC, ZERO_MAC, a.ip);
  fb.arp(2, ArpOp.REPLY, a, b.mac, b.mac, b.ip);
  const req = rec.frames[1].data;
  assert.equal(
    hex(req),
    hex(
      fromHex(`
        ffffffffffff 0080f42c110b 0806   # broadcast, from b, ARP
        0001 0800 06 04 0001             # Ethernet, IPv4, hlen 6, plen 4, request
        0080f42c110b 0a0a020b            # sender b
        000000000000 0a0a010a            # target MAC unknown, target IP a
      `),
    ),
  );
  const rep = parseFrame(rec.frames[2].data);
  assert.equal(rep.vlan, 20, 'a is on VLAN 20');
  assert.deepEqual(rep.arp, { op: 2, senderMac: 'b8:ca:3a:4f:10:0a', senderIp: '10.10.1.10', targetMac: '00:80:f4:2c:11:0b', targetIp: '10.10.2.11' });
});

test('random frames: every IPv4, TCP and UDP checksum verifies independently', () => {
  const rec = new Recorder();
  const fb = new FrameBuilder(rec);
  const { a, b } = hosts();
  const rng = new Prng(77);
  const payload = new Uint8Array(2000);
  for (let i = 0; i < payload.length; i++) payload[i] = rng.u32() & 0xff;
  for (let i = 0; i < 300; i++) {
    const len = rng.int(0, 1460);
    const off = rng.int(0, 500);
    if (i % 2 === 0) {
      fb.tcp(i, a, b, rng.int(1, 65535), 502, rng.u32(), rng.u32(), TcpFlag.ACK | TcpFlag.PSH, rng.int(0, 65535), i % 10 === 0 ? 1460 : 0, payload, off, len);
    } else {
      fb.udp(i, b, a, rng.int(1, 65535), 53, payload, off, len);
    }
  }
  assert.equal(rec.frames.length, 300);
  for (const { data } of rec.frames) {
    const p = parseFrame(data);
    assert.equal(p.ipChecksumOk, true);
    assert.equal(p.df, true);
    assert.equal(p.tcp?.checksumOk ?? p.udp?.checksumOk, true);
    assert.ok(data.length >= 60);
  }
  assert.equal(foldedSum([new Uint8Array([0xff, 0xff])]), 0xffff);
});

test('oversized datagrams are refused without emitting', () => {
  const rec = new Recorder();
  const fb = new FrameBuilder(rec);
  const { a, b } = hosts();
  const huge = new Uint8Array(70000);
  assert.equal(fb.tcp(0, a, b, 1, 2, 0, 0, TcpFlag.ACK, 1, 0, huge, 0, 65535 - 40 + 1), false);
  assert.equal(fb.udp(0, a, b, 1, 2, huge, 0, 65535 - 28 + 1), false);
  assert.equal(fb.udp(0, a, b, 1, 2, huge, 0, 65535 - 28), true);
  assert.equal(rec.frames.length, 1);
  assert.equal(fb.frames, 1);
  assert.equal(parseFrame(rec.frames[0].data).udp?.checksumOk, true);
});

test('address parsing and host defaults', () => {
  assert.equal(parseIpv4('203.0.113.50'), 0xcb007132);
  assert.equal(formatIpv4(0xcb007132), '203.0.113.50');
  assert.equal(formatMac(parseMac('00-1E-42-33-99-63')), '00:1e:42:33:99:63');
  assert.throws(() => parseIpv4('10.0.0.256'), { code: 'CW_ERR_CONFIG' });
  assert.throws(() => parseMac('00:11:22:33:44'), { code: 'CW_ERR_CONFIG' });
  const rng = new Prng(3);
  const w = createHost({ name: 'w', mac: '00:14:22:00:00:01', ip: '10.0.0.1', stack: 'windows' }, rng);
  assert.equal(w.ttl, 128);
  const l = createHost({ name: 'l', mac: '00:14:22:00:00:02', ip: '10.0.0.2', stack: 'linux', ttl: 52 }, rng);
  assert.equal(l.ttl, 52);
  for (let i = 0; i < 200; i++) {
    const p = ephemeralPort(w, rng);
    assert.ok(p >= 49152 && p <= 65535);
  }
});
