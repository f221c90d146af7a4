import { hash } from 'node:crypto';

/** Base-62 digits in Zeek's order (0-9, A-Z, a-z), as its connection uids use them. */
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Transport names a flow uid is derived from (Zeek's transport_proto). */
export type UidProto = 'tcp' | 'udp' | 'icmp';

/**
 * Deterministic flow uid (Zeek conn.log `uid` look: 'C' + base 62, 16–18 characters in all).
 *
 * Derivation (stable across runs and machines; the same input always gives the same uid):
 *   text   = `${proto}|${orig_h}|${orig_p}|${resp_h}|${resp_p}|${round(ts × 10⁶)}`  (UTF-8)
 *   digest = SHA-1(text)                                                         (FIPS 180-4)
 *   n      = first 12 bytes of digest as a big-endian 96-bit unsigned integer
 *   uid    = 'C' + base62(n), most significant digit first, no padding
 *
 * `orig_h`/`resp_h` are canonical address texts (dotted quad, RFC 5952), ports are decimal
 * (ICMP: Zeek's type / counterpart type), `ts` is the first packet's time in seconds since the
 * epoch. The tuple is the one the flow was created with: a later direction flip keeps the uid.
 * Never throws.
 */
export function flowUid(proto: UidProto, origH: string, origP: number, respH: string, respP: number, ts: number): string {
  return hashId('C', `${proto}|${origH}|${origP}|${respH}|${respP}|${Math.round(ts * 1e6)}`);
}

/**
 * A deterministic id in the uid look: `prefix` + base62 of the first 96 bits of SHA-1(`text`)
 * (FIPS 180-4), most significant digit first, no padding. Flow uids use prefix 'C'; findings and
 * incidents use their own prefixes over their own key texts. Never throws.
 */
export function hashId(prefix: string, text: string): string {
  const d = hash('sha1', text, 'buffer');
  // 96-bit integer as three big-endian 32-bit words, divided by 62 until zero (schoolbook long division).
  const w = [d.readUInt32BE(0), d.readUInt32BE(4), d.readUInt32BE(8)];
  let out = '';
  while (w[0] !== 0 || w[1] !== 0 || w[2] !== 0) {
    let rem = 0;
    for (let i = 0; i < 3; i++) {
      const cur = rem * 0x1_0000_0000 + w[i]; // < 62 × 2^32, exact in a double
      w[i] = Math.floor(cur / 62);
      rem = cur - w[i] * 62;
    }
    out = DIGITS[rem] + out;
  }
  return prefix + (out === '' ? '0' : out);
}
