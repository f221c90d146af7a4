/**
 * Subject and issuer of an X.509 certificate (RFC 5280 §4.1) as the distinguished-name strings Zeek's
 * x509.log and ssl.log write: OpenSSL's `X509_NAME_print_ex` with `XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB`,
 * i.e. RFC 4514 / RFC 2253 §2: RDNs in reverse order joined by `,`, the members of a multi-valued RDN
 * reversed too (OpenSSL's XN_FLAG_DN_REV reverses the flat entry list) and joined by `+`,
 * short attribute names (`CN`, `O`, `C`, …, dotted OID when unnamed), values with `, + " \ < > ;` and a
 * leading `#` or space and a trailing space escaped by `\`, control characters as `\XX`, bytes ≥ 0x80
 * written as UTF-8, and values of unnamed attributes or of non-string types as `#` + hex of their DER.
 * Pure DER (ITU-T X.690 §8.1) reading by hand; malformed input gives null, never a throw.
 */

/** Short names of attribute types (OpenSSL's, as RFC 4514 §3 and RFC 5280 App. A list them). */
const ATTRIBUTE_NAMES: ReadonlyMap<string, string> = new Map([
  ['2.5.4.3', 'CN'],
  ['2.5.4.4', 'SN'],
  ['2.5.4.5', 'serialNumber'],
  ['2.5.4.6', 'C'],
  ['2.5.4.7', 'L'],
  ['2.5.4.8', 'ST'],
  ['2.5.4.9', 'street'],
  ['2.5.4.10', 'O'],
  ['2.5.4.11', 'OU'],
  ['2.5.4.12', 'title'],
  ['2.5.4.13', 'description'],
  ['2.5.4.15', 'businessCategory'],
  ['2.5.4.17', 'postalCode'],
  ['2.5.4.41', 'name'],
  ['2.5.4.42', 'GN'],
  ['2.5.4.43', 'initials'],
  ['2.5.4.44', 'generationQualifier'],
  ['2.5.4.46', 'dnQualifier'],
  ['2.5.4.65', 'pseudonym'],
  ['2.5.4.97', 'organizationIdentifier'],
  ['1.2.840.113549.1.9.1', 'emailAddress'],
  ['0.9.2342.19200300.100.1.1', 'UID'],
  ['0.9.2342.19200300.100.1.25', 'DC'],
  ['1.3.6.1.4.1.311.60.2.1.1', 'jurisdictionL'],
  ['1.3.6.1.4.1.311.60.2.1.2', 'jurisdictionST'],
  ['1.3.6.1.4.1.311.60.2.1.3', 'jurisdictionC'],
]);

// DER universal tags (X.680 §8.4).
const T_OID = 0x06;
const T_UTF8 = 0x0c;
const T_NUMERIC = 0x12;
const T_PRINTABLE = 0x13;
const T_T61 = 0x14;
const T_IA5 = 0x16;
const T_UNIVERSAL = 0x1c;
const T_BMP = 0x1e;
const T_VISIBLE = 0x1a;
const T_SEQUENCE = 0x30;
const T_SET = 0x31;
const T_CONTEXT0 = 0xa0;

/** One DER element: tag, and content [start, end); `next` is the offset after it. */
interface Tlv {
  tag: number;
  start: number;
  end: number;
  next: number;
}

/** The element at `off` (before `limit`), or null (high-tag-number form and lengths beyond 4 bytes are refused). */
function tlv(b: Uint8Array, off: number, limit: number): Tlv | null {
  if (off + 2 > limit) return null;
  const tag = b[off];
  if ((tag & 0x1f) === 0x1f) return null;
  let len = b[off + 1];
  let p = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p + i];
    p += n;
  }
  if (p + len > limit) return null;
  return { tag, start: p, end: p + len, next: p + len };
}

/** Dotted text of an OBJECT IDENTIFIER's content (X.690 §8.19), or null. */
function oidText(b: Uint8Array, start: number, end: number): string | null {
  if (start >= end || (b[end - 1] & 0x80) !== 0) return null;
  let s = '';
  let v = 0;
  let first = true;
  for (let p = start; p < end; p++) {
    v = v * 128 + (b[p] & 0x7f);
    if (b[p] & 0x80) continue;
    if (first) {
      const a = v < 40 ? 0 : v < 80 ? 1 : 2;
      s = `${a}.${v - 40 * a}`;
      first = false;
    } else s += `.${v}`;
    v = 0;
  }
  return s;
}

/** `#` + lower-case hex of the DER bytes [from, to) (RFC 4514 §2.4). */
function hexValue(b: Uint8Array, from: number, to: number): string {
  let s = '#';
  for (let p = from; p < to; p++) s += (b[p] < 16 ? '0' : '') + b[p].toString(16);
  return s;
}

/** Text of a string value by its type: UTF-8 for UTF8String, UCS-2 / UCS-4 for BMP / Universal, Latin-1 otherwise. */
function stringText(b: Uint8Array, tag: number, start: number, end: number): string {
  if (tag === T_UTF8) return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8');
  let s = '';
  if (tag === T_BMP) {
    for (let p = start; p + 1 < end; p += 2) s += String.fromCharCode((b[p] << 8) | b[p + 1]);
    return s;
  }
  if (tag === T_UNIVERSAL) {
    for (let p = start; p + 3 < end; p += 4) {
      const cp = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
      s += String.fromCodePoint(cp > 0x10ffff ? 0xfffd : cp);
    }
    return s;
  }
  for (let p = start; p < end; p++) s += String.fromCharCode(b[p]);
  return s;
}

/** RFC 2253 §2.4 escaping of an attribute value, as OpenSSL's ASN1_STRFLGS_ESC_2253 | ESC_CTRL without ESC_MSB. */
function escapeValue(v: string): string {
  let s = '';
  const n = v.length;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) s += `\\${c < 16 ? '0' : ''}${c.toString(16).toUpperCase()}`;
    else if (c === 0x2c || c === 0x2b || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x3b) s += `\\${v[i]}`;
    else if ((i === 0 && (c === 0x23 || c === 0x20)) || (i === n - 1 && c === 0x20)) s += `\\${v[i]}`;
    else s += v[i];
  }
  return s;
}

/** A Name (RFC 5280 §4.1.2.4: SEQUENCE OF RelativeDistinguishedName) at [start, end) as its RFC 4514 string, or null. */
function nameText(b: Uint8Array, start: number, end: number, maxString: number): string | null {
  const rdns: string[] = [];
  let p = start;
  while (p < end) {
    const set = tlv(b, p, end);
    if (set === null || set.tag !== T_SET) return null;
    const parts: string[] = [];
    let q = set.start;
    while (q < set.end) {
      const atv = tlv(b, q, set.end);
      if (atv === null || atv.tag !== T_SEQUENCE) return null;
      const oid = tlv(b, atv.start, atv.end);
      if (oid === null || oid.tag !== T_OID) return null;
      const val = tlv(b, oid.next, atv.end);
      if (val === null) return null;
      const dotted = oidText(b, oid.start, oid.end);
      if (dotted === null) return null;
      const short = ATTRIBUTE_NAMES.get(dotted);
      const t = val.tag;
      const isString = t === T_UTF8 || t === T_PRINTABLE || t === T_IA5 || t === T_T61 || t === T_NUMERIC || t === T_VISIBLE || t === T_BMP || t === T_UNIVERSAL;
      const text = short !== undefined && isString ? escapeValue(stringText(b, t, val.start, val.end)) : hexValue(b, oid.next, val.next);
      parts.push(`${short ?? dotted}=${text}`);
      q = atv.next;
    }
    rdns.push(parts.reverse().join('+'));
    p = set.next;
  }
  const s = rdns.reverse().join(',');
  return s.length > maxString ? s.slice(0, maxString) : s;
}

/** Subject and issuer distinguished names of a certificate (RFC 4514 strings as Zeek writes them). */
export interface CertificateNames {
  subject: string;
  issuer: string;
}

/**
 * Subject and issuer of the DER certificate at [start, end) of `b` (RFC 5280 §4.1: Certificate ::= SEQUENCE
 * { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer, validity, subject, … } … }),
 * each cut at `maxString` characters; null when the DER does not have that shape.
 */
export function certificateNames(b: Uint8Array, start: number, end: number, maxString: number): CertificateNames | null {
  const cert = tlv(b, start, end);
  if (cert === null || cert.tag !== T_SEQUENCE) return null;
  const tbs = tlv(b, cert.start, cert.end);
  if (tbs === null || tbs.tag !== T_SEQUENCE) return null;
  let e = tlv(b, tbs.start, tbs.end);
  if (e !== null && e.tag === T_CONTEXT0) e = tlv(b, e.next, tbs.end); // version
  if (e === null) return null; // serialNumber
  const sigAlg = tlv(b, e.next, tbs.end);
  if (sigAlg === null) return null;
  const issuer = tlv(b, sigAlg.next, tbs.end);
  if (issuer === null || issuer.tag !== T_SEQUENCE) return null;
  const validity = tlv(b, issuer.next, tbs.end);
  if (validity === null) return null;
  const subject = tlv(b, validity.next, tbs.end);
  if (subject === null || subject.tag !== T_SEQUENCE) return null;
  const i = nameText(b, issuer.start, issuer.end, maxString);
  const s = nameText(b, subject.start, subject.end, maxString);
  if (i === null || s === null) return null;
  return { subject: s, issuer: i };
}
