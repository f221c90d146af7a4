import { constants, inflateRawSync } from 'node:zlib';

/** GZIP flag bits (RFC 1952 §2.3.1): FHCRC, FEXTRA, FNAME, FCOMMENT; bits 5–7 are reserved (0). */
const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const FRESERVED = 0xe0;
/** Fixed header: ID1 ID2 CM FLG MTIME(4) XFL OS (RFC 1952 §2.3). */
const FIXED_HEADER = 10;
/** Smaller inputs tried after the output bound is hit (each a quarter of the one before). */
const SHRINK_TRIES = 4;

/**
 * True when `b[at]` starts a gzip member header: ID1 0x1f, ID2 0x8b, CM 8 (deflate) and no reserved
 * flag bit set (RFC 1952 §2.3.1). Needs 4 bytes at `at`.
 */
export function isGzipMagic(b: Uint8Array, at: number): boolean {
  return at + 3 < b.length && b[at] === 0x1f && b[at + 1] === 0x8b && b[at + 2] === 8 && (b[at + 3] & FRESERVED) === 0;
}

/**
 * Offset of the deflate data of the gzip member at `at` (after FEXTRA, FNAME, FCOMMENT and FHCRC,
 * RFC 1952 §2.3.1), or -1 when the header is not complete within `b`.
 */
function deflateStart(b: Uint8Array, at: number): number {
  const flg = b[at + 3];
  let p = at + FIXED_HEADER;
  if (p > b.length) return -1;
  if ((flg & FEXTRA) !== 0) {
    if (p + 2 > b.length) return -1;
    p += 2 + (b[p] | (b[p + 1] << 8));
  }
  if ((flg & FNAME) !== 0) {
    while (p < b.length && b[p] !== 0) p++;
    p++;
  }
  if ((flg & FCOMMENT) !== 0) {
    while (p < b.length && b[p] !== 0) p++;
    p++;
  }
  if ((flg & FHCRC) !== 0) p += 2;
  return p < b.length ? p : -1;
}

/**
 * Inflate the gzip member starting at `b[at]` (RFC 1952 header, RFC 1951 deflate data), bounded:
 * at most `maxOut` bytes of output. A member cut short yields what its bytes give (sync flush); one
 * whose output passes `maxOut` is retried on a quarter of its input, up to 4 times, so a
 * decompression bomb costs a few bounded attempts and yields a prefix or nothing. Bytes after the
 * member's end are ignored; the trailer (CRC-32, ISIZE) is not checked.
 * @returns the inflated bytes (a new buffer), or null when the header is incomplete or the data corrupt
 */
export function inflateGzipMember(b: Uint8Array, at: number, maxOut: number): Uint8Array | null {
  if (!isGzipMagic(b, at)) return null;
  const start = deflateStart(b, at);
  if (start < 0) return null;
  let input = b.subarray(start);
  for (let k = 0; k <= SHRINK_TRIES; k++) {
    const r = inflateBounded(input, maxOut);
    if (r !== TOO_LARGE) return r;
    input = input.subarray(0, input.length >>> 2);
  }
  return null;
}

/** Marker of an output beyond the bound. */
const TOO_LARGE = new Uint8Array(0);

/**
 * zlib's synchronous inflate reports both corrupt data and an output past `maxOutputLength` by
 * throwing; this turns those into values (null, TOO_LARGE) at the one place they can happen.
 */
function inflateBounded(input: Uint8Array, maxOut: number): Uint8Array | null {
  try {
    return inflateRawSync(input, { maxOutputLength: maxOut, finishFlush: constants.Z_SYNC_FLUSH });
  } catch (e) {
    return (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? TOO_LARGE : null;
  }
}
