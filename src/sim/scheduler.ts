/**
 * A simulated participant that emits frames over time (a poller, a PLC link, an attacker).
 * Each `step()` emits the frames due at `nextTs` and then moves `nextTs` forward (never backward);
 * `nextTs = Infinity` retires the actor. Frames of one step must carry timestamps ≥ the `nextTs`
 * the step was called at and ≤ the new `nextTs`, so the merged capture stays in time order.
 */
export interface Actor {
  /** Time of the actor's next step, seconds since the Unix epoch; `Infinity` when done. */
  nextTs: number;
  /** Emit what is due at `nextTs` and advance `nextTs`. */
  step(): void;
}

/**
 * Runs many actors in global time order with a binary min-heap keyed on (`nextTs`, registration
 * order), so ties resolve the same way on every run. O(log n) per step, no allocation per step:
 * the twin's capture is written as a stream at constant memory, whatever its length.
 */
export class Scheduler {
  /** Heap of actors and, at the same index, their registration numbers (tie-breakers). */
  private readonly heap: Actor[] = [];
  private readonly seqs: number[] = [];
  private registered = 0;

  /** Register an actor; it first runs at its current `nextTs` (an actor with `Infinity` is ignored). */
  add(actor: Actor): void {
    if (!(actor.nextTs < Infinity)) return;
    this.heap.push(actor);
    this.seqs.push(this.registered++);
    this.siftUp(this.heap.length - 1);
  }

  /**
   * Step actors in time order while the earliest `nextTs` is before `endTs` (seconds since the
   * epoch, exclusive). Returns the number of steps taken. Actors left unfinished keep their state,
   * so a later call continues the same simulation.
   */
  run(endTs: number): number {
    const heap = this.heap;
    const seqs = this.seqs;
    let steps = 0;
    while (heap.length > 0) {
      const top = heap[0];
      if (!(top.nextTs < endTs)) break;
      top.step();
      steps++;
      if (!(top.nextTs < Infinity)) {
        const last = heap.pop() as Actor;
        const lastSeq = seqs.pop() as number;
        if (heap.length === 0) break;
        heap[0] = last;
        seqs[0] = lastSeq;
      }
      this.siftDown(0);
    }
    return steps;
  }

  /** Number of actors still scheduled. */
  get size(): number {
    return this.heap.length;
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const seqs = this.seqs;
    const item = heap[i];
    const seq = seqs[i];
    const ts = item.nextTs;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      if (p.nextTs < ts || (p.nextTs === ts && seqs[parent] < seq)) break;
      heap[i] = p;
      seqs[i] = seqs[parent];
      i = parent;
    }
    heap[i] = item;
    seqs[i] = seq;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const seqs = this.seqs;
    const n = heap.length;
    const item = heap[i];
    const seq = seqs[i];
    const ts = item.nextTs;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n) {
        const tr = heap[r].nextTs;
        const tl = heap[l].nextTs;
        if (tr < tl || (tr === tl && seqs[r] < seqs[l])) c = r;
      }
      const tc = heap[c].nextTs;
      if (ts < tc || (ts === tc && seq < seqs[c])) break;
      heap[i] = heap[c];
      seqs[i] = seqs[c];
      i = c;
    }
    heap[i] = item;
    seqs[i] = seq;
  }
}
