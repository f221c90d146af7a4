import type { Actor } from '../scheduler.js';
import type { TruthMove } from '../terminal/truth.js';
import type { MoveTap } from './move-tap.js';

/** Most move records one message carries (a burst of a long run is cut into several). */
export const MAX_RECORDS_PER_MESSAGE = 500;
/** Seconds between a move's twistlock unlock and a burst waiting for it. */
const BURST_LATENCY_SEC = 1.5;

/** When a `LeakSender` sends. */
export interface LeakSchedule {
  /** First send time, seconds since the epoch. */
  firstTs: number;
  /** Seconds between drip messages; 0 = burst. */
  rateSec: number;
  /** Records per drip message (1–`MAX_RECORDS_PER_MESSAGE`). */
  perMessage: number;
  /** No message starts at or after this time. */
  endTs: number;
}

/**
 * Sends what a `MoveTap` collected, one conversation at a time (`open` builds it: message number
 * 1, 2, …). Drip (`rateSec` > 0): at `firstTs`, `firstTs + rateSec`, … the oldest `perMessage`
 * queued records, skipping times with none queued. Burst (`rateSec` 0): at `firstTs` everything queued
 * (the host's history since the run began) in messages of at most `MAX_RECORDS_PER_MESSAGE` back to
 * back; when nothing is queued yet, right after the next move. A send time that falls inside a running
 * conversation waits for its end.
 */
export class LeakSender implements Actor {
  nextTs: number;
  /** Messages started. */
  messages = 0;
  private current: Actor | null = null;
  private tick: number;
  private burstDone = false;

  constructor(
    private readonly tap: MoveTap,
    private readonly open: (ts: number, records: readonly TruthMove[], n: number) => Actor,
    private readonly plan: LeakSchedule,
  ) {
    this.tick = plan.firstTs;
    this.nextTs = plan.firstTs < plan.endTs ? plan.firstTs : Infinity;
  }

  step(): void {
    const ts = this.nextTs;
    const cur = this.current;
    if (cur !== null) {
      cur.step();
      if (!(cur.nextTs < Infinity)) this.current = null;
    } else this.fire(ts);
    let next = this.current !== null ? this.current.nextTs : this.tick < this.plan.endTs ? this.tick : Infinity;
    if (next < ts) next = ts;
    this.nextTs = next;
  }

  /** A send time: start a message when records are queued, and set the next send time. */
  private fire(ts: number): void {
    const p = this.plan;
    const burst = p.rateSec <= 0;
    if (this.tap.pending > 0) {
      const records = this.tap.take(burst ? MAX_RECORDS_PER_MESSAGE : p.perMessage);
      this.current = this.open(ts, records, ++this.messages);
      if (!(this.current.nextTs < Infinity)) this.current = null;
    }
    if (!burst) {
      while (this.tick <= ts) this.tick += p.rateSec;
      return;
    }
    if (this.messages > 0 && this.tap.pending === 0) this.burstDone = true;
    if (this.burstDone) this.tick = Infinity;
    else this.tick = this.tap.pending > 0 ? ts : this.tap.nextTs + BURST_LATENCY_SEC;
  }
}
