/**
 * Pure DNS message grammar (RFC 1035 §4.1): header, question, resource records, and name
 * decompression (§4.1.4). No I/O, no state, nothing emitted: `parseDnsMessage` reads one message
 * and returns `ok` or `malformed` with a stable anomaly name. All fields are big-endian
 * (RFC 1035 §2.3.2). Strings in results are copies (log-ready text); nothing points into the input.
 */
import { ipv6Text } from '../../decode/ip-text.js';

/** Header length, bytes (RFC 1035 §4.1.1). */
export const DNS_HEADER_BYTES = 12;
/** Longest name on the wire, octets including length bytes and the root label (RFC 1035 §2.3.4). */
export const MAX_NAME_OCTETS = 255;
/** Longest label, octets (RFC 1035 §2.3.4). */
export const MAX_LABEL_OCTETS = 63;
/**
 * Compression pointers followed while reading one name. A valid name has at most 127 labels, so
 * more jumps than that can only be a loop (RFC 1035 §4.1.4 pointers name a *prior* occurrence).
 */
export const MAX_POINTER_JUMPS = 127;

/** Anomaly names of the grammar (all graded `violation` by the analyzer, `dns.trailing_bytes` weird). */
export type DnsGrammarAnomaly =
  /** The message ends inside the header, a name or a record (RFC 1035 §4.1). */
  | 'dns.truncated'
  /** Compression pointers that never reach a terminal label (more than MAX_POINTER_JUMPS jumps, §4.1.4). */
  | 'dns.name_loop'
  /** A compression pointer beyond the end of the message (§4.1.4). */
  | 'dns.bad_pointer'
  /** A name longer than 255 octets (§2.3.4). */
  | 'dns.name_too_long'
  /** A label whose two top bits are 01 or 10 (reserved / obsolete extended labels, RFC 6891 §5). */
  | 'dns.bad_label_type'
  /** Weird: bytes after the last resource record the header counts. */
  | 'dns.trailing_bytes'
  /**
   * Weird: an answer's RDATA does not hold the name its type calls for (NetBIOS NBSTAT answers reuse
   * type 33, SRV's code); the answer is listed as `<unknown type=N>`.
   */
  | 'dns.bad_rdata';

/** The fixed 12-byte header (RFC 1035 §4.1.1); Wireshark names in brackets. */
export interface DnsHeader {
  /** ID (dns.id). */
  readonly id: number;
  /** The whole flags word (dns.flags). */
  readonly flags: number;
  /** QR: true for a response (dns.flags.response). */
  readonly qr: boolean;
  /** OPCODE 0..15 (dns.flags.opcode). */
  readonly opcode: number;
  readonly aa: boolean;
  readonly tc: boolean;
  readonly rd: boolean;
  readonly ra: boolean;
  /** Z: the three bits after RA (RFC 1035's reserved field; RFC 4035 AD and CD live in it), 0..7. */
  readonly z: number;
  /** RCODE 0..15 (dns.flags.rcode). */
  readonly rcode: number;
  readonly qdcount: number;
  readonly ancount: number;
  readonly nscount: number;
  readonly arcount: number;
}

/** One answer-section record as Zeek's dns.log lists it. */
export interface DnsAnswer {
  /** TYPE (RFC 1035 §3.2.2). */
  readonly type: number;
  /** TTL, seconds (32-bit unsigned, RFC 2181 §8). */
  readonly ttl: number;
  /**
   * RDATA as Zeek writes it in `answers`: A / AAAA address text, the name of CNAME, NS, PTR, MX
   * (exchange), SOA (MNAME), SRV (target); `TXT <len> <text>` per character-string (SPF likewise);
   * `<unknown type=N>` for other types.
   */
  readonly text: string;
}

/** A parsed message. Only the first question is kept (all others are read and checked). */
export interface DnsMessage {
  readonly header: DnsHeader;
  /** First QNAME in text (lower case, Zeek escapes), or null without a question. */
  readonly query: string | null;
  readonly qtype: number;
  readonly qclass: number;
  /** Answer-section records, at most `maxAnswers`. */
  readonly answers: DnsAnswer[];
  /** Answer records read but not kept (beyond `maxAnswers`). */
  readonly answersDropped: number;
  /** True when a name was cut at `maxChars` characters. */
  readonly stringTruncated: boolean;
}

/** Result of `parseDnsMessage`. `weird` notes an oddity of a message that still parsed. */
export type DnsResult =
  | { readonly kind: 'ok'; readonly message: DnsMessage; readonly weird: DnsGrammarAnomaly | null; readonly weirdDetail: string }
  | { readonly kind: 'malformed'; readonly anomaly: DnsGrammarAnomaly; readonly detail: string };

function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/**
 * The header at `b[start]` (RFC 1035 §4.1.1), or null when fewer than 12 bytes remain.
 * @param end offset past the message's last byte
 */
export function parseDnsHeader(b: Uint8Array, start: number, end: number): DnsHeader | null {
  if (end - start < DNS_HEADER_BYTES) return null;
  const flags = u16(b, start + 2);
  return {
    id: u16(b, start),
    flags,
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >>> 11) & 0xf,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    z: (flags >>> 4) & 0x7,
    rcode: flags & 0xf,
    qdcount: u16(b, start + 4),
    ancount: u16(b, start + 6),
    nscount: u16(b, start + 8),
    arcount: u16(b, start + 10),
  };
}

const HEX = '0123456789abcdef';

/**
 * Reads names with decompression (RFC 1035 §3.1, §4.1.4). `next` is the offset after the name in
 * the record being read (after its first pointer, if any); `text` the name in text form; `error`
 * the anomaly when reading failed. One reader per parse: reading is the only state it has.
 */
class NameReader {
  next = 0;
  text = '';
  truncated = false;
  error: DnsGrammarAnomaly | null = null;

  constructor(
    private readonly b: Uint8Array,
    private readonly msgStart: number,
    private readonly msgEnd: number,
    private readonly maxChars: number,
  ) {}

  /**
   * Read the name at `off`; with `keepText` false only its end is found (no string built).
   * @returns false on a malformed name (`error` set)
   */
  read(off: number, keepText: boolean): boolean {
    const b = this.b;
    const end = this.msgEnd;
    let p = off;
    let jumps = 0;
    let octets = 0;
    let next = -1;
    let text = '';
    let truncated = false;
    for (;;) {
      if (p >= end) return this.fail('dns.truncated');
      const len = b[p];
      const top = len & 0xc0;
      if (top === 0xc0) {
        if (p + 1 >= end) return this.fail('dns.truncated');
        if (next < 0) next = p + 2;
        if (++jumps > MAX_POINTER_JUMPS) return this.fail('dns.name_loop');
        const target = this.msgStart + (((len & 0x3f) << 8) | b[p + 1]);
        if (target >= end) return this.fail('dns.bad_pointer');
        p = target;
        continue;
      }
      if (top !== 0) return this.fail('dns.bad_label_type');
      octets += len + 1;
      if (octets > MAX_NAME_OCTETS) return this.fail('dns.name_too_long');
      if (len === 0) {
        if (next < 0) next = p + 1;
        break;
      }
      if (p + 1 + len > end) return this.fail('dns.truncated');
      if (keepText && !truncated) {
        if (text.length > 0) text += '.';
        for (let i = p + 1; i <= p + len; i++) {
          let c = b[i];
          if (c >= 0x41 && c <= 0x5a) c += 0x20;
          if (c >= 0x20 && c < 0x7f && c !== 0x5c) text += String.fromCharCode(c);
          else text += c === 0x5c ? '\\\\' : `\\x${HEX[c >>> 4]}${HEX[c & 15]}`;
        }
        if (text.length > this.maxChars) {
          text = text.slice(0, this.maxChars);
          truncated = true;
        }
      }
      p += 1 + len;
    }
    this.next = next;
    this.text = text;
    this.truncated = truncated;
    return true;
  }

  private fail(a: DnsGrammarAnomaly): boolean {
    this.error = a;
    return false;
  }
}

/** Zeek's `answers` text of one record's RDATA at `b[rd, rd + rdlen)`; null when malformed (reader.error set). */
function rdataText(r: NameReader, b: Uint8Array, type: number, rd: number, rdlen: number): string | null {
  switch (type) {
    case 1: // A (§3.4.1)
      if (rdlen !== 4) return `<unknown type=${type}>`;
      return `${b[rd]}.${b[rd + 1]}.${b[rd + 2]}.${b[rd + 3]}`;
    case 28: // AAAA (RFC 3596 §2.2)
      if (rdlen !== 16) return `<unknown type=${type}>`;
      return ipv6Text(b, rd);
    case 2: // NS
    case 5: // CNAME
    case 12: // PTR
    case 6: // SOA: MNAME first (§3.3.13)
      return r.read(rd, true) ? r.text : null;
    case 15: // MX: preference(2) exchange (§3.3.9)
      if (rdlen < 3) return `<unknown type=${type}>`;
      return r.read(rd + 2, true) ? r.text : null;
    case 33: // SRV: priority(2) weight(2) port(2) target (RFC 2782)
      if (rdlen < 7) return `<unknown type=${type}>`;
      return r.read(rd + 6, true) ? r.text : null;
    case 16: // TXT (§3.3.14)
    case 99: {
      // SPF (RFC 4408 §3.1.1), same layout
      const tag = type === 16 ? 'TXT' : 'SPF';
      let out = '';
      let p = rd;
      const end = rd + rdlen;
      while (p < end) {
        const n = b[p];
        if (p + 1 + n > end) break;
        let s = '';
        for (let i = p + 1; i <= p + n; i++) {
          const c = b[i];
          s += c >= 0x20 && c < 0x7f && c !== 0x5c ? String.fromCharCode(c) : c === 0x5c ? '\\\\' : `\\x${HEX[c >>> 4]}${HEX[c & 15]}`;
        }
        out += `${out.length > 0 ? ' ' : ''}${tag} ${n} ${s}`;
        p += 1 + n;
      }
      return out;
    }
    default:
      return `<unknown type=${type}>`;
  }
}

/**
 * Parse the DNS message `b[start, end)` (RFC 1035 §4.1): header (§4.1.1), QDCOUNT questions
 * (§4.1.2; the first is kept), ANCOUNT + NSCOUNT + ARCOUNT resource records (§4.1.3; answer-section
 * RDATA rendered as Zeek's dns.log does, the others checked and skipped by RDLENGTH).
 * @param b input (a view; not kept)
 * @param start first byte of the message (after the TCP length prefix, if any)
 * @param end offset past the message's last byte
 * @param maxAnswers answer records kept (limits.maxVectorLength); the rest are counted
 * @param maxChars characters kept of a name (limits.maxStringLength)
 * @returns ok (with at most one weird noted: `dns.bad_rdata`, else `dns.trailing_bytes`) or malformed: `dns.truncated`,
 *   `dns.name_loop`, `dns.bad_pointer`, `dns.name_too_long`, `dns.bad_label_type`
 */
export function parseDnsMessage(b: Uint8Array, start: number, end: number, maxAnswers: number, maxChars: number): DnsResult {
  const header = parseDnsHeader(b, start, end);
  if (header === null) return { kind: 'malformed', anomaly: 'dns.truncated', detail: `${end - start} bytes, header needs ${DNS_HEADER_BYTES}` };
  const r = new NameReader(b, start, end, maxChars);
  let p = start + DNS_HEADER_BYTES;
  let query: string | null = null;
  let qtype = 0;
  let qclass = 0;
  let stringTruncated = false;
  for (let i = 0; i < header.qdcount; i++) {
    if (!r.read(p, i === 0)) return bad(r, `question ${i + 1}`);
    p = r.next;
    if (p + 4 > end) return { kind: 'malformed', anomaly: 'dns.truncated', detail: `question ${i + 1} ends inside QTYPE/QCLASS` };
    if (i === 0) {
      query = r.text;
      stringTruncated = r.truncated;
      qtype = u16(b, p);
      qclass = u16(b, p + 2);
    }
    p += 4;
  }
  const answers: DnsAnswer[] = [];
  let dropped = 0;
  let weird: DnsGrammarAnomaly | null = null;
  let weirdDetail = '';
  const records = header.ancount + header.nscount + header.arcount;
  for (let i = 0; i < records; i++) {
    if (!r.read(p, false)) return bad(r, `record ${i + 1}`);
    p = r.next;
    if (p + 10 > end) return { kind: 'malformed', anomaly: 'dns.truncated', detail: `record ${i + 1} ends inside its fixed fields` };
    const type = u16(b, p);
    const ttl = u32(b, p + 4);
    const rdlen = u16(b, p + 8);
    const rd = p + 10;
    if (rd + rdlen > end) return { kind: 'malformed', anomaly: 'dns.truncated', detail: `record ${i + 1} RDATA of ${rdlen} bytes passes the end` };
    if (i < header.ancount) {
      if (answers.length < maxAnswers) {
        let text = rdataText(r, b, type, rd, rdlen);
        if (text === null) {
          if (weird === null) {
            weird = 'dns.bad_rdata';
            weirdDetail = `answer ${i + 1} of type ${type}: ${(r.error ?? 'dns.truncated').slice(4).replace(/_/g, ' ')} in RDATA`;
          }
          text = `<unknown type=${type}>`;
        } else if (r.truncated) stringTruncated = true;
        answers.push({ type, ttl, text });
      } else dropped++;
    }
    p = rd + rdlen;
  }
  const message: DnsMessage = { header, query, qtype, qclass, answers, answersDropped: dropped, stringTruncated };
  if (weird === null && p < end) return { kind: 'ok', message, weird: 'dns.trailing_bytes', weirdDetail: `${end - p} bytes after the last record` };
  return { kind: 'ok', message, weird, weirdDetail };
}

function bad(r: NameReader, where: string): DnsResult {
  const anomaly = r.error ?? 'dns.truncated';
  return { kind: 'malformed', anomaly, detail: `${where}: ${anomaly.slice(4).replace(/_/g, ' ')}` };
}
