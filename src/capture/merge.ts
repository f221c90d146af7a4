import type { RawPacket } from './packet.js';
import type { CaptureReader } from './reader.js';

/** True when packet a comes before packet b: earlier timestamp, then lower source index, then lower frame. */
function before(a: RawPacket, b: RawPacket): boolean {
  if (a.ts !== b.ts) return a.ts < b.ts;
  if (a.source !== b.source) return a.source < b.source;
  return a.frame < b.frame;
}

/**
 * A binary min-heap of reader indices ordered by each reader's head packet
 * (`batches[i][pos[i]]`). Sized by the number of readers.
 */
class HeadHeap {
  readonly items: number[] = [];

  constructor(
    private readonly batches: RawPacket[][],
    private readonly pos: number[],
  ) {}

  get size(): number {
    return this.items.length;
  }

  head(i: number): RawPacket {
    return this.batches[i][this.pos[i]];
  }

  push(r: number): void {
    const a = this.items;
    let k = a.length;
    a.push(r);
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!before(this.head(a[k]), this.head(a[parent]))) break;
      const t = a[k];
      a[k] = a[parent];
      a[parent] = t;
      k = parent;
    }
  }

  pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop() as number;
    if (a.length > 0) {
      a[0] = last;
      let k = 0;
      while (true) {
        const l = 2 * k + 1;
        if (l >= a.length) break;
        const rr = l + 1;
        const c = rr < a.length && before(this.head(a[rr]), this.head(a[l])) ? rr : l;
        if (!before(this.head(a[c]), this.head(a[k]))) break;
        const t = a[k];
        a[k] = a[c];
        a[c] = t;
        k = c;
      }
    }
    return top;
  }
}

/**
 * Merges the packets of several captures into one timestamp-ordered sequence of batches
 * (what mergecap does, as a stream). Ties are broken by source index, then frame number, so the
 * order is deterministic; each file's own packet order is kept even where its timestamps go back.
 * One reader: its batches pass through untouched. Memory: one input batch per reader plus the
 * output batch being filled (at most the packets taken since the last input batch ran out).
 * Returning early (or an error) closes every reader.
 * @param readers readers whose `batches()` have not been started
 * @throws what a reader's `batches()` throws (CwError CW_ERR_READ, header errors of stream readers)
 */
export async function* mergeByTime(readers: readonly CaptureReader[]): AsyncGenerator<RawPacket[]> {
  if (readers.length === 0) return;
  if (readers.length === 1) {
    yield* readers[0].batches();
    return;
  }
  const its = readers.map((r) => r.batches());
  const batches: RawPacket[][] = readers.map(() => []);
  const pos: number[] = readers.map(() => 0);
  const heap = new HeadHeap(batches, pos);
  /** Loads reader i's next batch into `batches[i]`; false when the reader is finished. */
  const fill = async (i: number): Promise<boolean> => {
    pos[i] = 0;
    while (true) {
      const r = await its[i].next();
      if (r.done) {
        batches[i] = [];
        return false;
      }
      if (r.value.length > 0) {
        batches[i] = r.value;
        return true;
      }
    }
  };
  try {
    for (let i = 0; i < its.length; i++) if (await fill(i)) heap.push(i);
    let out: RawPacket[] = [];
    while (heap.size > 0) {
      const r = heap.pop();
      const b = batches[r];
      let p = pos[r];
      if (heap.size === 0) {
        for (; p < b.length; p++) out.push(b[p]);
      } else {
        const next = heap.head(heap.items[0]);
        out.push(b[p++]);
        while (p < b.length && before(b[p], next)) out.push(b[p++]);
      }
      pos[r] = p;
      if (p === b.length) {
        if (out.length > 0) {
          yield out;
          out = [];
        }
        if (!(await fill(r))) continue;
      }
      heap.push(r);
    }
    if (out.length > 0) yield out;
  } finally {
    for (const it of its) await it.return(undefined);
  }
}
