import type { DatagramAnalyzer, FlowContext, StreamAnalyzer } from '../../session/analyzer.js';
import { ENCAP_HEADER_BYTES, newEncapHeader, newIoDatagram, parseIoDatagram, readEncapHeader, u16, type EncapHeader, type IoDatagram } from './grammar.js';
import { plausibleHeader, strictCandidate } from './framing.js';
import { flowIdsOf, sideFields, type FlowIds } from '../icsnpp-fields.js';
import { CIP_IO_STREAM, hexBytes, hexCode } from './log.js';
import { EnipMessages } from './messages.js';

/** Violations tolerated before the first confirmed message; the next one stops the analyzer (fatal). */
export const MAX_UNCONFIRMED_VIOLATIONS = 3;

/** Anomaly names of the framing layer (besides the grammar's). */
export type FramingAnomaly =
  /** Violation: 24 header bytes that are no plausible encapsulation header (framing.ts); framing is searched anew. */
  | 'enip.invalid_header'
  /** Weird: a message larger than limits.maxAnalyzerBufferBytes spread over segments; it is skipped unparsed. */
  | 'enip.buffer_limit'
  /** Weird: a partly received message was dropped at a gap or at the end of the flow. */
  | 'enip.partial_message_discarded'
  /** Violation: a UDP datagram that is neither an encapsulation message nor an I/O datagram. */
  | 'enip.malformed_datagram'
  /** Weird: a UDP datagram longer than the encapsulation message it carries. */
  | 'enip.trailing_bytes'
  /** Fatal: too many violations before any valid message; the analyzer detaches. */
  | 'enip.too_many_violations';

/** First size of a carry buffer, bytes. */
const FIRST_CARRY_BYTES = 512;
/** Carry storage kept for reuse after a message completes, bytes; larger storage is released. */
export const RETAINED_CARRY_BYTES = 4096;

/** Parse state of one direction of the byte stream. */
class Direction {
  /**
   * Bytes of a message begun in an earlier chunk: sized to the bytes that arrived (doubling, at most
   * `limit`), not to the length the header declares.
   */
  buffer: Uint8Array | null = null;
  carryLen = 0;
  /** Bytes still to drop of a message too large to buffer. */
  skip = 0;
  /** Framing lost (violation, gap, mid-stream start): look for the next plausible header. */
  lost = false;

  /** @param limit most bytes a carried message may reach (limits.maxAnalyzerBufferBytes) */
  constructor(private readonly limit: number) {}

  /** Make the carry buffer hold at least `n` bytes, keeping its content. */
  reserve(n: number): Uint8Array {
    const old = this.buffer;
    if (old !== null && old.length >= n) return old;
    const grown = new Uint8Array(Math.max(n, Math.min(this.limit, Math.max(FIRST_CARRY_BYTES, old === null ? 0 : old.length * 2))));
    if (old !== null && this.carryLen > 0) grown.set(old.subarray(0, this.carryLen));
    this.buffer = grown;
    return grown;
  }

  /** Drop the carried bytes; storage above RETAINED_CARRY_BYTES is released. */
  clear(): void {
    this.carryLen = 0;
    if (this.buffer !== null && this.buffer.length > RETAINED_CARRY_BYTES) this.buffer = null;
  }
}

/**
 * EtherNet/IP encapsulation over TCP (CIP Vol 2 §2-2.1: port 44818, messages framed by the
 * 24-byte header's length field).
 *
 * - Framing: several messages per chunk and one message over many chunks both work; at most one
 *   partial message per direction is held (≤ limits.maxAnalyzerBufferBytes); a longer one spread
 *   over chunks is skipped by its length (`enip.buffer_limit`) and framing continues after it.
 * - Mid-stream start and resynchronisation after a gap or a bad header: a chunk's first bytes need
 *   only a plausible header (framing.ts), a header inside a chunk must be a strict candidate.
 * - Confirmation: the first whole message with a plausible header calls `confirm('enip')` (the
 *   service ICSNPP writes in conn.log for TCP flows).
 * - Before confirmation the fourth violation is fatal (`enip.too_many_violations`).
 */
export class EnipStreamAnalyzer implements StreamAnalyzer {
  private readonly orig: Direction;
  private readonly resp: Direction;
  private readonly header: EncapHeader = newEncapHeader();
  private readonly messages: EnipMessages;
  private confirmed = false;
  private violations = 0;
  private stopped = false;

  /** @param ctx the flow this analyzer is attached to */
  constructor(private readonly ctx: FlowContext) {
    this.orig = new Direction(ctx.limits.maxAnalyzerBufferBytes);
    this.resp = new Direction(ctx.limits.maxAnalyzerBufferBytes);
    this.messages = new EnipMessages(ctx, flowIdsOf(ctx));
  }

  /** True once a fatal anomaly stopped the analyzer. */
  get done(): boolean {
    return this.stopped;
  }

  /**
   * Bytes of carry storage held for partial messages, both directions (read-only, for diagnostics
   * and tests). Grows with the bytes that arrived, not with the length a header declares; storage
   * above RETAINED_CARRY_BYTES is released when its message completes or is dropped.
   */
  get bufferedBytes(): number {
    return (this.orig.buffer?.length ?? 0) + (this.resp.buffer?.length ?? 0);
  }

  /** In-order bytes of one direction (a view valid during the call). @param ts seconds */
  deliver(isOrig: boolean, data: Uint8Array, ts: number): void {
    if (this.stopped || data.length === 0) return;
    const d = isOrig ? this.orig : this.resp;
    const end = data.length;
    let off = 0;
    if (d.skip > 0) {
      off = Math.min(d.skip, end);
      d.skip -= off;
      if (off === end) return;
    }
    if (d.lost) off = this.resync(d, data, off, true, ts);
    else if (d.carryLen > 0) off = this.continueCarry(isOrig, d, data, off, ts);
    while (off < end && !this.stopped) off = this.step(isOrig, d, data, off, end, ts);
  }

  /** `len` bytes of one direction were lost: a partial message is dropped and framing is searched anew. */
  gap(isOrig: boolean, len: number, ts: number): void {
    if (this.stopped) return;
    const d = isOrig ? this.orig : this.resp;
    if (d.carryLen > 0) this.ctx.anomaly('enip.partial_message_discarded', 'weird', ts, `${d.carryLen} bytes before a ${len}-byte gap`);
    d.clear();
    d.skip = 0;
    d.lost = true;
  }

  /** End of the flow: a partial message is reported. */
  end(ts: number): void {
    for (const d of [this.orig, this.resp]) {
      if (d.carryLen > 0) this.ctx.anomaly('enip.partial_message_discarded', 'weird', ts, `${d.carryLen} bytes at the end of the flow`);
      d.clear();
    }
  }

  /** Parse one message at `off`; returns the offset after what was consumed, kept or skipped. */
  private step(isOrig: boolean, d: Direction, data: Uint8Array, off: number, end: number, ts: number): number {
    const avail = end - off;
    if (avail < ENCAP_HEADER_BYTES) return this.keep(d, data, off, end);
    if (!plausibleHeader(data, off)) return this.badHeader(d, data, off, ts);
    const total = ENCAP_HEADER_BYTES + u16(data, off + 2);
    if (avail >= total) {
      this.complete(isOrig, data, off, ts);
      return off + total;
    }
    if (total > this.ctx.limits.maxAnalyzerBufferBytes) {
      this.ctx.anomaly('enip.buffer_limit', 'weird', ts, `message of ${total} bytes, limit ${this.ctx.limits.maxAnalyzerBufferBytes}`);
      d.skip = total - avail;
      return end;
    }
    return this.keep(d, data, off, end);
  }

  /** Hold `data[off, end)` (a partial header or message) for the next chunk. */
  private keep(d: Direction, data: Uint8Array, off: number, end: number): number {
    const n = end - off;
    d.reserve(Math.max(n, ENCAP_HEADER_BYTES)).set(data.subarray(off, end), 0);
    d.carryLen = n;
    return end;
  }

  /** Add the chunk's first bytes to the message held in the carry buffer; returns the chunk offset after them. */
  private continueCarry(isOrig: boolean, d: Direction, data: Uint8Array, off: number, ts: number): number {
    const end = data.length;
    if (d.carryLen < ENCAP_HEADER_BYTES) {
      const take = Math.min(ENCAP_HEADER_BYTES - d.carryLen, end - off);
      d.reserve(ENCAP_HEADER_BYTES).set(data.subarray(off, off + take), d.carryLen);
      d.carryLen += take;
      off += take;
      if (d.carryLen < ENCAP_HEADER_BYTES) return end;
      const buf = d.buffer as Uint8Array;
      if (!plausibleHeader(buf, 0)) {
        d.clear();
        this.violation('enip.invalid_header', ts, `command 0x${u16(buf, 0).toString(16)}`);
        d.lost = true;
        return this.resync(d, data, off, false, ts);
      }
    }
    const total = ENCAP_HEADER_BYTES + u16(d.buffer as Uint8Array, 2);
    if (total > this.ctx.limits.maxAnalyzerBufferBytes) {
      this.ctx.anomaly('enip.buffer_limit', 'weird', ts, `message of ${total} bytes, limit ${this.ctx.limits.maxAnalyzerBufferBytes}`);
      const rest = total - d.carryLen;
      d.clear();
      const dropped = Math.min(rest, end - off);
      d.skip = rest - dropped;
      return off + dropped;
    }
    const take = Math.min(total - d.carryLen, end - off);
    const buf = d.reserve(d.carryLen + take);
    buf.set(data.subarray(off, off + take), d.carryLen);
    d.carryLen += take;
    off += take;
    if (d.carryLen < total) return end;
    d.clear();
    this.complete(isOrig, buf, 0, ts);
    return off;
  }

  /** A header that is no plausible one at `off`: a violation, then the rest of the chunk is searched. */
  private badHeader(d: Direction, data: Uint8Array, off: number, ts: number): number {
    this.violation('enip.invalid_header', ts, `command 0x${u16(data, off).toString(16)}`);
    d.lost = true;
    return this.stopped ? data.length : this.resync(d, data, off + 1, false, ts);
  }

  /**
   * Find the next header after framing was lost; returns its offset, or the chunk length when
   * there is none (the bytes are dropped). At the start of a chunk (where senders start messages)
   * a plausible header suffices (or fewer than 24 bytes, kept for the next chunk) and an
   * implausible one is a violation; further in, a strict candidate is needed.
   */
  private resync(d: Direction, data: Uint8Array, from: number, chunkStart: boolean, ts: number): number {
    const end = data.length;
    let p = from;
    if (chunkStart) {
      if (end - from < ENCAP_HEADER_BYTES || plausibleHeader(data, from)) {
        d.lost = false;
        return from;
      }
      this.violation('enip.invalid_header', ts, `command 0x${u16(data, from).toString(16)} at a segment start`);
      if (this.stopped) return end;
      p = from + 1;
    }
    for (; p + ENCAP_HEADER_BYTES <= end; p++) {
      if (strictCandidate(data, p, end)) {
        d.lost = false;
        return p;
      }
    }
    return end;
  }

  /** A whole message at `b[off…]`: confirm, then hand it over. */
  private complete(isOrig: boolean, b: Uint8Array, off: number, ts: number): void {
    if (!this.confirmed) {
      this.confirmed = true;
      this.ctx.confirm('enip');
    }
    readEncapHeader(b, off, b.length, this.header);
    this.messages.message(isOrig, b, off, this.header, ts);
  }

  private violation(name: FramingAnomaly, ts: number, detail: string): void {
    this.ctx.anomaly(name, 'violation', ts, detail);
    this.violations++;
    if (!this.confirmed && this.violations > MAX_UNCONFIRMED_VIOLATIONS) {
      this.ctx.anomaly('enip.too_many_violations', 'fatal', ts, `${this.violations} violations before any valid message`);
      this.stopped = true;
    }
  }
}

/**
 * EtherNet/IP over UDP: encapsulation messages on port 44818 (CIP Vol 2 §2-2.2: one message per
 * datagram, e.g. ListIdentity broadcasts and replies) and class 0/1 implicit I/O on port 2222
 * (§3-2.2: a sequenced address item and a connected data item, the CPF item count first).
 * As in ICSNPP, a datagram whose first 16-bit word is 2 is read as I/O (`cip_io`), any other as an
 * encapsulation message (`enip`, `cip`, `cip_identity`). The first valid datagram confirms the
 * service ICSNPP writes in conn.log: `cip` for I/O, `enip` for encapsulation.
 */
export class EnipDatagramAnalyzer implements DatagramAnalyzer {
  private readonly header: EncapHeader = newEncapHeader();
  private readonly io: IoDatagram = newIoDatagram();
  private readonly flow: FlowIds;
  private readonly messages: EnipMessages;
  private confirmed = false;
  private violations = 0;
  private stopped = false;

  /** @param ctx the flow this analyzer is attached to */
  constructor(private readonly ctx: FlowContext) {
    this.flow = flowIdsOf(ctx);
    this.messages = new EnipMessages(ctx, this.flow);
  }

  /** True once a fatal anomaly stopped the analyzer. */
  get done(): boolean {
    return this.stopped;
  }

  /** One datagram's payload (a view valid during the call). @param ts seconds */
  datagram(isOrig: boolean, data: Uint8Array, ts: number): void {
    if (this.stopped) return;
    const end = data.length;
    if (end >= 2 && u16(data, 0) === 2) {
      if (!parseIoDatagram(data, 0, end, this.io)) {
        this.violation(ts, `I/O datagram of ${end} bytes`);
        return;
      }
      this.confirm('cip');
      const io = this.io;
      const r = sideFields(this.flow, ts, isOrig);
      r.connection_id = hexCode(io.connectionId, 8);
      r.sequence_number = io.sequence;
      r.data_length = io.dataLen;
      r.io_data = hexBytes(data, io.dataOff, io.dataLen, this.ctx.limits.maxStringLength);
      this.ctx.emit(CIP_IO_STREAM.name, r);
      return;
    }
    const h = this.header;
    if (!readEncapHeader(data, 0, end, h) || !plausibleHeader(data, 0) || ENCAP_HEADER_BYTES + h.length > end) {
      this.violation(ts, `datagram of ${end} bytes`);
      return;
    }
    this.confirm('enip');
    if (ENCAP_HEADER_BYTES + h.length < end) this.ctx.anomaly('enip.trailing_bytes', 'weird', ts, `${end - ENCAP_HEADER_BYTES - h.length} bytes after the message`);
    this.messages.message(isOrig, data, 0, h, ts);
  }

  /** Nothing is held between datagrams. */
  end(_ts: number): void {}

  private confirm(service: 'cip' | 'enip'): void {
    if (this.confirmed) return;
    this.confirmed = true;
    this.ctx.confirm(service);
  }

  private violation(ts: number, detail: string): void {
    this.ctx.anomaly('enip.malformed_datagram', 'violation', ts, detail);
    this.violations++;
    if (!this.confirmed && this.violations > MAX_UNCONFIRMED_VIOLATIONS) {
      this.ctx.anomaly('enip.too_many_violations', 'fatal', ts, `${this.violations} violations before any valid datagram`);
      this.stopped = true;
    }
  }
}
