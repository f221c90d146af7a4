/**
 * A one-way channel of messages between two threads in shared memory: a few slots that the writing
 * thread fills and the reading thread empties, in order. A slot is either the writer's (state 0) or
 * the reader's (state 1); the state word is what the threads wait on (Atomics.wait in the writer,
 * Atomics.waitAsync in the reader, so the reader's event loop keeps running). Memory stays bounded
 * by the slots whatever the traffic: a writer that gets ahead waits for a slot to come back.
 *
 * Slot layout: a 16-byte header (bytes used, Int32; a progress figure, Float64 at byte 8), then the
 * messages, each starting on an 8-byte boundary. What a message holds is the caller's
 * (pipeline/flow-ring.ts); `writeJson` / `readJson` frame a UTF-8 JSON value (kind and byte count as
 * two Float64, then the bytes).
 */

/** Bytes of a slot's header. */
export const SLOT_HEADER_BYTES = 16;
/** A slot is handed over once this many bytes are in it. */
export const SLOT_FILL_BYTES = 1 << 20;
/** Fill mark of a writer's first slot, bytes (ring-slots.ts SlotWriter). */
const FIRST_FILL_BYTES = 16 << 10;
/** Slots in a ring. */
export const RING_SLOTS = 16;

/** The shared memory of one ring (structured-clonable: it is passed to the worker as is). */
export interface RingMemory {
  /** Int32 state word per slot, then one for the big buffer: 0 the writer's, 1 the reader's. */
  readonly states: SharedArrayBuffer;
  readonly slots: readonly SharedArrayBuffer[];
  /** Bytes after which a slot is handed over. */
  readonly fillBytes: number;
  /**
   * One buffer for the few messages too large for a slot (SlotWriter.putBig): slots stay small, so
   * that the pages a rare large message touches are those of one buffer, not of every slot.
   */
  readonly big: SharedArrayBuffer;
}

/** Rounds `n` up to a multiple of 8. */
export function align8(n: number): number {
  return (n + 7) & ~7;
}

/**
 * Allocates a ring whose slots hold the fill mark plus one message of up to `maxMessageBytes`, and a
 * big buffer of `bigBytes`. Pages no message touched are never written: they cost address space, not memory.
 * @param fillBytes bytes after which a slot is handed over (tests use small values to exercise reuse)
 */
export function newRingMemory(maxMessageBytes: number, fillBytes = SLOT_FILL_BYTES, slots = RING_SLOTS, bigBytes = 0): RingMemory {
  const capacity = align8(SLOT_HEADER_BYTES + fillBytes + maxMessageBytes);
  return {
    states: new SharedArrayBuffer(4 * (slots + 1)),
    slots: Array.from({ length: slots }, () => new SharedArrayBuffer(capacity)),
    fillBytes,
    big: new SharedArrayBuffer(bigBytes),
  };
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** Views of every slot of a ring (both sides). */
class SlotViews {
  readonly states: Int32Array;
  /** Slots in the ring (`states` has one more word: the big buffer's). */
  readonly slots: number;
  readonly f64: Float64Array[];
  readonly i32: Int32Array[];
  readonly u16: Uint16Array[];
  readonly u8: Uint8Array[];
  readonly big: Uint8Array;

  constructor(mem: RingMemory) {
    this.states = new Int32Array(mem.states);
    this.slots = mem.slots.length;
    this.big = new Uint8Array(mem.big);
    this.f64 = mem.slots.map((s) => new Float64Array(s));
    this.i32 = mem.slots.map((s) => new Int32Array(s));
    this.u16 = mem.slots.map((s) => new Uint16Array(s));
    this.u8 = mem.slots.map((s) => new Uint8Array(s));
  }
}

/** Bytes a string takes in a message (`putString`): its length as a Float64, then its UTF-16 code units, padded to 8 bytes. */
export function stringBytes(s: string): number {
  return 8 + align8(2 * s.length);
}

/** Writes `s` at byte `at` (8-aligned) of a slot; returns the offset after it. */
export function putString(f64: Float64Array, u16: Uint16Array, at: number, s: string): number {
  const n = s.length;
  f64[at >> 3] = n;
  const base = (at + 8) >> 1;
  for (let k = 0; k < n; k++) u16[base + k] = s.charCodeAt(k);
  return at + 8 + align8(2 * n);
}

/** Bytes a string or null takes in a message (`putNullable`). */
export function nullableBytes(s: string | null): number {
  return s === null ? 8 : stringBytes(s);
}

/** Writes `s` as `putString` does, or null as the length -1; returns the offset after it. */
export function putNullable(f64: Float64Array, u16: Uint16Array, at: number, s: string | null): number {
  if (s !== null) return putString(f64, u16, at, s);
  f64[at >> 3] = -1;
  return at + 8;
}

/** Reads what `putNullable` wrote at byte `at` (the offset after it: `at + nullableBytes(result)`). */
export function getNullable(f64: Float64Array, u16: Uint16Array, at: number): string | null {
  return f64[at >> 3] < 0 ? null : getString(f64, u16, at);
}

/**
 * Reads the strings of one message in order (`putString` / `putNullable`), keeping the offset: one
 * object a reader reuses for every message.
 */
export class StringCursor {
  private f64: Float64Array = new Float64Array(0);
  private u16: Uint16Array = new Uint16Array(0);
  /** Byte offset of the next string; after the last one, the end of the message. */
  at = 0;

  /** Start at byte `at` of the slot whose views are `f64` and `u16`; returns this cursor. */
  start(f64: Float64Array, u16: Uint16Array, at: number): this {
    this.f64 = f64;
    this.u16 = u16;
    this.at = at;
    return this;
  }

  /** The next string. */
  string(): string {
    const s = getString(this.f64, this.u16, this.at);
    this.at += stringBytes(s);
    return s;
  }

  /** The next string or null. */
  nullable(): string | null {
    const s = getNullable(this.f64, this.u16, this.at);
    this.at += nullableBytes(s);
    return s;
  }
}

/** Reads a string written by `putString` at byte `at` of a slot (the offset after it: `at + stringBytes(result)`). */
export function getString(f64: Float64Array, u16: Uint16Array, at: number): string {
  const n = f64[at >> 3] | 0;
  if (n === 0) return '';
  const base = (at + 8) >> 1;
  return String.fromCharCode.apply(null, u16.subarray(base, base + n) as unknown as number[]);
}

/**
 * Writing side: `reserve` returns where the next message goes in the current slot (`f64`/`u8` are
 * that slot's views), handing full slots over and blocking while the next one is still the reader's.
 * `flush` hands the current slot over (at the end).
 */
export class SlotWriter extends SlotViews {
  private readonly fillBytes: number;
  /**
   * Fill mark of the current slot: it starts at FIRST_FILL_BYTES and doubles with each slot up to
   * `fillBytes`, so that the reader starts early while the writer's code is still warming up.
   */
  private fill: number;
  /** Index of the current slot. */
  slot = 0;
  /** Write offset in the current slot (bytes); -1 when no slot is held. */
  private at = -1;
  /** Stamped on each slot handed over: bytes read from the inputs so far (progress). */
  progress = 0;

  constructor(mem: RingMemory) {
    super(mem);
    this.fillBytes = mem.fillBytes;
    this.fill = Math.min(FIRST_FILL_BYTES, mem.fillBytes);
  }

  /**
   * Byte offset of `size` free bytes (a multiple of 8) in the current slot, which may change.
   * @throws RangeError when one message is larger than a slot can hold
   */
  reserve(size: number): number {
    if (this.at > this.fill) this.flush();
    if (this.at < 0) {
      Atomics.wait(this.states, this.slot, 1);
      this.at = SLOT_HEADER_BYTES;
    }
    const room = this.u8[this.slot].length;
    if (this.at + size > room) {
      if (this.at === SLOT_HEADER_BYTES) throw new RangeError(`a ring message of ${size} bytes exceeds a slot of ${room}`);
      this.flush();
      return this.reserve(size);
    }
    const at = this.at;
    this.at += size;
    return at;
  }

  /** A message of `kind` carrying `value` as JSON. */
  writeJson(kind: number, value: unknown): void {
    const bytes = utf8Encoder.encode(JSON.stringify(value));
    const at = this.reserve(16 + align8(bytes.length));
    const f = this.f64[this.slot];
    f[at >> 3] = kind;
    f[(at >> 3) + 1] = bytes.length;
    this.u8[this.slot].set(bytes, at + 16);
  }

  /** Stamp the current slot's header and give it to the reader (nothing when no slot is held). */
  flush(): void {
    if (this.at < 0) return;
    const s = this.slot;
    this.i32[s][0] = this.at;
    this.f64[s][1] = this.progress;
    Atomics.store(this.states, s, 1);
    Atomics.notify(this.states, s);
    this.slot = (s + 1) % this.slots;
    this.at = -1;
    if (this.fill < this.fillBytes) this.fill = Math.min(2 * this.fill, this.fillBytes);
  }

  /**
   * Puts `data` in the big buffer for the reader, who takes it at the message the caller writes
   * next (SlotReader.bigView / releaseBig). Hands the current slot over first (it may hold the
   * message of the big buffer's previous content), then waits until the reader has released it.
   * @throws RangeError when `data` is larger than the big buffer
   */
  putBig(data: Uint8Array): void {
    if (data.length > this.big.length) throw new RangeError(`a ring message of ${data.length} bytes exceeds the big buffer of ${this.big.length}`);
    this.flush();
    const b = this.slots;
    Atomics.wait(this.states, b, 1);
    this.big.set(data, 0);
    Atomics.store(this.states, b, 1);
  }
}

/**
 * Reading side: `take` waits (without blocking the event loop) until the next slot is the reader's;
 * `release` gives it back.
 */
export class SlotReader extends SlotViews {
  /** Index of the slot taken last. */
  slot = 0;

  /**
   * Wait for the next slot; returns its index (its messages lie in [SLOT_HEADER_BYTES, used(slot))).
   * `stop` settles when the writer can write no more (its thread ended or failed): a rejection is
   * thrown as it is; once it has settled, a slot the writer did not hand over is an error, since
   * every slot it filled was handed over before it ended.
   * @throws Error when the writer ended without handing the next slot over
   */
  async take(stop: Promise<unknown>): Promise<number> {
    const w = Atomics.waitAsync(this.states, this.slot, 0);
    if (w.async) await Promise.race([w.value, stop]);
    if (Atomics.load(this.states, this.slot) !== 1) throw new Error('the writing thread ended before the end of its messages');
    return this.slot;
  }

  /** Bytes used in slot `s`. */
  used(s: number): number {
    return this.i32[s][0];
  }

  /** The progress figure stamped on slot `s`. */
  progress(s: number): number {
    return this.f64[s][1];
  }

  /** The JSON value of the message at `at` in slot `s` (framed by `SlotWriter.writeJson`) and the offset after it. */
  readJson(s: number, at: number): { value: unknown; next: number } {
    const len = this.f64[s][(at >> 3) + 1];
    const value = JSON.parse(utf8Decoder.decode(this.u8[s].subarray(at + 16, at + 16 + len))) as unknown;
    return { value, next: at + 16 + align8(len) };
  }

  /** Give the current slot back to the writer and move to the next. */
  release(): void {
    const s = this.slot;
    Atomics.store(this.states, s, 0);
    Atomics.notify(this.states, s);
    this.slot = (s + 1) % this.slots;
  }

  /** The first `len` bytes of the big buffer (SlotWriter.putBig), valid until `releaseBig`. */
  bigView(len: number): Uint8Array {
    return this.big.subarray(0, len);
  }

  /** Give the big buffer back to the writer. */
  releaseBig(): void {
    Atomics.store(this.states, this.slots, 0);
    Atomics.notify(this.states, this.slots);
  }
}
