/**
 * What a register-map signal means to the crane model: its role (hoist position, load, twistlocks …)
 * and the factor that turns its engineering value into the role's canonical unit. Sites name their
 * signals freely; the naming rule below recognises the twin's names (`hoist_position_mm`, `load_kg`,
 * `wind_speed_ms`, sim/terminal/crane-model.ts CRANE_SIGNALS) and the demo's (`hoist_position`,
 * `load`, `twistlock_state`, `wind_speed`, sim/demo-site.ts) alike. Names that match no role are
 * kept as plain signals (role -1) and logged by name.
 *
 * Naming rule: the lower-case name, less at most one trailing unit suffix (`_mm_s`, `_m_s`, `_mm`,
 * `_cm`, `_m`, `_kg`, `_t`, `_ms`, `_mps`, `_kmh`, `_ft`, `_pct`), must equal one of a role's
 * aliases (`ROLE_ALIASES`). The suffix is optional: `load` and `load_kg` are the same role.
 * Unit: the register's `unit` text when it is one this table knows, else the unit the suffix names,
 * else the role's canonical unit (mm, mm/s, kg, m/s; flags 0/1; codes and counts as they are).
 */

/** The roles, in the order of the crane state's value array. */
export const CRANE_ROLES = [
  'hoist_position',
  'trolley_position',
  'gantry_position',
  'hoist_speed',
  'trolley_speed',
  'load',
  'twistlock_locked',
  'spreader_landed',
  'spreader_size',
  'wind_speed',
  'operating_mode',
  'emergency_stop',
  'move_counter',
  'wind_stop_threshold',
] as const;

/** One role name. */
export type CraneRole = (typeof CRANE_ROLES)[number];

/** Index of each role in a crane state's value array (`CRANE_ROLES` order). */
export const Role = {
  HOIST: 0,
  TROLLEY: 1,
  GANTRY: 2,
  HOIST_SPEED: 3,
  TROLLEY_SPEED: 4,
  LOAD: 5,
  LOCKED: 6,
  LANDED: 7,
  SPREADER_FT: 8,
  WIND: 9,
  MODE: 10,
  ESTOP: 11,
  MOVES: 12,
  WIND_STOP: 13,
} as const;

/** Number of roles. */
export const ROLE_COUNT = CRANE_ROLES.length;

/** Canonical unit of each role (`CRANE_ROLES` order): what the crane state holds. */
export const ROLE_UNITS: readonly string[] = ['mm', 'mm', 'mm', 'mm/s', 'mm/s', 'kg', 'flag', 'flag', 'ft', 'm/s', 'code', 'flag', 'count', 'm/s'];

/** Accepted names of each role, after the unit suffix is taken off. */
export const ROLE_ALIASES: Readonly<Record<CraneRole, readonly string[]>> = {
  hoist_position: ['hoist_position', 'hoist_pos', 'hoist_height', 'spreader_height'],
  trolley_position: ['trolley_position', 'trolley_pos'],
  gantry_position: ['gantry_position', 'gantry_pos'],
  hoist_speed: ['hoist_speed', 'hoist_velocity'],
  trolley_speed: ['trolley_speed', 'trolley_velocity'],
  load: ['load', 'load_cell', 'hoist_load', 'spreader_load', 'load_weight'],
  twistlock_locked: ['twistlock_locked', 'twistlocks_locked', 'twistlock_state', 'twistlock', 'twistlocks', 'twistlock_closed'],
  spreader_landed: ['spreader_landed', 'landed', 'spreader_landed_state'],
  spreader_size: ['spreader_size', 'spreader_length'],
  wind_speed: ['wind_speed', 'wind', 'anemometer'],
  operating_mode: ['operating_mode', 'mode', 'crane_mode'],
  emergency_stop: ['emergency_stop', 'estop', 'e_stop'],
  move_counter: ['move_counter', 'move_count', 'moves'],
  wind_stop_threshold: ['wind_stop_threshold', 'wind_stop_limit'],
};

/** Unit suffixes a signal name may end with, longest first, and the unit each names. */
const SUFFIXES: ReadonlyArray<readonly [string, string]> = [
  ['_mm_s', 'mm/s'],
  ['_m_s', 'm/s'],
  ['_mps', 'm/s'],
  ['_kmh', 'km/h'],
  ['_pct', '%'],
  ['_mm', 'mm'],
  ['_cm', 'cm'],
  ['_kg', 'kg'],
  ['_ms', 'm/s'],
  ['_ft', 'ft'],
  ['_m', 'm'],
  ['_t', 't'],
];

/** Factor from a unit to the canonical unit, per canonical unit. */
const FACTORS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  mm: { mm: 1, cm: 10, m: 1000 },
  'mm/s': { 'mm/s': 1, 'm/s': 1000, 'm/min': 1000 / 60 },
  kg: { kg: 1, t: 1000 },
  'm/s': { 'm/s': 1, 'km/h': 1 / 3.6, kn: 1852 / 3600 },
};

const BY_ALIAS = new Map<string, number>();
CRANE_ROLES.forEach((role, i) => {
  for (const a of ROLE_ALIASES[role]) BY_ALIAS.set(a, i);
});

/** A signal name resolved: its role index (-1 for a plain signal) and the factor to the role's canonical unit. */
export interface SignalMeaning {
  readonly role: number;
  readonly factor: number;
}

/**
 * The role of a register-map signal by the naming rule of this module, and the factor from its
 * engineering unit (`unit`, the register's unit text, may be '') to the role's canonical unit.
 * Plain signals get role -1 and factor 1. Never throws.
 */
export function signalMeaning(name: string, unit: string): SignalMeaning {
  const lower = name.toLowerCase();
  let role = BY_ALIAS.get(lower) ?? -1;
  let suffixUnit = '';
  if (role < 0) {
    for (const [suffix, u] of SUFFIXES) {
      if (lower.length > suffix.length && lower.endsWith(suffix)) {
        const r = BY_ALIAS.get(lower.slice(0, -suffix.length));
        if (r !== undefined) {
          role = r;
          suffixUnit = u;
          break;
        }
      }
    }
  }
  if (role < 0) return { role: -1, factor: 1 };
  const table = FACTORS[ROLE_UNITS[role]];
  if (table === undefined) return { role, factor: 1 };
  const u = unit.trim().toLowerCase();
  const factor = table[u] ?? table[suffixUnit] ?? 1;
  return { role, factor };
}
