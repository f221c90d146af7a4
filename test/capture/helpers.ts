import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawPacket } from '../../src/capture/packet.js';
import type { CaptureReader } from '../../src/capture/reader.js';

/** Bytes from hex pieces (whitespace ignored), one piece per field so each can carry a comment. */
export function hex(...pieces: string[]): Uint8Array {
  const s = pieces.join('').replace(/\s+/g, '');
  if (s.length % 2 !== 0 || /[^0-9a-fA-F]/.test(s)) throw new Error(`bad hex: ${s}`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
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

/** A copy of `bytes` living at a non-zero byteOffset inside a larger, noise-filled buffer. */
export function noisyView(bytes: Uint8Array, lead = 5): Uint8Array {
  const big = new Uint8Array(lead + bytes.length + 7).fill(0xee);
  big.set(bytes, lead);
  return big.subarray(lead, lead + bytes.length);
}

/** Async chunks of `size` bytes, each a sub-view of a larger noisy buffer. */
export async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let o = 0; o < bytes.length; o += size) yield noisyView(bytes.slice(o, o + size), 3);
}

/** Every packet of a reader, flattened, plus the batch sizes seen. */
export async function readAll(r: CaptureReader): Promise<{ packets: RawPacket[]; batchSizes: number[] }> {
  const packets: RawPacket[] = [];
  const batchSizes: number[] = [];
  for await (const b of r.batches()) {
    batchSizes.push(b.length);
    packets.push(...b);
  }
  return { packets, batchSizes };
}

/** A temporary folder with a helper to write files into it; `cleanup` removes it. */
export function tempDir(): { dir: string; file(name: string, bytes: Uint8Array | string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'cw-capture-'));
  return {
    dir,
    file(name, bytes) {
      const p = join(dir, name);
      writeFileSync(p, bytes);
      return p;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Hex of a byte array, for readable assertion messages. */
export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
}
