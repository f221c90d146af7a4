import type { Actor } from '../scheduler.js';

/**
 * An `Actor` that runs a sequence of actors one after another, asking `next()` for the following one
 * when the current one retires (`nextTs = Infinity`). A crane's OCR reads, a CMS's job-done posts or
 * an HMI's commands are each a short conversation; chaining them keeps one scheduler entry per
 * participant and only the current conversation in memory, so a run of any length stays at constant
 * memory. `next()` must return actors whose first `nextTs` is not before the previous one's last step;
 * null ends the chain.
 */
export class ActorChain implements Actor {
  nextTs = Infinity;
  private current: Actor | null;

  constructor(private readonly next: () => Actor | null) {
    this.current = next();
    this.settle();
  }

  step(): void {
    const cur = this.current;
    if (cur === null) return;
    cur.step();
    if (!(cur.nextTs < Infinity)) this.current = this.next();
    this.settle();
  }

  /** Skip actors that have nothing to do and take the current one's time. */
  private settle(): void {
    while (this.current !== null && !(this.current.nextTs < Infinity)) this.current = this.next();
    this.nextTs = this.current === null ? Infinity : this.current.nextTs;
  }
}
