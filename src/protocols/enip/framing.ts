import { ENCAP_HEADER_BYTES, u16, u32 } from './grammar.js';

/**
 * True when `b[p, p + 24)` reads as an encapsulation header a device could send (CIP Vol 2
 * §2-3.1): a command below 0x100 (the defined ones and those Table 2-3.2 reserves for legacy
 * use, which older Rockwell software still sends, e.g. 0x0001), a status that fits one byte
 * (§2-3.3 codes do) and zero options (§2-3.1: "shall be zero"). The caller makes sure 24 bytes are there.
 */
export function plausibleHeader(b: Uint8Array, p: number): boolean {
  if (b[p + 1] !== 0) return false;
  const status = u32(b, p + 8);
  if (status > 0xff) return false;
  return u32(b, p + 20) === 0;
}

/**
 * A header inside a chunk after framing was lost is believed only when it is plausible and its
 * message ends at the chunk's end, runs past it, or is followed by another plausible header.
 */
export function strictCandidate(b: Uint8Array, p: number, end: number): boolean {
  if (end - p < ENCAP_HEADER_BYTES || !plausibleHeader(b, p)) return false;
  const next = p + ENCAP_HEADER_BYTES + u16(b, p + 2);
  if (next >= end) return true;
  if (end - next < ENCAP_HEADER_BYTES) return false;
  return plausibleHeader(b, next);
}
