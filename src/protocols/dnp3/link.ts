import { crcMatches } from './crc.js';

/**
 * DNP3 data link layer frame (IEEE 1815-2012 §9.2): a 10-octet header — start octets 0x05 0x64,
 * LENGTH (octets of CONTROL, DESTINATION, SOURCE and user data: 5..255), CONTROL, DESTINATION and
 * SOURCE (16 bits each, least significant octet first), CRC — then LENGTH − 5 octets of user data
 * in blocks of 16 (the last may be shorter), each followed by its own CRC (crc.ts).
 */

/** Octets of the link header, its CRC included (§9.2.4). */
export const LINK_HEADER_BYTES = 10;
/** Largest frame on the wire: 10 + 250 user octets + 16 block CRCs (§9.2.4.1.3 LENGTH ≤ 255). */
export const MAX_FRAME_BYTES = 292;
/** Octets of user data per CRC block (§9.2.4.2). */
export const BLOCK_BYTES = 16;
/** Smallest LENGTH: CONTROL, DESTINATION and SOURCE only (§9.2.4.1.3). */
export const MIN_LENGTH = 5;

/** What a link header check finds (numbers, so the hot path allocates nothing). */
export const enum LinkHeaderStatus {
  Ok = 0,
  /** The first two octets are not 0x05 0x64. */
  BadStart = 1,
  /** LENGTH below 5. */
  BadLength = 2,
  /** The header CRC does not match. */
  BadCrc = 3,
}

/** Anomaly name of each failed LinkHeaderStatus (index = status). */
export const LINK_HEADER_ANOMALY: readonly string[] = ['', 'dnp3.bad_start_octets', 'dnp3.bad_link_length', 'dnp3.bad_header_crc'];

/**
 * Check the 10-octet link header at `b[off]` (the caller ensures 10 octets are there): start octets,
 * LENGTH ≥ 5 and the header CRC (§9.2.4.1, §9.2.4.1.6).
 */
export function checkLinkHeader(b: Uint8Array, off: number): LinkHeaderStatus {
  if (b[off] !== 0x05 || b[off + 1] !== 0x64) return LinkHeaderStatus.BadStart;
  if (b[off + 2] < MIN_LENGTH) return LinkHeaderStatus.BadLength;
  return crcMatches(b, off, off + 8) ? LinkHeaderStatus.Ok : LinkHeaderStatus.BadCrc;
}

/** Octets the whole frame takes on the wire for a LENGTH field of `length` (5..255): header, user data and block CRCs. */
export function frameBytes(length: number): number {
  const data = length - MIN_LENGTH;
  return LINK_HEADER_BYTES + data + 2 * Math.ceil(data / BLOCK_BYTES);
}

/**
 * True when every user-data block of the frame at `b[off]` (whole, header checked) carries its CRC
 * (§9.2.4.2). A frame without user data has none to check.
 */
export function dataCrcsMatch(b: Uint8Array, off: number): boolean {
  let left = b[off + 2] - MIN_LENGTH;
  let p = off + LINK_HEADER_BYTES;
  while (left > 0) {
    const n = left < BLOCK_BYTES ? left : BLOCK_BYTES;
    if (!crcMatches(b, p, p + n)) return false;
    p += n + 2;
    left -= n;
  }
  return true;
}

/**
 * Copy the user data of the frame at `b[off]` (whole, CRCs checked) from user-data octet `skip` on,
 * without the block CRCs, into `out` at `outOff`. @returns octets copied (LENGTH − 5 − skip)
 */
export function copyUserData(b: Uint8Array, off: number, skip: number, out: Uint8Array, outOff: number): number {
  let left = b[off + 2] - MIN_LENGTH;
  let p = off + LINK_HEADER_BYTES;
  let o = outOff;
  let drop = skip;
  while (left > 0) {
    const n = left < BLOCK_BYTES ? left : BLOCK_BYTES;
    const from = drop < n ? drop : n;
    drop -= from;
    if (from < n) {
      out.set(b.subarray(p + from, p + n), o);
      o += n - from;
    }
    p += n + 2;
    left -= n;
  }
  return o - outOff;
}
