import type { ProbeVerdict } from '../../session/analyzer.js';
import { DNS_HEADER_BYTES, parseDnsHeader, parseDnsMessage } from './grammar.js';
import { knownOpcode } from './names.js';

/**
 * Ports where DNS-format messages are expected, as Zeek's DNS analyzer registers them: 53 (RFC 1035
 * §4.2), 137 NetBIOS Name Service (RFC 1002 §4.2), 5353 mDNS (RFC 6762), 5355 LLMNR (RFC 4795).
 */
export const DNS_PORTS: readonly number[] = Object.freeze([53, 137, 5353, 5355]);

/**
 * Is `b[start, end)` a plausible whole DNS message? A sane header (RFC 1035 §4.1.1): a known
 * OPCODE (0, 1, 2, 4, 5), QDCOUNT 1 (any count on a well-known port: mDNS asks several questions
 * and answers with none), RCODE ≤ 10 and a query without answers (except on a well-known port);
 * then every section parses and ends exactly at `end`.
 */
function wholeMessage(b: Uint8Array, start: number, end: number, onWellKnownPort: boolean): boolean {
  const h = parseDnsHeader(b, start, end);
  if (h === null || !saneHeader(h.opcode, h.qdcount, h.rcode, h.qr, h.ancount, onWellKnownPort)) return false;
  const r = parseDnsMessage(b, start, end, 0, 0);
  return r.kind === 'ok' && r.weird === null;
}

function saneHeader(opcode: number, qdcount: number, rcode: number, qr: boolean, ancount: number, onWellKnownPort: boolean): boolean {
  if (!knownOpcode(opcode) || rcode > 10) return false;
  if (qdcount !== 1 && !onWellKnownPort) return false;
  return qr || ancount === 0 || opcode !== 0 || onWellKnownPort;
}

/**
 * Content check of a UDP flow's datagram for DNS (RFC 1035 §4.2.1: one message per datagram):
 * `yes` when it is a whole, well-formed message with a sane header (see `wholeMessage`), else `no`.
 * A well-known port (DNS_PORTS) only relaxes QDCOUNT and answers in a query.
 * @param data one datagram (a view; not kept)
 */
export function probeDnsUdp(data: Uint8Array, _isOrig: boolean, onWellKnownPort: boolean): ProbeVerdict {
  return wholeMessage(data, 0, data.length, onWellKnownPort) ? 'yes' : 'no';
}

/**
 * Content check of a TCP flow's first bytes for DNS (RFC 1035 §4.2.2: a two-byte length, then the
 * message): `maybe` while the length and header are incomplete, or while the message is incomplete
 * and its header is sane; `yes` when the first message is whole and well-formed (and, on the
 * well-known port, as soon as a sane header is in); `no` otherwise.
 * @param data first in-order bytes of one side (a view; not kept)
 */
export function probeDnsTcp(data: Uint8Array, _isOrig: boolean, onWellKnownPort: boolean): ProbeVerdict {
  const end = data.length;
  if (end < 2 + DNS_HEADER_BYTES) return 'maybe';
  const len = (data[0] << 8) | data[1];
  if (len < DNS_HEADER_BYTES) return 'no';
  const h = parseDnsHeader(data, 2, end);
  if (h === null || !saneHeader(h.opcode, h.qdcount, h.rcode, h.qr, h.ancount, onWellKnownPort)) return 'no';
  if (end < 2 + len) return onWellKnownPort ? 'yes' : 'maybe';
  return wholeMessage(data, 2, 2 + len, onWellKnownPort) ? 'yes' : 'no';
}
