import { scanContainerNumbers } from '../../crane/container-scan.js';
import { base64Decode, base64DecodedMax, ENCODED_CLASS, HEX, hexDecode } from './codec.js';
import { inflateGzipMember, isGzipMagic } from './gzip-member.js';
import type { LeakHits } from './leak-hits.js';

/** Shortest base64 run that can carry an 11-character container number (⌈11 / 3⌉ × 4 = 16). */
export const MIN_BASE64_RUN = 16;
/** Shortest hex run that can carry one (2 × 11). */
export const MIN_HEX_RUN = 22;
/** Numbers taken from one scan call before it resumes after the last (container-scan.ts maxMatches). */
const SCAN_BATCH = 64;
/** Deepest nesting of encodings a block is searched to (the tap's gzip-in-base64 and DNS tunnels). */
export const MAX_DEPTH = 2;

/** `prefix+kind`, or `kind` for the top level (no string built for the common case). */
function label(prefix: string, kind: string): string {
  return prefix === '' ? kind : `${prefix}+${kind}`;
}

/**
 * Finds ISO 6346 container numbers in a whole block of bytes (a decoded run, an inflated gzip member,
 * a DNS tunnel's reassembled data) under its encodings: clear text, then — while `depth` allows —
 * base64 runs (RFC 4648 §4/§5), hex runs (§8) and gzip members (RFC 1952) inside it, each decoded
 * and searched one level deeper. Hits go to a `LeakHits` under labels such as `base64`,
 * `gzip+base64`, `dns-base32+gzip`. Decoding uses one scratch buffer per depth (grown up to the
 * largest input seen, so bounded by the callers' limits); inflating is bounded by `maxInflate`.
 * Not re-entrant across flows (synchronous use only). Never throws.
 */
export class ContentDecoder {
  private readonly scratch: Uint8Array[] = [];

  /** @param maxInflate bytes one gzip member may inflate to (Limits.maxContainerInflateBytes) */
  constructor(private readonly maxInflate: number) {}

  /** Clear-text numbers of `b` under `lbl`, all of them (batches of 64). */
  scanPlain(b: Uint8Array, lbl: string, ts: number, hits: LeakHits): void {
    let view = b;
    for (;;) {
      const r = scanContainerNumbers(view, SCAN_BATCH);
      const list = r.hits;
      for (let i = 0; i < list.length; i++) hits.add(lbl, list[i].number, ts);
      if (!r.truncated) return;
      view = view.subarray(list[list.length - 1].offset + 11);
    }
  }

  /**
   * Search `b` whole: clear text under `lbl`, then, when `depth` > 0, its encoded runs and gzip
   * members one level deeper.
   */
  block(b: Uint8Array, lbl: string, depth: number, ts: number, hits: LeakHits): void {
    this.scanPlain(b, lbl, ts, hits);
    if (depth <= 0) return;
    const len = b.length;
    let runStart = -1;
    for (let i = 0; i < len; i++) {
      const c = b[i];
      if (ENCODED_CLASS[c] !== 0) {
        if (runStart < 0) runStart = i;
        continue;
      }
      if (runStart >= 0) {
        this.run(b, runStart, i, lbl, depth - 1, ts, hits);
        runStart = -1;
      }
      if (c === 0x1f && isGzipMagic(b, i)) this.gzip(b, i, lbl, depth - 1, ts, hits);
    }
    if (runStart >= 0) this.run(b, runStart, len, lbl, depth - 1, ts, hits);
  }

  /**
   * One run of encoded-alphabet bytes `b[from, to)`: hex when every byte is a hex digit and it is at
   * least 22 long, else base64 when at least 16 long; decoded and searched with `block` at `depth`.
   * Shorter runs cost nothing.
   */
  run(b: Uint8Array, from: number, to: number, prefix: string, depth: number, ts: number, hits: LeakHits): void {
    const n = to - from;
    if (n < MIN_BASE64_RUN) return;
    let allHex = n >= MIN_HEX_RUN;
    for (let i = from; allHex && i < to; i++) allHex = (ENCODED_CLASS[b[i]] & HEX) !== 0;
    const out = this.scratchFor(depth, allHex ? n >>> 1 : base64DecodedMax(n));
    if (allHex) {
      const k = hexDecode(b, from, to, out);
      this.block(out.subarray(0, k), label(prefix, 'hex'), depth, ts, hits);
      return;
    }
    const k = base64Decode(b, from, to, out);
    this.block(out.subarray(0, k), label(prefix, 'base64'), depth, ts, hits);
  }

  /** The gzip member at `b[at]` inflated (bounded) and searched under `prefix+gzip` at `depth`. */
  gzip(b: Uint8Array, at: number, prefix: string, depth: number, ts: number, hits: LeakHits): void {
    const out = inflateGzipMember(b, at, this.maxInflate);
    if (out !== null && out.length > 0) this.block(out, label(prefix, 'gzip'), depth, ts, hits);
  }

  /** The scratch buffer of `depth`, at least `n` bytes. */
  private scratchFor(depth: number, n: number): Uint8Array {
    let s = this.scratch[depth];
    if (s === undefined || s.length < n) {
      s = new Uint8Array(Math.max(n, 4096));
      this.scratch[depth] = s;
    }
    return s;
  }
}
