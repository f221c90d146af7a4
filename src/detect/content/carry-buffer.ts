import type { CarryBudget } from './carry-budget.js';

/** First capacity of a carry buffer, bytes. */
const FIRST_CAPACITY = 4096;

/**
 * A growable byte buffer bounded twice: by its own `cap` and by the shared `CarryBudget`, which is
 * charged the capacity held (doubling growth) and credited on `release`.
 */
export class CarryBuffer {
  private buf: Uint8Array | null = null;
  /** Bytes held. */
  length = 0;

  constructor(
    private readonly cap: number,
    private readonly budget: CarryBudget,
  ) {}

  /** The bytes held (a view valid until the next append or release). */
  view(): Uint8Array {
    return this.buf === null ? EMPTY : this.buf.subarray(0, this.length);
  }

  /** Append `src[from, to)`; false (nothing appended) when `cap` or the budget refuses the room. */
  append(src: Uint8Array, from: number, to: number): boolean {
    const need = this.length + (to - from);
    if (need > this.cap) return false;
    const have = this.buf === null ? 0 : this.buf.length;
    if (need > have) {
      const size = Math.min(this.cap, Math.max(need, have * 2, FIRST_CAPACITY));
      if (!this.budget.take(size - have)) return false;
      const next = new Uint8Array(size);
      if (this.buf !== null) next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
    (this.buf as Uint8Array).set(src.subarray(from, to), this.length);
    this.length = need;
    return true;
  }

  /** Drop the bytes and give the capacity back to the budget. */
  release(): void {
    if (this.buf !== null) this.budget.give(this.buf.length);
    this.buf = null;
    this.length = 0;
  }
}

const EMPTY = new Uint8Array(0);
