/**
 * HTTP/1.x message grammar (RFC 9112): pure functions over `b[start, end)` byte ranges of a view.
 * They allocate only the strings they return (per message, never per packet) and never throw.
 */

const SP = 0x20;
const HTAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;
const COLON = 0x3a;

/** RFC 9110 §5.6.2 `tchar`: the bytes allowed in a token (methods, field names). */
const TCHAR = new Uint8Array(256);
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;
for (const ch of "!#$%&'*+-.^_`|~") TCHAR[ch.charCodeAt(0)] = 1;

/** Methods the probe accepts at a flow's first bytes (RFC 9110 §9, RFC 5789 PATCH, WebDAV RFC 4918). */
export const KNOWN_METHODS: readonly string[] = Object.freeze([
  'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH',
  'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'REPORT',
]);

/** Bytes of each known method, for prefix checks without building strings. */
const METHOD_BYTES: readonly Uint8Array[] = KNOWN_METHODS.map((m) => Uint8Array.from(m, (c) => c.charCodeAt(0)));

/** Index of the first LF in `b[start, end)`, or -1. */
export function findLf(b: Uint8Array, start: number, end: number): number {
  const i = b.indexOf(LF, start);
  return i < 0 || i >= end ? -1 : i;
}

/** End of a line's content: `lf` less a CR before it (RFC 9112 §2.2 accepts a bare LF). */
export function lineContentEnd(b: Uint8Array, start: number, lf: number): number {
  return lf > start && b[lf - 1] === CR ? lf - 1 : lf;
}

/** Latin-1 text of `b[start, end)` cut at `max` characters (RFC 9110 §5.5: field values are octets). */
export function latin1(b: Uint8Array, start: number, end: number, max: number): string {
  const stop = Math.min(end, start + max);
  return stop > start ? Buffer.from(b.buffer, b.byteOffset + start, stop - start).toString('latin1') : '';
}

/** Is `b[p, p+8)` "HTTP/1.0" or "HTTP/1.1" (RFC 9112 §2.3 HTTP-version, major version 1)? */
function isHttp1Version(b: Uint8Array, p: number, end: number): boolean {
  return (
    p + 8 <= end &&
    b[p] === 0x48 && b[p + 1] === 0x54 && b[p + 2] === 0x54 && b[p + 3] === 0x50 &&
    b[p + 4] === 0x2f && b[p + 5] === 0x31 && b[p + 6] === 0x2e && (b[p + 7] === 0x30 || b[p + 7] === 0x31)
  );
}

/** A parsed request line (RFC 9112 §3: method SP request-target SP HTTP-version). */
export interface RequestLine {
  readonly method: string;
  readonly target: string;
  /** "1.0" or "1.1". */
  readonly version: string;
}

/** A parsed status line (RFC 9112 §4: HTTP-version SP status-code SP [reason-phrase]). */
export interface StatusLine {
  readonly version: string;
  /** Three-digit status code, 100–999. */
  readonly code: number;
  readonly reason: string;
}

/**
 * Parse a request line `b[start, end)` (CRLF excluded). Null when it is not `token SP target SP
 * HTTP/1.0|1.1` with a target free of spaces and controls. Strings are cut at `maxChars`.
 */
export function parseRequestLine(b: Uint8Array, start: number, end: number, maxChars: number): RequestLine | null {
  let p = start;
  while (p < end && TCHAR[b[p]] === 1) p++;
  if (p === start || p >= end || b[p] !== SP) return null;
  const mEnd = p;
  const tStart = ++p;
  while (p < end && b[p] > SP && b[p] !== 0x7f) p++;
  if (p === tStart || p >= end || b[p] !== SP) return null;
  const tEnd = p;
  p++;
  if (end - p !== 8 || !isHttp1Version(b, p, end)) return null;
  return {
    method: latin1(b, start, mEnd, maxChars),
    target: latin1(b, tStart, tEnd, maxChars),
    version: b[p + 7] === 0x31 ? '1.1' : '1.0',
  };
}

/** Parse a status line `b[start, end)` (CRLF excluded); null when it is not one. Reason cut at `maxChars`. */
export function parseStatusLine(b: Uint8Array, start: number, end: number, maxChars: number): StatusLine | null {
  if (end - start < 12 || !isHttp1Version(b, start, end) || b[start + 8] !== SP) return null;
  const d0 = b[start + 9] - 0x30;
  const d1 = b[start + 10] - 0x30;
  const d2 = b[start + 11] - 0x30;
  if (d0 < 1 || d0 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return null;
  if (end > start + 12 && b[start + 12] !== SP) return null;
  return {
    version: b[start + 7] === 0x31 ? '1.1' : '1.0',
    code: d0 * 100 + d1 * 10 + d2,
    reason: end > start + 13 ? latin1(b, start + 13, end, maxChars) : '',
  };
}

/** Does `b[start, end)` begin like a status line ("HTTP/1.")? Used to resynchronise and to probe. */
export function looksLikeStatusLine(b: Uint8Array, start: number, end: number): boolean {
  return end - start >= 12 && isHttp1Version(b, start, end) && b[start + 8] === SP;
}

/**
 * Does `b[start, end)` start with a known method and a space (KNOWN_METHODS)? Returns 1 for yes,
 * 0 when the bytes so far are a prefix of one (need more), -1 for no.
 */
export function knownMethodPrefix(b: Uint8Array, start: number, end: number): number {
  let partial = false;
  for (let k = 0; k < METHOD_BYTES.length; k++) {
    const m = METHOD_BYTES[k];
    const n = Math.min(m.length + 1, end - start);
    let i = 0;
    while (i < n && i < m.length && b[start + i] === m[i]) i++;
    if (i < m.length) {
      if (i === n) partial = true;
      continue;
    }
    if (n === m.length) partial = true;
    else if (b[start + m.length] === SP) return 1;
  }
  return partial ? 0 : -1;
}

/** One header field line split at its colon (RFC 9112 §5: field-name ":" OWS field-value OWS). */
export interface HeaderSplit {
  /** Offset of the colon, or -1 when the line is no field line (no colon, empty or non-token name). */
  colon: number;
  /** Field value, leading and trailing whitespace excluded: `[valueStart, valueEnd)`. */
  valueStart: number;
  valueEnd: number;
}

/** Split a field line `b[start, end)` into `out` (reused by the caller; nothing is allocated). */
export function splitHeader(b: Uint8Array, start: number, end: number, out: HeaderSplit): void {
  let p = start;
  while (p < end && TCHAR[b[p]] === 1) p++;
  if (p === start || p >= end || b[p] !== COLON) {
    out.colon = -1;
    return;
  }
  out.colon = p;
  let v = p + 1;
  while (v < end && (b[v] === SP || b[v] === HTAB)) v++;
  let e = end;
  while (e > v && (b[e - 1] === SP || b[e - 1] === HTAB)) e--;
  out.valueStart = v;
  out.valueEnd = e;
}

/** Does the field name `b[start, start+name.length)` equal `lower` (ASCII lower case) case-insensitively? */
export function nameIs(b: Uint8Array, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) if ((b[start + i] | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

/**
 * Content-Length value (RFC 9112 §6.3, RFC 9110 §8.6: 1*DIGIT; a list of identical values is
 * accepted). Returns the length in bytes, or -1 when it is not a valid non-negative integer below 2^53.
 */
export function parseContentLength(b: Uint8Array, start: number, end: number): number {
  let n = -1;
  let cur = -1;
  for (let i = start; i <= end; i++) {
    const c = i < end ? b[i] : 0x2c;
    if (c >= 0x30 && c <= 0x39) {
      cur = (cur < 0 ? 0 : cur) * 10 + (c - 0x30);
      if (cur > Number.MAX_SAFE_INTEGER) return -1;
    } else if (c === 0x2c) {
      if (cur < 0 || (n >= 0 && n !== cur)) return -1;
      n = cur;
      cur = -1;
    } else if (c !== SP && c !== HTAB) {
      return -1;
    }
  }
  return n;
}

/** Does a Transfer-Encoding value end with the `chunked` coding (RFC 9112 §6.1: chunked must be final)? */
export function endsWithChunked(b: Uint8Array, start: number, end: number): boolean {
  let e = end;
  while (e > start && (b[e - 1] === SP || b[e - 1] === HTAB)) e--;
  return e - start >= 7 && nameIs(b, e - 7, e, 'chunked') && (e - 7 === start || b[e - 8] === 0x2c || b[e - 8] === SP || b[e - 8] === HTAB);
}

/**
 * The chunk-size of a chunk line `b[start, end)` (RFC 9112 §7.1: 1*HEXDIG [chunk-ext]). Returns the
 * size in bytes, or -1 when the line starts with no hex digit or the size passes 2^48.
 */
export function parseChunkSize(b: Uint8Array, start: number, end: number): number {
  let n = 0;
  let p = start;
  while (p < end) {
    const c = b[p];
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (d < 0) break;
    n = n * 16 + d;
    if (n > 2 ** 48) return -1;
    p++;
  }
  if (p === start) return -1;
  while (p < end && (b[p] === SP || b[p] === HTAB)) p++;
  return p === end || b[p] === 0x3b ? n : -1;
}

/** The media type of a Content-Type value, lower case, parameters dropped (RFC 9110 §8.3.1), cut at `max`. */
export function mediaType(b: Uint8Array, start: number, end: number, max: number): string {
  let e = start;
  while (e < end && b[e] !== 0x3b) e++;
  while (e > start && (b[e - 1] === SP || b[e - 1] === HTAB)) e--;
  return latin1(b, start, e, max).toLowerCase();
}
