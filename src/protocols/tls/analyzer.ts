import type { FlowContext, StreamAnalyzer } from '../../session/analyzer.js';
import { ja3, ja3s, ja4 } from './fingerprint.js';
import {
  ContentType,
  ecdheNamedCurve,
  HANDSHAKE_HEADER_BYTES,
  HandshakeType,
  isRecordHeader,
  leafCertificate,
  parseClientHello,
  parseServerHello,
  parseSslv2ClientHello,
  RECORD_HEADER_BYTES,
} from './grammar.js';
import { SSL_STREAM, sslRecord, type SslFlowIds, type SslInfo } from './log.js';
import { alertName, cipherName, curveName, handshakeLetter, isEcdheSuite, versionName } from './names.js';
import { certificateNames } from './x509.js';

/** Anomaly names of the TLS analyzer. */
export type TlsAnomaly =
  /** Violation: a record header with a content type outside 20–24, a major version other than 3 or a bad length; the direction resyncs. */
  | 'tls.invalid_record'
  /** Violation: a ClientHello whose lengths do not add up (RFC 8446 §4.1.2). */
  | 'tls.malformed_client_hello'
  /** Violation: a ServerHello whose lengths do not add up (RFC 8446 §4.1.3). */
  | 'tls.malformed_server_hello'
  /** Weird: a Certificate message or its leaf certificate's DER (RFC 5280 §4.1) could not be read. */
  | 'tls.malformed_certificate'
  /** Weird: a handshake message longer than limits.maxAnalyzerBufferBytes (skipped unparsed). */
  | 'tls.handshake_too_long'
  /** Weird: an SSL 2.0-compatible CLIENT-HELLO (RFC 6101 App. E.2), obsolete since RFC 6176. */
  | 'tls.sslv2_client_hello'
  /** Weird: bytes lost where records could not be skipped; the direction resyncs at the next record header. */
  | 'tls.content_gap'
  /** Weird: ssl_history reached MAX_HISTORY letters (Zeek's SSL_max_ssl_history_length_reached). */
  | 'tls.history_limit'
  /** Fatal: too many violations before any hello was understood; the analyzer detaches. */
  | 'tls.too_many_violations';

/** Violations tolerated before the first valid hello; the next one stops the analyzer (fatal). */
export const MAX_UNCONFIRMED_VIOLATIONS = 3;
/** Letters kept in ssl_history (Zeek SSL::max_ssl_history_length). */
export const MAX_HISTORY = 100;
/** First size, bytes, of a direction's buffer for a cut handshake message (grown ×2 as bytes arrive, up to the message length). */
export const HS_BUFFER_MIN_BYTES = 64;
/** A handshake buffer larger than this many bytes is released once its message is parsed (a certificate chain's buffer is not kept for the flow's life). */
export const HS_BUFFER_KEEP_BYTES = 4096;

/** Parsing state of one direction's record stream. */
class Direction {
  /** Record header bytes gathered so far (a header split across segments). */
  readonly hdr = new Uint8Array(RECORD_HEADER_BYTES);
  hdrLen = 0;
  /** Content type and body bytes still to come of the record being read (0: reading a header). */
  type = 0;
  remaining = 0;
  /**
   * Bytes of a handshake message cut by a record or segment end: allocated when needed and grown as its
   * bytes arrive (never sized from the declared length alone), at most the message length ≤ the buffer limit.
   */
  hs: Uint8Array | null = null;
  hsLen = 0;
  /** Bytes of an over-long handshake message still to skip. */
  hsSkip = 0;
  /** Bytes of a clear alert read: the level byte (1) and description (0 after a whole alert). */
  alertPos = 0;
  /** Records of this direction are encrypted now (after its ChangeCipherSpec, or after a TLS 1.3 ServerHello). */
  encrypted = false;
  ccs = false;
  appData = false;
  /** Looking for the next record header after lost or bad bytes. */
  resync = false;
  /** Bytes delivered so far (an SSL 2.0 hello is only looked for at 0). */
  seen = 0;
}

/**
 * TLS 1.0–1.3 and SSL 3.0 handshake metadata over one TCP connection (RFC 5246, RFC 8446): the record layer
 * is framed per direction (§5.1 / §6.2; headers split across segments joined in a 5-byte buffer, bodies of
 * records not read skipped by count), clear handshake messages are parsed in place or, when cut, joined
 * across records and segments in a buffer of at most limits.maxAnalyzerBufferBytes (a longer message is
 * skipped by count, weird `tls.handshake_too_long`), and ClientHello, ServerHello (and HelloRetryRequest), Certificate,
 * ServerKeyExchange, ClientKeyExchange, ChangeCipherSpec and alerts fill one Zeek `ssl` record (log.ts)
 * with JA3 / JA3S / JA4 (fingerprint.ts). The client is the side that sent the ClientHello (`^` in
 * ssl_history when that is the responder). The record is written when the handshake is established — the
 * analyzer then stops reading the flow, as Zeek's SSL::disable_analyzer_after_detection — or at the flow's
 * end. A gap inside a record that is not being parsed is skipped by count; elsewhere the direction resyncs
 * at the next plausible record header (`tls.content_gap`). Allocation happens per handshake message only.
 */
export class TlsStreamAnalyzer implements StreamAnalyzer {
  private readonly orig = new Direction();
  private readonly resp = new Direction();
  private readonly flow: SslFlowIds;
  private readonly info: SslInfo = {
    ts: 0,
    version: null,
    cipher: null,
    curve: null,
    serverName: null,
    resumed: false,
    lastAlert: null,
    nextProtocol: null,
    established: false,
    history: '',
    subject: null,
    issuer: null,
    ja3: null,
    ja3s: null,
    ja4: null,
  };
  /** Something worth a record was seen (a hello, a clear alert or a ChangeCipherSpec after a hello). */
  private seen = false;
  private emitted = false;
  private stopped = false;
  private confirmed = false;
  private violations = 0;
  private clientIsOrig = true;
  private clientHelloSeen = false;
  private tls13 = false;
  private cipher = -1;
  /** Client session id (hex) offered for resumption, '' when none (Zeek ignores 32 zero bytes). */
  private sessionId = '';
  private ticketEmptySession = false;
  private clientKeyExchange = false;
  private clientPsk = false;

  constructor(private readonly ctx: FlowContext) {
    const id = ctx.id;
    this.flow = { uid: ctx.uid, origH: id.orig_h, origP: id.orig_p, respH: id.resp_h, respP: id.resp_p };
  }

  get done(): boolean {
    return this.stopped;
  }

  /** Bytes allocated for joining cut handshake messages, both directions together (0 when none is held). */
  get bufferedBytes(): number {
    return (this.orig.hs === null ? 0 : this.orig.hs.length) + (this.resp.hs === null ? 0 : this.resp.hs.length);
  }

  /** In-order bytes of one direction (a view valid during the call). @param ts seconds */
  deliver(isOrig: boolean, data: Uint8Array, ts: number): void {
    const d = isOrig ? this.orig : this.resp;
    const end = data.length;
    let off = 0;
    if (d.seen === 0 && end > 0 && (data[0] & 0x80) !== 0) off = this.sslv2Hello(isOrig, data, ts);
    d.seen += end;
    while (off < end && !this.stopped) {
      if (d.resync) {
        off = findRecordHeader(data, off, end);
        if (off < 0) return;
        d.resync = false;
      }
      if (d.remaining === 0) {
        // Gather the 5-byte header.
        if (d.hdrLen === 0 && end - off >= RECORD_HEADER_BYTES) {
          this.header(d, isOrig, data, off, ts);
          off += RECORD_HEADER_BYTES;
        } else {
          while (d.hdrLen < RECORD_HEADER_BYTES && off < end) d.hdr[d.hdrLen++] = data[off++];
          if (d.hdrLen < RECORD_HEADER_BYTES) return;
          d.hdrLen = 0;
          this.header(d, isOrig, d.hdr, 0, ts);
        }
        continue;
      }
      const take = d.remaining < end - off ? d.remaining : end - off;
      this.body(d, isOrig, data, off, take, ts);
      off += take;
      d.remaining -= take;
    }
  }

  /** `len` bytes of one direction lost: skipped by count inside a record not being parsed, else the direction resyncs. */
  gap(isOrig: boolean, len: number, ts: number): void {
    if (this.stopped) return;
    const d = isOrig ? this.orig : this.resp;
    d.seen += len;
    const parsed = d.type === ContentType.HANDSHAKE && !d.encrypted;
    if (d.remaining > 0 && len <= d.remaining && !parsed && d.alertPos === 0) {
      d.remaining -= len;
      return;
    }
    this.ctx.anomaly('tls.content_gap', 'weird', ts, `${isOrig ? 'orig' : 'resp'}: ${len} bytes lost`);
    d.remaining = 0;
    d.hdrLen = 0;
    d.hsLen = 0;
    d.hsSkip = 0;
    d.alertPos = 0;
    d.resync = true;
  }

  /** The flow is over: write the `ssl` record if a handshake was seen. */
  end(_ts: number): void {
    this.flush();
    this.stopped = true;
  }

  private flush(): void {
    if (this.emitted || !this.seen) return;
    this.emitted = true;
    this.ctx.emit(SSL_STREAM.name, sslRecord(this.flow, this.info));
  }

  /** An SSL 2.0-compatible ClientHello at the start of a direction; returns the offset after it (0 when absent). */
  private sslv2Hello(isOrig: boolean, data: Uint8Array, ts: number): number {
    const lim = this.ctx.limits;
    const ch = parseSslv2ClientHello(data, 0, data.length, lim.maxVectorLength);
    if (ch === null) return 0;
    this.ctx.anomaly('tls.sslv2_client_hello', 'weird', ts, `version 0x${ch.version.toString(16).padStart(4, '0')}`);
    this.touch(ts);
    if (!isOrig) this.flip();
    this.clientHelloSeen = true;
    this.addHistory(true, 0x63);
    if (ch.sessionId !== '' && !/^0{64}$/.test(ch.sessionId)) this.sessionId = ch.sessionId;
    this.confirm();
    return 2 + (((data[0] & 0x7f) << 8) | data[1]);
  }

  /** A complete record header at b[off, off+5). */
  private header(d: Direction, isOrig: boolean, b: Uint8Array, off: number, ts: number): void {
    if (!isRecordHeader(b, off, 0)) {
      this.violation('tls.invalid_record', ts, `${isOrig ? 'orig' : 'resp'}: ${hexBytes(b, off, RECORD_HEADER_BYTES)}`);
      d.resync = true;
      return;
    }
    const type = b[off];
    d.type = type;
    d.remaining = (b[off + 3] << 8) | b[off + 4];
    const client = isOrig === this.clientIsOrig;
    if (type === ContentType.CHANGE_CIPHER_SPEC) {
      if (!this.seen) return;
      this.addHistory(client, 0x69);
      d.ccs = true;
      if (!this.tls13) d.encrypted = true;
      if (client && this.ticketEmptySession && !this.clientKeyExchange) this.info.resumed = true;
      if (!this.tls13 && this.orig.ccs && this.resp.ccs) this.establish();
    } else if (type === ContentType.APPLICATION_DATA) {
      d.appData = true;
      if (this.tls13 && this.orig.appData && this.resp.appData) this.establish();
    } else if (type === ContentType.HEARTBEAT) {
      if (this.seen && !d.encrypted) this.addHistory(client, 0x62);
    }
  }

  /** `len` body bytes of the current record at b[off, off+len). */
  private body(d: Direction, isOrig: boolean, b: Uint8Array, off: number, len: number, ts: number): void {
    if (d.encrypted) return;
    if (d.type === ContentType.HANDSHAKE) this.handshakeBytes(d, isOrig, b, off, len, ts);
    else if (d.type === ContentType.ALERT) {
      for (let i = 0; i < len; i++) {
        if (d.alertPos === 0) d.alertPos = 1;
        else {
          d.alertPos = 0;
          this.touch(ts);
          this.info.lastAlert = alertName(b[off + i]);
          this.addHistory(isOrig === this.clientIsOrig, 0x6c);
        }
      }
    }
  }

  /**
   * Handshake record bytes b[off, off+len): whole messages are parsed in place; a message cut by the record
   * or segment end is joined in the direction's buffer (grown as its bytes arrive, at most the message
   * length ≤ limits.maxAnalyzerBufferBytes); a longer message is skipped by count (weird `tls.handshake_too_long`).
   */
  private handshakeBytes(d: Direction, isOrig: boolean, b: Uint8Array, off: number, len: number, ts: number): void {
    const max = this.ctx.limits.maxAnalyzerBufferBytes;
    const end = off + len;
    let p = off;
    while (p < end && !this.stopped) {
      if (d.hsSkip > 0) {
        const n = end - p < d.hsSkip ? end - p : d.hsSkip;
        d.hsSkip -= n;
        p += n;
        continue;
      }
      if (d.hsLen === 0 && end - p >= HANDSHAKE_HEADER_BYTES) {
        const total = HANDSHAKE_HEADER_BYTES + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]);
        if (total > max) {
          this.tooLong(d, isOrig, b[p], total, ts);
          continue;
        }
        if (p + total <= end) {
          this.message(d, isOrig, b[p], b, p + HANDSHAKE_HEADER_BYTES, p + total, ts);
          p += total;
          continue;
        }
      }
      // Join a cut message: first its 4-byte header, then the rest of it.
      let buf = d.hs;
      if (buf === null) buf = d.hs = new Uint8Array(HANDSHAKE_HEADER_BYTES);
      if (d.hsLen < HANDSHAKE_HEADER_BYTES) {
        while (d.hsLen < HANDSHAKE_HEADER_BYTES && p < end) buf[d.hsLen++] = b[p++];
        if (d.hsLen < HANDSHAKE_HEADER_BYTES) return;
      }
      const total = HANDSHAKE_HEADER_BYTES + ((buf[1] << 16) | (buf[2] << 8) | buf[3]);
      if (total > max) {
        d.hsLen = 0;
        this.tooLong(d, isOrig, buf[0], total, ts);
        d.hsSkip -= HANDSHAKE_HEADER_BYTES;
        continue;
      }
      const n = total - d.hsLen < end - p ? total - d.hsLen : end - p;
      if (buf.length < d.hsLen + n) buf = d.hs = grown(buf, d.hsLen, d.hsLen + n, total);
      buf.set(b.subarray(p, p + n), d.hsLen);
      d.hsLen += n;
      p += n;
      if (d.hsLen < total) return;
      d.hsLen = 0;
      if (buf.length > HS_BUFFER_KEEP_BYTES) d.hs = null;
      this.message(d, isOrig, buf[0], buf, HANDSHAKE_HEADER_BYTES, total, ts);
    }
  }

  /** A handshake message of `total` bytes (header included) over the buffer limit: letter, weird, skipped whole. */
  private tooLong(d: Direction, isOrig: boolean, type: number, total: number, ts: number): void {
    this.ctx.anomaly('tls.handshake_too_long', 'weird', ts, `type ${type}, ${total - HANDSHAKE_HEADER_BYTES} bytes`);
    this.addHistory(isOrig === this.clientIsOrig, handshakeLetter(type));
    d.hsSkip = total;
  }

  /** One whole clear handshake message of `type`, body at b[off, end). */
  private message(d: Direction, isOrig: boolean, type: number, b: Uint8Array, off: number, end: number, ts: number): void {
    const lim = this.ctx.limits;
    if (type === HandshakeType.CLIENT_HELLO) {
      const ch = parseClientHello(b, off, end, lim.maxStringLength, lim.maxVectorLength);
      if (ch === null) {
        this.violation('tls.malformed_client_hello', ts, `${end - off} bytes`);
        return;
      }
      this.touch(ts);
      if (!isOrig && !this.clientHelloSeen) this.flip();
      this.addHistory(true, 0x63);
      if (!this.clientHelloSeen) {
        this.info.ja3 = ja3(ch);
        this.info.ja4 = ja4(ch);
      }
      this.clientHelloSeen = true;
      if (ch.serverName !== null) this.info.serverName = ch.serverName;
      if (ch.ticket) this.ticketEmptySession = true;
      if (ch.sessionId !== '' && !/^0{64}$/.test(ch.sessionId)) {
        this.sessionId = ch.sessionId;
        this.ticketEmptySession = false;
      }
      if (ch.psk) this.clientPsk = true;
      this.confirm();
      return;
    }
    const client = isOrig === this.clientIsOrig;
    if (type === HandshakeType.SERVER_HELLO) {
      const sh = parseServerHello(b, off, end, lim.maxStringLength, lim.maxVectorLength);
      if (sh === null) {
        this.violation('tls.malformed_server_hello', ts, `${end - off} bytes`);
        return;
      }
      this.touch(ts);
      const v = sh.selectedVersion >= 0 ? sh.selectedVersion : sh.version;
      this.info.version = versionName(v);
      this.cipher = sh.cipher;
      this.info.cipher = cipherName(sh.cipher);
      this.info.ja3s = ja3s(sh);
      if (sh.keyShareGroup >= 0) this.info.curve = curveName(sh.keyShareGroup);
      if (sh.alpn !== null) this.info.nextProtocol = sh.alpn;
      if (this.sessionId !== '' && this.sessionId === sh.sessionId && v !== 0x0304 && v >>> 8 !== 0x7f) this.info.resumed = true;
      if (sh.psk && this.clientPsk) this.info.resumed = true;
      this.addHistory(client, sh.retry ? 0x6a : 0x73);
      if (!sh.retry && (v === 0x0304 || v >>> 8 === 0x7f)) {
        this.tls13 = true;
        d.encrypted = true;
      }
      this.confirm();
      return;
    }
    this.addHistory(client, handshakeLetter(type));
    if (type === HandshakeType.CERTIFICATE && !client && this.info.subject === null) {
      const leaf = leafCertificate(b, off, end);
      if (leaf === null) {
        this.ctx.anomaly('tls.malformed_certificate', 'weird', ts, 'certificate_list');
        return;
      }
      if (leaf[0] < 0) return;
      const names = certificateNames(b, leaf[0], leaf[1], lim.maxStringLength);
      if (names === null) {
        this.ctx.anomaly('tls.malformed_certificate', 'weird', ts, 'leaf certificate DER');
        return;
      }
      this.info.subject = names.subject;
      this.info.issuer = names.issuer;
    } else if (type === HandshakeType.SERVER_KEY_EXCHANGE && !client && isEcdheSuite(this.cipher)) {
      const curve = ecdheNamedCurve(b, off, end);
      if (curve >= 0) this.info.curve = curveName(curve);
    } else if (type === HandshakeType.CLIENT_KEY_EXCHANGE && client) this.clientKeyExchange = true;
  }

  /** The ClientHello came from the responder: it is the client (Zeek's ssl_connection_flipped, `^`). */
  private flip(): void {
    this.clientIsOrig = false;
    this.info.history += '^';
  }

  private touch(ts: number): void {
    if (this.seen) return;
    this.seen = true;
    this.info.ts = ts;
  }

  private confirm(): void {
    if (this.confirmed) return;
    this.confirmed = true;
    this.ctx.confirm('ssl');
  }

  private establish(): void {
    this.info.established = true;
    this.flush();
    this.stopped = true;
  }

  /** Append a Zeek ssl_history letter (`lower` is the lower-case letter; upper-cased for the client). */
  private addHistory(client: boolean, lower: number): void {
    const h = this.info.history;
    if (h.length >= MAX_HISTORY) return;
    this.info.history = h + String.fromCharCode(client ? lower - 0x20 : lower);
    if (this.info.history.length === MAX_HISTORY) this.ctx.anomaly('tls.history_limit', 'weird', this.info.ts, `${MAX_HISTORY} letters`);
  }

  private violation(name: 'tls.invalid_record' | 'tls.malformed_client_hello' | 'tls.malformed_server_hello', ts: number, addl: string): void {
    if (this.confirmed) {
      this.ctx.anomaly(name, 'weird', ts, addl);
      return;
    }
    this.violations++;
    if (this.violations > MAX_UNCONFIRMED_VIOLATIONS) {
      this.ctx.anomaly('tls.too_many_violations', 'fatal', ts, `${this.violations} violations before a hello`);
      this.flush();
      this.stopped = true;
      return;
    }
    this.ctx.anomaly(name, 'violation', ts, addl);
  }
}

/**
 * A buffer holding `used` bytes of `buf` with room for at least `need` bytes: twice the old size (at least
 * HS_BUFFER_MIN_BYTES), never more than `total` (the message length), never less than `need`.
 */
function grown(buf: Uint8Array, used: number, need: number, total: number): Uint8Array {
  let size = buf.length * 2 > HS_BUFFER_MIN_BYTES ? buf.length * 2 : HS_BUFFER_MIN_BYTES;
  if (size > total) size = total;
  if (size < need) size = need;
  const out = new Uint8Array(size);
  out.set(buf.subarray(0, used));
  return out;
}

/** Offset of the first plausible record header in [off, end - 5], or -1. */
function findRecordHeader(b: Uint8Array, off: number, end: number): number {
  for (let p = off; p + RECORD_HEADER_BYTES <= end; p++) if (isRecordHeader(b, p, 1)) return p;
  return -1;
}

/** Hex of a few bytes, for anomaly details. */
function hexBytes(b: Uint8Array, off: number, n: number): string {
  let s = '';
  for (let i = 0; i < n && off + i < b.length; i++) s += (b[off + i] < 16 ? '0' : '') + b[off + i].toString(16);
  return s;
}
