/**
 * DNS message encoding for the twin (RFC 1035 §4.1): queries and responses with arbitrary names —
 * ordinary lookups as well as the long, data-carrying names and TXT / NULL answers of DNS tunnels.
 * No allocation per message: a `DnsMessageWriter` writes into the caller's buffer.
 */

/** Resource record types the writer encodes (RFC 1035 §3.2.2, RFC 3596 §2.1, RFC 6891 §6.1.1). */
export const DnsType = { A: 1, CNAME: 5, NULL: 10, TXT: 16, AAAA: 28, OPT: 41 } as const;
/** Class IN (RFC 1035 §3.2.4). */
export const DNS_CLASS_IN = 1;
/** DNS server port (RFC 1035 §4.2). */
export const DNS_PORT = 53;
/** Header flags of a recursive query: RD (RFC 1035 §4.1.1). */
export const DNS_FLAGS_QUERY = 0x0100;
/** Header flags of a recursive server's answer: QR, RD, RA, RCODE 0 (RFC 1035 §4.1.1). */
export const DNS_FLAGS_RESPONSE = 0x8180;
/** Longest label, octets (RFC 1035 §2.3.4). */
export const DNS_MAX_LABEL = 63;
/** Longest name in text form without the trailing dot, octets (RFC 1035 §2.3.4: 255 on the wire). */
export const DNS_MAX_NAME = 253;
/** Longest <character-string> of a TXT record, octets (RFC 1035 §3.3). */
export const DNS_MAX_CHARACTER_STRING = 255;
/** Header length, bytes (RFC 1035 §4.1.1). */
export const DNS_HEADER_LEN = 12;

/**
 * Octets `name` (dotted text, an optional trailing dot; "" or "." is the root) takes on the wire
 * as labels (RFC 1035 §3.1), or -1 when it is not a valid name: an empty label, a label over 63
 * octets, a name over 253 octets, or a character outside Latin-1 (labels are octets, RFC 2181 §11).
 */
export function encodedNameLength(name: string): number {
  let len = name.length;
  if (len > 0 && name.charCodeAt(len - 1) === 0x2e) len--;
  if (len === 0) return 1;
  if (len > DNS_MAX_NAME) return -1;
  let label = 0;
  for (let i = 0; i < len; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x2e) {
      if (label === 0) return -1;
      label = 0;
    } else {
      if (c > 0xff || ++label > DNS_MAX_LABEL) return -1;
    }
  }
  if (label === 0) return -1;
  return len + 2;
}

/**
 * Write `name` as length-prefixed labels ending with the root label (RFC 1035 §3.1) at `out[off]`.
 * @returns the offset after the name, or -1 when the name is invalid (`encodedNameLength`) or does
 *   not fit in `out`.
 */
export function writeDnsName(out: Uint8Array, off: number, name: string): number {
  const n = encodedNameLength(name);
  if (n < 0 || off + n > out.length) return -1;
  const len = n - 2 < 0 ? 0 : n - 2;
  let lenAt = off;
  let p = off + 1;
  for (let i = 0; i < len; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x2e) {
      out[lenAt] = p - lenAt - 1;
      lenAt = p++;
    } else {
      out[p++] = c;
    }
  }
  if (len > 0) {
    out[lenAt] = p - lenAt - 1;
    out[p++] = 0;
  } else {
    out[off] = 0;
  }
  return p;
}

/**
 * Builds one DNS message in the caller's buffer: `begin` (header, RFC 1035 §4.1.1), one `question`
 * (§4.1.2), answers (§4.1.3) whose owner name is a compression pointer to the question name
 * (§4.1.4: c0 0c), and optionally an EDNS(0) OPT record in the additional section (RFC 6891 §6.1).
 * Section counts in the header are kept up to date. A write that does not fit, or an invalid name,
 * fails (returns false) and leaves `failed` set; `finish()` then returns -1.
 */
export class DnsMessageWriter {
  private out: Uint8Array = new Uint8Array(0);
  private base = 0;
  private p = 0;
  /** True once a write did not fit or had an invalid name. */
  failed = false;

  /**
   * Start a message at `out[off]`: ID, flags (e.g. `DNS_FLAGS_QUERY`, `DNS_FLAGS_RESPONSE`, or with
   * an RCODE such as 3 NXDOMAIN in the low four bits), all counts 0.
   */
  begin(out: Uint8Array, off: number, id: number, flags: number): boolean {
    this.out = out;
    this.base = off;
    this.p = off;
    this.failed = false;
    if (!this.room(DNS_HEADER_LEN)) return false;
    out[off] = (id >>> 8) & 0xff;
    out[off + 1] = id & 0xff;
    out[off + 2] = (flags >>> 8) & 0xff;
    out[off + 3] = flags & 0xff;
    for (let i = 4; i < DNS_HEADER_LEN; i++) out[off + i] = 0;
    this.p = off + DNS_HEADER_LEN;
    return true;
  }

  /** The question: QNAME, QTYPE, QCLASS IN (RFC 1035 §4.1.2). Write it before any answer. */
  question(name: string, qtype: number): boolean {
    const end = writeDnsName(this.out, this.p, name);
    if (end < 0 || !this.fits(end, 4)) return this.fail();
    this.p = end;
    this.u16(qtype);
    this.u16(DNS_CLASS_IN);
    this.count(4);
    return true;
  }

  /** An A answer (RFC 1035 §3.4.1): `ipv4` unsigned 32-bit, network order. */
  answerA(ttlSec: number, ipv4: number): boolean {
    if (!this.rr(DnsType.A, ttlSec, 4)) return false;
    this.u16(ipv4 >>> 16);
    this.u16(ipv4 & 0xffff);
    return true;
  }

  /** An AAAA answer (RFC 3596 §2.2): the 16 address bytes at `addr[off]`. */
  answerAaaa(ttlSec: number, addr: Uint8Array, off: number): boolean {
    if (!this.rr(DnsType.AAAA, ttlSec, 16)) return false;
    this.bytes(addr, off, 16);
    return true;
  }

  /** A CNAME answer (RFC 1035 §3.3.1): the canonical name, uncompressed. */
  answerCname(ttlSec: number, target: string): boolean {
    const n = encodedNameLength(target);
    if (n < 0 || !this.rr(DnsType.CNAME, ttlSec, n)) return this.fail();
    this.p = writeDnsName(this.out, this.p, target);
    return true;
  }

  /**
   * A TXT answer (RFC 1035 §3.3.14) carrying `data[off, off+len)` as consecutive
   * <character-string>s of at most 255 octets each (one empty string when `len` is 0).
   */
  answerTxt(ttlSec: number, data: Uint8Array, off: number, len: number): boolean {
    const strings = len === 0 ? 1 : Math.ceil(len / DNS_MAX_CHARACTER_STRING);
    if (!this.rr(DnsType.TXT, ttlSec, len + strings)) return false;
    let done = 0;
    do {
      const k = Math.min(DNS_MAX_CHARACTER_STRING, len - done);
      this.out[this.p++] = k;
      this.bytes(data, off + done, k);
      done += k;
    } while (done < len);
    return true;
  }

  /** A NULL answer (RFC 1035 §3.3.10): `data[off, off+len)` as RDATA, 0–65 535 octets. */
  answerNull(ttlSec: number, data: Uint8Array, off: number, len: number): boolean {
    if (len > 0xffff || !this.rr(DnsType.NULL, ttlSec, len)) return this.fail();
    this.bytes(data, off, len);
    return true;
  }

  /**
   * An EDNS(0) OPT pseudo-record in the additional section (RFC 6891 §6.1.2): root owner name,
   * CLASS = the sender's UDP payload size, extended RCODE 0, version 0, DO 0, no options.
   */
  opt(udpPayloadSize: number): boolean {
    if (!this.room(11)) return false;
    this.out[this.p++] = 0;
    this.u16(DnsType.OPT);
    this.u16(udpPayloadSize);
    this.u16(0);
    this.u16(0);
    this.u16(0);
    this.count(10);
    return true;
  }

  /** Length of the message written, bytes, or -1 when a write failed. */
  finish(): number {
    return this.failed ? -1 : this.p - this.base;
  }

  /** Header and fixed fields of an answer whose owner is the question name; bumps ANCOUNT. */
  private rr(type: number, ttlSec: number, rdlen: number): boolean {
    if (rdlen > 0xffff || !this.room(12 + rdlen)) return this.fail();
    this.out[this.p++] = 0xc0;
    this.out[this.p++] = DNS_HEADER_LEN;
    this.u16(type);
    this.u16(DNS_CLASS_IN);
    this.u16(ttlSec >>> 16);
    this.u16(ttlSec & 0xffff);
    this.u16(rdlen);
    this.count(6);
    return true;
  }

  /** Increment the 16-bit count at header offset `at` (4 QD, 6 AN, 8 NS, 10 AR). */
  private count(at: number): void {
    const o = this.base + at;
    const n = ((this.out[o] << 8) | this.out[o + 1]) + 1;
    this.out[o] = (n >>> 8) & 0xff;
    this.out[o + 1] = n & 0xff;
  }

  private u16(v: number): void {
    this.out[this.p++] = (v >>> 8) & 0xff;
    this.out[this.p++] = v & 0xff;
  }

  private bytes(src: Uint8Array, off: number, len: number): void {
    for (let i = 0; i < len; i++) this.out[this.p + i] = src[off + i];
    this.p += len;
  }

  private fits(at: number, n: number): boolean {
    return !this.failed && at + n <= this.out.length;
  }

  private room(n: number): boolean {
    if (this.fits(this.p, n)) return true;
    return this.fail();
  }

  private fail(): boolean {
    this.failed = true;
    return false;
  }
}
