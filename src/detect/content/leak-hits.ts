/** Container numbers found under one encoding of one flow direction (or DNS tunnel). */
export interface EncodingHits {
  /** Time of the first find, seconds since the epoch. */
  readonly firstTs: number;
  /** Distinct numbers in the order found, at most the bound given to `LeakHits`. */
  readonly numbers: string[];
}

/**
 * The distinct ISO 6346 numbers found per encoding label (`plain`, `base64`, `gzip+base64`,
 * `dns-base32` …) of one flow direction, in the order labels were first seen (deterministic).
 * Bounded: at most `maxPerEncoding` numbers per label; later ones are not kept (or counted).
 */
export class LeakHits {
  private readonly byLabel = new Map<string, EncodingHits>();
  private readonly seen = new Map<string, Set<string>>();

  /** @param maxPerEncoding distinct numbers kept per label (Limits.maxContainerNumbersPerRecord) */
  constructor(private readonly maxPerEncoding: number) {}

  /** Note `number` (11 characters, check digit valid) found under `label` at `ts` (seconds). */
  add(label: string, number: string, ts: number): void {
    let h = this.byLabel.get(label);
    let s = this.seen.get(label);
    if (h === undefined || s === undefined) {
      h = { firstTs: ts, numbers: [] };
      s = new Set();
      this.byLabel.set(label, h);
      this.seen.set(label, s);
    }
    if (s.has(number) || s.size >= this.maxPerEncoding) return;
    s.add(number);
    h.numbers.push(number);
  }

  /** Encoding labels with finds so far (grows by one at each label's first find). */
  get labels(): number {
    return this.byLabel.size;
  }

  /** True when nothing was found. */
  get empty(): boolean {
    return this.byLabel.size === 0;
  }

  /** Labels and their finds, in first-seen order. */
  entries(): IterableIterator<[string, EncodingHits]> {
    return this.byLabel.entries();
  }
}
