import type { RawPacket } from '../../src/capture/packet.js';
import { DEFAULT_LIMITS, type Limits } from '../../src/config/limits.js';
import { Decoder, newDecodedPacket } from '../../src/decode/decoder.js';
import type { DecodedPacket, DecodeStatus } from '../../src/decode/packet.js';

/**
 * Bytes from a commented hex dump: every `#` starts a comment running to the end of its line;
 * whitespace is ignored. Throws on an odd digit count or a non-hex character (a broken fixture).
 */
export function hex(strings: TemplateStringsArray, ...values: unknown[]): Uint8Array {
  const text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const digits = text
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join('')
    .replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`bad hex fixture: ${digits}`);
  return Uint8Array.from(Buffer.from(digits, 'hex'));
}

/**
 * A copy of `bytes` living inside a larger buffer at a non-zero byteOffset, surrounded by 0xee
 * filler, so a decoder that reads `.buffer` without `.byteOffset`, or past the view's end, is caught.
 */
export function subView(bytes: Uint8Array, lead = 13, trail = 11): Uint8Array {
  const big = new Uint8Array(lead + bytes.length + trail).fill(0xee);
  big.set(bytes, lead);
  return big.subarray(lead, lead + bytes.length);
}

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A RawPacket around `data` (origLen = data.length unless given). */
export function rawOf(linkType: number, data: Uint8Array, opts: Partial<RawPacket> = {}): RawPacket {
  return { ts: 1_700_000_000.5, linkType, data, origLen: data.length, source: 0, frame: 1, ...opts };
}

/** One anomaly as the decoder reported it, with a snapshot of the packet fields at that moment. */
export interface SeenAnomaly {
  name: string;
  addl: string | undefined;
  src: string;
  dst: string;
  srcPort: number;
  ts: number;
  frame: number;
}

/** A decoder plus the anomalies it reported, for tests. */
export class DecoderHarness {
  readonly anomalies: SeenAnomaly[] = [];
  readonly decoder: Decoder;
  readonly pkt: DecodedPacket = newDecodedPacket();

  constructor(limits: Readonly<Limits> = DEFAULT_LIMITS) {
    this.decoder = new Decoder(limits, (name, p, addl) =>
      this.anomalies.push({ name, addl, src: p.src, dst: p.dst, srcPort: p.srcPort, ts: p.ts, frame: p.raw.frame }),
    );
  }

  /** Decodes one frame into the shared packet; returns the status. */
  decode(raw: RawPacket): DecodeStatus {
    return this.decoder.decode(raw, this.pkt);
  }

  /** Names of the anomalies seen so far, in order. */
  names(): string[] {
    return this.anomalies.map((a) => a.name);
  }
}

/** Decodes one frame with a fresh decoder (default limits). */
export function decodeOnce(raw: RawPacket): { status: DecodeStatus; pkt: DecodedPacket; anomalies: string[] } {
  const h = new DecoderHarness();
  const status = h.decode(raw);
  return { status, pkt: h.pkt, anomalies: h.names() };
}
