/**
 * What a log sink worked out for a stream name (its counter, its handler), remembered for the last
 * two names: the records of one packet alternate between two streams (`enip` and its `cip` rows,
 * `modbus` and `modbus_detailed`), so most records need no map lookup. `compute` runs once per miss.
 */
export class StreamMemo<T> {
  private k0: string | null = null;
  private v0: T | undefined = undefined;
  private k1: string | null = null;
  private v1: T | undefined = undefined;

  /** @param compute the value for a stream name (called again after the name left the memo) */
  constructor(private readonly compute: (stream: string) => T) {}

  /** The value for `stream`. */
  get(stream: string): T {
    if (stream === this.k0) return this.v0 as T;
    const k1 = this.k1;
    const v1 = this.v1;
    this.k1 = this.k0;
    this.v1 = this.v0;
    this.k0 = stream;
    this.v0 = stream === k1 ? v1 : this.compute(stream);
    return this.v0 as T;
  }
}
