import type { Flow } from './flow.js';

/**
 * Intrusive doubly linked lists of flows: O(1) append, remove and move-to-tail, no allocation (the
 * links are fields of the Flow). A flow is in the activity list while it lives (eviction order,
 * least recently active at the head) and in one expiry list (earliest deadline at the head).
 */

/** All live flows by last activity. Links: `lruPrev` / `lruNext`; membership: `inLru`. */
export class LruList {
  head: Flow | null = null;
  tail: Flow | null = null;
  size = 0;

  /** Append `f` (not in the list) as the most recent. */
  append(f: Flow): void {
    f.lruPrev = this.tail;
    f.lruNext = null;
    if (this.tail === null) this.head = f;
    else this.tail.lruNext = f;
    this.tail = f;
    f.inLru = true;
    this.size++;
  }

  /** Unlink `f` if it is in the list. */
  remove(f: Flow): void {
    if (!f.inLru) return;
    if (f.lruPrev === null) this.head = f.lruNext;
    else f.lruPrev.lruNext = f.lruNext;
    if (f.lruNext === null) this.tail = f.lruPrev;
    else f.lruNext.lruPrev = f.lruPrev;
    f.lruPrev = null;
    f.lruNext = null;
    f.inLru = false;
    this.size--;
  }

  /** Make `f` (in the list) the most recent. */
  moveToTail(f: Flow): void {
    if (this.tail === f) return;
    this.remove(f);
    this.append(f);
  }
}

/** Flows of one expiry class by deadline. Links: `expPrev` / `expNext`; membership: `expList`. */
export class ExpiryList {
  head: Flow | null = null;
  tail: Flow | null = null;

  /** Append `f` at the tail, taking it out of the expiry list it was in. */
  append(f: Flow): void {
    if (f.expList !== null) f.expList.remove(f);
    f.expPrev = this.tail;
    f.expNext = null;
    if (this.tail === null) this.head = f;
    else this.tail.expNext = f;
    this.tail = f;
    f.expList = this;
  }

  /** Unlink `f` if it is in this list. */
  remove(f: Flow): void {
    if (f.expList !== this) return;
    if (f.expPrev === null) this.head = f.expNext;
    else f.expPrev.expNext = f.expNext;
    if (f.expNext === null) this.tail = f.expPrev;
    else f.expNext.expPrev = f.expPrev;
    f.expPrev = null;
    f.expNext = null;
    f.expList = null;
  }

  /** Move `f` (in this list) to the tail. */
  moveToTail(f: Flow): void {
    if (this.tail === f) return;
    this.remove(f);
    this.append(f);
  }
}
