/**
 * Pure byte parsing of EtherNet/IP encapsulation and CIP (ODVA: The CIP Networks Library, Vol 2
 * "EtherNet/IP Adaptation of CIP" chapter 2 encapsulation, Vol 1 chapter 2 Message Router, Appendix C
 * EPATH). Every multi-byte field is little-endian except the socket address item (big-endian,
 * Vol 2 §2-6.3.2). Functions read a byte range `[off, end)` of a view, write into a caller-owned
 * result object (no allocation per message) and return a verdict; they never throw.
 */

/** Bytes of the encapsulation header (Vol 2 §2-3.1). */
export const ENCAP_HEADER_BYTES = 24;
/** Most items one Common Packet Format list may carry before it is treated as malformed. */
export const MAX_CPF_ITEMS = 64;
/** CPF item type ids (Vol 2 Table 2-6.3). */
export const ITEM_NULL_ADDRESS = 0x0000;
export const ITEM_CIP_IDENTITY = 0x000c;
export const ITEM_CONNECTED_ADDRESS = 0x00a1;
export const ITEM_CONNECTED_DATA = 0x00b1;
export const ITEM_UNCONNECTED_DATA = 0x00b2;
export const ITEM_SEQUENCED_ADDRESS = 0x8002;
/** Multiple Service Packet service code (Vol 1 § ). */
export const SERVICE_MULTIPLE = 0x0a;
/** Get_Attributes_All service code (Vol 1 § ). */
export const SERVICE_GET_ATTRIBUTES_ALL = 0x01;
/** Identity object class id (Vol 1 §5A-2). */
export const CLASS_IDENTITY = 0x01;

/** Little-endian unsigned 16-bit read. */
export function u16(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8);
}

/** Little-endian unsigned 32-bit read. */
export function u32(b: Uint8Array, i: number): number {
  return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
}

/** Big-endian unsigned 32-bit read. */
function u32be(b: Uint8Array, i: number): number {
  return ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
}

/** The encapsulation header (Vol 2 §2-3.1); `length` counts the bytes after the 24-byte header. */
export interface EncapHeader {
  command: number;
  length: number;
  session: number;
  status: number;
  /** Offset of the 8-byte sender context in the view the header was read from. */
  contextOff: number;
  options: number;
}

/** A fresh header object to be filled by `readEncapHeader`. */
export function newEncapHeader(): EncapHeader {
  return { command: 0, length: 0, session: 0, status: 0, contextOff: 0, options: 0 };
}

/**
 * Read the 24-byte header at `off` into `h`. Returns false (incomplete) when fewer than 24 bytes
 * are in `[off, end)`.
 */
export function readEncapHeader(b: Uint8Array, off: number, end: number, h: EncapHeader): boolean {
  if (end - off < ENCAP_HEADER_BYTES) return false;
  h.command = u16(b, off);
  h.length = u16(b, off + 2);
  h.session = u32(b, off + 4);
  h.status = u32(b, off + 8);
  h.contextOff = off + 12;
  h.options = u32(b, off + 20);
  return true;
}

/** One Common Packet Format item (Vol 2 §2-6): its type and the byte range of its data. */
export interface CpfItem {
  type: number;
  off: number;
  len: number;
}

/** A reusable CPF item list: `count` items are valid in `items`. */
export interface CpfList {
  count: number;
  readonly items: CpfItem[];
}

/** An empty list with room for MAX_CPF_ITEMS items. */
export function newCpfList(): CpfList {
  const items: CpfItem[] = [];
  for (let i = 0; i < MAX_CPF_ITEMS; i++) items.push({ type: 0, off: 0, len: 0 });
  return { count: 0, items };
}

/** Why a CPF list or a CIP message did not parse. */
export type GrammarAnomaly =
  /** Violation: a CPF item count or item length runs past the encapsulated data (Vol 2 §2-6.1). */
  | 'enip.cpf_truncated'
  /** Violation: more CPF items than MAX_CPF_ITEMS. */
  | 'enip.cpf_too_many_items'
  /** Violation: a CIP message is shorter than its header or request path says (Vol 1 §2-4). */
  | 'cip.truncated'
  /** Weird: a Multiple Service Packet offset points outside the packet (Vol 1 § ). */
  | 'cip.bad_multiple_service_offset';

/**
 * Parse the CPF list at `off` (item count, then type / length / data items) into `out`.
 * Returns null when it fits in `[off, end)`, else the anomaly name.
 */
export function parseCpf(b: Uint8Array, off: number, end: number, out: CpfList): GrammarAnomaly | null {
  out.count = 0;
  if (end - off < 2) return 'enip.cpf_truncated';
  const n = u16(b, off);
  if (n > MAX_CPF_ITEMS) return 'enip.cpf_too_many_items';
  let p = off + 2;
  for (let i = 0; i < n; i++) {
    if (end - p < 4) return 'enip.cpf_truncated';
    const len = u16(b, p + 2);
    if (end - p - 4 < len) return 'enip.cpf_truncated';
    const it = out.items[i];
    it.type = u16(b, p);
    it.off = p + 4;
    it.len = len;
    out.count = i + 1;
    p += 4 + len;
  }
  return null;
}

/** The header fields of one CIP message (Vol 1 §2-4.1 request, §2-4.2 response). */
export interface CipMessage {
  /** Service code without the response bit. */
  service: number;
  isResponse: boolean;
  /** Request path byte range (requests; empty for responses). */
  pathOff: number;
  pathLen: number;
  /** General status (responses), else -1. */
  status: number;
  /** First additional (extended) status word (responses with additional status), else -1. */
  extStatus: number;
  /** Service data byte range after the header. */
  dataOff: number;
  dataEnd: number;
}

/** A fresh message object to be filled by `parseCip`. */
export function newCipMessage(): CipMessage {
  return { service: 0, isResponse: false, pathOff: 0, pathLen: 0, status: -1, extStatus: -1, dataOff: 0, dataEnd: 0 };
}

/**
 * Parse a CIP Message Router request or response at `[off, end)` into `m`: service byte, then for
 * a request the path size (16-bit words) and padded EPATH, for a response a reserved byte, the
 * general status and the additional status size (words) with its words. Returns null or 'cip.truncated'.
 */
export function parseCip(b: Uint8Array, off: number, end: number, m: CipMessage): GrammarAnomaly | null {
  if (end - off < 2) return 'cip.truncated';
  const s = b[off];
  m.service = s & 0x7f;
  m.isResponse = (s & 0x80) !== 0;
  m.status = -1;
  m.extStatus = -1;
  m.dataEnd = end;
  if (!m.isResponse) {
    const pathLen = b[off + 1] * 2;
    if (end - off - 2 < pathLen) return 'cip.truncated';
    m.pathOff = off + 2;
    m.pathLen = pathLen;
    m.dataOff = off + 2 + pathLen;
    return null;
  }
  m.pathOff = off + 2;
  m.pathLen = 0;
  if (end - off < 4) return 'cip.truncated';
  m.status = b[off + 2];
  const extBytes = b[off + 3] * 2;
  if (end - off - 4 < extBytes) return 'cip.truncated';
  if (extBytes > 0) m.extStatus = u16(b, off + 4);
  m.dataOff = off + 4 + extBytes;
  return null;
}

/** Class, instance and attribute ids of a request path; -1 when the path has none. */
export interface PathIds {
  classId: number;
  instanceId: number;
  attributeId: number;
}

/** A fresh ids object. */
export function newPathIds(): PathIds {
  return { classId: -1, instanceId: -1, attributeId: -1 };
}

/**
 * Read the logical segments of a padded EPATH (Vol 1 Appendix C-1.4.2: segment type 001, logical
 * type class 0 / instance 1 / attribute 4, formats 8-bit, 16-bit and 32-bit with a pad byte before
 * the 16- and 32-bit values). Reading stops at the first segment of another type (port, symbolic,
 * data: the path then names no further class) or at a segment that runs past the path; a repeated
 * logical type keeps the last value.
 */
export function parsePath(b: Uint8Array, off: number, len: number, out: PathIds): void {
  out.classId = -1;
  out.instanceId = -1;
  out.attributeId = -1;
  const end = off + len;
  let p = off;
  while (p + 1 < end) {
    const seg = b[p];
    if (seg >> 5 !== 1) return;
    const kind = (seg >> 2) & 7;
    const fmt = seg & 3;
    let v: number;
    if (fmt === 0) {
      v = b[p + 1];
      p += 2;
    } else if (fmt === 1) {
      if (p + 4 > end) return;
      v = u16(b, p + 2);
      p += 4;
    } else if (fmt === 2) {
      if (p + 6 > end) return;
      v = u32(b, p + 2);
      p += 6;
    } else {
      return;
    }
    if (kind === 0) out.classId = v;
    else if (kind === 1) out.instanceId = v;
    else if (kind === 4) out.attributeId = v;
  }
}

/**
 * Offsets of the services of a Multiple Service Packet whose data starts at `off` (Vol 1 §:
 * service count, then one 16-bit offset per service, relative to the count field). Writes the
 * absolute start of service i to `starts[i]` for at most `starts.length` services and returns how
 * many were written, or -1 when the count or an offset runs past `end`.
 */
export function multipleServiceStarts(b: Uint8Array, off: number, end: number, starts: number[]): number {
  if (end - off < 2) return -1;
  const n = u16(b, off);
  if (end - off < 2 + 2 * n) return -1;
  const k = Math.min(n, starts.length);
  for (let i = 0; i < k; i++) {
    const at = off + u16(b, off + 2 + 2 * i);
    if (at < off + 2 + 2 * n || at >= end) return -1;
    starts[i] = at;
  }
  return k;
}

/** Identity attributes (Vol 1 §5A-2.2, attributes 1–8) as a ListIdentity item or Get_Attributes_All reply carries them. */
export interface IdentityFields {
  /** Encapsulation version (ListIdentity item only), else -1. */
  encapVersion: number;
  /** Socket address of the ListIdentity item (IPv4, host order), else -1. */
  socketAddr: number;
  socketPort: number;
  vendorId: number;
  deviceType: number;
  productCode: number;
  revMajor: number;
  revMinor: number;
  status: number;
  serial: number;
  /** Product name byte range (SHORT_STRING). */
  nameOff: number;
  nameLen: number;
  /** State (attribute 8), -1 when absent. */
  state: number;
}

/** A fresh identity object. */
export function newIdentityFields(): IdentityFields {
  return { encapVersion: -1, socketAddr: -1, socketPort: -1, vendorId: 0, deviceType: 0, productCode: 0, revMajor: 0, revMinor: 0, status: 0, serial: 0, nameOff: 0, nameLen: 0, state: -1 };
}

/** Read attributes 1–7 (and 8 when present) from `p`; false when they run past `end`. */
function readIdentityAttributes(b: Uint8Array, p: number, end: number, out: IdentityFields): boolean {
  if (end - p < 15) return false;
  out.vendorId = u16(b, p);
  out.deviceType = u16(b, p + 2);
  out.productCode = u16(b, p + 4);
  out.revMajor = b[p + 6];
  out.revMinor = b[p + 7];
  out.status = u16(b, p + 8);
  out.serial = u32(b, p + 10);
  const nameLen = b[p + 14];
  if (end - p - 15 < nameLen) return false;
  out.nameOff = p + 15;
  out.nameLen = nameLen;
  const after = p + 15 + nameLen;
  out.state = after < end ? b[after] : -1;
  return true;
}

/**
 * Parse a CIP Identity CPF item (type 0x0C, Vol 2 Table 2-4.4: encapsulation version, socket
 * address, identity attributes 1–8) at `[off, end)`. False when it is too short.
 */
export function parseIdentityItem(b: Uint8Array, off: number, end: number, out: IdentityFields): boolean {
  if (end - off < 18) return false;
  out.encapVersion = u16(b, off);
  out.socketPort = (b[off + 4] << 8) | b[off + 5];
  out.socketAddr = u32be(b, off + 6);
  return readIdentityAttributes(b, off + 18, end, out);
}

/** Parse the data of a Get_Attributes_All reply of an Identity instance (attributes 1–8). False when too short. */
export function parseIdentityAttributes(b: Uint8Array, off: number, end: number, out: IdentityFields): boolean {
  out.encapVersion = -1;
  out.socketAddr = -1;
  out.socketPort = -1;
  return readIdentityAttributes(b, off, end, out);
}

/** One class-1 I/O datagram (Vol 2 §2-6, §3-2.2): sequenced address item then connected data item. */
export interface IoDatagram {
  connectionId: number;
  sequence: number;
  dataOff: number;
  dataLen: number;
}

/** A fresh I/O datagram object. */
export function newIoDatagram(): IoDatagram {
  return { connectionId: 0, sequence: 0, dataOff: 0, dataLen: 0 };
}

/**
 * Parse an implicit (class 0/1) I/O datagram: CPF count 2, a sequenced address item (0x8002,
 * length 8: connection id, encapsulation sequence number) and a connected data item (0x00B1).
 * False unless that layout starts at `off` and its data fits before `end` (bytes after it are ignored).
 */
export function parseIoDatagram(b: Uint8Array, off: number, end: number, out: IoDatagram): boolean {
  if (end - off < 18) return false;
  if (u16(b, off) !== 2 || u16(b, off + 2) !== ITEM_SEQUENCED_ADDRESS || u16(b, off + 4) !== 8) return false;
  if (u16(b, off + 14) !== ITEM_CONNECTED_DATA) return false;
  const len = u16(b, off + 16);
  if (off + 18 + len > end) return false;
  out.connectionId = u32(b, off + 6);
  out.sequence = u32(b, off + 10);
  out.dataOff = off + 18;
  out.dataLen = len;
  return true;
}
