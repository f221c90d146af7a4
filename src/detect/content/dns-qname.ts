/** DNS header length, bytes (RFC 1035 §4.1.1). */
const HEADER = 12;
/** Most labels read from one QNAME (a 255-octet name has at most 127). */
export const MAX_QNAME_LABELS = 128;
/** Longest name on the wire, octets (RFC 1035 §3.1). */
const MAX_NAME = 255;

/**
 * The labels of the first question of a DNS query message (RFC 1035 §4.1.1 header: QR 0, OPCODE 0,
 * QDCOUNT ≥ 1; §4.1.2 QNAME as length-prefixed labels ending with the root label). Writes each
 * label's offset and length (within `msg`) into `starts` / `lens` (MAX_QNAME_LABELS long).
 * @returns the number of labels, or -1 for a response, another opcode, no question, a compression
 *   pointer or a label type other than 0 (§4.1.4), a name over 255 octets, or one cut short.
 */
export function readQueryName(msg: Uint8Array, starts: Int32Array, lens: Int32Array): number {
  if (msg.length < HEADER + 1) return -1;
  if ((msg[2] & 0xf8) !== 0) return -1;
  if (((msg[4] << 8) | msg[5]) === 0) return -1;
  let p = HEADER;
  let n = 0;
  let total = 1;
  for (;;) {
    if (p >= msg.length) return -1;
    const l = msg[p];
    if (l === 0) return n;
    if ((l & 0xc0) !== 0 || n >= MAX_QNAME_LABELS) return -1;
    total += l + 1;
    if (total > MAX_NAME || p + 1 + l > msg.length) return -1;
    starts[n] = p + 1;
    lens[n] = l;
    n++;
    p += 1 + l;
  }
}
