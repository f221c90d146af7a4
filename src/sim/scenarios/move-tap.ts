import type { Actor } from '../scheduler.js';
import { moveRecord } from '../terminal/tos-link.js';
import type { TruthMove } from '../terminal/truth.js';
import type { ScenarioContext, ScenarioCrane } from './scenario.js';

/** Most move records a tap holds unsent; beyond it the oldest is dropped (a week at 40 moves/h is ~6 700). */
export const MAX_TAPPED_MOVES = 2000;

/**
 * A compromised crane-side host's view of a crane's work: wakes at each twistlock unlock of `crane`
 * (the moment the CMS reports a move done) and queues the move record — the same `TruthMove`
 * (container number, ISO type, positions, vessel, ports of loading and discharge) the run's truth
 * lists for that move, since both come from `moveRecord` over the move's vessel call. Only moves whose
 * twistlocks unlock in [`fromTs`, `untilTs`) are queued (`fromTs` ≥ the run's start: the truth lists
 * no earlier move). Wakes first at the run's start and reads the crane only from then on (never at
 * install, so holds set by later scenarios stay possible), keeping pace with it, so the crane's bounded cycle window never drops a move it still needs.
 * Queue bounded by `MAX_TAPPED_MOVES`. Emits no frames.
 */
export class MoveTap implements Actor {
  nextTs: number;
  private k = 0;
  private readonly queue: TruthMove[] = [];
  private readonly here: string;

  /**
   * @param fromTs  first unlock time queued (≥ the run's start), seconds since the epoch.
   * @param untilTs no move unlocking at or after this time is queued.
   */
  constructor(
    ctx: ScenarioContext,
    private readonly crane: ScenarioCrane,
    private readonly fromTs: number,
    private readonly untilTs: number,
  ) {
    this.here = ctx.site.site.unlocode;
    this.nextTs = ctx.startTs;
  }

  step(): void {
    const now = this.nextTs;
    for (;;) {
      const m = this.crane.model.move(this.k);
      if (m.unlockTs > now) {
        this.nextTs = m.unlockTs < this.untilTs ? m.unlockTs : Infinity;
        return;
      }
      this.k++;
      if (m.unlockTs >= this.fromTs) {
        if (this.queue.length >= MAX_TAPPED_MOVES) this.queue.shift();
        this.queue.push(moveRecord(this.crane.id, m, this.here));
      }
    }
  }

  /** Move records queued and not yet taken. */
  get pending(): number {
    return this.queue.length;
  }

  /** Remove and return up to `max` queued records, oldest first. */
  take(max: number): TruthMove[] {
    return this.queue.splice(0, Math.min(max, this.queue.length));
  }
}
