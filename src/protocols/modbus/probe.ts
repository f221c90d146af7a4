import type { ProbeVerdict } from '../../session/analyzer.js';
import { parseHeader } from './grammar.js';
import { isPublicFunction } from './names.js';

/**
 * True when `fc` can start a message of this direction: any code but 0x00 / 0x80, and no exception
 * bit from the originator (exceptions are responses only, Modbus Application Protocol V1.1b3 §7).
 */
function plausibleFunction(fc: number, isOrig: boolean): boolean {
  if (fc === 0x00 || fc === 0x80) return false;
  return isOrig ? fc < 0x80 : true;
}

/** A public function code (V1.1b3 §5.1), or from the responder an exception of one (§7). */
function publicFunction(fc: number, isOrig: boolean): boolean {
  if (fc >= 0x80) return !isOrig && isPublicFunction(fc & 0x7f);
  return isPublicFunction(fc);
}

/**
 * Content check of a flow's first payload bytes for Modbus/TCP (Modbus Messaging on TCP/IP
 * Implementation Guide V1.0b §3.1.3): protocol id 0, length 2..254, a plausible function code.
 * - On the well-known port (502) that sane header suffices.
 * - Elsewhere the function code must be public (or, from the responder, an exception of a public
 *   one) and the ADU must end exactly where the bytes end or be followed by another such header;
 *   fewer bytes than that answer `maybe`.
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
  if (!plausibleFunction(fc, isOrig)) return 'no';
  if (onWellKnownPort) return 'yes';
  if (!publicFunction(fc, isOrig)) return 'no';
  const next = first.aduLength;
  if (next === end) return 'yes';
  if (next > end) return 'maybe';
  const second = parseHeader(data, next, end);
  if (second.kind === 'malformed') return 'no';
  if (second.kind === 'incomplete') return 'maybe';
  return publicFunction(second.header.fc, isOrig) ? 'yes' : 'no';
}
