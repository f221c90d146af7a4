import type { ProbeVerdict } from '../../session/analyzer.js';
import { findLf, knownMethodPrefix, lineContentEnd, looksLikeStatusLine, parseRequestLine, parseStatusLine } from './grammar.js';

/** Well-known HTTP server ports (RFC 9110 §4.2.1 port 80; 8080, 8000 and 8008 as Zeek's HTTP analyzer lists them). */
export const HTTP_PORTS: readonly number[] = Object.freeze([80, 8000, 8008, 8080, 3128, 81]);

/** Bytes of a first line the probe waits for before judging a known-method prefix by itself. */
const PROBE_LINE_BYTES = 512;

/**
 * Content check of a TCP flow's first bytes for HTTP/1.x (RFC 9112 §2.1 start-line), on any port:
 * `yes` when they start with a whole request line (`method SP target SP HTTP/1.0|1.1`) or status
 * line (`HTTP/1.x SP 3DIGIT`), or with a known method and a space and PROBE_LINE_BYTES without a line
 * end; `maybe` while the first line is incomplete and still a prefix of one; `no` otherwise. A
 * mid-message start is found at a later segment (the session offers each segment alone).
 * @param data first in-order bytes of one side (a view; not kept)
 */
export function probeHttp(data: Uint8Array, _isOrig: boolean, _onWellKnownPort: boolean): ProbeVerdict {
  const end = data.length;
  const lf = findLf(data, 0, end);
  if (lf >= 0) {
    const e = lineContentEnd(data, 0, lf);
    if (parseRequestLine(data, 0, e, 16) !== null || parseStatusLine(data, 0, e, 16) !== null) return 'yes';
    return 'no';
  }
  if (looksLikeStatusLine(data, 0, end)) return 'maybe';
  const m = knownMethodPrefix(data, 0, end);
  if (m < 0) return statusPrefix(data, end) ? 'maybe' : 'no';
  if (m === 1 && end >= PROBE_LINE_BYTES) return 'yes';
  return 'maybe';
}

/** Are the bytes so far a prefix of "HTTP/1.x "? */
function statusPrefix(b: Uint8Array, end: number): boolean {
  const want = 'HTTP/1.';
  const n = Math.min(end, want.length);
  for (let i = 0; i < n; i++) if (b[i] !== want.charCodeAt(i)) return false;
  return end < 12;
}
