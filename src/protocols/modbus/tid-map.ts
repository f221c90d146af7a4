/**
 * An insertion-ordered map from Modbus transaction id (0–65535, MBAP header §3.1.3 of the Modbus
 * Messaging on TCP/IP Implementation Guide V1.0b) to a value, specialised for the usual case of a
 * poller that has one transaction in flight at a time.
 *
 * While it holds at most one entry, the entry lives in two fields and no `Map` is touched, so a
 * request/response pair costs no hash-table insert and delete (which, with ids that change on every
 * request, make a `Map` rehash and allocate). A second key moves the entry into a `Map` (kept until
 * the map empties again), preserving insertion order: `firstKey` / `firstValue` are always the
 * oldest entry, and setting an existing key keeps its position, as `Map` does.
 */
export class TidMap<V> {
  private soloKey = -1;
  private solo: V | undefined = undefined;
  private readonly map = new Map<number, V>();

  /** Number of entries. */
  get size(): number {
    return this.solo !== undefined ? 1 : this.map.size;
  }

  /** The value under transaction id `tid`, or undefined. */
  get(tid: number): V | undefined {
    if (this.solo !== undefined) return this.soloKey === tid ? this.solo : undefined;
    return this.map.size === 0 ? undefined : this.map.get(tid);
  }

  /** Store `value` under `tid` (an existing key keeps its place in the order). */
  set(tid: number, value: V): void {
    if (this.solo !== undefined) {
      if (this.soloKey === tid) {
        this.solo = value;
        return;
      }
      this.map.set(this.soloKey, this.solo);
      this.solo = undefined;
      this.soloKey = -1;
      this.map.set(tid, value);
      return;
    }
    if (this.map.size === 0) {
      this.soloKey = tid;
      this.solo = value;
      return;
    }
    this.map.set(tid, value);
  }

  /** Remove `tid`'s entry, if any. */
  delete(tid: number): void {
    if (this.solo !== undefined) {
      if (this.soloKey === tid) {
        this.solo = undefined;
        this.soloKey = -1;
      }
      return;
    }
    if (this.map.size !== 0) this.map.delete(tid);
  }

  /** Key of the oldest entry, or -1 when empty. */
  firstKey(): number {
    if (this.solo !== undefined) return this.soloKey;
    if (this.map.size === 0) return -1;
    return this.map.keys().next().value as number;
  }

  /** Value of the oldest entry, or undefined when empty. */
  firstValue(): V | undefined {
    if (this.solo !== undefined) return this.solo;
    if (this.map.size === 0) return undefined;
    return this.map.values().next().value;
  }

  /** The values, oldest first (a new array). */
  values(): V[] {
    return this.solo !== undefined ? [this.solo] : [...this.map.values()];
  }

  /** Remove every entry. */
  clear(): void {
    this.solo = undefined;
    this.soloKey = -1;
    this.map.clear();
  }
}
