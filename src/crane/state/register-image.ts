import type { LogRecord } from '../../events/record.js';
import type { SiteRegister } from '../../policy/site-schema.js';

/** A Modbus data table (Modbus AP V1.1b3 §4.3), as the site file names it. */
export type ModbusTable = SiteRegister['table'];

/** Index of each table in an image key (`table × 65 536 + address`). */
export const TABLE_INDEX: Readonly<Record<ModbusTable, number>> = { coil: 0, discrete: 1, input: 2, holding: 3 };

/** Table read by each read function code (Modbus AP V1.1b3 §6.1–§6.4), by code; -1 for other codes. */
const READ_TABLE = [-1, TABLE_INDEX.coil, TABLE_INDEX.discrete, TABLE_INDEX.holding, TABLE_INDEX.input] as const;

/**
 * What `RegisterImage.apply` did with one `modbus_detailed` row: IGNORED — not a successful read or
 * write of a table (other function, exception, unmatched, no values); SAME — values stored, none
 * different from what the image held; CHANGED — at least one stored value is new or different.
 */
export const ApplyOutcome = { IGNORED: 0, SAME: 1, CHANGED: 2 } as const;
/** One `ApplyOutcome` value. */
export type ApplyOutcome = (typeof ApplyOutcome)[keyof typeof ApplyOutcome];

/**
 * A sparse copy of one PLC's Modbus tables (one server address and unit id) built from what the
 * wire shows: read responses — function 1 coils, 2 discrete inputs, 3 holding registers, 4 input
 * registers (Modbus AP V1.1b3 §6.1–§6.4): `address`, `quantity` and `response_values` of a matched
 * row without `exception_code` — and successful writes — functions 5, 6, 15, 16 (§6.5, §6.6, §6.11,
 * §6.12): `request_values` of a matched row without `exception_code`. Values are raw 16-bit words or
 * 0/1 bits. An item never seen reads as unknown (`undefined`).
 *
 * Items live in slots (a Float64Array, NaN while unknown) found by key (`table × 65 536 + address`).
 * Bounded: at most `maxItems` items (config/limits.ts `maxRegisterImageItems`); items beyond it are
 * not stored and counted in `dropped`. An optional `keep` set of keys stores only the items a
 * register map covers — their slots are reserved up front, so a register scan of unmapped addresses
 * cannot crowd them out and a reader may resolve their slots once (`slotOf`, `valueAt`).
 * Allocation per row: none beyond the slot map's growth to its bound.
 */
export class RegisterImage {
  private readonly slots = new Map<number, number>();
  private readonly values: Float64Array;
  private used = 0;
  /** Items refused because the image was full. */
  dropped = 0;
  /** Flow uid and time (seconds since the epoch) of the last row that stored values; '' / NaN before. */
  lastUid = '';
  lastTs = Number.NaN;

  /**
   * @param maxItems most items kept (≥ 1)
   * @param keep     keys (`table × 65 536 + address`, table index of TABLE_INDEX) of the only items to
   *                 store, at most `maxItems` of them (the rest are never stored); all items when null
   */
  constructor(
    private readonly maxItems: number,
    private readonly keep: ReadonlySet<number> | null = null,
  ) {
    this.values = new Float64Array(maxItems).fill(Number.NaN);
    if (keep !== null) for (const k of keep) if (this.used < maxItems) this.slots.set(k, this.used++);
  }

  /** Items known (read or written at least once). */
  get size(): number {
    let n = 0;
    for (let i = 0; i < this.used; i++) if (!Number.isNaN(this.values[i])) n++;
    return n;
  }

  /** Raw value of one item (16-bit word, or 0/1 for a bit), or undefined when never seen. */
  get(table: number, address: number): number | undefined {
    const slot = this.slots.get(table * 65_536 + address);
    if (slot === undefined) return undefined;
    const v = this.values[slot];
    return Number.isNaN(v) ? undefined : v;
  }

  /** Slot of an item for `valueAt`, or -1 when it has none (yet). Slots of `keep` items never change. */
  slotOf(table: number, address: number): number {
    return this.slots.get(table * 65_536 + address) ?? -1;
  }

  /** Raw value in a slot, NaN when unknown (or `slot` is -1). */
  valueAt(slot: number): number {
    return slot < 0 ? Number.NaN : this.values[slot];
  }

  /**
   * Fold one `modbus_detailed` row (ICSNPP field names: function_code, address, quantity,
   * request_values, response_values, matched, exception_code, uid, ts) into the image.
   * Never throws; odd rows are IGNORED.
   */
  apply(r: LogRecord): ApplyOutcome {
    const fc = r.function_code;
    if (typeof fc !== 'number' || r.matched !== true) return ApplyOutcome.IGNORED;
    const exc = r.exception_code;
    if (exc !== null && exc !== undefined && exc !== '') return ApplyOutcome.IGNORED;
    let table: number;
    let values: unknown;
    if (fc >= 1 && fc <= 4) {
      table = READ_TABLE[fc];
      values = r.response_values;
    } else if (fc === 5 || fc === 15) {
      table = TABLE_INDEX.coil;
      values = r.request_values;
    } else if (fc === 6 || fc === 16) {
      table = TABLE_INDEX.holding;
      values = r.request_values;
    } else return ApplyOutcome.IGNORED;
    const address = r.address;
    if (typeof address !== 'number' || !Array.isArray(values) || values.length === 0) return ApplyOutcome.IGNORED;
    const quantity = typeof r.quantity === 'number' && r.quantity > 0 ? r.quantity : values.length;
    const n = Math.min(quantity, values.length, 65_536 - address);
    const bit = table === TABLE_INDEX.coil || table === TABLE_INDEX.discrete;
    let changed = false;
    const base = table * 65_536 + address;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (typeof v !== 'number') continue;
      let slot = this.slots.get(base + i);
      if (slot === undefined) {
        if (this.keep !== null) continue;
        if (this.used >= this.maxItems) {
          this.dropped++;
          continue;
        }
        slot = this.used++;
        this.slots.set(base + i, slot);
      }
      const raw = bit ? (v !== 0 ? 1 : 0) : v & 0xffff;
      if (this.values[slot] === raw) continue;
      this.values[slot] = raw;
      changed = true;
    }
    const uid = r.uid;
    this.lastUid = typeof uid === 'string' ? uid : '';
    const ts = r.ts;
    if (typeof ts === 'number') this.lastTs = ts;
    return changed ? ApplyOutcome.CHANGED : ApplyOutcome.SAME;
  }
}
