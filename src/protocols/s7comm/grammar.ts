/**
 * Pure byte parsing of ISO-on-TCP (RFC 1006 TPKT, ISO 8073 COTP class 0), S7comm (protocol id 0x32) and
 * the S7comm-plus header (protocol id 0x72). Parsers read a `Uint8Array` view between `off` and `end`,
 * never throw and never allocate on the hot path: they fill caller-owned result objects and return a
 * status. Multi-byte integers are big-endian (S7comm is big-endian throughout; tshark `s7comm.*`).
 */

/** TPKT header length in bytes (RFC 1006 §6: version 3, reserved, 16-bit packet length). */
export const TPKT_HEADER_BYTES = 4;
/** Smallest TPKT packet that can carry a COTP TPDU (header + LI + code + one byte). */
export const TPKT_MIN_BYTES = 7;
/** S7comm protocol id (s7comm.header.protid). */
export const S7COMM_ID = 0x32;
/** S7comm-plus protocol id. */
export const S7COMM_PLUS_ID = 0x72;
/** COTP DT (data) TPDU code, upper nibble of the code byte (ISO 8073 §13.7). */
export const COTP_DT = 0xf;
/** COTP CR (connection request) TPDU code (ISO 8073 §13.3). */
export const COTP_CR = 0xe;
/** COTP CC (connection confirm) TPDU code (ISO 8073 §13.4). */
export const COTP_CC = 0xd;

/**
 * Length in bytes of the TPKT packet starting at `off` (RFC 1006 §6): > 0 the whole packet length
 * (header included), 0 when fewer than 4 bytes are there to tell, -1 when the bytes cannot be a TPKT
 * header (version ≠ 3, reserved ≠ 0, or length < 7).
 */
export function tpktLength(b: Uint8Array, off: number, end: number): number {
  if (end - off < TPKT_HEADER_BYTES) return 0;
  if (b[off] !== 3 || b[off + 1] !== 0) return -1;
  const len = (b[off + 2] << 8) | b[off + 3];
  return len < TPKT_MIN_BYTES ? -1 : len;
}

/** A COTP TPDU header (ISO 8073 §13), filled by `parseCotp`. */
export interface CotpHeader {
  /** TPDU code, upper nibble of the code byte (0xf DT, 0xe CR, 0xd CC, 0x8 DR …; cotp.type >> 4). */
  code: number;
  /** DT only: end-of-TSDU mark (cotp.eot); true for every other TPDU. */
  eot: boolean;
  /** Offset of the user data after the header (LI + 1 bytes after the LI byte). */
  payloadOffset: number;
}

/** A fresh COTP header object for `parseCotp` to fill (one per analyzer, reused). */
export function newCotpHeader(): CotpHeader {
  return { code: 0, eot: true, payloadOffset: 0 };
}

/**
 * Parse the COTP TPDU at `off` (its length indicator byte) inside a TPKT packet ending at `end`.
 * Returns false when the length indicator is 0, 255 (reserved) or runs past `end`, or a DT TPDU's
 * header is shorter than 2 bytes (ISO 8073 §13.2.1, §13.7).
 */
export function parseCotp(b: Uint8Array, off: number, end: number, out: CotpHeader): boolean {
  if (end - off < 2) return false;
  const li = b[off];
  if (li === 0 || li === 255 || off + 1 + li > end) return false;
  const code = b[off + 1] >> 4;
  out.code = code;
  out.payloadOffset = off + 1 + li;
  if (code === COTP_DT) {
    if (li < 2) return false;
    out.eot = (b[off + 2] & 0x80) !== 0;
  } else {
    out.eot = true;
  }
  return true;
}

/** Parse outcome of an S7comm PDU: ok, too short for its header, or lengths that overrun the bytes. */
export type S7Status = 'ok' | 'short' | 'overrun';

/**
 * One S7comm PDU's header and the user-data parameter fields, filled by `parseS7comm`. Absent values
 * are -1. Offsets are absolute in the buffer handed to the parser and valid only during that call.
 */
export interface S7Pdu {
  /** Message type (s7comm.header.rosctr): 1 Job, 2 Ack, 3 Ack-Data, 7 User-Data. */
  rosctr: number;
  /** PDU reference (s7comm.header.pduref), big-endian. */
  pduRef: number;
  paramOffset: number;
  paramLength: number;
  dataOffset: number;
  dataLength: number;
  /** Ack / Ack-Data only (s7comm.header.errcls, .errcod). */
  errorClass: number;
  errorCode: number;
  /** Job / Ack / Ack-Data: first parameter byte (s7comm.param.func). */
  func: number;
  /** User-Data: method byte (0x11 request, 0x12 response; s7comm.param.userdata.reqres1). */
  udMethod: number;
  /** User-Data: `type << 4 | function group` (s7comm.param.userdata.type, .funcgroup). */
  udFunction: number;
  /** User-Data: subfunction (s7comm.param.userdata.subfunc) and sequence number (.seq_num). */
  udSub: number;
  udSeq: number;
  /** User-Data with the 8-byte parameter: data unit reference, last data unit (0 = last), error code. */
  udDataUnitRef: number;
  udLastUnit: number;
  udError: number;
  /** User-Data data item: return code (s7comm.data.returncode), its payload offset and length in bytes. */
  returnCode: number;
  itemOffset: number;
  itemLength: number;
}

/** A fresh S7comm PDU object for `parseS7comm` to fill (one per analyzer, reused). */
export function newS7Pdu(): S7Pdu {
  return {
    rosctr: -1, pduRef: -1, paramOffset: 0, paramLength: 0, dataOffset: 0, dataLength: 0, errorClass: -1, errorCode: -1,
    func: -1, udMethod: -1, udFunction: -1, udSub: -1, udSeq: -1, udDataUnitRef: -1, udLastUnit: -1, udError: -1,
    returnCode: -1, itemOffset: 0, itemLength: 0,
  };
}

const u16 = (b: Uint8Array, o: number): number => (b[o] << 8) | b[o + 1];

/**
 * Parse the S7comm PDU at `off` (its 0x32 protocol id) up to `end`: the 10-byte header (12 for
 * Ack / Ack-Data with error class and code), the function byte, and for User-Data the parameter
 * head (method, type/group, subfunction, sequence; data unit reference, last-unit flag and error code
 * when the parameter is 8 bytes) and the first data item's return code and payload. 'short' when the
 * header does not fit; 'overrun' when parameter + data lengths pass `end` (fields that fit are filled).
 */
export function parseS7comm(b: Uint8Array, off: number, end: number, out: S7Pdu): S7Status {
  out.func = out.errorClass = out.errorCode = -1;
  out.udMethod = out.udFunction = out.udSub = out.udSeq = out.udDataUnitRef = out.udLastUnit = out.udError = -1;
  out.returnCode = -1;
  out.itemOffset = out.itemLength = 0;
  if (end - off < 10 || b[off] !== S7COMM_ID) return 'short';
  const rosctr = b[off + 1];
  out.rosctr = rosctr;
  out.pduRef = u16(b, off + 4);
  out.paramLength = u16(b, off + 6);
  out.dataLength = u16(b, off + 8);
  let hdr = 10;
  if (rosctr === 2 || rosctr === 3) {
    if (end - off < 12) return 'short';
    out.errorClass = b[off + 10];
    out.errorCode = b[off + 11];
    hdr = 12;
  }
  const p = off + hdr;
  out.paramOffset = p;
  out.dataOffset = p + out.paramLength;
  const status: S7Status = out.dataOffset + out.dataLength > end ? 'overrun' : 'ok';
  const pEnd = Math.min(end, out.dataOffset);
  if (rosctr !== 7) {
    if (out.paramLength > 0 && p < pEnd) out.func = b[p];
    return status;
  }
  // User-Data parameter: 3-byte head, length, method, type|group, subfunction, sequence (8 bytes + 4).
  if (pEnd - p < 8) return status;
  out.udMethod = b[p + 4];
  out.udFunction = b[p + 5];
  out.udSub = b[p + 6];
  out.udSeq = b[p + 7];
  if (b[p + 3] >= 8 && pEnd - p >= 12) {
    out.udDataUnitRef = b[p + 8];
    out.udLastUnit = b[p + 9];
    out.udError = u16(b, p + 10);
  }
  const d = out.dataOffset;
  const dEnd = Math.min(end, d + out.dataLength);
  if (dEnd - d >= 4) {
    out.returnCode = b[d];
    out.itemOffset = d + 4;
    out.itemLength = Math.min(u16(b, d + 2), dEnd - d - 4);
  }
  return status;
}

/**
 * Offset of the PI service name's length byte in a PLC Control job (function 0x28;
 * s7comm.param.pi.service): after the function byte, 7 unknown bytes, the 16-bit parameter block
 * length, the block, then a length byte and that many name bytes. -1 when the parameter `[p, pEnd)`
 * is too short for it. The name is raw bytes; callers render them (zeek-escape.ts).
 */
export function plcControlServiceAt(b: Uint8Array, p: number, pEnd: number): number {
  if (pEnd - p < 10) return -1;
  const blockLen = u16(b, p + 8);
  const at = p + 10 + blockLen;
  if (at >= pEnd) return -1;
  if (at + 1 + b[at] > pEnd) return -1;
  return at;
}

/**
 * Upload / download fields of one job or ack (ICSNPP s7comm_upload_download columns); -1 when absent.
 * The file name (`_TTNNNNNF`) is raw bytes at `filenameOffset` (absolute in the parsed buffer, valid
 * during the call), `filenameLength` bytes long; callers render them (zeek-escape.ts).
 */
export interface TransferFields {
  status: number;
  sessionId: number;
  blockLength: number;
  filenameOffset: number;
  filenameLength: number;
}

/** Is `c` an ASCII digit? */
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** Value of `len` ASCII digits at `off`, or -1 when one is not a digit. */
function digits(b: Uint8Array, off: number, len: number): number {
  let v = 0;
  for (let i = 0; i < len; i++) {
    const c = b[off + i];
    if (!isDigit(c)) return -1;
    v = v * 10 + (c - 0x30);
  }
  return v;
}

/**
 * Parse the block-transfer parameter of a Job (`isJob`) or Ack-Data of function 0x1a–0x1f (S7comm
 * Request Download, Download Block, Download Ended, Start Upload, Upload, End Upload; Wireshark
 * packet-s7comm.c field layout) into `out`:
 * - Jobs: status byte, 2 unknown bytes, 32-bit session id, then (Start Upload, Request Download,
 *   Download Block, Download Ended) the length-prefixed file name `_TTNNNNNF`; Request Download adds a
 *   length-prefixed part `1` + 6-digit load-memory length, which becomes `blockLength`.
 * - Ack-Data: Start Upload has status, session id and the length-prefixed ASCII block length; Upload and
 *   Download Block have the status and carry the block bytes in the data part (its 16-bit length is
 *   `blockLength`).
 * Returns false when the parameter is too short for the fields its function defines.
 */
export function parseTransfer(b: Uint8Array, pdu: S7Pdu, end: number, isJob: boolean, out: TransferFields): boolean {
  out.status = out.sessionId = out.blockLength = out.filenameOffset = out.filenameLength = -1;
  const p = pdu.paramOffset;
  const pEnd = Math.min(end, p + pdu.paramLength);
  const fn = pdu.func;
  const len = pEnd - p;
  if (isJob) {
    if (len < 8) return false;
    out.status = b[p + 1];
    out.sessionId = ((b[p + 4] << 24) >>> 0) + ((b[p + 5] << 16) | (b[p + 6] << 8) | b[p + 7]);
    if (len > 8 && fn !== 0x1e && fn !== 0x1f) {
      const nameLen = b[p + 8];
      if (p + 9 + nameLen > pEnd) return false;
      out.filenameOffset = p + 9;
      out.filenameLength = nameLen;
      const part = p + 9 + nameLen;
      if (fn === 0x1a && part + 14 <= pEnd && b[part] >= 13) out.blockLength = digits(b, part + 2, 6);
    }
    return true;
  }
  if (fn === 0x1d) {
    if (len < 9) return false;
    out.status = b[p + 1];
    out.sessionId = ((b[p + 4] << 24) >>> 0) + ((b[p + 5] << 16) | (b[p + 6] << 8) | b[p + 7]);
    const n = b[p + 8];
    if (p + 9 + n > pEnd) return false;
    out.blockLength = digits(b, p + 9, n);
    return true;
  }
  if (fn === 0x1e || fn === 0x1b) {
    if (len < 2) return false;
    out.status = b[p + 1];
    const d = pdu.dataOffset;
    if (pdu.dataLength >= 2 && d + 2 <= end) out.blockLength = u16(b, d);
    return true;
  }
  return true;
}

/** The SZL id and index of a Read SZL data item (s7comm.data.userdata.szl_id, .szl_index); -1 when absent. */
export interface SzlHeader {
  id: number;
  index: number;
  /** Responses: bytes per record (LENTHDR) and record count (N_DR); -1 in requests or when cut. */
  recordLength: number;
  recordCount: number;
  /** Offset of the first record (responses) in the buffer. */
  recordsOffset: number;
}

/**
 * Read the SZL header at the start of a Read SZL data item (`itemOffset`, `itemLength` bytes): id and
 * index (4 bytes) and, for a response (`withList`), LENTHDR and N_DR (4 more). False when the item is
 * shorter than the id and index.
 */
export function parseSzlHeader(b: Uint8Array, itemOffset: number, itemLength: number, withList: boolean, out: SzlHeader): boolean {
  out.id = out.index = out.recordLength = out.recordCount = -1;
  out.recordsOffset = itemOffset;
  if (itemLength < 4) return false;
  out.id = u16(b, itemOffset);
  out.index = u16(b, itemOffset + 2);
  if (withList && itemLength >= 8) {
    out.recordLength = u16(b, itemOffset + 4);
    out.recordCount = u16(b, itemOffset + 6);
    out.recordsOffset = itemOffset + 8;
  }
  return true;
}

/** The S7comm-plus header fields ICSNPP logs (s7comm_plus.log): version, opcode, function (-1 when absent). */
export interface PlusHeader {
  version: number;
  opcode: number;
  func: number;
}

/**
 * Parse the S7comm-plus header at `off` (its 0x72 id): version byte, 16-bit data length, then — for
 * version 3, the integrity part (digest length byte and digest) — the opcode; requests (0x31) and
 * responses (0x32) carry 2 reserved bytes and the 16-bit function code. False when the bytes end
 * before the opcode. A trailer (`72 vv 00 00`) alone has no opcode and returns false.
 */
export function parsePlusHeader(b: Uint8Array, off: number, end: number, out: PlusHeader): boolean {
  out.version = out.opcode = out.func = -1;
  if (end - off < 5 || b[off] !== S7COMM_PLUS_ID) return false;
  out.version = b[off + 1];
  if (u16(b, off + 2) === 0) return false;
  let o = off + 4;
  if (out.version === 3) o += 1 + b[o];
  if (o >= end) return false;
  out.opcode = b[o];
  if ((out.opcode === 0x31 || out.opcode === 0x32) && o + 5 <= end) out.func = u16(b, o + 3);
  return true;
}
