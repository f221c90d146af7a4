/**
 * Pure parsing of the TLS record layer and the clear-text handshake messages a passive monitor sees
 * (RFC 5246 §6.2, §7.4; RFC 8446 §4, §5.1; RFC 6101 App. E.2 for the SSL 2.0-compatible ClientHello).
 * Functions read a byte range [off, end) of a view by hand and return a value, or null when the bytes
 * are malformed; they never throw and keep no reference to the view (strings and arrays are copies).
 */

import { zeekEscape } from '../zeek-escape.js';

/** Record content types (RFC 8446 §5.1; RFC 6520 heartbeat). */
export const ContentType = { CHANGE_CIPHER_SPEC: 20, ALERT: 21, HANDSHAKE: 22, APPLICATION_DATA: 23, HEARTBEAT: 24 } as const;

/** Handshake message types the analyzer interprets (RFC 8446 §4, RFC 5246 §7.4). */
export const HandshakeType = { CLIENT_HELLO: 1, SERVER_HELLO: 2, CERTIFICATE: 11, SERVER_KEY_EXCHANGE: 12, CLIENT_KEY_EXCHANGE: 16 } as const;

/** Extension numbers the analyzer reads (IANA TLS ExtensionType registry). */
export const Ext = {
  SERVER_NAME: 0,
  SUPPORTED_GROUPS: 10,
  EC_POINT_FORMATS: 11,
  SIGNATURE_ALGORITHMS: 13,
  ALPN: 16,
  SESSION_TICKET: 35,
  PRE_SHARED_KEY: 41,
  SUPPORTED_VERSIONS: 43,
  KEY_SHARE: 51,
} as const;

/** Bytes of a record header: type(1) version(2) length(2) (RFC 5246 §6.2.1). */
export const RECORD_HEADER_BYTES = 5;
/** Largest record fragment: 2^14 plaintext + 2048 expansion (RFC 5246 §6.2.3 TLSCiphertext). */
export const MAX_RECORD_BYTES = 16_384 + 2_048;
/** Bytes of a handshake message header: msg_type(1) length(3) (RFC 8446 §4). */
export const HANDSHAKE_HEADER_BYTES = 4;

/** ServerHello.random of a HelloRetryRequest: SHA-256("HelloRetryRequest") (RFC 8446 §4.1.3). */
const HRR_RANDOM = [
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07,
  0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

/**
 * True for a plausible record header at `off` (5 bytes available): a content type 20–24, major version 3
 * with minor 0–4 (SSL 3.0 … TLS 1.3 legacy_record_version), and a length of `minLen`…MAX_RECORD_BYTES
 * (0 is legal for application data, RFC 5246 §6.2.1; resync asks for 1 to skip zero runs).
 */
export function isRecordHeader(b: Uint8Array, off: number, minLen: number): boolean {
  const t = b[off];
  if (t < ContentType.CHANGE_CIPHER_SPEC || t > ContentType.HEARTBEAT) return false;
  if (b[off + 1] !== 3 || b[off + 2] > 4) return false;
  const len = (b[off + 3] << 8) | b[off + 4];
  return len >= minLen && len <= MAX_RECORD_BYTES;
}

/** True for a GREASE value (RFC 8701 §2: 0x?A?A with equal bytes). */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && v >>> 8 === (v & 0xff);
}

/** Log text of `b[off, off+len)` escaped as Zeek writes raw string bytes (../zeek-escape.ts), cut at `max` characters. */
export function wireText(b: Uint8Array, off: number, len: number, max: number): string {
  return zeekEscape(b, off, off + len, max).text;
}

/** Lower-case hex of `b[off, off+len)`. */
function hex(b: Uint8Array, off: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += (b[off + i] < 16 ? '0' : '') + b[off + i].toString(16);
  return s;
}

/** What a ClientHello says (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2), in wire order where order matters. */
export interface ClientHello {
  /** legacy_version / client_version (0x0303 for TLS 1.2 and 1.3). */
  version: number;
  /** Session id as lower-case hex ('' when empty). */
  sessionId: string;
  /** Cipher suites as offered (GREASE included); at most `maxVector` kept. */
  ciphers: number[];
  /** Extension types in order (GREASE included). */
  extensions: number[];
  /** supported_groups (RFC 8446 §4.2.7). */
  groups: number[];
  /** ec_point_formats (RFC 8422 §5.1.2). */
  pointFormats: number[];
  /** signature_algorithms in order (RFC 8446 §4.2.3). */
  sigAlgs: number[];
  /** supported_versions (RFC 8446 §4.2.1). */
  versions: number[];
  /** ALPN protocol names offered (RFC 7301 §3.1), escaped as Zeek writes raw bytes, each cut at the string limit. */
  alpn: string[];
  /** First and last byte of the first ALPN name as sent (JA4's ALPN code reads the raw bytes), -1 when there is none or it is empty. */
  alpnFirstByte: number;
  alpnLastByte: number;
  /** First host_name of server_name (RFC 6066 §3) escaped as Zeek writes raw bytes, or null. */
  serverName: string | null;
  /** A session_ticket extension with a non-empty ticket (RFC 5077 §3.2). */
  ticket: boolean;
  /** A pre_shared_key extension (RFC 8446 §4.2.11). */
  psk: boolean;
  /** Came as an SSL 2.0-compatible CLIENT-HELLO (RFC 6101 App. E.2): no extensions, record version 0. */
  sslv2: boolean;
}

/** What a ServerHello says (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3). */
export interface ServerHello {
  /** legacy_version / server_version. */
  version: number;
  /** supported_versions selected_version, or -1. */
  selectedVersion: number;
  /** A HelloRetryRequest (random = SHA-256("HelloRetryRequest")). */
  retry: boolean;
  /** Session id as lower-case hex ('' when empty). */
  sessionId: string;
  cipher: number;
  /** Extension types in order. */
  extensions: number[];
  /** key_share group (or HRR selected_group), or -1 (RFC 8446 §4.2.8). */
  keyShareGroup: number;
  /** The first ALPN protocol the server selected (RFC 7301 §3.1) escaped as Zeek writes raw bytes, or null. */
  alpn: string | null;
  /** A pre_shared_key extension: the server accepted a PSK (RFC 8446 §4.2.11). */
  psk: boolean;
}

/** Read a list of u16 values (`n` bytes at `off`) into `out`, at most `max` kept. */
function u16List(b: Uint8Array, off: number, n: number, out: number[], max: number): void {
  for (let i = 0; i + 1 < n && out.length < max; i += 2) out.push((b[off + i] << 8) | b[off + i + 1]);
}

/** ProtocolNameList (RFC 7301 §3.1) at [off, end): names appended to `out` (at most `maxVector`); false when malformed. */
function alpnList(b: Uint8Array, off: number, end: number, out: string[], maxString: number, maxVector: number): boolean {
  if (end - off < 2) return false;
  const listEnd = off + 2 + ((b[off] << 8) | b[off + 1]);
  if (listEnd > end) return false;
  let p = off + 2;
  while (p < listEnd) {
    const len = b[p];
    if (p + 1 + len > listEnd) return false;
    if (out.length < maxVector) out.push(wireText(b, p + 1, len, maxString));
    p += 1 + len;
  }
  return true;
}

/**
 * A ClientHello body (after the 4-byte handshake header) at [off, end). Null when a length runs past
 * `end` or the version's major byte is not 3. Lists keep at most `maxVector` entries, strings `maxString` characters.
 */
export function parseClientHello(b: Uint8Array, off: number, end: number, maxString: number, maxVector: number): ClientHello | null {
  if (end - off < 2 + 32 + 1) return null;
  const version = (b[off] << 8) | b[off + 1];
  if (b[off] !== 3) return null;
  let p = off + 34;
  const sidLen = b[p];
  if (sidLen > 32 || p + 1 + sidLen + 2 > end) return null;
  const sessionId = hex(b, p + 1, sidLen);
  p += 1 + sidLen;
  const csLen = (b[p] << 8) | b[p + 1];
  p += 2;
  if ((csLen & 1) !== 0 || p + csLen + 1 > end) return null;
  const ch: ClientHello = {
    version,
    sessionId,
    ciphers: [],
    extensions: [],
    groups: [],
    pointFormats: [],
    sigAlgs: [],
    versions: [],
    alpn: [],
    alpnFirstByte: -1,
    alpnLastByte: -1,
    serverName: null,
    ticket: false,
    psk: false,
    sslv2: false,
  };
  u16List(b, p, csLen, ch.ciphers, maxVector);
  p += csLen;
  const compLen = b[p];
  p += 1 + compLen;
  if (p > end) return null;
  if (p === end) return ch; // no extensions (RFC 5246 §7.4.1.2)
  if (p + 2 > end) return null;
  const extEnd = p + 2 + ((b[p] << 8) | b[p + 1]);
  if (extEnd > end) return null;
  p += 2;
  while (p < extEnd) {
    if (p + 4 > extEnd) return null;
    const type = (b[p] << 8) | b[p + 1];
    const len = (b[p + 2] << 8) | b[p + 3];
    const d = p + 4;
    const e = d + len;
    if (e > extEnd) return null;
    if (ch.extensions.length < maxVector) ch.extensions.push(type);
    switch (type) {
      case Ext.SERVER_NAME:
        if (ch.serverName === null && len >= 5 && b[d + 2] === 0) {
          const nameLen = (b[d + 3] << 8) | b[d + 4];
          if (d + 5 + nameLen > e) return null;
          ch.serverName = wireText(b, d + 5, nameLen, maxString);
        }
        break;
      case Ext.SUPPORTED_GROUPS:
        if (len >= 2) u16List(b, d + 2, Math.min((b[d] << 8) | b[d + 1], len - 2), ch.groups, maxVector);
        break;
      case Ext.EC_POINT_FORMATS:
        for (let i = 0; len >= 1 && i < b[d] && i + 1 < len && ch.pointFormats.length < maxVector; i++) ch.pointFormats.push(b[d + 1 + i]);
        break;
      case Ext.SIGNATURE_ALGORITHMS:
        if (len >= 2) u16List(b, d + 2, Math.min((b[d] << 8) | b[d + 1], len - 2), ch.sigAlgs, maxVector);
        break;
      case Ext.ALPN: {
        const first = ch.alpn.length === 0;
        if (!alpnList(b, d, e, ch.alpn, maxString, maxVector)) return null;
        if (first && ch.alpn.length > 0 && b[d + 2] > 0) {
          ch.alpnFirstByte = b[d + 3];
          ch.alpnLastByte = b[d + 2 + b[d + 2]];
        }
        break;
      }
      case Ext.SESSION_TICKET:
        ch.ticket = len > 0;
        break;
      case Ext.PRE_SHARED_KEY:
        ch.psk = true;
        break;
      case Ext.SUPPORTED_VERSIONS:
        if (len >= 1) u16List(b, d + 1, Math.min(b[d], len - 1), ch.versions, maxVector);
        break;
    }
    p = e;
  }
  return ch;
}

/**
 * An SSL 2.0-compatible CLIENT-HELLO record (RFC 6101 App. E.2; RFC 5246 App. E.2) at [off, end), starting
 * with its 2-byte header (high bit set). Cipher specs whose first byte is 0 are the TLS suites; the others
 * (SSL 2.0 kinds) are kept as 24-bit numbers. Null when the lengths do not add up.
 */
export function parseSslv2ClientHello(b: Uint8Array, off: number, end: number, maxVector: number): ClientHello | null {
  if (end - off < 11 || (b[off] & 0x80) === 0 || b[off + 2] !== 1) return null;
  const recLen = ((b[off] & 0x7f) << 8) | b[off + 1];
  const csLen = (b[off + 5] << 8) | b[off + 6];
  const sidLen = (b[off + 7] << 8) | b[off + 8];
  const chLen = (b[off + 9] << 8) | b[off + 10];
  if (csLen % 3 !== 0 || 9 + csLen + sidLen + chLen !== recLen || off + 2 + recLen > end) return null;
  const ch: ClientHello = {
    version: (b[off + 3] << 8) | b[off + 4],
    sessionId: hex(b, off + 11 + csLen, sidLen),
    ciphers: [],
    extensions: [],
    groups: [],
    pointFormats: [],
    sigAlgs: [],
    versions: [],
    alpn: [],
    alpnFirstByte: -1,
    alpnLastByte: -1,
    serverName: null,
    ticket: false,
    psk: false,
    sslv2: true,
  };
  for (let p = off + 11; p < off + 11 + csLen && ch.ciphers.length < maxVector; p += 3) ch.ciphers.push((b[p] << 16) | (b[p + 1] << 8) | b[p + 2]);
  return ch;
}

/** A ServerHello body at [off, end). Null when a length runs past `end` or the major version is not 3. */
export function parseServerHello(b: Uint8Array, off: number, end: number, maxString: number, maxVector: number): ServerHello | null {
  if (end - off < 2 + 32 + 1 || b[off] !== 3) return null;
  let retry = true;
  for (let i = 0; i < 32; i++) {
    if (b[off + 2 + i] !== HRR_RANDOM[i]) {
      retry = false;
      break;
    }
  }
  let p = off + 34;
  const sidLen = b[p];
  if (sidLen > 32 || p + 1 + sidLen + 3 > end) return null;
  const sh: ServerHello = {
    version: (b[off] << 8) | b[off + 1],
    selectedVersion: -1,
    retry,
    sessionId: hex(b, p + 1, sidLen),
    cipher: (b[p + 1 + sidLen] << 8) | b[p + 2 + sidLen],
    extensions: [],
    keyShareGroup: -1,
    alpn: null,
    psk: false,
  };
  p += 1 + sidLen + 3; // session id, cipher_suite, compression_method
  if (p === end) return sh;
  if (p + 2 > end) return null;
  const extEnd = p + 2 + ((b[p] << 8) | b[p + 1]);
  if (extEnd > end) return null;
  p += 2;
  while (p < extEnd) {
    if (p + 4 > extEnd) return null;
    const type = (b[p] << 8) | b[p + 1];
    const len = (b[p + 2] << 8) | b[p + 3];
    const d = p + 4;
    const e = d + len;
    if (e > extEnd) return null;
    if (sh.extensions.length < maxVector) sh.extensions.push(type);
    if (type === Ext.SUPPORTED_VERSIONS && len === 2) sh.selectedVersion = (b[d] << 8) | b[d + 1];
    else if (type === Ext.KEY_SHARE && len >= 2) sh.keyShareGroup = (b[d] << 8) | b[d + 1];
    else if (type === Ext.PRE_SHARED_KEY) sh.psk = true;
    else if (type === Ext.ALPN) {
      const names: string[] = [];
      if (!alpnList(b, d, e, names, maxString, 1)) return null;
      if (names.length > 0) sh.alpn = names[0];
    }
    p = e;
  }
  return sh;
}

/**
 * The leaf (first) certificate of a TLS ≤ 1.2 Certificate body (RFC 5246 §7.4.2: certificate_list<0..2^24-1>
 * of ASN.1Cert<1..2^24-1>) at [off, end): its DER bytes as [start, end) offsets in `b`, or null when
 * malformed; `[-1, -1]` when the list is empty.
 */
export function leafCertificate(b: Uint8Array, off: number, end: number): readonly [number, number] | null {
  if (end - off < 3) return null;
  const listLen = (b[off] << 16) | (b[off + 1] << 8) | b[off + 2];
  if (off + 3 + listLen > end) return null;
  if (listLen === 0) return [-1, -1];
  if (listLen < 3) return null;
  const certLen = (b[off + 3] << 16) | (b[off + 4] << 8) | b[off + 5];
  const start = off + 6;
  if (certLen === 0 || start + certLen > off + 3 + listLen) return null;
  return [start, start + certLen];
}

/**
 * The named curve of a ServerKeyExchange holding ServerECDHParams (RFC 8422 §5.4: ECParameters with
 * curve_type named_curve(3) then NamedCurve), or -1 when the parameters are not a named curve.
 */
export function ecdheNamedCurve(b: Uint8Array, off: number, end: number): number {
  if (end - off < 3 || b[off] !== 3) return -1;
  return (b[off + 1] << 8) | b[off + 2];
}
