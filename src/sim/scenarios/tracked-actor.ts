import type { FrameBuilder } from '../net/frame-builder.js';
import type { Actor } from '../scheduler.js';

/** First and last time (seconds since the epoch) at which a group of actors emitted frames; ±Infinity before any. */
export interface EmitSpan {
  first: number;
  last: number;
}

/**
 * An `Actor` wrapper that notes, in `span`, the times of the steps in which the wrapped actor emitted
 * frames (the frame builder's count moved), so a scenario's truth can give the span of what it
 * actually put on the wire. No allocation per step.
 */
export class TrackedActor implements Actor {
  nextTs: number;

  constructor(
    private readonly inner: Actor,
    private readonly fb: FrameBuilder,
    private readonly span: EmitSpan,
  ) {
    this.nextTs = inner.nextTs;
  }

  step(): void {
    const ts = this.nextTs;
    const before = this.fb.frames;
    this.inner.step();
    if (this.fb.frames !== before) {
      if (ts < this.span.first) this.span.first = ts;
      if (ts > this.span.last) this.span.last = ts;
    }
    this.nextTs = this.inner.nextTs;
  }
}
