import { scanContainerNumbers } from '../../crane/container-scan.js';
import type { CarryBudget } from './carry-budget.js';
import { CarryBuffer } from './carry-buffer.js';
import { ENCODED_CLASS } from './codec.js';
import type { ContentDecoder } from './content-decoder.js';
import { isGzipMagic } from './gzip-member.js';
import { LeakHits } from './leak-hits.js';

/** Bytes kept from the end of a delivery to find a number split across two (11 characters and the byte before). */
const TAIL = 12;
/** Encoded runs and gzip members of the stream are searched this deep inside (gzip in base64 and the reverse). */
const STREAM_DEPTH = 1;

/** Bounds of one direction's scan (from Limits). */
export interface DirectionBounds {
  /** Bytes of the direction scanned (maxContainerScanBytesPerDirection). */
  readonly scanBytes: number;
  /** Bytes held for a run or gzip member split across deliveries (maxContainerCarryBytesPerDirection). */
  readonly carryBytes: number;
  /** Distinct numbers kept per encoding (maxContainerNumbersPerRecord). */
  readonly numbersPerEncoding: number;
}

/**
 * Container numbers in one direction of a TCP byte stream (or the datagrams of a UDP flow), as the
 * bytes arrive: clear text in every delivery plus a 12-byte tail so a number split across two
 * deliveries is found; runs of base64 / hex characters, held while they continue into the next
 * delivery and decoded when they end; gzip members (RFC 1952), held from their magic to the next
 * member or the end of the flow and then inflated. Only the first `scanBytes` bytes are read;
 * held bytes are bounded per direction (`carryBytes`) and in total (`CarryBudget`). A direction
 * without digits or encoded runs costs one pass over its bytes and no allocation.
 */
export class DirectionScanner {
  /** Bytes scanned (at most `bounds.scanBytes`). */
  scanned = 0;
  readonly hits: LeakHits;
  private readonly tail = new Uint8Array(TAIL);
  private tailLen = 0;
  private readonly join = new Uint8Array(2 * TAIL);
  private readonly run: CarryBuffer;
  private runTs = 0;
  /** True when the last delivery ended inside an encoded run (its bytes are in `run`). */
  private inRun = false;
  private readonly gz: CarryBuffer;
  private gzActive = false;
  private gzTs = 0;
  /** True once the held member reached its bound: later bytes are not appended (no holes). */
  private gzFull = false;

  constructor(
    private readonly bounds: DirectionBounds,
    private readonly decoder: ContentDecoder,
    budget: CarryBudget,
  ) {
    this.hits = new LeakHits(bounds.numbersPerEncoding);
    this.run = new CarryBuffer(bounds.carryBytes, budget);
    this.gz = new CarryBuffer(bounds.carryBytes, budget);
  }

  /** In-order bytes of the direction (a view, valid during the call); `ts` seconds since the epoch. */
  payload(bytes: Uint8Array, ts: number): void {
    const room = this.bounds.scanBytes - this.scanned;
    if (room <= 0 || bytes.length === 0) return;
    const data = bytes.length > room ? bytes.subarray(0, room) : bytes;
    const len = data.length;
    this.scanned += len;
    this.decoder.scanPlain(data, 'plain', ts, this.hits);
    this.joinTail(data, ts);

    let runStart = this.inRun ? 0 : -1;
    let gzFrom = 0;
    for (let i = 0; i < len; i++) {
      const c = data[i];
      if (ENCODED_CLASS[c] !== 0) {
        if (runStart < 0) {
          runStart = i;
          this.runTs = ts;
        }
        continue;
      }
      if (runStart >= 0) {
        this.endRun(data, runStart, i, ts);
        runStart = -1;
      }
      if (c === 0x1f && isGzipMagic(data, i)) {
        if (this.gzActive) {
          this.holdGzip(data, gzFrom, i);
          this.flushGzip();
        }
        this.gzActive = true;
        this.gzTs = ts;
        gzFrom = i;
      }
    }
    if (runStart >= 0) this.holdRun(data, runStart, len);
    else this.inRun = false;
    if (this.gzActive) this.holdGzip(data, gzFrom, len);
  }

  /** The direction is over: decode what is held and release it. */
  end(): void {
    if (this.inRun) {
      this.decodeHeld();
      this.inRun = false;
    }
    this.run.release();
    if (this.gzActive) this.flushGzip();
    this.gz.release();
  }

  /** A run ends at `to`: decode it, joined to the held part when it began in an earlier delivery. */
  private endRun(data: Uint8Array, from: number, to: number, ts: number): void {
    if (from === 0 && this.inRun) {
      if (this.run.append(data, 0, to)) {
        this.decodeHeld();
        this.inRun = false;
        return;
      }
      this.decodeHeld();
      this.inRun = false;
    }
    this.decoder.run(data, from, to, '', STREAM_DEPTH, ts, this.hits);
  }

  /** A run reaches the end of the delivery: hold it for the next one (or decode it now when it no longer fits). */
  private holdRun(data: Uint8Array, from: number, to: number): void {
    if (this.run.append(data, from, to)) {
      this.inRun = true;
      return;
    }
    if (this.inRun && from === 0) this.decodeHeld();
    if (!this.run.append(data, from, to)) {
      this.decoder.run(data, from, to, '', STREAM_DEPTH, this.runTs, this.hits);
      this.inRun = false;
      return;
    }
    this.inRun = true;
  }

  /** Decode the held run and empty the buffer. */
  private decodeHeld(): void {
    const v = this.run.view();
    this.decoder.run(v, 0, v.length, '', STREAM_DEPTH, this.runTs, this.hits);
    this.run.release();
  }

  /** Bytes `data[from, to)` of the active gzip member, held until the member ends. */
  private holdGzip(data: Uint8Array, from: number, to: number): void {
    if (!this.gzFull && to > from && !this.gz.append(data, from, to)) this.gzFull = true;
  }

  /** Inflate the held member (what of it came), search it and release it. */
  private flushGzip(): void {
    const v = this.gz.view();
    this.decoder.gzip(v, 0, '', STREAM_DEPTH, this.gzTs, this.hits);
    this.gz.release();
    this.gzActive = false;
    this.gzFull = false;
  }

  /**
   * Numbers that straddle the previous delivery and this one: the held tail and the first 12 bytes
   * scanned together, keeping only numbers that cross the seam; then the tail is renewed.
   */
  private joinTail(data: Uint8Array, ts: number): void {
    const len = data.length;
    const j = this.join;
    const t = this.tailLen;
    const head = len < TAIL ? len : TAIL;
    if (t > 0) {
      j.set(this.tail.subarray(0, t), 0);
      j.set(data.subarray(0, head), t);
      const r = scanContainerNumbers(j.subarray(0, t + head), 4);
      for (const h of r.hits) if (h.offset < t && h.offset + 11 > t) this.hits.add('plain', h.number, ts);
    }
    if (len >= TAIL) {
      this.tail.set(data.subarray(len - TAIL, len));
      this.tailLen = TAIL;
      return;
    }
    // A short delivery: the tail is the last 12 bytes of old tail + data (both now in `join`).
    if (t === 0) j.set(data, 0);
    const total = t + len;
    const keep = total < TAIL ? total : TAIL;
    this.tail.set(j.subarray(total - keep, total));
    this.tailLen = keep;
  }
}
