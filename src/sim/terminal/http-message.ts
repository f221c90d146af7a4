/**
 * HTTP/1.1 messages of the twin's TOS link (RFC 9112 message syntax, RFC 9110 semantics): a JSON
 * POST or a GET from a crane system and the TOS's answer, as bytes. Built once per exchange (a few a minute per
 * crane), never per packet.
 */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** IMF-fixdate of `ts` seconds since the epoch (RFC 9110 §5.6.7), e.g. "Fri, 14 Mar 2025 08:00:00 GMT". */
export function imfDate(ts: number): string {
  const d = new Date(Math.floor(ts) * 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} GMT`;
}

/** ISO 8601 UTC time with milliseconds of `ts` seconds since the epoch ("2025-03-14T08:00:00.123Z"). */
export function isoTime(ts: number): string {
  return new Date(Math.round(ts * 1000)).toISOString();
}

/** What a POST carries. */
export interface HttpPost {
  /** Host header value (`name:port`). */
  host: string;
  /** Request target, origin-form ("/api/v1/moves/job-done"). */
  path: string;
  userAgent: string;
  /** Body text (UTF-8). */
  body: string;
  /** Media type of the body; default application/json. */
  contentType?: string;
  /** More header fields, written after User-Agent in the given order. */
  headers?: ReadonlyArray<readonly [string, string]>;
}

/**
 * The request bytes: request line, Host, User-Agent, the extra headers, Accept, Content-Type,
 * Content-Length (bytes of the UTF-8 body), Connection: close, blank line, body.
 */
export function encodePost(p: HttpPost): Uint8Array {
  const body = Buffer.from(p.body, 'utf8');
  let head = `POST ${p.path} HTTP/1.1\r\nHost: ${p.host}\r\nUser-Agent: ${p.userAgent}\r\n`;
  for (const [name, value] of p.headers ?? []) head += `${name}: ${value}\r\n`;
  head +=
    `Accept: ${p.contentType === undefined ? 'application/json' : '*/*'}\r\n` +
    `Content-Type: ${p.contentType ?? 'application/json'}\r\n` +
    `Content-Length: ${body.length}\r\n` +
    'Connection: close\r\n\r\n';
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/**
 * A GET request's bytes: request line with `path` (origin-form, query included), Host, User-Agent,
 * Accept: application/json, Connection: close, blank line (RFC 9112 §3, §9.6).
 */
export function encodeGet(host: string, path: string, userAgent: string): Uint8Array {
  return Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: ${userAgent}\r\nAccept: application/json\r\nConnection: close\r\n\r\n`, 'latin1');
}

/** `200 OK` with a JSON body: Date (IMF-fixdate of `ts`), Server, Content-Type, Content-Length, Connection: close. */
export function encodeOkJson(ts: number, json: string): Uint8Array {
  const body = Buffer.from(json, 'utf8');
  const head =
    'HTTP/1.1 200 OK\r\n' +
    `Date: ${imfDate(ts)}\r\n` +
    'Server: nginx\r\n' +
    'Content-Type: application/json\r\n' +
    `Content-Length: ${body.length}\r\n` +
    'Connection: close\r\n\r\n';
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** `200 OK` with no body (Date, Server, Content-Length: 0, Connection: close): an AS2 receipt without MDN. */
export function encodeOk(ts: number): Uint8Array {
  return Buffer.from(`HTTP/1.1 200 OK\r\nDate: ${imfDate(ts)}\r\nServer: AS2-Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`, 'latin1');
}

/**
 * The TOS's answer: `201 Created` with Date (IMF-fixdate of `ts`), Server, Content-Type, Content-Length,
 * Location of the created record and Connection: close, and a short JSON body.
 */
export function encodeCreated(ts: number, location: string, json: string): Uint8Array {
  const body = Buffer.from(json, 'utf8');
  const head =
    'HTTP/1.1 201 Created\r\n' +
    `Date: ${imfDate(ts)}\r\n` +
    'Server: nginx\r\n' +
    'Content-Type: application/json\r\n' +
    `Content-Length: ${body.length}\r\n` +
    `Location: ${location}\r\n` +
    'Connection: close\r\n\r\n';
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}
