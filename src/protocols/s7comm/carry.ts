/** First storage size of a carry buffer, bytes (holds a cut TPKT header or a small TPDU without growing). */
export const FIRST_CARRY_BYTES = 64;
/** Storage a carry buffer keeps for reuse once it is emptied, bytes; larger storage is released. */
export const RETAINED_CARRY_BYTES = 1024;

const EMPTY = new Uint8Array(0);

/**
 * Bytes carried from one delivery to the next (a TPKT packet, RFC 1006 §6, cut by a segment boundary, COTP DT
 * fragments of one TSDU, ISO 8073 §6.3, the tail of a header scan). Storage is allocated on the first append, sized
 * to the bytes actually held and doubled as more arrive (at most twice the bytes held, or
 * FIRST_CARRY_BYTES, and never more than `limit`): a header that declares a long packet costs only
 * the bytes that came. `clear` releases storage above RETAINED_CARRY_BYTES.
 */
export class CarryBytes {
  private buf: Uint8Array = EMPTY;
  /** Bytes held, at the start of `bytes`. */
  length = 0;

  /**
   * @param limit bytes the caller lets it hold (limits.maxAnalyzerBufferBytes, checked by the caller
   *   before appending); doubling never allocates past it
   */
  constructor(private readonly limit: number) {}

  /** The storage; bytes [0, length) are the held ones. Valid until the next `append` or `clear`. */
  get bytes(): Uint8Array {
    return this.buf;
  }

  /** Bytes of storage allocated (≥ length). */
  get capacity(): number {
    return this.buf.length;
  }

  /** Append `src[from, to)` after the held bytes, growing the storage as needed. */
  append(src: Uint8Array, from: number, to: number): void {
    const need = this.length + (to - from);
    if (need > this.buf.length) {
      const grown = new Uint8Array(Math.max(need, Math.min(this.limit, Math.max(this.buf.length * 2, FIRST_CARRY_BYTES))));
      if (this.length > 0) grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    this.buf.set(src.subarray(from, to), this.length);
    this.length = need;
  }

  /** Keep only the held bytes [from, to), moved to the start. */
  keep(from: number, to: number): void {
    if (from > 0) this.buf.copyWithin(0, from, to);
    this.length = to - from;
  }

  /** Drop the held bytes; storage above RETAINED_CARRY_BYTES is released. */
  clear(): void {
    this.length = 0;
    if (this.buf.length > RETAINED_CARRY_BYTES) this.buf = EMPTY;
  }
}
