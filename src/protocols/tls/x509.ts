/**
 * Subject and issuer of an X.509 certificate (RFC 5280 §4.1) as the distinguished-name strings Zeek's
 * x509.log and ssl.log write: OpenSSL's `X509_NAME_print_ex` with `XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB`,
 * i.e. RFC 4514 / RFC 2253 §2: RDNs in reverse order joined by `,`, the members of a multi-valued RDN
 * reversed too (OpenSSL's XN_FLAG_DN_REV reverses the flat entry list) and joined by `+`,
 * short attribute names (`CN`, `O`, `C`, …, dotted OID when unnamed), values with `, + " \ < > ;` and a
 * leading `#` or space and a trailing space escaped by `\`, control characters as `\XX`, characters ≥ 0x80
 * written as UTF-8, bytes that are no character as `\xNN` (Zeek's raw-byte escape, ../zeek-escape.ts),
 * dotted OIDs exact (BigInt arcs) and cut at OID_TEXT_MAX_CHARS as OpenSSL cuts them, and values of unnamed
 * attributes or of non-string types as `#` + upper-case hex of their DER.
 * Pure DER (ITU-T X.690 §8.1) reading by hand; malformed input gives null, never a throw.
 */

import { isUtf8 } from 'node:buffer';

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

/**
 * Characters of a dotted OID OpenSSL writes for an attribute type without a short name: `X509_NAME_print_ex`
 * formats it with `OBJ_obj2txt` into an 80-byte buffer (crypto/x509/a_strex.c `objtmp[80]`), so longer
 * text is cut at 79 characters.
 */
export const OID_TEXT_MAX_CHARS = 79;

/** Largest arc accumulated in a double without losing digits (2^53 − 1). */
const EXACT_ARC = Number.MAX_SAFE_INTEGER;

/**
 * Dotted text of an OBJECT IDENTIFIER's content (X.690 §8.19), or null. Arcs are exact whatever their size
 * (arcs past 2^53 − 1 are accumulated as BigInt, as OpenSSL's BIGNUM path does).
 */
function oidText(b: Uint8Array, start: number, end: number): string | null {
  if (start >= end || (b[end - 1] & 0x80) !== 0) return null;
  let s = '';
  let v = 0;
  let big: bigint | null = null;
  let first = true;
  for (let p = start; p < end; p++) {
    const bits = b[p] & 0x7f;
    if (big !== null) big = big * 128n + BigInt(bits);
    else if (v > (EXACT_ARC - bits) / 128) big = BigInt(v) * 128n + BigInt(bits);
    else v = v * 128 + bits;
    if (b[p] & 0x80) continue;
    if (first) {
      if (big !== null) s = `2.${big - 80n}`;
      else {
        const a = v < 40 ? 0 : v < 80 ? 1 : 2;
        s = `${a}.${v - 40 * a}`;
      }
      first = false;
    } else s += `.${big ?? v}`;
    v = 0;
    big = null;
  }
  return s;
}

/** The dotted OID as OpenSSL prints it: at most OID_TEXT_MAX_CHARS characters. */
function cutOid(dotted: string): string {
  return dotted.length > OID_TEXT_MAX_CHARS ? dotted.slice(0, OID_TEXT_MAX_CHARS) : dotted;
}

/** `#` + upper-case hex of the DER bytes [from, to) (RFC 4514 §2.4; OpenSSL's do_dump writes upper case). */
function hexValue(b: Uint8Array, from: number, to: number): string {
  let s = '#';
  for (let p = from; p < to; p++) s += HEX[b[p] >> 4] + HEX[b[p] & 15];
  return s;
}

const HEX = '0123456789ABCDEF';

/** `\xNN` for a byte that cannot be written as a character (lower-case hex, as ../zeek-escape.ts). */
function rawByte(c: number): string {
  return '\\x' + HEX_LOWER[c >> 4] + HEX_LOWER[c & 15];
}

const HEX_LOWER = '0123456789abcdef';

/**
 * RFC 2253 §2.4 text of a string value by its type, as OpenSSL's ASN1_STRFLGS_ESC_2253 | ESC_CTRL without
 * ESC_MSB escapes it: UTF-8 for UTF8String, UCS-2 / UCS-4 for BMP / Universal, Latin-1 otherwise. Bytes that
 * are no character (a UTF8String that is not valid UTF-8, RFC 3629; a surrogate or a code point past
 * U+10FFFF in BMP / Universal) are written `\xNN` per byte as Zeek writes raw bytes (../zeek-escape.ts).
 */
function valueText(b: Uint8Array, tag: number, start: number, end: number): string {
  const e = new ValueEscaper();
  if (tag === T_UTF8) {
    if (isUtf8(b.subarray(start, end))) {
      const v = Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8');
      for (let i = 0; i < v.length; i++) e.char(v.charCodeAt(i), v[i]);
    } else for (let p = start; p < end; p++) e.byte(b[p]);
  } else if (tag === T_BMP) {
    for (let p = start; p + 1 < end; p += 2) {
      const c = (b[p] << 8) | b[p + 1];
      if (c >= 0xd800 && c <= 0xdfff) {
        e.raw(b[p]);
        e.raw(b[p + 1]);
      } else e.char(c, String.fromCharCode(c));
    }
  } else if (tag === T_UNIVERSAL) {
    for (let p = start; p + 3 < end; p += 4) {
      const cp = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) for (let k = 0; k < 4; k++) e.raw(b[p + k]);
      else e.char(cp, String.fromCodePoint(cp));
    }
  } else for (let p = start; p < end; p++) e.char(b[p], String.fromCharCode(b[p]));
  return e.result;
}

/** Builder of an escaped attribute value: position-dependent RFC 2253 escapes need the value's first and last character. */
class ValueEscaper {
  text = '';
  private index = 0;
  /** Pending trailing space: escaped only when it turns out to be the last character. */
  private space = false;

  /** A character `c` (code point or code unit) whose text is `ch`. */
  char(c: number, ch: string): void {
    this.flush();
    const first = this.index === 0;
    this.index++;
    if (c < 0x20 || c === 0x7f) this.text += `\\${HEX[c >> 4]}${HEX[c & 15]}`;
    else if (c === 0x2c || c === 0x2b || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x3b) this.text += `\\${ch}`;
    else if (first && (c === 0x23 || c === 0x20)) this.text += `\\${ch}`;
    else if (c === 0x20) this.space = true;
    else this.text += ch;
  }

  /** A byte of a UTF8String that is not valid UTF-8: ASCII as a character, the rest `\xNN`. */
  byte(c: number): void {
    if (c < 0x80) this.char(c, String.fromCharCode(c));
    else this.raw(c);
  }

  /** A byte that is no character. */
  raw(c: number): void {
    this.flush();
    this.index++;
    this.text += rawByte(c);
  }

  /** The value so far, a trailing space escaped. */
  get result(): string {
    return this.space ? this.text + '\\ ' : this.text;
  }

  private flush(): void {
    if (!this.space) return;
    this.space = false;
    this.text += ' ';
  }
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
      const text = short !== undefined && isString ? valueText(b, t, val.start, val.end) : hexValue(b, oid.next, val.next);
      parts.push(`${short ?? cutOid(dotted)}=${text}`);
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
