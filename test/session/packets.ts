/**
 * Test helpers for the session stage: hand-filled DecodedPacket objects (the decoder is not
 * involved), a recording log sink and a recording analyzer spec.
 *
 * `Feeder` reuses ONE DecodedPacket for every packet, as the real caller does, and after each
 * call overwrites the payload bytes it handed over, so a table that kept a payload view instead
 * of copying it sees garbage. Payloads are always sub-views of a larger buffer (non-zero byteOffset).
 */
import type { RawPacket } from '../../src/capture/packet.js';
import type { DecodedPacket } from '../../src/decode/packet.js';
import type { LogRecord, LogSink, StreamName } from '../../src/events/record.js';
import type { AnalyzerSpec, DatagramAnalyzer, FlowContext, ProbeVerdict, StreamAnalyzer } from '../../src/session/analyzer.js';

const RAW: RawPacket = { ts: 0, linkType: 1, data: new Uint8Array(0), origLen: 0, source: 0, frame: 0 };

/** A DecodedPacket with every field unset (-1 / '' / empty), as the decoder's newDecodedPacket would make it. */
export function blankPacket(): DecodedPacket {
  return {
    ts: 0,
    raw: RAW,
    srcMac: -1,
    dstMac: -1,
    vlan: -1,
    innerVlan: -1,
    etherType: 0x0800,
    ipVersion: 4,
    src: '',
    dst: '',
    src4: -1,
    dst4: -1,
    ipProto: -1,
    ipLen: 0,
    ttl: 64,
    srcPort: -1,
    dstPort: -1,
    tcpFlags: 0,
    seq: 0,
    ack: 0,
    window: 0,
    icmpType: -1,
    icmpCode: -1,
    payload: new Uint8Array(0),
    payloadLen: 0,
    arp: null,
  };
}

/** Sets the packet's addresses as the decoder does: text, plus the IPv4 integers (-1 for IPv6). */
export function setAddrs(p: DecodedPacket, src: string, dst: string): void {
  p.src = src;
  p.dst = dst;
  p.src4 = ipv4Int(src);
  p.dst4 = ipv4Int(dst);
}

function ipv4Int(text: string): number {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  return m === null ? -1 : ((+m[1] << 24) | (+m[2] << 16) | (+m[3] << 8) | +m[4]) >>> 0;
}

/** `bytes` copied into the middle of a larger buffer: a view with byteOffset 5 and junk on both sides. */
export function subView(bytes: Uint8Array | string): Uint8Array {
  const b = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  const big = new Uint8Array(b.length + 9).fill(0xa5);
  big.set(b, 5);
  return big.subarray(5, 5 + b.length);
}

/** Parse 'S', 'SA', 'A', 'PA', 'FA', 'R', 'RA', 'F' … into tcp.flags bits (F 0x01 S 0x02 R 0x04 P 0x08 A 0x10). */
export function flagBits(flags: string): number {
  let f = 0;
  for (const c of flags) {
    if (c === 'F') f |= 0x01;
    else if (c === 'S') f |= 0x02;
    else if (c === 'R') f |= 0x04;
    else if (c === 'P') f |= 0x08;
    else if (c === 'A') f |= 0x10;
    else if (c === 'U') f |= 0x20;
    else throw new Error(`bad flag ${c}`);
  }
  return f;
}

/** Something that takes packets (the SessionTable). */
export interface PacketConsumer {
  onPacket(p: DecodedPacket): void;
}

/** Options of one TCP segment. */
export interface TcpOpts {
  /** Payload (string → UTF-8). */
  data?: Uint8Array | string;
  /** Advertised window; default 65535. */
  window?: number;
  /** Payload length the IP header states when larger than the captured payload (snap length cut). */
  statedLen?: number;
  srcMac?: number;
  dstMac?: number;
  vlan?: number;
}

/** Feeds hand-made packets to a consumer through one reused DecodedPacket. */
export class Feeder {
  readonly p = blankPacket();
  constructor(private readonly target: PacketConsumer) {}

  /** A TCP segment over IPv4 (IP header 20 bytes, TCP header 20 bytes: ipLen = 40 + payload). */
  tcp(ts: number, src: string, sport: number, dst: string, dport: number, flags: string, seq: number, ack: number, o: TcpOpts = {}): void {
    const p = this.p;
    const data = o.data === undefined ? new Uint8Array(0) : subView(o.data);
    Object.assign(p, blankPacket());
    p.ts = ts;
    setAddrs(p, src, dst);
    p.ipVersion = src.includes(':') ? 6 : 4;
    p.ipProto = 6;
    p.srcPort = sport;
    p.dstPort = dport;
    p.tcpFlags = flagBits(flags);
    p.seq = seq >>> 0;
    p.ack = ack >>> 0;
    p.window = o.window ?? 65535;
    p.payload = data;
    p.payloadLen = o.statedLen ?? data.length;
    p.ipLen = 40 + p.payloadLen;
    p.srcMac = o.srcMac ?? -1;
    p.dstMac = o.dstMac ?? -1;
    p.vlan = o.vlan ?? -1;
    this.target.onPacket(p);
    data.fill(0xee); // the view is dead after the call
  }

  /** A UDP datagram over IPv4 (ipLen = 28 + payload). */
  udp(ts: number, src: string, sport: number, dst: string, dport: number, data: Uint8Array | string = ''): void {
    const p = this.p;
    const d = subView(data);
    Object.assign(p, blankPacket());
    p.ts = ts;
    setAddrs(p, src, dst);
    p.ipProto = 17;
    p.srcPort = sport;
    p.dstPort = dport;
    p.payload = d;
    p.payloadLen = d.length;
    p.ipLen = 28 + d.length;
    this.target.onPacket(p);
    d.fill(0xee);
  }

  /**
   * An ICMP (IPv4) or ICMPv6 message; `data` is what follows the 8-byte ICMP header
   * (ipLen = 20 + 8 + data for IPv4, 40 + 8 + data for IPv6).
   */
  icmp(ts: number, src: string, dst: string, type: number, code: number, data: Uint8Array | string = '', v6 = false): void {
    const p = this.p;
    const d = subView(data);
    Object.assign(p, blankPacket());
    p.ts = ts;
    setAddrs(p, src, dst);
    p.ipVersion = v6 ? 6 : 4;
    p.ipProto = v6 ? 58 : 1;
    p.srcPort = type;
    p.dstPort = code;
    p.icmpType = type;
    p.icmpCode = code;
    p.payload = d;
    p.payloadLen = d.length;
    p.ipLen = (v6 ? 40 : 20) + 8 + d.length;
    this.target.onPacket(p);
    d.fill(0xee);
  }
}

/** A LogSink that keeps every record. */
export class MemorySink implements LogSink {
  readonly records: { stream: StreamName; record: LogRecord }[] = [];
  write(stream: StreamName, record: LogRecord): void {
    this.records.push({ stream, record });
  }
  async close(): Promise<void> {}
  /** Records of one stream, in write order. */
  of(stream: StreamName): LogRecord[] {
    return this.records.filter((r) => r.stream === stream).map((r) => r.record);
  }
  /** The single conn record of the flow with this originator port (fails when not exactly one). */
  conn(origP: number): LogRecord {
    const m = this.of('conn').filter((r) => r['id.orig_p'] === origP);
    if (m.length !== 1) throw new Error(`expected one conn record with orig_p ${origP}, got ${m.length}`);
    return m[0];
  }
}

/** What a RecordingAnalyzer saw, in order. */
export type Seen =
  | { kind: 'data'; isOrig: boolean; text: string; ts: number }
  | { kind: 'gap'; isOrig: boolean; len: number; ts: number }
  | { kind: 'end'; ts: number };

/** Stream and datagram analyzer that records every call (bytes decoded as latin1 text). */
export class RecordingAnalyzer implements StreamAnalyzer, DatagramAnalyzer {
  readonly seen: Seen[] = [];
  done = false;
  constructor(readonly ctx: FlowContext) {}
  deliver(isOrig: boolean, data: Uint8Array, ts: number): void {
    this.seen.push({ kind: 'data', isOrig, text: Buffer.from(data).toString('latin1'), ts });
  }
  datagram(isOrig: boolean, data: Uint8Array, ts: number): void {
    this.deliver(isOrig, data, ts);
  }
  gap(isOrig: boolean, len: number, ts: number): void {
    this.seen.push({ kind: 'gap', isOrig, len, ts });
  }
  end(ts: number): void {
    this.seen.push({ kind: 'end', ts });
  }
  /** Concatenated delivered text of one direction. */
  text(isOrig: boolean): string {
    return this.seen.map((s) => (s.kind === 'data' && s.isOrig === isOrig ? s.text : '')).join('');
  }
}

/** An analyzer spec whose probe is a function and whose analyzers are recorded in `created`. */
export function recordingSpec(
  name: string,
  transport: 'tcp' | 'udp',
  ports: number[],
  probe: (data: Uint8Array, isOrig: boolean, onWellKnownPort: boolean) => ProbeVerdict,
): AnalyzerSpec & { created: RecordingAnalyzer[]; probes: { text: string; isOrig: boolean; onWellKnownPort: boolean }[] } {
  const created: RecordingAnalyzer[] = [];
  const probes: { text: string; isOrig: boolean; onWellKnownPort: boolean }[] = [];
  return {
    name,
    transport,
    ports,
    created,
    probes,
    probe(data, isOrig, onWellKnownPort) {
      probes.push({ text: Buffer.from(data).toString('latin1'), isOrig, onWellKnownPort });
      return probe(data, isOrig, onWellKnownPort);
    },
    create(ctx) {
      const a = new RecordingAnalyzer(ctx);
      created.push(a);
      return a;
    },
  };
}
