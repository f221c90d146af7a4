import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Capture files found by magic number, never by extension: the first four bytes of a classic pcap
 * (draft-ietf-opsawg-pcap §4: a1b2c3d4 microsecond / a1b23c4d nanosecond, either byte order) or of a
 * pcapng Section Header Block (draft-ietf-opsawg-pcapng §4.1: block type 0a0d0d0a).
 */

const MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a]);

/** Capture format a file's first four bytes name, or null. */
export function captureMagic(file: string): 'pcap' | 'pcapng' | null {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(4);
    if (readSync(fd, b, 0, 4, 0) < 4) return null;
    const m = b.readUInt32BE(0);
    if (!MAGICS.has(m)) return null;
    return m === 0x0a0d0d0a ? 'pcapng' : 'pcap';
  } finally {
    closeSync(fd);
  }
}

/** Every capture file under `root` (recursive), as paths relative to `root`, sorted. */
export function findCaptures(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && st.size >= 4 && captureMagic(p) !== null) out.push(relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}

/** Byte range of one record or block of a capture file: [start, end). */
export interface RecordSpan {
  start: number;
  end: number;
}

/**
 * The file header length and the record (pcap: 16-byte record header + incl_len bytes) or block
 * (pcapng: block total length) boundaries of an undamaged capture held in memory. Walking stops at the
 * first span that does not fit, so a damaged file yields the spans before the damage.
 */
export function captureLayout(bytes: Uint8Array): { header: number; records: RecordSpan[] } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: RecordSpan[] = [];
  const magic = dv.getUint32(0, false);
  if (magic === 0x0a0d0d0a) {
    const le = dv.getUint32(8, true) === 0x1a2b3c4d;
    const shb = dv.getUint32(4, le);
    let o = shb;
    while (o + 12 <= bytes.length) {
      const len = dv.getUint32(o + 4, le);
      if (len < 12 || len % 4 !== 0 || o + len > bytes.length) break;
      records.push({ start: o, end: o + len });
      o += len;
    }
    return { header: shb, records };
  }
  const le = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
  let o = 24;
  while (o + 16 <= bytes.length) {
    const incl = dv.getUint32(o + 8, le);
    if (o + 16 + incl > bytes.length) break;
    records.push({ start: o, end: o + 16 + incl });
    o += 16 + incl;
  }
  return { header: 24, records };
}
