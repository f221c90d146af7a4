import type { FlowContext, StreamAnalyzer } from '../../session/analyzer.js';
import { CHUNK_HEADER_BYTES, Cursor, chunkHeaderSize } from './grammar.js';
import { emitCallRecords } from './call-records.js';
import { emitChildRecords, type LinkIds } from './child-records.js';
import { emitSubscriptionRecords } from './subscription-records.js';
import { decodeChunk, type ChannelPolicies } from './message.js';
import type { OpcuaPendingBudget } from './budget.js';
import { UaTransactions, type UaFlowIds } from './transactions.js';

/** Largest MessageSize a chunk header may state before it is taken for garbage (resync); 16 MiB. */
export const MAX_CHUNK_SIZE = 1 << 24;
/** Invalid chunk headers tolerated before the flow is confirmed; the next one is fatal. */
export const MAX_UNCONFIRMED_VIOLATIONS = 2;
/** Service name as ICSNPP writes it in conn.log `service`. */
export const OPCUA_SERVICE = 'opcua-binary';

/** Anomaly names of this analyzer. */
export type OpcuaAnomaly =
  /** Violation: bytes where a chunk header was due are not one; the analyzer scans for the next header. */
  | 'opcua.invalid_chunk_header'
  /** Fatal: too many invalid headers before the first valid chunk. */
  | 'opcua.too_many_violations'
  /** Weird: a chunk larger than limits.maxAnalyzerBufferBytes was skipped unparsed. */
  | 'opcua.chunk_too_large'
  /** Weird: a body that SecurityPolicy None should make readable did not parse; logged at header level. */
  | 'opcua.malformed_body'
  /** Weird: the pending request/response table (limits.maxPendingRequests) was full; the message was logged alone. */
  | 'opcua.pending_overflow'
  /**
   * Weird: the run-wide budget of messages waiting for a partner (budget.ts OPCUA_PENDING_BUDGET_BYTES,
   * shared by all OPC UA flows) was spent; the message was logged alone.
   */
  | 'opcua.pending_budget_exhausted'
  /** Weird: chunks with more than MAX_CONTINUED request ids in progress in one direction. */
  | 'opcua.too_many_continuations';

/** Multi-chunk messages tracked in progress per direction (their later chunks are not body-decoded). */
const MAX_CONTINUED = 64;
/** SecureChannels whose SecurityPolicy is remembered per flow (a flow normally has one). */
const MAX_CHANNELS = 64;

/** Per-direction framing state. */
class Side implements ChannelPolicies {
  /** Bytes held to join a chunk across segments (grown up to limits.maxAnalyzerBufferBytes). */
  buf = new Uint8Array(0);
  have = 0;
  /** Bytes still to drop of a chunk that was skipped (too large). */
  skip = 0;
  /** False after a gap or an invalid header: scan for the next plausible chunk header. */
  synced = true;
  /** RequestIds of messages whose first 'C' chunk was seen. */
  readonly continued = new Set<number>();

  constructor(private readonly policies: Map<number, boolean>) {}

  secured(channelId: number): boolean {
    return this.policies.get(channelId) === false;
  }

  note(channelId: number, none: boolean): void {
    if (this.policies.size < MAX_CHANNELS || this.policies.has(channelId)) this.policies.set(channelId, none);
  }
}

/**
 * OPC UA binary over one TCP flow (OPC 10000-6 §7.1 UA Connection Protocol, §6.7 UA Secure
 * Conversation): frames chunks by their MessageSize across segments, decodes SecurityPolicy None
 * bodies (message.ts), pairs requests with responses (transactions.ts) and writes `opcua_binary`,
 * `opcua_binary_opensecure_channel` and `opcua_binary_status_code_detail`. A gap or an invalid header
 * drops the partial chunk and resumes at the next plausible header (grammar `chunkHeaderSize`), which
 * also lets a capture that starts mid-session be read from its next chunk.
 */
export class OpcuaStreamAnalyzer implements StreamAnalyzer, LinkIds {
  private readonly orig: Side;
  private readonly resp: Side;
  private readonly cursor = new Cursor();
  private readonly tx: UaTransactions;
  private readonly flow: UaFlowIds;
  private confirmed = false;
  private violations = 0;
  private links = 0;
  private stopped = false;

  /**
   * @param ctx the flow's context (limits, emit, anomalies)
   * @param budget run-wide account of messages waiting for a partner, shared with the run's other
   *   OPC UA flows (budget.ts); without one the flow gets a budget of its own
   */
  constructor(
    private readonly ctx: FlowContext,
    budget?: OpcuaPendingBudget,
  ) {
    const policies = new Map<number, boolean>();
    this.orig = new Side(policies);
    this.resp = new Side(policies);
    this.cursor.maxString = ctx.limits.maxStringLength;
    this.cursor.maxVector = ctx.limits.maxVectorLength;
    this.flow = { uid: ctx.uid, id: ctx.id };
    this.tx = new UaTransactions(this.flow, ctx.limits.maxPendingRequests, ctx, budget);
  }

  get done(): boolean {
    return this.stopped;
  }

  deliver(isOrig: boolean, data: Uint8Array, ts: number): void {
    if (this.stopped || data.length === 0) return;
    const s = isOrig ? this.orig : this.resp;
    let b = data;
    let pos = 0;
    if (s.skip > 0) {
      const n = Math.min(s.skip, b.length);
      s.skip -= n;
      pos = n;
      if (pos === b.length) return;
    }
    let end = b.length;
    if (s.have > 0) {
      const need = s.have + end - pos;
      if (s.buf.length < need) {
        const grown = new Uint8Array(Math.max(need, s.buf.length * 2));
        grown.set(s.buf.subarray(0, s.have));
        s.buf = grown;
      }
      s.buf.set(b.subarray(pos, end), s.have);
      s.have = need;
      b = s.buf;
      pos = 0;
      end = need;
    }
    pos = this.frames(s, isOrig, b, pos, end, ts);
    this.keep(s, b, pos, end);
  }

  /** Parse every whole chunk in `b[pos, end)`. @returns where the unparsed rest starts */
  private frames(s: Side, isOrig: boolean, b: Uint8Array, pos: number, end: number, ts: number): number {
    const limit = this.ctx.limits.maxAnalyzerBufferBytes;
    while (pos + CHUNK_HEADER_BYTES <= end && !this.stopped) {
      const size = chunkHeaderSize(b, pos, MAX_CHUNK_SIZE);
      if (size < 0) {
        if (s.synced || !this.confirmed) {
          s.synced = false;
          this.violation(ts, pos, b);
          if (this.stopped) return end;
        }
        pos = this.resync(b, pos + 1, end);
        continue;
      }
      s.synced = true;
      if (size > limit) {
        this.ctx.anomaly('opcua.chunk_too_large', 'weird', ts, `${size} bytes > ${limit}`);
        const avail = end - pos;
        if (avail >= size) pos += size;
        else {
          s.skip = size - avail;
          return end;
        }
        continue;
      }
      if (pos + size > end) return pos;
      this.chunk(s, isOrig, b, pos, size, ts);
      pos += size;
    }
    return pos;
  }

  /** First offset in [from, end) where a plausible chunk header starts (or the last 7 bytes to keep). */
  private resync(b: Uint8Array, from: number, end: number): number {
    const last = end - CHUNK_HEADER_BYTES;
    for (let i = from; i <= last; i++) if (chunkHeaderSize(b, i, MAX_CHUNK_SIZE) >= 0) return i;
    return Math.max(from, last + 1);
  }

  private chunk(s: Side, isOrig: boolean, b: Uint8Array, pos: number, size: number, ts: number): void {
    const linkId = this.nextLink();
    const ct = b[pos + 3];
    const plain = ct === 0x46 && s.continued.size === 0;
    let m = decodeChunk(this.cursor, b, pos, size, isOrig, ts, linkId, s, plain);
    if (!plain && m.requestId >= 0) {
      const id = m.requestId;
      if (s.continued.has(id)) {
        if (ct !== 0x43) s.continued.delete(id);
      } else {
        if (ct === 0x43) {
          if (s.continued.size >= MAX_CONTINUED) {
            this.ctx.anomaly('opcua.too_many_continuations', 'weird', ts);
            s.continued.clear();
          }
          s.continued.add(id);
        }
        if (ct !== 0x41) m = decodeChunk(this.cursor, b, pos, size, isOrig, ts, linkId, s, true);
      }
    }
    if (!this.confirmed && !m.malformedBody) {
      this.confirmed = true;
      this.ctx.confirm(OPCUA_SERVICE);
    }
    if (m.malformedBody) this.ctx.anomaly('opcua.malformed_body', 'weird', ts, `${m.msgType} ${size} bytes`);
    emitChildRecords(this.ctx, this.flow, m, this);
    emitSubscriptionRecords(this.ctx, this.flow, m, this);
    emitCallRecords(this.ctx, this.flow, m, this);
    if (m.body !== null && 'dropped' in m.body && m.body.dropped > 0) this.ctx.anomaly('opcua.vector_truncated', 'weird', ts, `${m.identifierStr ?? ''} ${m.body.dropped} entries beyond ${this.cursor.maxVector}`);
    const outcome = this.tx.message(m);
    if (outcome === 'overflow') this.ctx.anomaly('opcua.pending_overflow', 'weird', ts, `${this.tx.pending} waiting`);
    else if (outcome === 'budget') this.ctx.anomaly('opcua.pending_budget_exhausted', 'weird', ts, `${this.tx.held} bytes waiting in this flow`);
  }

  /** The flow's next link id (`<uid>-<n>`). */
  nextLink(): string {
    return `${this.ctx.uid}-${++this.links}`;
  }

  private violation(ts: number, pos: number, b: Uint8Array): void {
    const head = Array.from(b.subarray(pos, pos + 4), (x) => x.toString(16).padStart(2, '0')).join('');
    if (!this.confirmed && ++this.violations > MAX_UNCONFIRMED_VIOLATIONS) {
      this.ctx.anomaly('opcua.too_many_violations', 'fatal', ts, head);
      this.stopped = true;
      this.tx.discard();
      return;
    }
    this.ctx.anomaly('opcua.invalid_chunk_header', 'violation', ts, head);
  }

  /** Keep `b[pos, end)` for the next delivery (copied: `b` may be the caller's view). */
  private keep(s: Side, b: Uint8Array, pos: number, end: number): void {
    const rest = end - pos;
    if (rest <= 0) {
      s.have = 0;
      return;
    }
    if (b === s.buf) {
      if (pos > 0) s.buf.copyWithin(0, pos, end);
    } else {
      if (s.buf.length < rest) s.buf = new Uint8Array(Math.max(rest, 4096));
      s.buf.set(b.subarray(pos, end), 0);
    }
    s.have = rest;
  }

  gap(isOrig: boolean, _len: number, _ts: number): void {
    const s = isOrig ? this.orig : this.resp;
    s.have = 0;
    s.skip = 0;
    s.synced = false;
    s.continued.clear();
  }

  end(_ts: number): void {
    if (this.stopped) return;
    this.tx.flush();
  }
}
