import type { FlowContext, StreamAnalyzer } from '../../session/analyzer.js';
import {
  endsWithChunked,
  findLf,
  latin1,
  lineContentEnd,
  mediaType,
  nameIs,
  parseChunkSize,
  parseContentLength,
  parseRequestLine,
  parseStatusLine,
  splitHeader,
  type HeaderSplit,
} from './grammar.js';
import { HTTP_BODY_STREAM, HTTP_STREAM, httpRecord, type HttpFlowIds, type HttpReplySide, type HttpRequestSide } from './log.js';

/** Anomaly names of the HTTP analyzer. */
export type HttpAnomaly =
  /** Violation: a client line where a request line belongs is not `method SP target SP HTTP/1.x`. */
  | 'http.bad_request_line'
  /** Violation: a server line where a status line belongs is not `HTTP/1.x SP 3DIGIT [SP reason]`. */
  | 'http.bad_status_line'
  /** Violation: Content-Length is not a non-negative integer (or a list of differing ones). */
  | 'http.bad_content_length'
  /** Weird: a header line without a colon or with a non-token name (ignored). */
  | 'http.bad_header_line'
  /** Weird: both Transfer-Encoding chunked and Content-Length (RFC 9112 §6.3: chunked wins). */
  | 'http.content_length_and_chunked'
  /** Weird: a chunk-size line is not hex digits (the message ends there; parsing resyncs). */
  | 'http.bad_chunk_size'
  /** Weird: chunk data is not followed by CRLF. */
  | 'http.bad_chunk_end'
  /** Weird: a line longer than limits.maxAnalyzerBufferBytes (skipped; parsing resyncs). */
  | 'http.line_too_long'
  /** Weird: bytes lost inside a message's head or chunk framing; parsing resyncs at the next start line. */
  | 'http.content_gap'
  /** Weird: more than limits.maxPendingRequests requests without a reply; the oldest is logged alone. */
  | 'http.pending_limit'
  /** Fatal: too many violations before any valid start line; the analyzer detaches. */
  | 'http.too_many_violations';

/** Violations tolerated before the first valid start line; the next one stops the analyzer (fatal). */
export const MAX_UNCONFIRMED_VIOLATIONS = 3;

// Per-direction parser states.
const S_START = 0;
const S_HEADERS = 1;
const S_BODY_LEN = 2;
const S_CHUNK_SIZE = 3;
const S_CHUNK_DATA = 4;
const S_CHUNK_END = 5;
const S_TRAILER = 6;
const S_BODY_EOF = 7;
const S_RESYNC = 8;
const S_TUNNEL = 9;

/** Headers whose presence reveals a proxy (Zeek HTTP::proxy_headers), lower case. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-from', 'client-ip', 'via', 'xroxy-connection', 'proxy-connection'];

/** Parsing state of one direction. */
class Direction {
  state = S_START;
  /** Bytes of a line begun in an earlier chunk. */
  line: Uint8Array | null = null;
  lineLen = 0;
  /** Dropping bytes up to the next LF (an over-long line). */
  discard = false;
  /** Body or chunk bytes still to come. */
  remaining = 0;
  contentLength = -1;
  chunked = false;
  mime: string | null = null;
  /** Body excerpt (first maxHttpBodyBytes bytes). */
  body: Uint8Array | null = null;
  kept = 0;
  bodyLen = 0;
  /** Body bytes were lost (gap) or not kept (limit). */
  cut = false;
  /** The request (orig) or reply (resp) being parsed. */
  req: HttpRequestSide | null = null;
  rep: HttpReplySide | null = null;

  constructor(readonly isOrig: boolean) {}

  resetMessage(): void {
    this.contentLength = -1;
    this.chunked = false;
    this.mime = null;
    this.kept = 0;
    this.bodyLen = 0;
    this.cut = false;
    this.remaining = 0;
  }
}

/**
 * HTTP/1.0 and 1.1 over one TCP connection (RFC 9112): request lines (§3), status lines (§4), header
 * fields (§5), message body length (§6.3) by Content-Length or the chunked coding (§7.1), replies read
 * to the close when they have neither; pipelined requests paired with replies in order (§9.3.2).
 * Writes one `http` record per pair (log.ts; at the reply's end, or at the flow's end for requests
 * never answered) and one `http_body` excerpt per non-empty body. CONNECT 2xx and 101 replies end
 * parsing of the flow (a tunnel). A gap inside a body is counted; elsewhere the message is closed and
 * the direction resyncs at the next request or status line (`http.content_gap`); a flow first seen
 * mid-message resyncs the same way. Bounded: one partial line of at most limits.maxAnalyzerBufferBytes
 * and one body excerpt of at most limits.maxHttpBodyBytes per direction, at most
 * limits.maxPendingRequests unanswered requests. Per packet: no allocation outside message heads.
 */
export class HttpStreamAnalyzer implements StreamAnalyzer {
  private readonly orig = new Direction(true);
  private readonly resp = new Direction(false);
  private readonly flow: HttpFlowIds;
  private readonly pending: HttpRequestSide[] = [];
  private readonly split: HeaderSplit = { colon: -1, valueStart: 0, valueEnd: 0 };
  private depth = 0;
  private confirmed = false;
  private violations = 0;
  private stopped = false;
  /** Last 1xx reply of the exchange in progress. */
  private infoCode = 0;
  private infoMsg: string | null = null;

  constructor(private readonly ctx: FlowContext) {
    const id = ctx.id;
    this.flow = { uid: ctx.uid, origH: id.orig_h, origP: id.orig_p, respH: id.resp_h, respP: id.resp_p };
  }

  get done(): boolean {
    return this.stopped;
  }

  /** In-order bytes of one direction (a view valid during the call). @param ts seconds */
  deliver(isOrig: boolean, data: Uint8Array, ts: number): void {
    const d = isOrig ? this.orig : this.resp;
    const end = data.length;
    let off = 0;
    while (off < end && !this.stopped) {
      const st = d.state;
      if (st === S_TUNNEL) return;
      if (st === S_BODY_LEN || st === S_CHUNK_DATA || st === S_BODY_EOF) {
        const take = st === S_BODY_EOF ? end - off : Math.min(d.remaining, end - off);
        this.bodyBytes(d, data, off, take);
        off += take;
        if (st !== S_BODY_EOF) {
          d.remaining -= take;
          if (d.remaining === 0) {
            if (st === S_BODY_LEN) this.messageDone(d, ts);
            else d.state = S_CHUNK_END;
          }
        }
        continue;
      }
      const lf = findLf(data, off, end);
      if (d.discard) {
        if (lf < 0) return;
        d.discard = false;
        off = lf + 1;
        continue;
      }
      if (lf < 0) {
        this.holdLine(d, data, off, end, ts);
        return;
      }
      if (d.lineLen > 0) {
        this.holdLine(d, data, off, lf + 1, ts);
        off = lf + 1;
        if (d.discard) {
          d.discard = false;
          continue;
        }
        const buf = d.line as Uint8Array;
        const n = d.lineLen;
        d.lineLen = 0;
        this.onLine(d, buf, 0, lineContentEnd(buf, 0, n - 1), ts);
      } else {
        this.onLine(d, data, off, lineContentEnd(data, off, lf), ts);
        off = lf + 1;
      }
    }
  }

  /** `len` bytes of one direction lost: counted inside a body, else the message is closed and the direction resyncs. */
  gap(isOrig: boolean, len: number, ts: number): void {
    const d = isOrig ? this.orig : this.resp;
    const st = d.state;
    if (st === S_TUNNEL || this.stopped) return;
    if ((st === S_BODY_LEN || st === S_CHUNK_DATA) && len <= d.remaining) {
      d.remaining -= len;
      d.bodyLen += len;
      d.cut = true;
      if (d.remaining === 0) {
        if (st === S_BODY_LEN) this.messageDone(d, ts);
        else d.state = S_CHUNK_END;
      }
      return;
    }
    if (st === S_BODY_EOF) {
      d.bodyLen += len;
      d.cut = true;
      return;
    }
    d.lineLen = 0;
    d.discard = false;
    if (st !== S_START && st !== S_RESYNC) {
      this.weird('http.content_gap', ts, `${len} bytes lost in the ${isOrig ? 'request' : 'reply'} at depth ${this.depth}`);
      d.cut = true;
      this.messageDone(d, ts);
    }
    d.state = S_RESYNC;
  }

  /** The flow is over: a reply read to the close ends here; unanswered requests are logged alone. */
  end(ts: number): void {
    if (this.stopped) return;
    if (this.resp.state === S_BODY_EOF) this.messageDone(this.resp, ts);
    else if (this.resp.rep !== null && this.resp.state !== S_START) {
      this.resp.cut = true;
      this.messageDone(this.resp, ts);
    }
    if (this.orig.req !== null && this.orig.state !== S_START && this.orig.state !== S_TUNNEL) {
      this.orig.cut = true;
      this.messageDone(this.orig, ts);
    }
    for (const q of this.pending) this.ctx.emit(HTTP_STREAM.name, httpRecord(this.flow, q.depth, q, null));
    this.pending.length = 0;
  }

  /** Append `data[start, end)` to the direction's partial line; an over-long line is dropped. */
  private holdLine(d: Direction, data: Uint8Array, start: number, end: number, ts: number): void {
    const max = this.ctx.limits.maxAnalyzerBufferBytes;
    const n = d.lineLen + end - start;
    if (n > max) {
      if (d.state !== S_RESYNC) {
        this.weird('http.line_too_long', ts, `line over ${max} bytes`);
        if (d.state !== S_START) {
          d.cut = true;
          this.messageDone(d, ts);
        }
        d.state = S_RESYNC;
      }
      d.lineLen = 0;
      d.discard = data[end - 1] !== 0x0a;
      return;
    }
    let buf = d.line;
    if (buf === null || buf.length < n) {
      const grown = new Uint8Array(Math.min(max, Math.max(n, 256, buf === null ? 0 : buf.length * 2)));
      if (buf !== null && d.lineLen > 0) grown.set(buf.subarray(0, d.lineLen));
      d.line = buf = grown;
    }
    buf.set(data.subarray(start, end), d.lineLen);
    d.lineLen = n;
  }

  /** One complete line `b[start, end)` (line terminator excluded). */
  private onLine(d: Direction, b: Uint8Array, start: number, end: number, ts: number): void {
    switch (d.state) {
      case S_START:
        if (end > start) this.startLine(d, b, start, end, ts, false);
        return;
      case S_RESYNC:
        if (end > start) this.startLine(d, b, start, end, ts, true);
        return;
      case S_HEADERS:
        if (end === start) this.headersDone(d, ts);
        else this.header(d, b, start, end, ts);
        return;
      case S_CHUNK_END:
        if (end === start) {
          d.state = S_CHUNK_SIZE;
          return;
        }
        this.weird('http.bad_chunk_end', ts, 'chunk data not followed by CRLF');
        d.state = S_CHUNK_SIZE;
        this.chunkSize(d, b, start, end, ts);
        return;
      case S_CHUNK_SIZE:
        this.chunkSize(d, b, start, end, ts);
        return;
      case S_TRAILER:
        if (end === start) this.messageDone(d, ts);
        return;
    }
  }

  private startLine(d: Direction, b: Uint8Array, start: number, end: number, ts: number, resync: boolean): void {
    const max = this.ctx.limits.maxStringLength;
    if (d.isOrig) {
      const rl = parseRequestLine(b, start, end, max);
      if (rl === null) {
        if (!resync || !this.confirmed) this.violation('http.bad_request_line', ts, latin1(b, start, end, 64));
        d.state = S_RESYNC;
        return;
      }
      this.confirm();
      d.resetMessage();
      if (this.pending.length >= this.ctx.limits.maxPendingRequests) {
        const old = this.pending.shift() as HttpRequestSide;
        this.weird('http.pending_limit', ts, `${this.pending.length + 1} requests without a reply`);
        this.ctx.emit(HTTP_STREAM.name, httpRecord(this.flow, old.depth, old, null));
      }
      const q: HttpRequestSide = {
        ts,
        depth: ++this.depth,
        method: rl.method,
        uri: rl.target,
        host: null,
        referrer: null,
        userAgent: null,
        username: null,
        proxied: null,
        bodyLen: 0,
        mime: null,
      };
      d.req = q;
      this.pending.push(q);
    } else {
      const sl = parseStatusLine(b, start, end, max);
      if (sl === null) {
        if (!resync || !this.confirmed) this.violation('http.bad_status_line', ts, latin1(b, start, end, 64));
        d.state = S_RESYNC;
        return;
      }
      this.confirm();
      d.resetMessage();
      d.rep = { ts, version: sl.version, code: sl.code, reason: sl.reason, infoCode: 0, infoMsg: null, bodyLen: 0, mime: null };
    }
    d.state = S_HEADERS;
  }

  private header(d: Direction, b: Uint8Array, start: number, end: number, ts: number): void {
    const first = b[start];
    if (first === 0x20 || first === 0x09) return; // obs-fold continuation (RFC 9112 §5.2): ignored
    const sp = this.split;
    splitHeader(b, start, end, sp);
    if (sp.colon < 0) {
      this.weird('http.bad_header_line', ts, latin1(b, start, end, 64));
      return;
    }
    const c = sp.colon;
    const vs = sp.valueStart;
    const ve = sp.valueEnd;
    const max = this.ctx.limits.maxStringLength;
    if (nameIs(b, start, c, 'content-length')) {
      const n = parseContentLength(b, vs, ve);
      if (n < 0) {
        this.violation('http.bad_content_length', ts, latin1(b, vs, ve, 64));
        d.contentLength = -2;
      } else if (d.contentLength !== -2) d.contentLength = n;
      return;
    }
    if (nameIs(b, start, c, 'transfer-encoding')) {
      d.chunked = endsWithChunked(b, vs, ve);
      return;
    }
    if (nameIs(b, start, c, 'content-type')) {
      d.mime = mediaType(b, vs, ve, max);
      return;
    }
    const q = d.isOrig ? d.req : null;
    if (q === null) return;
    if (nameIs(b, start, c, 'host')) q.host = latin1(b, vs, ve, max);
    else if (nameIs(b, start, c, 'user-agent')) q.userAgent = latin1(b, vs, ve, max);
    else if (nameIs(b, start, c, 'referer')) q.referrer = latin1(b, vs, ve, max);
    else if (nameIs(b, start, c, 'authorization')) q.username = basicUser(latin1(b, vs, ve, max));
    else {
      for (const h of PROXY_HEADERS) {
        if (nameIs(b, start, c, h)) {
          (q.proxied ??= []).push(`${h.toUpperCase()} -> ${latin1(b, vs, ve, max)}`);
          return;
        }
      }
    }
  }

  /** End of the header section: choose the body length (RFC 9112 §6.3). */
  private headersDone(d: Direction, ts: number): void {
    if (d.contentLength === -2) {
      d.cut = true;
      this.messageDone(d, ts);
      d.state = S_RESYNC;
      return;
    }
    if (d.chunked && d.contentLength >= 0) this.weird('http.content_length_and_chunked', ts, `Content-Length ${d.contentLength} ignored`);
    if (d.isOrig) {
      if (d.chunked) d.state = S_CHUNK_SIZE;
      else if (d.contentLength > 0) this.beginLength(d);
      else this.messageDone(d, ts);
      return;
    }
    const r = d.rep as HttpReplySide;
    const q = this.pending.length > 0 ? this.pending[0] : null;
    const method = q?.method ?? '';
    if (r.code === 101 || (method === 'CONNECT' && r.code >= 200 && r.code < 300)) {
      this.messageDone(d, ts);
      this.orig.state = S_TUNNEL;
      d.state = S_TUNNEL;
      return;
    }
    if (r.code < 200 || r.code === 204 || r.code === 304 || method === 'HEAD') this.messageDone(d, ts);
    else if (d.chunked) d.state = S_CHUNK_SIZE;
    else if (d.contentLength > 0) this.beginLength(d);
    else if (d.contentLength === 0) this.messageDone(d, ts);
    else d.state = S_BODY_EOF;
  }

  private beginLength(d: Direction): void {
    d.remaining = d.contentLength;
    d.state = S_BODY_LEN;
  }

  private chunkSize(d: Direction, b: Uint8Array, start: number, end: number, ts: number): void {
    const n = parseChunkSize(b, start, end);
    if (n < 0) {
      this.weird('http.bad_chunk_size', ts, latin1(b, start, end, 64));
      d.cut = true;
      this.messageDone(d, ts);
      d.state = S_RESYNC;
      return;
    }
    if (n === 0) {
      d.state = S_TRAILER;
      return;
    }
    d.remaining = n;
    d.state = S_CHUNK_DATA;
  }

  /** Count body bytes and keep those that fit the excerpt. */
  private bodyBytes(d: Direction, data: Uint8Array, off: number, n: number): void {
    if (n === 0) return;
    d.bodyLen += n;
    const max = this.ctx.limits.maxHttpBodyBytes;
    if (d.cut || d.kept >= max) {
      d.cut = true;
      return;
    }
    const k = Math.min(n, max - d.kept);
    const need = d.kept + k;
    let buf = d.body;
    if (buf === null || buf.length < need) {
      const hint = d.contentLength > 0 && !d.chunked ? d.contentLength : 0;
      const grown = new Uint8Array(Math.min(max, Math.max(need, hint, 1024, buf === null ? 0 : buf.length * 2)));
      if (buf !== null && d.kept > 0) grown.set(buf.subarray(0, d.kept));
      d.body = buf = grown;
    }
    buf.set(data.subarray(off, off + k), d.kept);
    d.kept = need;
    if (k < n) d.cut = true;
  }

  /** A message of `d` is complete (or closed early): log its body and, for a final reply, the pair. */
  private messageDone(d: Direction, ts: number): void {
    d.state = S_START;
    d.remaining = 0;
    if (d.isOrig) {
      const q = d.req;
      d.req = null;
      if (q === null) return;
      q.bodyLen = d.bodyLen;
      q.mime = d.bodyLen > 0 ? d.mime : null;
      this.bodyRecord(d, q, ts);
      return;
    }
    const r = d.rep;
    d.rep = null;
    if (r === null) return;
    if (r.code < 200) {
      this.infoCode = r.code;
      this.infoMsg = r.reason;
      return;
    }
    r.bodyLen = d.bodyLen;
    r.mime = d.bodyLen > 0 ? d.mime : null;
    r.infoCode = this.infoCode;
    r.infoMsg = this.infoMsg;
    this.infoCode = 0;
    this.infoMsg = null;
    const q = this.pending.shift() ?? null;
    const depth = q !== null ? q.depth : ++this.depth;
    this.bodyRecord(d, q, ts, depth);
    this.ctx.emit(HTTP_STREAM.name, httpRecord(this.flow, depth, q, r));
  }

  private bodyRecord(d: Direction, q: HttpRequestSide | null, ts: number, depth = q !== null ? q.depth : 0): void {
    if (d.bodyLen === 0) return;
    const body = d.body as Uint8Array | null;
    const f = this.flow;
    this.ctx.emit(HTTP_BODY_STREAM.name, {
      ts,
      uid: f.uid,
      'id.orig_h': f.origH,
      'id.orig_p': f.origP,
      'id.resp_h': f.respH,
      'id.resp_p': f.respP,
      trans_depth: depth,
      is_orig: d.isOrig,
      method: q?.method ?? null,
      uri: q?.uri ?? null,
      mime_type: d.mime,
      body_len: d.bodyLen,
      truncated: d.cut || d.kept < d.bodyLen,
      body: body !== null && d.kept > 0 ? Buffer.from(body.buffer, body.byteOffset, d.kept).toString('utf8') : '',
    });
  }

  private confirm(): void {
    if (this.confirmed) return;
    this.confirmed = true;
    this.ctx.confirm('http');
  }

  private weird(name: HttpAnomaly, ts: number, detail: string): void {
    this.ctx.anomaly(name, 'weird', ts, detail);
  }

  private violation(name: HttpAnomaly, ts: number, detail: string): void {
    this.ctx.anomaly(name, 'violation', ts, detail);
    this.violations++;
    if (!this.confirmed && this.violations > MAX_UNCONFIRMED_VIOLATIONS) {
      this.ctx.anomaly('http.too_many_violations', 'fatal', ts, `${this.violations} violations before any valid start line`);
      this.stopped = true;
    }
  }
}

/** User name of an `Authorization: Basic <base64 user:pass>` value (RFC 7617 §2), else null. */
function basicUser(v: string): string | null {
  if (v.length < 6 || v.slice(0, 6).toLowerCase() !== 'basic ') return null;
  const text = Buffer.from(v.slice(6).trim(), 'base64').toString('latin1');
  const colon = text.indexOf(':');
  return colon < 0 ? null : text.slice(0, colon);
}
