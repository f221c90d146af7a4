import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

/**
 * Minimal reader of ZIP archives (PKWARE APPNOTE.TXT 6.3: §4.3.16 end of central directory record,
 * §4.3.12 central directory header, §4.3.7 local file header) for the zipped captures of the shared
 * data set. Reads stored (method 0) and deflated (method 8) entries; no ZIP64, no encryption.
 */

/** One file of an archive. */
export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * Every file entry of the archive at `file` (directories skipped), uncompressed.
 * Throws when the archive is damaged, uses ZIP64 or an unsupported compression method.
 */
export function readZip(file: string): ZipEntry[] {
  const b = readFileSync(file);
  let eocd = -1;
  for (let o = b.length - 22; o >= Math.max(0, b.length - 22 - 0xffff); o--) {
    if (b.readUInt32LE(o) === EOCD) {
      eocd = o;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file}: no end of central directory record`);
  const count = b.readUInt16LE(eocd + 10);
  let o = b.readUInt32LE(eocd + 16);
  if (o === 0xffffffff) throw new Error(`${file}: ZIP64 archive`);
  const out: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (b.readUInt32LE(o) !== CENTRAL) throw new Error(`${file}: bad central directory header at ${o}`);
    const method = b.readUInt16LE(o + 10);
    const compressed = b.readUInt32LE(o + 20);
    const nameLen = b.readUInt16LE(o + 28);
    const extraLen = b.readUInt16LE(o + 30);
    const commentLen = b.readUInt16LE(o + 32);
    const local = b.readUInt32LE(o + 42);
    const name = b.toString('utf8', o + 46, o + 46 + nameLen);
    o += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue;
    if (b.readUInt32LE(local) !== LOCAL) throw new Error(`${file}: bad local header of ${name}`);
    const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    const raw = b.subarray(start, start + compressed);
    if (method === 0) out.push({ name, data: new Uint8Array(raw) });
    else if (method === 8) out.push({ name, data: new Uint8Array(inflateRawSync(raw)) });
    else throw new Error(`${file}: ${name} uses compression method ${method}`);
  }
  return out;
}
