import type { FlowContext, StreamAnalyzer } from '../../session/analyzer.js';
import { DnsMessages } from './analyzer.js';

/** Anomalies of the TCP framing (graded `weird`). */
export type DnsStreamAnomaly =
  /** A partly received message was dropped at a gap or at the end of the flow. */
  | 'dns.partial_message_discarded'
  /** A message longer than limits.maxAnalyzerBufferBytes spans segments: its bytes are skipped unread. */
  | 'dns.buffer_limit';

/** Length-prefix bytes in front of every message on TCP (RFC 1035 §4.2.2). */
const PREFIX_BYTES = 2;

/** Framing state of one direction. */
class Direction {
  /** Bytes of a message (prefix included) begun in an earlier chunk; grown on demand. */
  buf: Uint8Array | null = null;
  have = 0;
  /** Bytes of the message being assembled, prefix included; 0 until the prefix is in. */
  need = 0;
  /** Bytes still to drop (a message over the buffer limit). */
  skip = 0;

  reserve(n: number): Uint8Array {
    const old = this.buf;
    if (old !== null && old.length >= n) return old;
    const grown = new Uint8Array(Math.max(n, 512));
    if (old !== null && this.have > 0) grown.set(old.subarray(0, this.have));
    this.buf = grown;
    return grown;
  }

  reset(): void {
    this.have = 0;
    this.need = 0;
  }
}

/**
 * DNS over TCP (RFC 1035 §4.2.2; RFC 7766 §8): each message is preceded by a two-byte length; any
 * number of messages per chunk and one message over any number of chunks. At most one partial
 * message is copied per direction, never more than limits.maxAnalyzerBufferBytes (a longer one is
 * skipped by its length with weird `dns.buffer_limit`). After a gap the partial message is dropped
 * (`dns.partial_message_discarded`) and framing restarts at the next chunk (senders start messages
 * at segment starts).
 */
export class DnsStreamAnalyzer implements StreamAnalyzer {
  private readonly m: DnsMessages;
  private readonly orig = new Direction();
  private readonly resp = new Direction();

  constructor(private readonly ctx: FlowContext) {
    this.m = new DnsMessages(ctx, 'tcp');
  }

  get done(): boolean {
    return this.m.stopped;
  }

  /** In-order bytes of one direction (a view valid during the call). @param ts seconds */
  deliver(isOrig: boolean, data: Uint8Array, ts: number): void {
    const d = isOrig ? this.orig : this.resp;
    const end = data.length;
    let off = 0;
    if (d.skip > 0) {
      const k = Math.min(d.skip, end);
      d.skip -= k;
      off = k;
    }
    if (d.have > 0 && off < end) off = this.continuePartial(d, data, off, ts);
    while (off < end && !this.m.stopped) {
      if (end - off < PREFIX_BYTES) {
        this.hold(d, data, off, end);
        return;
      }
      const total = PREFIX_BYTES + ((data[off] << 8) | data[off + 1]);
      if (end - off >= total) {
        this.m.message(data, off + PREFIX_BYTES, off + total, ts);
        off += total;
        continue;
      }
      if (total > this.ctx.limits.maxAnalyzerBufferBytes) {
        this.m.weird('dns.buffer_limit', ts, `message of ${total - PREFIX_BYTES} bytes, limit ${this.ctx.limits.maxAnalyzerBufferBytes}`);
        d.skip = total - (end - off);
        return;
      }
      d.need = total;
      this.hold(d, data, off, end);
      return;
    }
  }

  /** `len` bytes lost: drop a partial message; framing restarts at the next chunk. */
  gap(isOrig: boolean, len: number, ts: number): void {
    const d = isOrig ? this.orig : this.resp;
    if (d.have > 0) this.m.weird('dns.partial_message_discarded', ts, `${d.have} bytes before a ${len}-byte gap`);
    d.reset();
    d.skip = 0;
  }

  end(ts: number): void {
    for (const d of [this.orig, this.resp]) {
      if (d.have > 0) this.m.weird('dns.partial_message_discarded', ts, `${d.have} bytes at the end of the flow`);
      d.reset();
    }
    this.m.finish();
  }

  /** Copy `data[off, end)` into the partial buffer (start of a message or of its prefix). */
  private hold(d: Direction, data: Uint8Array, off: number, end: number): void {
    const buf = d.reserve(Math.max(d.need, end - off));
    buf.set(data.subarray(off, end), 0);
    d.have = end - off;
  }

  /** Add the chunk's bytes from `off` to the partial message; returns the offset after them. */
  private continuePartial(d: Direction, data: Uint8Array, off: number, ts: number): number {
    const end = data.length;
    if (d.need === 0) {
      // Only the first prefix byte was held.
      const buf = d.reserve(PREFIX_BYTES);
      buf[1] = data[off];
      d.have = PREFIX_BYTES;
      off++;
      d.need = PREFIX_BYTES + ((buf[0] << 8) | buf[1]);
      if (d.need > this.ctx.limits.maxAnalyzerBufferBytes) {
        this.m.weird('dns.buffer_limit', ts, `message of ${d.need - PREFIX_BYTES} bytes, limit ${this.ctx.limits.maxAnalyzerBufferBytes}`);
        const k = Math.min(d.need - PREFIX_BYTES, end - off);
        d.skip = d.need - PREFIX_BYTES - k;
        d.reset();
        return off + k;
      }
    }
    const buf = d.reserve(d.need);
    const take = Math.min(d.need - d.have, end - off);
    buf.set(data.subarray(off, off + take), d.have);
    d.have += take;
    off += take;
    if (d.have < d.need) return off;
    const total = d.need;
    d.reset();
    this.m.message(buf, PREFIX_BYTES, total, ts);
    return off;
  }
}
