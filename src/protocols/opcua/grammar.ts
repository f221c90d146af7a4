/**
 * OPC UA binary grammar: pure parsing of UA Connection Protocol messages (OPC 10000-6 §7.1.2: HEL, ACK,
 * ERR, RHE) and Secure Conversation chunks (OPC 10000-6 §6.7.2: OPN, MSG, CLO with their security and
 * sequence headers), plus the built-in types (§5.2.2) and the Request/Response headers (OPC 10000-4
 * §7.32, §7.33) of SecurityPolicy None bodies. No throws: a short or bad field sets `Cursor.bad`.
 * All integers are little-endian (OPC 10000-6 §5.2.1).
 */

import { zeekEscape } from '../zeek-escape.js';

/** Bytes of the message header common to every chunk: MessageType[3], ChunkType, MessageSize (§7.1.2.2). */
export const CHUNK_HEADER_BYTES = 8;
/** Smallest chunk any message type may have (HEL/ACK bodies are larger; ERR is 16). */
export const MIN_CHUNK_BYTES = 16;
/** 100 ns ticks from 1601-01-01 (DateTime epoch, §5.2.2.5) to the Unix epoch, 116444736000000000, as 32-bit halves. */
const FILETIME_UNIX_HI = 0x019db1de;
const FILETIME_UNIX_LO = 0xd53e8000;

/** Message type codes: the three ASCII letters read as a little-endian 24-bit integer. */
export const MsgType = {
  HEL: 0x4c4548,
  ACK: 0x4b4341,
  ERR: 0x525245,
  RHE: 0x454852,
  OPN: 0x4e504f,
  MSG: 0x47534d,
  CLO: 0x4f4c43,
} as const;

/** Text of a known message type code, or null. */
export function msgTypeName(code: number): string | null {
  switch (code) {
    case MsgType.HEL:
      return 'HEL';
    case MsgType.ACK:
      return 'ACK';
    case MsgType.ERR:
      return 'ERR';
    case MsgType.RHE:
      return 'RHE';
    case MsgType.OPN:
      return 'OPN';
    case MsgType.MSG:
      return 'MSG';
    case MsgType.CLO:
      return 'CLO';
    default:
      return null;
  }
}

/**
 * Is `b[at..at+8)` a plausible chunk header (§7.1.2.2)? Known message type, chunk type 'F' (or 'C'/'A'
 * for OPN/MSG/CLO), size in [16, maxSize]. Used by the probe and to resynchronise after a gap.
 * @returns the chunk size in bytes, or -1 when not a header
 */
export function chunkHeaderSize(b: Uint8Array, at: number, maxSize: number): number {
  if (at + CHUNK_HEADER_BYTES > b.length) return -1;
  const code = b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
  const ct = b[at + 3];
  const secure = code === MsgType.OPN || code === MsgType.MSG || code === MsgType.CLO;
  if (!secure && code !== MsgType.HEL && code !== MsgType.ACK && code !== MsgType.ERR && code !== MsgType.RHE) return -1;
  if (ct !== 0x46 && !(secure && (ct === 0x43 || ct === 0x41))) return -1;
  const size = (b[at + 4] | (b[at + 5] << 8) | (b[at + 6] << 16) | (b[at + 7] << 24)) >>> 0;
  if (size < MIN_CHUNK_BYTES || size > maxSize) return -1;
  return size;
}

/**
 * A bounds-checked little-endian reader over one chunk. Reads past `end` return 0 / '' and set `bad`;
 * callers check `bad` once after a group of reads. Reused across chunks (`reset`), never thrown from.
 */
export class Cursor {
  b: Uint8Array = new Uint8Array(0);
  pos = 0;
  end = 0;
  bad = false;
  /** Characters kept of strings read (limits.maxStringLength). */
  maxString = 1024;
  /** Entries kept of arrays decoded into logs (limits.maxVectorLength). */
  maxVector = 2048;

  /** Point the cursor at `b[start, end)`. */
  reset(b: Uint8Array, start: number, end: number): void {
    this.b = b;
    this.pos = start;
    this.end = end;
    this.bad = false;
  }

  /** True when `n` more bytes are available; otherwise marks the cursor bad. */
  need(n: number): boolean {
    if (this.pos + n <= this.end) return true;
    this.bad = true;
    this.pos = this.end;
    return false;
  }

  u8(): number {
    if (!this.need(1)) return 0;
    return this.b[this.pos++];
  }

  u16(): number {
    if (!this.need(2)) return 0;
    const p = this.pos;
    this.pos = p + 2;
    return this.b[p] | (this.b[p + 1] << 8);
  }

  u32(): number {
    if (!this.need(4)) return 0;
    const p = this.pos;
    const b = this.b;
    this.pos = p + 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }

  i32(): number {
    return this.u32() | 0;
  }

  /** Double (IEEE 754 binary64, §5.2.2.3). */
  f64(): number {
    if (!this.need(8)) return 0;
    for (let i = 0; i < 8; i++) F64_BYTES[i] = this.b[this.pos + i];
    this.pos += 8;
    return F64[0];
  }

  /**
   * DateTime (§5.2.2.5: 100 ns ticks since 1601-01-01 UTC) as Unix seconds; null for 0 (the "not
   * specified" value). Computed from the two 32-bit halves minus the epoch offset, so the result keeps
   * sub-microsecond precision although the tick count itself exceeds 2^53.
   */
  dateTime(): number | null {
    const lo = this.u32();
    const hi = this.u32();
    if (lo === 0 && hi === 0) return null;
    return ((hi - FILETIME_UNIX_HI) * 4294967296 + (lo - FILETIME_UNIX_LO)) / 1e7;
  }

  /** Skip `n` bytes. */
  skip(n: number): void {
    if (n < 0 || !this.need(n)) return;
    this.pos += n;
  }

  /** Length of a String/ByteString (§5.2.2.4, §5.2.2.7): -1 is null; a length past the end marks bad. */
  private len(): number {
    const n = this.i32();
    if (n < -1) {
      this.bad = true;
      return -1;
    }
    if (n > 0 && this.pos + n > this.end) {
      this.bad = true;
      this.pos = this.end;
      return -1;
    }
    return n;
  }

  /**
   * String (§5.2.2.4) as log text: its bytes rendered as Zeek renders a raw string (zeek-escape.ts:
   * valid UTF-8 kept, control bytes, DEL, backslash and the bytes of invalid UTF-8 escaped), cut at
   * `maxString` characters; '' for null or empty.
   */
  string(): string {
    const n = this.len();
    if (n <= 0) return '';
    const p = this.pos;
    this.pos = p + n;
    return logText(this.b, p, p + n, this.maxString);
  }

  /** ByteString (§5.2.2.7) as log text, rendered like `string()` (ICSNPP logs it as a raw string); '' for null. */
  rawBytes(): string {
    return this.string();
  }

  /** Skip a ByteString (§5.2.2.7). @returns its length in bytes, 0 for null or empty (-1 and bad when it overruns) */
  byteStringLength(): number {
    const n = this.len();
    if (n <= 0) return n < 0 && this.bad ? -1 : 0;
    this.pos += n;
    return n;
  }

  /** ByteString as `0x` + hex of its first 24 bytes, `...` when longer (ICSNPP's certificate form); null for null/empty. */
  hexBytes(): { len: number; hex: string | null } {
    const n = this.len();
    if (n <= 0) return { len: n, hex: null };
    const p = this.pos;
    this.pos = p + n;
    return { len: n, hex: hexCapped(this.b, p, n) };
  }
}

const latin1Text = new TextDecoder('latin1');

/**
 * Log text of `b[s, e)` (zeek-escape.ts), at most `max` characters: printable ASCII without a
 * backslash, the usual case, is decoded in one call; anything else goes through `zeekEscape`.
 */
function logText(b: Uint8Array, s: number, e: number, max: number): string {
  if (e - s > max) return zeekEscape(b, s, e, max).text;
  for (let i = s; i < e; i++) {
    const c = b[i];
    if (c < 0x20 || c > 0x7e || c === 0x5c) return zeekEscape(b, s, e, max).text;
  }
  return latin1Text.decode(b.subarray(s, e));
}
/** Scratch for Double reads (little-endian hosts: Node's platforms). */
const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);

const HEX = '0123456789abcdef';

/** `0x` + lower-case hex of up to 24 bytes of `b[p, p+n)`, `...` appended when n > 24. */
export function hexCapped(b: Uint8Array, p: number, n: number): string {
  const m = n < 24 ? n : 24;
  let s = '0x';
  for (let i = 0; i < m; i++) s += HEX[b[p + i] >> 4] + HEX[b[p + i] & 15];
  return n > m ? s + '...' : s;
}

/** A decoded NodeId (§5.2.2.9), flattened as ICSNPP logs it. */
export interface NodeId {
  /** The encoding byte as read (DataEncoding in the low 6 bits, NamespaceUri 0x80 and ServerIndex 0x40 flags). */
  encoding: number;
  /** Namespace index; -1 for the TwoByte encoding (no namespace on the wire). */
  ns: number;
  /** Numeric identifier; -1 when the identifier is not numeric. */
  numeric: number;
  str: string | null;
  guid: string | null;
  opaque: string | null;
  /** ExpandedNodeId NamespaceUri (flag 0x80); null when absent. */
  nsUri: string | null;
  /** ExpandedNodeId ServerIndex (flag 0x40); -1 when absent. */
  serverIdx: number;
}

/** GUID (§5.2.2.6) text: Data1 (UInt32), Data2, Data3 (UInt16) little-endian, Data4 as 8 bytes in order. */
export function guidText(b: Uint8Array, p: number): string {
  const d1 = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  const d2 = b[p + 4] | (b[p + 5] << 8);
  const d3 = b[p + 6] | (b[p + 7] << 8);
  let d4 = '';
  for (let i = 8; i < 16; i++) {
    if (i === 10) d4 += '-';
    d4 += HEX[b[p + i] >> 4] + HEX[b[p + i] & 15];
  }
  return `${hexPad(d1, 8)}-${hexPad(d2, 4)}-${hexPad(d3, 4)}-${d4}`;
}

function hexPad(v: number, w: number): string {
  return v.toString(16).padStart(w, '0');
}

/**
 * NodeId (§5.2.2.9) or, with `expanded`, ExpandedNodeId (§5.2.2.10, with its NamespaceUri and
 * ServerIndex when flagged). Encodings 0 TwoByte, 1 FourByte, 2 Numeric, 3 String, 4 Guid, 5 ByteString.
 * An unknown encoding marks the cursor bad.
 */
export function readNodeId(c: Cursor, expanded: boolean): NodeId {
  const enc = c.u8();
  const id: NodeId = { encoding: enc, ns: -1, numeric: -1, str: null, guid: null, opaque: null, nsUri: null, serverIdx: -1 };
  switch (enc & 0x3f) {
    case 0:
      id.numeric = c.u8();
      break;
    case 1:
      id.ns = c.u8();
      id.numeric = c.u16();
      break;
    case 2:
      id.ns = c.u16();
      id.numeric = c.u32();
      break;
    case 3:
      id.ns = c.u16();
      id.str = c.string();
      break;
    case 4:
      id.ns = c.u16();
      if (c.need(16)) {
        id.guid = guidText(c.b, c.pos);
        c.pos += 16;
      }
      break;
    case 5: {
      id.ns = c.u16();
      const h = c.hexBytes();
      id.opaque = h.hex ?? '';
      break;
    }
    default:
      c.bad = true;
  }
  if (!expanded && (enc & 0xc0) !== 0) c.bad = true;
  if (expanded) {
    if (enc & 0x80) id.nsUri = c.string();
    if (enc & 0x40) id.serverIdx = c.u32();
  }
  return id;
}

/** ExtensionObject header (§5.2.2.15): type id and encoding byte; the body is skipped. */
export interface ExtObjHeader {
  /** Numeric type id (0 when null or not numeric). */
  typeId: number;
  encoding: number;
  /** The type NodeId as read. */
  node: NodeId;
}

/** Read an ExtensionObject, skipping its body (ByteString 0x01 or XmlElement 0x02). */
export function readExtensionObject(c: Cursor): ExtObjHeader {
  const t = readNodeId(c, false);
  const enc = c.u8();
  if (enc === 1 || enc === 2) {
    const n = c.i32();
    if (n > 0) c.skip(n);
  } else if (enc !== 0) c.bad = true;
  return { typeId: t.numeric < 0 ? 0 : t.numeric, encoding: enc, node: t };
}

/** Skip a DiagnosticInfo (§5.2.2.12), nested at most `depth` levels. @returns its encoding mask */
export function skipDiagnosticInfo(c: Cursor, depth: number): number {
  const m = c.u8();
  if (m & 0x01) c.skip(4);
  if (m & 0x02) c.skip(4);
  if (m & 0x08) c.skip(4);
  if (m & 0x04) c.skip(4);
  if (m & 0x10) c.string();
  if (m & 0x20) c.skip(4);
  if (m & 0x40) {
    if (depth <= 0) c.bad = true;
    else skipDiagnosticInfo(c, depth - 1);
  }
  return m;
}

/** HEL / ACK body (§7.1.2.3, §7.1.2.4). `endpointUrl` is null for ACK. */
export interface HelloAck {
  version: number;
  rcvBufSize: number;
  sndBufSize: number;
  maxMsgSize: number;
  maxChunkCnt: number;
  endpointUrl: string | null;
}

/** Parse HEL (`hello` true) or ACK after the 8-byte header. Null when short. */
export function parseHelloAck(c: Cursor, hello: boolean): HelloAck | null {
  const r: HelloAck = { version: c.u32(), rcvBufSize: c.u32(), sndBufSize: c.u32(), maxMsgSize: c.u32(), maxChunkCnt: c.u32(), endpointUrl: null };
  if (hello) r.endpointUrl = c.string();
  return c.bad ? null : r;
}

/** ERR body (§7.1.2.5): Error (StatusCode) and Reason (String). */
export function parseError(c: Cursor): { error: number; reason: string } | null {
  const error = c.u32();
  const reason = c.string();
  return c.bad ? null : { error, reason };
}

/** Asymmetric security header of OPN (§6.7.2.3). Lengths as on the wire (-1 null). */
export interface AsymHeader {
  policyUriLen: number;
  policyUri: string;
  sndCertLen: number;
  sndCert: string | null;
  rcvThumbLen: number;
  rcvThumb: string | null;
}

/** Parse the asymmetric security header. Null when short or malformed. */
export function parseAsymHeader(c: Cursor): AsymHeader | null {
  const p0 = c.pos;
  const policyUriLen = c.i32();
  c.pos = p0;
  const policyUri = c.string();
  const cert = c.hexBytes();
  const thumb = c.hexBytes();
  if (c.bad) return null;
  return { policyUriLen, policyUri, sndCertLen: cert.len, sndCert: cert.hex, rcvThumbLen: thumb.len, rcvThumb: thumb.hex };
}

/** The SecurityPolicy URI of policy None (OPC 10000-7). */
export const POLICY_NONE = 'http://opcfoundation.org/UA/SecurityPolicy#None';

/** Request header (OPC 10000-4 §7.32) as ICSNPP flattens it. */
export interface RequestHeader {
  authToken: NodeId;
  timestamp: number | null;
  requestHandle: number;
  returnDiag: number;
  auditEntryId: string;
  timeoutHint: number;
  addHdr: ExtObjHeader;
}

/** Parse a RequestHeader. Null when malformed. */
export function parseRequestHeader(c: Cursor): RequestHeader | null {
  const authToken = readNodeId(c, false);
  const timestamp = c.dateTime();
  const requestHandle = c.u32();
  const returnDiag = c.u32();
  const auditEntryId = c.string();
  const timeoutHint = c.u32();
  const addHdr = readExtensionObject(c);
  return c.bad ? null : { authToken, timestamp, requestHandle, returnDiag, auditEntryId, timeoutHint, addHdr };
}

/** Response header (OPC 10000-4 §7.33). */
export interface ResponseHeader {
  timestamp: number | null;
  requestHandle: number;
  serviceResult: number;
  diagEncoding: number;
  addHdr: ExtObjHeader;
}

/** Strings of a response header's string table skipped at most (a larger count is malformed). */
const MAX_STRING_TABLE = 65_536;

/** Parse a ResponseHeader (DiagnosticInfo and string table skipped). Null when malformed. */
export function parseResponseHeader(c: Cursor): ResponseHeader | null {
  const timestamp = c.dateTime();
  const requestHandle = c.u32();
  const serviceResult = c.u32();
  const diagEncoding = skipDiagnosticInfo(c, 4);
  const n = c.i32();
  if (n > MAX_STRING_TABLE) c.bad = true;
  for (let i = 0; i < n && !c.bad; i++) c.string();
  const addHdr = readExtensionObject(c);
  return c.bad ? null : { timestamp, requestHandle, serviceResult, diagEncoding, addHdr };
}

/** OpenSecureChannel request body after its RequestHeader (OPC 10000-4 §5.5.2.2). */
export interface OpenRequestBody {
  clientProtoVer: number;
  requestType: number;
  securityMode: number;
  clientNonce: string;
  lifetime: number;
}

/** Parse the OpenSecureChannelRequest parameters. Null when short. */
export function parseOpenRequestBody(c: Cursor): OpenRequestBody | null {
  const r: OpenRequestBody = { clientProtoVer: c.u32(), requestType: c.u32(), securityMode: c.u32(), clientNonce: c.rawBytes(), lifetime: c.u32() };
  return c.bad ? null : r;
}

/** OpenSecureChannel response body after its ResponseHeader (OPC 10000-4 §5.5.2.2, ChannelSecurityToken §7.11). */
export interface OpenResponseBody {
  serverProtoVer: number;
  channelId: number;
  tokenId: number;
  createdAt: number | null;
  revisedLifetime: number;
  serverNonce: string;
}

/** Parse the OpenSecureChannelResponse parameters. Null when short. */
export function parseOpenResponseBody(c: Cursor): OpenResponseBody | null {
  const r: OpenResponseBody = {
    serverProtoVer: c.u32(),
    channelId: c.u32(),
    tokenId: c.u32(),
    createdAt: c.dateTime(),
    revisedLifetime: c.u32(),
    serverNonce: c.rawBytes(),
  };
  return c.bad ? null : r;
}
