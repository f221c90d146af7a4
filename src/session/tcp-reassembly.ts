import type { Limits } from '../config/limits.js';

/**
 * Per-direction TCP stream reassembly (RFC 9293 §3.4 sequence space) with Zeek's delivery rules
 * (zeek/src/analyzer/protocol/tcp/TCP_Reassembler.cc, src/Reassem.cc): a next expected sequence
 * number with 32-bit wrap-around arithmetic; in-order data is delivered at once (zero copy); data
 * wholly before the next expected byte (retransmission) is dropped; overlaps are trimmed with a
 * fixed policy — the bytes received first win — and an overlap whose bytes differ is reported;
 * out-of-order data is copied and buffered.
 *
 * A gap is skipped — reported, then delivery resumes with the buffered data — when the peer
 * acknowledges bytes never seen (capture loss: Zeek's AckReceived → TrimToSeq → Undelivered); when a
 * stream picked up without its SYN has delivered nothing yet and its first data segment lies beyond
 * the estimated start (see `start`: Zeek would wait for an acknowledgement, which an injected packet's
 * stale one never brings); and, as this project's memory bound, when the per-direction or global
 * buffer limits are crossed (the oldest gap first). Data more than a maximum window ahead is
 * dropped. Data still waiting behind a gap when the flow ends is delivered by `flushGaps`, the gaps
 * before it reported with `atEnd` (Zeek's TCP_Reassembler::Done would deliver nothing; the session
 * table calls it so an analyzer still sees the messages of a one-sided capture).
 *
 * The stream starts where the owner says the direction's sequence space starts (`start`: Zeek's
 * relative sequence 1 — one past the SYN, or the first sequence number seen, or the peer's first
 * acknowledgement), else at the first SYN, FIN or data segment. SYN and FIN each consume one
 * sequence number; data after the FIN is ignored; acknowledgements past the FIN count up to it.
 *
 * Bytes already delivered are not kept, so a retransmission that rewrites delivered bytes is
 * dropped without comparison; overlaps are compared against buffered (undelivered) data.
 * Sequence numbers are accepted signed or unsigned and held as int32 (`x | 0`).
 */

/** Receives what a reassembler produces; `r.tag` tells the owner which direction it is. */
export interface ReassemblySink<T> {
  /** In-order bytes (a view valid only during the call). `ts`: time of the packet that completed them. */
  reassembled(r: TcpReassembler<T>, data: Uint8Array, ts: number): void;
  /**
   * `len` bytes (≥ 1) skipped for good before the next delivered byte. `atEnd`: skipped by
   * `flushGaps` because the flow ended, not because the peer acknowledged past them or a bound was reached.
   */
  gapSkipped(r: TcpReassembler<T>, len: number, ts: number, atEnd?: boolean): void;
  /** A segment overlapped buffered bytes with different content (the first-received bytes were kept). */
  overlapMismatch(r: TcpReassembler<T>, ts: number): void;
}

/**
 * Memory one buffered out-of-order segment costs beyond its payload (bytes): the segment record, the
 * Uint8Array, its ArrayBuffer and backing store, the list slot — about 400 bytes of RSS per one-byte
 * segment as measured on Node 20. Every buffered segment is charged this plus its payload against
 * `maxReassemblyBytesPerDirection` and `maxReassemblyBytesTotal`, so the budgets bound real memory.
 */
export const SEGMENT_OVERHEAD_BYTES = 400;

/**
 * What all reassemblers of one session table share: the sink, the limits and the byte budget —
 * bytes charged for out-of-order buffers across every reassembler (payload plus
 * SEGMENT_OVERHEAD_BYTES per segment), bounded by `limits.maxReassemblyBytesTotal`: beyond it, gaps
 * are skipped in the largest buffers first until the charge is down to 7/8 of the bound, so a
 * relief (which orders all holders) runs once per 1/8 of the budget of new buffering, not per packet.
 */
export class ReassemblyPool<T> {
  /** Buffered payload bytes in all reassemblers. */
  total = 0;
  /** Bytes charged against `maxReassemblyBytesTotal`: `total` plus SEGMENT_OVERHEAD_BYTES per buffered segment. */
  charged = 0;
  /** Reassemblers that currently hold buffered bytes. */
  readonly holders = new Set<TcpReassembler<T>>();

  constructor(
    readonly sink: ReassemblySink<T>,
    readonly limits: Readonly<Limits>,
  ) {}

  /**
   * Skip gaps in the largest buffers (by charged bytes), one holder at a time, until the charge is
   * at most 7/8 of `limits.maxReassemblyBytesTotal`. Cost O(h log h) for h holders.
   */
  relieve(ts: number): void {
    const max = this.limits.maxReassemblyBytesTotal;
    const lowWater = max - Math.floor(max / 8);
    if (this.charged <= lowWater) return;
    const order = Array.from(this.holders);
    order.sort(byChargeDescending);
    for (let i = 0; i < order.length && this.charged > lowWater; i++) {
      const h = order[i];
      while (this.charged > lowWater && h.bufferedSegments > 0) h.skipOldestGap(ts);
    }
  }
}

function byChargeDescending<T>(a: TcpReassembler<T>, b: TcpReassembler<T>): number {
  return b.chargedBytes - a.chargedBytes;
}

/** Signed distance a − b in 32-bit sequence space (RFC 9293 §3.4, modulo 2^32). */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

interface Segment {
  /** Sequence number of the first byte (int32). */
  seq: number;
  /** Owned copy of the bytes. */
  data: Uint8Array;
}

/** Cut points of an incoming segment that are not covered by buffered data: [from, to) pairs in offsets from `next`. */
const pieces: number[] = [];

/** `flags` bits: the stream has a start, a FIN was seen, bytes were delivered. */
const STARTED = 1;
const HAS_FIN = 2;
const DELIVERED = 4;
/** The direction's SYN was seen: its start is exact, not taken from the peer's acknowledgement. */
const SYN_SEEN = 8;

const NO_SEGMENTS: Segment[] = [];

/**
 * Largest receive window (bytes): 65535 << 14 (RFC 7323 §2.3), rounded up to 2^30. A segment further
 * ahead of the next expected byte is outside any window a receiver could have offered and is dropped
 * (RFC 9293 §3.10.7.4 acceptability test).
 */
const MAX_WINDOW = 1 << 30;

/** One direction of one TCP flow. `tag` is the owner's handle for the direction (never read here). */
export class TcpReassembler<T> {
  private flags = 0;
  private next = 0;
  private finSeq = 0;
  /** Buffered segments in sequence order, never overlapping (the shared empty list until the first). */
  private segs: Segment[] = NO_SEGMENTS;
  private bytes = 0;

  constructor(
    readonly tag: T,
    private readonly pool: ReassemblyPool<T>,
  ) {}

  private get started(): boolean {
    return (this.flags & STARTED) !== 0;
  }

  private get hasFin(): boolean {
    return (this.flags & HAS_FIN) !== 0;
  }

  /** Bytes buffered out of order in this direction. */
  get bufferedBytes(): number {
    return this.bytes;
  }

  /** Bytes this direction is charged for its buffer: payload plus SEGMENT_OVERHEAD_BYTES per segment. */
  get chargedBytes(): number {
    return this.bytes + this.segs.length * SEGMENT_OVERHEAD_BYTES;
  }

  /** Segments buffered out of order in this direction. */
  get bufferedSegments(): number {
    return this.segs.length;
  }

  /** Next expected sequence number (unsigned 32-bit); -1 before the stream has started. */
  get nextSeq(): number {
    return this.started ? this.next >>> 0 : -1;
  }

  /**
   * The direction's sequence space starts at `seq` (its first byte); no effect once the stream has
   * started. Without the direction's SYN the start is only an estimate — the peer's first
   * acknowledgement may be stale (an injected or replayed packet's), or bytes were sent before the
   * capture began — so until a byte is delivered, the first data segment beyond it moves the start
   * there and the bytes in between are reported as a gap at once (a start anchored by the SYN waits
   * for them instead; a segment before the moved start that arrives later is dropped as old).
   */
  start(seq: number): void {
    if (!this.started) {
      this.flags |= STARTED;
      this.next = seq | 0;
    }
  }

  /** A SYN with sequence number `seq`: the stream starts at seq + 1 (a SYN with a new seq restarts an empty stream). */
  syn(seq: number): void {
    if (!this.started || ((this.flags & DELIVERED) === 0 && this.segs.length === 0)) {
      this.flags |= STARTED | SYN_SEEN;
      this.next = (seq + 1) | 0;
    }
  }

  /** A FIN whose octet has sequence number `seq` (segment seq + payload length): no data beyond it is accepted. */
  fin(seq: number, ts: number): void {
    if (!this.started) {
      this.flags |= STARTED;
      this.next = seq | 0;
    }
    if (!this.hasFin) {
      this.flags |= HAS_FIN;
      this.finSeq = seq | 0;
      // Buffered bytes at or beyond the FIN can never be delivered.
      for (let i = this.segs.length - 1; i >= 0; i--) {
        const s = this.segs[i];
        const lim = seqDiff(this.finSeq, s.seq);
        if (lim >= s.data.length) break;
        this.account(-(s.data.length - Math.max(lim, 0)), lim <= 0 ? -1 : 0);
        if (lim <= 0) this.segs.splice(i, 1);
        else s.data = s.data.subarray(0, lim);
      }
      this.updateHolder();
      this.drain(ts);
    }
  }

  /**
   * Payload `data` (a view, ≥ 1 byte) whose first byte has sequence number `seq`.
   * Delivers what is in order, buffers a copy of what is ahead, drops what is old or more than
   * MAX_WINDOW ahead. The direction's first data segment of a stream picked up without its SYN is
   * delivered at once: a gap between the start the owner gave and that segment is skipped there (see `start`).
   */
  data(seq: number, data: Uint8Array, ts: number): void {
    let len = data.length;
    if (len === 0) return;
    if (!this.started) {
      this.flags |= STARTED;
      this.next = seq | 0;
    }
    let start = 0;
    let off = seqDiff(seq, this.next);
    if (off < 0) {
      if (off + len <= 0) return; // retransmission of delivered bytes
      start = -off;
      off = 0;
    }
    if (off > MAX_WINDOW) return;
    if (this.hasFin) {
      const lim = seqDiff(this.finSeq, this.next);
      if (off >= lim) return;
      if (off + (len - start) > lim) len = start + (lim - off);
    }
    if (this.segs.length === 0) {
      if (off > 0 && (this.flags & (DELIVERED | SYN_SEEN)) === 0) {
        this.next = (this.next + off) | 0;
        this.pool.sink.gapSkipped(this, off, ts);
        off = 0;
      }
      if (off === 0) {
        this.deliver(start === 0 && len === data.length ? data : data.subarray(start, len), ts);
        return;
      }
      this.insert((this.next + off) | 0, data.subarray(start, len));
    } else {
      this.merge(off, data, start, len, ts);
    }
    this.enforceBounds(ts);
  }

  /**
   * The peer acknowledged every byte before `ack`: bytes up to there that were never seen are lost
   * for good — skip to it (delivering buffered data on the way). Acks of the FIN octet do not count.
   */
  ack(ack: number, ts: number): void {
    if (!this.started) return;
    let upTo = ack | 0;
    if (this.hasFin && seqDiff(upTo, this.finSeq) > 0) upTo = this.finSeq;
    if (seqDiff(upTo, this.next) <= 0) return;
    while (this.segs.length > 0 && seqDiff(this.segs[0].seq, upTo) < 0) this.skipOldestGap(ts);
    const missing = seqDiff(upTo, this.next);
    if (missing > 0) {
      this.next = upTo;
      this.pool.sink.gapSkipped(this, missing, ts);
      this.drain(ts);
    }
  }

  /** Skip the gap before the oldest buffered segment and deliver what then is in order. */
  skipOldestGap(ts: number, atEnd = false): void {
    if (this.segs.length === 0) return;
    const gap = seqDiff(this.segs[0].seq, this.next);
    if (gap > 0) {
      this.next = this.segs[0].seq;
      this.pool.sink.gapSkipped(this, gap, ts, atEnd);
    }
    this.drain(ts);
  }

  /**
   * The flow ended: deliver every buffered segment, skipping the gaps before them (reported with
   * `atEnd`). Without it, data behind a gap that nothing acknowledged — a capture of one direction
   * only, or a segment the tap lost at the end — would never reach the analyzers.
   */
  flushGaps(ts: number): void {
    while (this.segs.length > 0) this.skipOldestGap(ts, true);
  }

  /** Drop every buffered byte without delivering or reporting it (the flow is gone) and return its budget. */
  release(): void {
    this.account(-this.bytes, -this.segs.length);
    this.segs = NO_SEGMENTS;
    this.updateHolder();
  }

  private deliver(bytes: Uint8Array, ts: number): void {
    this.next = (this.next + bytes.length) | 0;
    this.flags |= DELIVERED;
    this.pool.sink.reassembled(this, bytes, ts);
  }

  /** Deliver buffered segments that start at or before `next`. */
  private drain(ts: number): void {
    while (this.segs.length > 0) {
      const s = this.segs[0];
      const skip = seqDiff(this.next, s.seq);
      if (skip < 0) break;
      this.segs.shift();
      this.account(-s.data.length, -1);
      if (skip < s.data.length) this.deliver(skip === 0 ? s.data : s.data.subarray(skip), ts);
    }
    this.updateHolder();
  }

  /** Place a copy of `bytes` (first byte at `seq`, ahead of `next`, overlapping nothing buffered) in order. */
  private insert(seq: number, bytes: Uint8Array): void {
    const off = seqDiff(seq, this.next);
    if (this.segs === NO_SEGMENTS) this.segs = [];
    let i = this.segs.length;
    while (i > 0 && seqDiff(this.segs[i - 1].seq, this.next) > off) i--;
    this.segs.splice(i, 0, { seq, data: bytes.slice() });
    this.account(bytes.length, 1);
    this.updateHolder();
  }

  /**
   * Incoming bytes data[start, len) at offset `off` (≥ 0) from `next`, with buffered segments present:
   * keep only the parts no buffered segment covers (first received wins), compare the overlaps.
   */
  private merge(off: number, data: Uint8Array, start: number, len: number, ts: number): void {
    let a = off;
    const b = off + (len - start);
    const base = this.next;
    let mismatch = false;
    pieces.length = 0;
    for (let i = 0; i < this.segs.length && a < b; i++) {
      const s = this.segs[i];
      const so = seqDiff(s.seq, base);
      const se = so + s.data.length;
      if (se <= a) continue;
      if (so >= b) break;
      const from = Math.max(a, so);
      const to = Math.min(b, se);
      for (let x = from; x < to && !mismatch; x++) {
        if (data[start + (x - off)] !== s.data[x - so]) mismatch = true;
      }
      if (so > a) pieces.push(a, so);
      a = se;
    }
    if (a < b) pieces.push(a, b);
    if (mismatch) this.pool.sink.overlapMismatch(this, ts);
    for (let k = 0; k < pieces.length; k += 2) {
      const pSeq = (base + pieces[k]) | 0;
      const view = data.subarray(start + (pieces[k] - off), start + (pieces[k + 1] - off));
      if (pSeq === this.next) this.deliver(view, ts);
      else if (seqDiff(pSeq, this.next) > 0) this.insert(pSeq, view);
    }
    this.drain(ts);
  }

  /** Per-direction (charged bytes, segments) and global bounds: skip the oldest gap while over them. */
  private enforceBounds(ts: number): void {
    const limits = this.pool.limits;
    const maxBytes = limits.maxReassemblyBytesPerDirection;
    const maxSegs = limits.maxReassemblySegmentsPerDirection;
    while (this.segs.length > 0 && (this.chargedBytes > maxBytes || this.segs.length > maxSegs)) this.skipOldestGap(ts);
    if (this.pool.charged > limits.maxReassemblyBytesTotal) this.pool.relieve(ts);
  }

  /** Payload bytes `delta` and segments `segDelta` added to (or, negative, removed from) the buffer. */
  private account(delta: number, segDelta: number): void {
    this.bytes += delta;
    this.pool.total += delta;
    this.pool.charged += delta + segDelta * SEGMENT_OVERHEAD_BYTES;
  }

  private updateHolder(): void {
    if (this.segs.length > 0) this.pool.holders.add(this);
    else this.pool.holders.delete(this);
  }
}
