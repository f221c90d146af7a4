import { registerWords, type SiteCrane, type SiteRegister } from '../../policy/site-schema.js';
import { type RegisterImage, TABLE_INDEX } from './register-image.js';
import { signalMeaning } from './signal-roles.js';

/** Register value type codes of a compiled signal. */
const TYPE_CODE: Readonly<Record<SiteRegister['type'], number>> = { u16: 0, i16: 1, u32: 2, i32: 3, bool: 4 };

/** One register-map signal compiled for decoding. */
export interface CompiledSignal {
  /** Signal name as the site file writes it. */
  readonly name: string;
  /** Role index (signal-roles.ts `Role`), or -1 for a plain signal. */
  readonly role: number;
  /** Table index (register-image.ts `TABLE_INDEX`). */
  readonly table: number;
  /** First item, 0-based protocol address (Modbus AP V1.1b3 §4.4). */
  readonly address: number;
  /** Items the value takes: 2 for 32-bit types, else 1. */
  readonly words: 1 | 2;
  /** TYPE_CODE of the register type. */
  readonly type: number;
  /** Engineering value = raw × `scale` (the map's scale); bits are 0/1 and not scaled. */
  readonly scale: number;
  /** Factor from the engineering unit to the role's canonical unit (signal-roles.ts); 1 for plain signals. */
  readonly factor: number;
  /** True when a 32-bit value's low word comes first (`word_order: low_first`). */
  readonly lowFirst: boolean;
}

/**
 * A crane's register map compiled for decoding, in the map's order: per signal its role
 * (signal-roles.ts), table, address, type, scale, unit factor and word order. Site-file shapes:
 * policy/site-schema.ts `registerSchema` (`type` u16/i16/u32/i32/bool; 32-bit values span two
 * registers in the crane's `word_order`).
 */
export function compileSignals(crane: SiteCrane): CompiledSignal[] {
  const lowFirst = crane.word_order === 'low_first';
  const out: CompiledSignal[] = [];
  for (const [name, r] of Object.entries(crane.registers)) {
    const m = signalMeaning(name, r.unit);
    out.push({ name, role: m.role, table: TABLE_INDEX[r.table], address: r.address, words: registerWords(r.type), type: TYPE_CODE[r.type], scale: r.scale, factor: m.factor, lowFirst });
  }
  return out;
}

/** Image keys (`table × 65 536 + address`) of every item the signals cover: the register image's keep filter. */
export function coveredItems(signals: readonly CompiledSignal[]): Set<number> {
  const keys = new Set<number>();
  for (const s of signals) for (let k = 0; k < s.words; k++) keys.add(s.table * 65_536 + s.address + k);
  return keys;
}

/**
 * The value of `s` in the image, in the role's canonical unit (engineering value × unit factor):
 * u16 0…65 535, i16 two's complement, u32/i32 from two registers in the map's word order, bool 0/1
 * (a coil or discrete input, or a register read as non-zero). NaN when any of its items was never
 * read or written. Values are rounded to 1e-6 so that scales such as 0.1 give clean decimals.
 * Allocation-free.
 */
export function decodeRaw(image: RegisterImage, s: CompiledSignal): number {
  return decodeWords(image.valueAt(image.slotOf(s.table, s.address)), s.words === 2 ? image.valueAt(image.slotOf(s.table, s.address + 1)) : Number.NaN, s);
}

/**
 * `decodeRaw` from the raw items themselves: `first` at the signal's address and `second` at the next
 * (32-bit types only), NaN when unknown — for readers that resolved the image slots once.
 */
export function decodeWords(first: number, second: number, s: CompiledSignal): number {
  if (Number.isNaN(first)) return Number.NaN;
  let raw: number;
  switch (s.type) {
    case 0:
      raw = first;
      break;
    case 1:
      raw = first >= 0x8000 ? first - 0x10000 : first;
      break;
    case 4:
      return first !== 0 ? 1 : 0;
    default: {
      if (Number.isNaN(second)) return Number.NaN;
      const hi = s.lowFirst ? second : first;
      const lo = s.lowFirst ? first : second;
      raw = hi * 65_536 + lo;
      if (s.type === 3 && raw >= 0x80000000) raw -= 0x100000000;
    }
  }
  return Math.round(raw * s.scale * s.factor * 1e6) / 1e6;
}

/** `decodeRaw` with unknown as null: the signal's value in canonical units, or null when never read. */
export function decodeSignal(image: RegisterImage, s: CompiledSignal): number | null {
  const v = decodeRaw(image, s);
  return Number.isNaN(v) ? null : v;
}
