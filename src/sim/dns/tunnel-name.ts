import { DNS_MAX_LABEL, DNS_MAX_NAME, encodedNameLength } from './message.js';

/** RFC 4648 §6 base32 alphabet, lower-case (DNS names compare case-insensitively, RFC 4343). */
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * Most data bytes one query name can carry as base32 labels in front of `suffix` (the tunnel's
 * domain, e.g. "t.exfil.example"): the base32 text (8 characters per 5 bytes, no padding) is cut
 * into labels of at most 63 characters and the whole name stays within 253 octets
 * (RFC 1035 §2.3.4). 0 when even one byte does not fit or `suffix` is not a valid name.
 */
export function tunnelNameCapacity(suffix: string): number {
  if (encodedNameLength(suffix) < 0) return 0;
  const room = DNS_MAX_NAME - suffix.length;
  let chars = room - Math.ceil(room / (DNS_MAX_LABEL + 1));
  while (chars > 0 && chars + Math.ceil(chars / DNS_MAX_LABEL) > room) chars--;
  return chars <= 0 ? 0 : Math.floor((chars * 5) / 8);
}

/**
 * The query name carrying `data[off, off+len)` the way DNS tunnels do: the bytes as lower-case
 * base32 (RFC 4648 §6, no padding), cut into labels of at most 63 characters, followed by `suffix`.
 * @returns the name, or '' when the data does not fit (`len` > `tunnelNameCapacity(suffix)`).
 */
export function tunnelName(data: Uint8Array, off: number, len: number, suffix: string): string {
  if (len <= 0 || len > tunnelNameCapacity(suffix)) return '';
  let b32 = '';
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < len; i++) {
    acc = ((acc << 8) | data[off + i]) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      b32 += BASE32[(acc >>> bits) & 31];
    }
  }
  if (bits > 0) b32 += BASE32[(acc << (5 - bits)) & 31];
  let out = b32.slice(0, DNS_MAX_LABEL);
  for (let p = DNS_MAX_LABEL; p < b32.length; p += DNS_MAX_LABEL) out += `.${b32.slice(p, p + DNS_MAX_LABEL)}`;
  return `${out}.${suffix}`;
}
