/**
 * Bytes the container-data tap holds across all flows and DNS tunnels (Limits.maxContainerCarryBytesTotal):
 * buffers ask before they grow and give back when they are released.
 */
export class CarryBudget {
  /** Bytes currently held. */
  used = 0;
  /** Requests refused (a run or member was then decoded as far as it came). */
  refused = 0;

  /** @param max bytes that may be held at once */
  constructor(readonly max: number) {}

  /** Reserve `n` bytes; false (and nothing reserved) when that would pass `max`. */
  take(n: number): boolean {
    if (this.used + n > this.max) {
      this.refused++;
      return false;
    }
    this.used += n;
    return true;
  }

  /** Return `n` bytes reserved earlier. */
  give(n: number): void {
    this.used -= n;
  }
}
