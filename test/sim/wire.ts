// Test helpers for the simulator tests: a recording frame sink and an independent frame parser
// (DataView reads, RFC 1071 verification by summing every 16-bit word including the checksum field).
import assert from 'node:assert/strict';
import type { FrameSink } from '../../src/sim/net/frame-sink.js';

export interface Recorded {
  ts: number;
  data: Uint8Array;
}

/** Keeps a copy of every frame (the builder reuses its buffer). */
export class Recorder implements FrameSink {
  readonly frames: Recorded[] = [];
  writePacket(ts: number, data: Uint8Array): void {
    this.frames.push({ ts, data: data.slice() });
  }
}

export interface ParsedTcp {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  headerLen: number;
  mss: number;
  payload: Uint8Array;
  checksumOk: boolean;
}

export interface ParsedFrame {
  dst: string;
  src: string;
  vlan: number;
  etherType: number;
  ipSrc: string;
  ipDst: string;
  ipId: number;
  ttl: number;
  df: boolean;
  ipChecksumOk: boolean;
  proto: number;
  tcp: ParsedTcp | null;
  udp: { srcPort: number; dstPort: number; length: number; payload: Uint8Array; checksumOk: boolean } | null;
  arp: { op: number; senderMac: string; senderIp: string; targetMac: string; targetIp: string } | null;
}

const mac = (b: Uint8Array, o: number): string =>
  Array.from(b.subarray(o, o + 6), (x) => x.toString(16).padStart(2, '0')).join(':');
const ip4 = (b: Uint8Array, o: number): string => `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;

/** Ones'-complement sum of 16-bit words (odd byte padded), folded; 0xffff means the checksum verifies. */
export function foldedSum(parts: Uint8Array[]): number {
  let s = 0;
  for (const p of parts) {
    const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
    let i = 0;
    for (; i + 1 < p.length; i += 2) s += v.getUint16(i);
    if (i < p.length) s += p[i] << 8;
  }
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

export function parseFrame(data: Uint8Array): ParsedFrame {
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let off = 12;
  let vlan = -1;
  let et = v.getUint16(off);
  if (et === 0x8100) {
    vlan = v.getUint16(off + 2) & 0x0fff;
    off += 4;
    et = v.getUint16(off);
  }
  off += 2;
  const f: ParsedFrame = {
    dst: mac(data, 0),
    src: mac(data, 6),
    vlan,
    etherType: et,
    ipSrc: '',
    ipDst: '',
    ipId: -1,
    ttl: -1,
    df: false,
    ipChecksumOk: false,
    proto: -1,
    tcp: null,
    udp: null,
    arp: null,
  };
  if (et === 0x0806) {
    f.arp = {
      op: v.getUint16(off + 6),
      senderMac: mac(data, off + 8),
      senderIp: ip4(data, off + 14),
      targetMac: mac(data, off + 18),
      targetIp: ip4(data, off + 24),
    };
    return f;
  }
  if (et !== 0x0800) return f;
  const ihl = (data[off] & 0x0f) * 4;
  const total = v.getUint16(off + 2);
  f.ipId = v.getUint16(off + 4);
  f.df = (data[off + 6] & 0x40) !== 0;
  f.ttl = data[off + 8];
  f.proto = data[off + 9];
  f.ipSrc = ip4(data, off + 12);
  f.ipDst = ip4(data, off + 16);
  f.ipChecksumOk = foldedSum([data.subarray(off, off + ihl)]) === 0xffff;
  const l4 = data.subarray(off + ihl, off + total);
  const pseudo = new Uint8Array(12);
  pseudo.set(data.subarray(off + 12, off + 20), 0);
  pseudo[9] = f.proto;
  new DataView(pseudo.buffer).setUint16(10, l4.length);
  const lv = new DataView(l4.buffer, l4.byteOffset, l4.byteLength);
  if (f.proto === 6) {
    const hl = (l4[12] >> 4) * 4;
    let mss = -1;
    for (let o = 20; o < hl; ) {
      const kind = l4[o];
      if (kind === 0) break;
      if (kind === 1) {
        o++;
        continue;
      }
      if (kind === 2) mss = lv.getUint16(o + 2);
      o += l4[o + 1];
    }
    f.tcp = {
      srcPort: lv.getUint16(0),
      dstPort: lv.getUint16(2),
      seq: lv.getUint32(4),
      ack: lv.getUint32(8),
      flags: l4[13],
      window: lv.getUint16(14),
      headerLen: hl,
      mss,
      payload: l4.subarray(hl),
      checksumOk: foldedSum([pseudo, l4]) === 0xffff,
    };
  } else if (f.proto === 17) {
    f.udp = {
      srcPort: lv.getUint16(0),
      dstPort: lv.getUint16(2),
      length: lv.getUint16(4),
      payload: l4.subarray(8),
      checksumOk: foldedSum([pseudo, l4]) === 0xffff,
    };
  }
  return f;
}

export const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
/** Hex text with spaces / newlines / `# comments` to bytes. */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/#[^\n]*/g, '').replace(/\s+/g, '');
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

/**
 * Replays one TCP connection as an independent observer would and checks RFC 9293 consistency:
 * per direction, each segment's seq is the previous seq + payload (+1 for SYN and FIN); each ACK
 * acknowledges exactly what the peer has sent so far; a pure ACK always acknowledges something new
 * (no duplicate ACKs); MSS only on SYNs; all checksums verify. Returns the reassembled byte streams
 * (client, server) and the indexes of pure ACKs.
 */
export function replayTcp(frames: ParsedFrame[], clientIp: string): { streams: [number[], number[]]; pureAcks: number[] } {
  const FIN = 0x01;
  const SYN = 0x02;
  const RST = 0x04;
  const ACK = 0x10;
  const next: [number, number] = [-1, -1];
  const lastAck: [number, number] = [-1, -1];
  const streams: [number[], number[]] = [[], []];
  const pureAcks: number[] = [];
  frames.forEach((f, i) => {
    const t = f.tcp;
    assert.ok(t, `frame ${i} is TCP`);
    assert.equal(t.checksumOk, true, `frame ${i} TCP checksum`);
    assert.equal(f.ipChecksumOk, true, `frame ${i} IP checksum`);
    const side = f.ipSrc === clientIp ? 0 : 1;
    const peer = 1 - side;
    if (t.flags & SYN) {
      assert.ok(t.mss > 0, 'SYN carries MSS');
      next[side] = t.seq;
    } else {
      assert.equal(t.mss, -1, 'MSS only on SYN');
    }
    assert.equal(t.seq, next[side], `frame ${i} seq continues the stream`);
    if (t.flags & ACK) {
      assert.equal(t.ack, next[peer], `frame ${i} acks all the peer sent`);
      const pure = t.payload.length === 0 && (t.flags & (SYN | FIN | RST)) === 0;
      if (pure) {
        assert.notEqual(t.ack, lastAck[side], `frame ${i} pure ACK acknowledges something new`);
        pureAcks.push(i);
      }
      lastAck[side] = t.ack;
    }
    for (const b of t.payload) streams[side].push(b);
    let adv = t.payload.length;
    if (t.flags & SYN) adv++;
    if (t.flags & FIN) adv++;
    next[side] = (next[side] + adv) >>> 0;
  });
  return { streams, pureAcks };
}
