import type { FrameSink } from './frame-sink.js';

/** A frame sink whose buffered bytes can be handed to the file at once (PcapWriter, PcapngWriter). */
export interface FlushableFrameSink extends FrameSink {
  /** Write what is buffered to the file now, so a reader following the file sees every frame so far. */
  flush(): void;
}

/** Pauses the calling thread for `ms` milliseconds (synchronous: the twin's generator is). */
export type Sleeper = (ms: number) => void;

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread for `ms` milliseconds with Atomics.wait on a cell nobody notifies (allowed on Node's main thread). */
export function sleepSync(ms: number): void {
  Atomics.wait(pause, 0, 0, ms);
}

/** Waits shorter than this are not slept (the frame goes out at once), ms. */
const MIN_SLEEP_MS = 2;

/**
 * Emits the twin's frames in step with their capture timestamps: frame `ts` leaves no earlier than
 * `wall0 + (ts − ts0) / speed` (wall0, ts0: the first frame's wall clock and capture time), so
 * `speed` 1 is real time, 10 ten times faster, 0.5 half speed. Before each wait the inner sink is
 * flushed, so a reader following the file (a live pipeline, `tail -f | …`) gets every frame when its
 * time comes. The frames and their bytes are those of an unpaced run; only the pace differs.
 * @param speed capture seconds per wall-clock second, > 0 (checked by the CLI)
 * @param now   wall clock in ms (default performance.now); `sleep` blocks (default sleepSync) — injectable for tests
 */
export class PacedFrameSink implements FrameSink {
  private wall0 = Number.NaN;
  private ts0 = 0;

  constructor(
    private readonly inner: FlushableFrameSink,
    private readonly speed: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: Sleeper = sleepSync,
  ) {}

  writePacket(ts: number, data: Uint8Array, origLen?: number): void {
    if (Number.isNaN(this.wall0)) {
      this.wall0 = this.now();
      this.ts0 = ts;
    } else {
      const wait = this.wall0 + ((ts - this.ts0) * 1000) / this.speed - this.now();
      if (wait >= MIN_SLEEP_MS) {
        this.inner.flush();
        this.sleep(wait);
      }
    }
    this.inner.writePacket(ts, data, origLen);
  }
}
