import type { ProbeVerdict } from '../../session/analyzer.js';
import { parseHeader } from './grammar.js';
import { isPublicFunction } from './names.js';

/**
 * True when `fc` is an ordinary start of a message of this direction: any code but 0x00 / 0x80, and
 * no exception bit from the originator (exceptions are responses, Modbus Application Protocol V1.1b3 §7).
 */
function plausibleFunction(fc: number, isOrig: boolean): boolean {
  if (fc === 0x00 || fc === 0x80) return false;
  return isOrig ? fc < 0x80 : true;
}

/** A public function code (V1.1b3 §5.1), or an exception response of one (§7). */
function publicFunction(fc: number): boolean {
  return isPublicFunction(fc >= 0x80 ? fc & 0x7f : fc);
}

/**
 * Does the ADU that ends at `next` fit the bytes: end exactly where they end, or be followed by
 * another sane header (`maybe` when the bytes stop before either can be told)?
 */
function framed(data: Uint8Array, next: number, end: number, publicOnly: boolean): ProbeVerdict {
  if (next === end) return 'yes';
  if (next > end) return 'maybe';
  const second = parseHeader(data, next, end);
  if (second.kind === 'malformed') return 'no';
  if (second.kind === 'incomplete') return 'maybe';
  return !publicOnly || publicFunction(second.header.fc) ? 'yes' : 'no';
}

/**
 * Content check of a flow's first payload bytes for Modbus/TCP (Modbus Messaging on TCP/IP
 * Implementation Guide V1.0b §3.1.3): protocol id 0 and length 2..254 always, then
 * - on the well-known port (502): an ordinary function code suffices (any but 0x00 / 0x80, no
 *   exception bit from the originator); any other code — a function-code sweep starting at 0x00 and
 *   its 0x80 answers — is Modbus too when the ADU ends where the bytes end or is followed by
 *   another sane header (`maybe` when the bytes end inside it);
 * - elsewhere the function code must be public or an exception of a public one, from either side
 *   (a device that opens its connections from port 502 answers as the originator, and the probe
 *   is not told the originator's port), and the ADU must end exactly where the bytes end or be
 *   followed by another such header; fewer bytes than that answer `maybe`.
 * Bytes that cannot be an MBAP header (TLS records, DCE-RPC, HTTP, … all have a non-zero third and
 * fourth byte or an insane length) answer `no`.
 * @param data first payload bytes of one side (a view, ≥ 1 byte; not kept)
 * @param isOrig true when the originator sent them
 * @param onWellKnownPort true when the responder port is 502
 */
export function probeModbus(data: Uint8Array, isOrig: boolean, onWellKnownPort: boolean): ProbeVerdict {
  const end = data.length;
  const first = parseHeader(data, 0, end);
  if (first.kind === 'malformed') return 'no';
  if (first.kind === 'incomplete') return 'maybe';
  const fc = first.header.fc;
  if (onWellKnownPort) return plausibleFunction(fc, isOrig) ? 'yes' : framed(data, first.aduLength, end, false);
  if (!publicFunction(fc)) return 'no';
  return framed(data, first.aduLength, end, true);
}
