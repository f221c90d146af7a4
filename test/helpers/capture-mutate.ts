import { captureLayout, type RecordSpan } from './capture-files.js';

/**
 * Deterministic mutations of whole capture files for robustness fuzzing. A fixed-seed PRNG
 * (mulberry32) picks every position and value, so a failing mutant is reproduced from its seed.
 * Mutations of the packet area leave the file header (pcap: the 24-byte global header,
 * draft-ietf-opsawg-pcap §4; pcapng: the Section Header Block, draft-ietf-opsawg-pcapng §4.1) intact;
 * the `header` mutation damages that header on purpose.
 */

/** mulberry32: uniform floats in [0, 1) from a 32-bit seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The mutation kinds. */
export const MUTATIONS = [
  /** 1–32 random bytes after the file header XORed with a non-zero byte. */
  'flip',
  /** 1 % of the bytes of the packet area flipped (deep decoder and analyzer paths). */
  'flip_dense',
  /** Bytes inside record headers / block lengths flipped (pcap incl_len/orig_len, pcapng block total length). */
  'flip_record_header',
  /** The file cut at a random offset after the header (usually mid-record). */
  'truncate',
  /** A range of up to 4 KiB copied and inserted at another offset after the header. */
  'duplicate',
  /** A range of up to 4 KiB zeroed. */
  'zero',
  /** Two whole records swapped (timestamps out of order, TCP segments reordered). */
  'swap_records',
  /** 1–4 bytes of the file header (after the magic number) XORed: version, snap length, link type, SHB fields. */
  'header',
] as const;
export type MutationKind = (typeof MUTATIONS)[number];

/** A mutant and what was done to it. */
export interface Mutant {
  kind: MutationKind;
  bytes: Uint8Array;
  /** One line describing the change (offsets in bytes). */
  note: string;
  /** True when the file ends inside a record (a reader must warn, not throw). */
  cutMidRecord: boolean;
}

function int(rnd: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rnd() * (hi - lo + 1));
}

function xorByte(rnd: () => number): number {
  return int(rnd, 1, 255);
}

function endsOnBoundary(records: readonly RecordSpan[], header: number, at: number): boolean {
  return at === header || records.some((r) => r.end === at);
}

/**
 * Apply one mutation of `kind` to a copy of `original` (an undamaged capture of at least one record).
 * @param seed PRNG seed of this mutant
 */
export function mutate(original: Uint8Array, kind: MutationKind, seed: number): Mutant {
  const rnd = prng(seed);
  const { header, records } = captureLayout(original);
  const len = original.length;
  let b = Uint8Array.from(original);
  let note = '';
  let cutMidRecord = false;
  switch (kind) {
    case 'flip': {
      const n = int(rnd, 1, 32);
      const at: number[] = [];
      for (let i = 0; i < n; i++) {
        const o = int(rnd, header, len - 1);
        b[o] ^= xorByte(rnd);
        at.push(o);
      }
      note = `flipped bytes at ${at.join(',')}`;
      break;
    }
    case 'flip_dense': {
      let n = 0;
      for (let o = header; o < len; o++) {
        if (rnd() < 0.01) {
          b[o] ^= xorByte(rnd);
          n++;
        }
      }
      note = `flipped ${n} bytes after offset ${header}`;
      break;
    }
    case 'flip_record_header': {
      const n = Math.min(records.length, int(rnd, 1, 4));
      const at: number[] = [];
      const pcapng = header !== 24;
      for (let i = 0; i < n; i++) {
        const r = records[int(rnd, 0, records.length - 1)];
        const o = pcapng ? r.start + int(rnd, 4, 7) : r.start + int(rnd, 8, 15);
        b[o] ^= xorByte(rnd);
        at.push(o);
      }
      note = `flipped record-header bytes at ${at.join(',')}`;
      break;
    }
    case 'truncate': {
      const at = int(rnd, header + 1, len - 1);
      b = b.slice(0, at);
      cutMidRecord = !endsOnBoundary(records, header, at);
      note = `cut at ${at} of ${len}`;
      break;
    }
    case 'duplicate': {
      const from = int(rnd, header, len - 1);
      const n = Math.min(len - from, int(rnd, 1, 4096));
      const to = int(rnd, header, len);
      const out = new Uint8Array(len + n);
      out.set(original.subarray(0, to), 0);
      out.set(original.subarray(from, from + n), to);
      out.set(original.subarray(to), to + n);
      b = out;
      note = `copied ${n} bytes from ${from} to ${to}`;
      break;
    }
    case 'zero': {
      const from = int(rnd, header, len - 1);
      const n = Math.min(len - from, int(rnd, 1, 4096));
      b.fill(0, from, from + n);
      note = `zeroed ${n} bytes at ${from}`;
      break;
    }
    case 'swap_records': {
      if (records.length < 2) {
        note = 'one record: unchanged';
        break;
      }
      const i = int(rnd, 0, records.length - 2);
      const j = int(rnd, i + 1, records.length - 1);
      const a = records[i];
      const c = records[j];
      const out = new Uint8Array(len);
      let o = 0;
      const put = (s: number, e: number): void => {
        out.set(original.subarray(s, e), o);
        o += e - s;
      };
      put(0, a.start);
      put(c.start, c.end);
      put(a.end, c.start);
      put(a.start, a.end);
      put(c.end, len);
      b = out;
      note = `swapped records ${i} and ${j}`;
      break;
    }
    case 'header': {
      const n = int(rnd, 1, 4);
      const at: number[] = [];
      for (let i = 0; i < n; i++) {
        const o = int(rnd, 4, header - 1);
        b[o] ^= xorByte(rnd);
        at.push(o);
      }
      note = `flipped header bytes at ${at.join(',')}`;
      break;
    }
  }
  return { kind, bytes: b, note, cutMidRecord };
}
