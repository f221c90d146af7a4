import { z } from 'zod';
import { parseUnlocode } from '../crane/unlocode.js';

/**
 * The site file, version 1: what a terminal declares about its crane OT network — zones and
 * conduits in IEC 62443-3-2 terms, the asset inventory, each crane's PLC register map, maintenance
 * windows and the approved destinations of container data. Later versions add fields; `version`
 * selects the schema, so a file never silently means something else.
 *
 * Every field error carries a reason written for a person ("expected an integer 0–65535");
 * `site-file.ts` prefixes it with the field path (`cranes[1].registers.hoist_position_mm.address`).
 */

/** The site-file schema versions this build reads. */
export const SITE_FILE_VERSION = 1;

/** IEC 62443 zone kinds used on a container terminal. */
export const ZONE_KINDS = ['crane_control', 'crane_supervisory', 'terminal_dmz', 'enterprise', 'vendor_remote_access', 'outside'] as const;
/** Asset roles known to the twin and the detectors. */
export const ASSET_ROLES = [
  'plc',
  'cms',
  'hmi',
  'ocr',
  'tos',
  'historian',
  'dns',
  'ntp',
  'vpn_gateway',
  'edi_gateway',
  'gateway',
  'workstation',
  'other',
] as const;
/** Modbus data tables (Modbus AP V1.1b3 §4.3). */
export const REGISTER_TABLES = ['holding', 'input', 'coil', 'discrete'] as const;
/** Register value types; 32-bit types take two registers in the map's word order. */
export const REGISTER_TYPES = ['u16', 'i16', 'u32', 'i32', 'bool'] as const;
/** ISO 8601 weekday names as the maintenance-window form uses them. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const NAME_RE = /^[a-z0-9][a-z0-9_.-]{0,62}$/;
const SIGNAL_RE = /^[a-z][a-z0-9_]{0,62}$/;
const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
/** UN/LOCODE: ISO 3166-1 alpha-2 country code + 3-character location code (letters, digits 2–9). */
const UNLOCODE_RE = /^[A-Z]{2}[A-Z2-9]{3}$/;
/** ISO 8601 date-time with an explicit offset or Z. */
const ISO_TS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const name = (what: string) => z.string({ error: `expected ${what} text` }).regex(NAME_RE, { error: `expected ${what}: lower-case letters, digits, '_', '.', '-' (1–63 characters)` });
const ipv4 = z.string({ error: 'expected an IPv4 address' }).regex(IPV4_RE, { error: 'expected an IPv4 address in dotted-quad form' });
const cidr = z
  .string({ error: 'expected a CIDR block' })
  .refine((s) => isCidr(s), { error: 'expected an IPv4 CIDR block such as 10.20.0.0/16 (no host bits set)' });
const u16 = z.number({ error: 'expected an integer 0–65535' }).int({ error: 'expected an integer 0–65535' }).min(0, { error: 'expected an integer 0–65535' }).max(65535, { error: 'expected an integer 0–65535' });
const port = z.number({ error: 'expected a port 1–65535' }).int({ error: 'expected a port 1–65535' }).min(1, { error: 'expected a port 1–65535' }).max(65535, { error: 'expected a port 1–65535' });
const timeZone = z.string({ error: 'expected an IANA time zone name' }).refine((s) => isTimeZone(s), { error: 'expected an IANA time zone name such as Europe/Rotterdam' });

/** One IEC 62443 zone: a group of assets with the same security requirements, and its address blocks. */
export const zoneSchema = z.strictObject({
  id: name('a zone id'),
  name: z.string({ error: 'expected a zone name' }).min(1, { error: 'expected a non-empty zone name' }),
  kind: z.enum(ZONE_KINDS, { error: `expected one of ${ZONE_KINDS.join(', ')}` }),
  cidrs: z.array(cidr, { error: 'expected a list of CIDR blocks' }),
});

/** One allowed protocol/port of a conduit (transport protocol and server port). */
export const conduitServiceSchema = z.strictObject({
  protocol: z.enum(['tcp', 'udp'], { error: 'expected tcp or udp' }),
  port,
  /** Application protocol name as the analyzers log it (`modbus`, `http`, `dns`, `ntp` …). */
  service: z.string({ error: 'expected a service name' }).min(1).optional(),
});

/** One IEC 62443 conduit: the allowed communication from one zone to another. */
export const conduitSchema = z.strictObject({
  from: name('a zone id'),
  to: name('a zone id'),
  services: z.array(conduitServiceSchema, { error: 'expected a list of services' }).min(1, { error: 'expected at least one service' }),
  description: z.string({ error: 'expected a description' }).default(''),
});

/** One inventoried asset. */
export const assetSchema = z.strictObject({
  name: name('an asset name'),
  ip: ipv4,
  mac: z.string({ error: 'expected a MAC address' }).regex(MAC_RE, { error: 'expected a MAC address as six lower-case hex octets separated by ":"' }),
  vendor: z.string({ error: 'expected a vendor name' }),
  role: z.enum(ASSET_ROLES, { error: `expected one of ${ASSET_ROLES.join(', ')}` }),
  zone: name('a zone id'),
  /** Crane the asset belongs to (PLC, OCR, HMI on the crane), or absent for terminal-wide assets. */
  crane: z.string({ error: 'expected a crane id' }).optional(),
});

/** How one signal is stored in a PLC's Modbus tables. */
export const registerSchema = z.strictObject({
  /** First item, 0-based protocol address (Modbus AP V1.1b3 §4.4). */
  address: u16,
  table: z.enum(REGISTER_TABLES, { error: `expected one of ${REGISTER_TABLES.join(', ')}` }),
  type: z.enum(REGISTER_TYPES, { error: `expected one of ${REGISTER_TYPES.join(', ')}` }),
  /** Engineering value = raw × scale. */
  scale: z.number({ error: 'expected a number' }).refine((v) => Number.isFinite(v) && v !== 0, { error: 'expected a finite non-zero number' }).default(1),
  unit: z.string({ error: 'expected a unit text' }).default(''),
  /** `read_write` marks a setpoint an HMI may write. */
  access: z.enum(['read', 'read_write'], { error: 'expected read or read_write' }).default('read'),
  description: z.string({ error: 'expected a description' }).default(''),
});

/** Modbus function codes a client may use (1–127; Modbus AP V1.1b3 §5.1). */
const functionCode = z.number({ error: 'expected a function code 1–127' }).int({ error: 'expected a function code 1–127' }).min(1, { error: 'expected a function code 1–127' }).max(127, { error: 'expected a function code 1–127' });

/**
 * One client a crane's PLC may answer and what it may do — the authorization of IEC 62443-3-3
 * SR 2.1 written as a monitored policy: its Modbus function codes and, for write functions, the
 * signals of the register map it may write.
 */
export const plcClientSchema = z.strictObject({
  /** Name of the client asset. */
  asset: name('an asset name'),
  functions: z.array(functionCode, { error: 'expected a list of function codes' }).min(1, { error: 'expected at least one function code' }),
  /** Signals (register-map names) it may write; empty for a read-only client. */
  writes: z.array(z.string().regex(SIGNAL_RE, { error: 'expected a signal name in snake_case' }), { error: 'expected a list of signal names' }).default([]),
  description: z.string({ error: 'expected a description' }).default(''),
});

/** A number within [min, max] in `unit`, for a threshold field. */
function bounded(min: number, max: number, unit: string): z.ZodNumber {
  const reason = `expected a number ${min}–${max} (${unit})`;
  return z.number({ error: reason }).min(min, { error: reason }).max(max, { error: reason });
}

/** Wind speed at which a crane's wind interlock stops work, m/s (STS cranes: typically 20–25 m/s). */
const windStopMs = bounded(5, 60, 'm/s');
/** Load-cell reading of the empty spreader, kg (0 where the cell is tared; a 40-ft twin-lift spreader and headblock ≈ 10–20 t). */
const spreaderKg = bounded(0, 40_000, 'kg');

/**
 * Per-crane overrides of the site's `thresholds`: the physical values that differ from crane to crane.
 * An absent field takes the site-wide value.
 */
export const craneThresholdsSchema = z.strictObject({
  wind_stop_ms: windStopMs.optional(),
  spreader_kg: spreaderKg.optional(),
});

/** The site-wide thresholds when the site file gives none. */
export const DEFAULT_THRESHOLDS = { wind_stop_ms: 20, spreader_kg: 15_000, standstill_sec: 120, crane_silence_sec: 30, wind_disagreement_ms: 8 } as const;

/**
 * Detector thresholds of the site (absent: DEFAULT_THRESHOLDS). Used where the crane's traffic does
 * not carry the value itself: a PLC whose register map has a `wind_stop_threshold` signal is judged
 * by the value it holds.
 */
export const thresholdsSchema = z.strictObject({
  /** Wind-stop limit used when the PLC's map has no wind-stop signal, m/s. */
  wind_stop_ms: windStopMs.default(DEFAULT_THRESHOLDS.wind_stop_ms),
  /** Spreader mass assumed until the crane model learns the tare from an empty lift, kg. */
  spreader_kg: spreaderKg.default(DEFAULT_THRESHOLDS.spreader_kg),
  /** A working crane standing still this long while its own wind reading holds the interlock and its neighbours' do not, s. */
  standstill_sec: bounded(10, 3_600, 's').default(DEFAULT_THRESHOLDS.standstill_sec),
  /** A regularly polled PLC silent for longer than this (or 5 poll intervals, whichever is longer), s. */
  crane_silence_sec: bounded(5, 3_600, 's').default(DEFAULT_THRESHOLDS.crane_silence_sec),
  /** Difference from the neighbouring cranes' median wind at which a wind sensor is suspect, m/s. */
  wind_disagreement_ms: bounded(2, 40, 'm/s').default(DEFAULT_THRESHOLDS.wind_disagreement_ms),
});

/** One ship-to-shore crane and its PLC's register map. */
export const craneSchema = z.strictObject({
  id: z.string({ error: 'expected a crane id' }).regex(/^[A-Z0-9][A-Z0-9_-]{0,31}$/, { error: 'expected a crane id of upper-case letters, digits, "-" or "_" (1–32 characters)' }),
  /** Name of the PLC asset. */
  plc: name('an asset name'),
  /** Modbus unit identifier of the PLC (Modbus TCP guide V1.0b §4.4.1.2). */
  unit_id: z.number({ error: 'expected an integer 0–255' }).int({ error: 'expected an integer 0–255' }).min(0, { error: 'expected an integer 0–255' }).max(255, { error: 'expected an integer 0–255' }),
  /** 32-bit values: high word first (`high_first`) or low word first. */
  word_order: z.enum(['high_first', 'low_first'], { error: 'expected high_first or low_first' }).default('high_first'),
  registers: z.record(z.string().regex(SIGNAL_RE, { error: 'expected a signal name in snake_case' }), registerSchema, { error: 'expected a map of signal name to register' }),
  /**
   * The clients the PLC may answer. Absent: derived from roles (policy/site-policy.ts) — the CMS and
   * historian read, the crane's own HMI reads and writes its `read_write` signals.
   */
  clients: z.array(plcClientSchema, { error: 'expected a list of clients' }).optional(),
  /** This crane's own wind-stop limit and spreader mass, where they differ from the site's `thresholds`. */
  thresholds: craneThresholdsSchema.optional(),
});

/** A weekly maintenance window: weekdays and a local time range in an IANA time zone. */
export const weeklyWindowSchema = z.strictObject({
  weekdays: z.array(z.enum(WEEKDAYS, { error: `expected one of ${WEEKDAYS.join(', ')}` })).min(1, { error: 'expected at least one weekday' }),
  start: z.string({ error: 'expected a time HH:MM' }).regex(TIME_RE, { error: 'expected a time HH:MM (24-hour)' }),
  end: z.string({ error: 'expected a time HH:MM' }).regex(TIME_RE, { error: 'expected a time HH:MM (24-hour)' }),
  timezone: timeZone,
  cranes: z.array(z.string()).optional(),
  description: z.string().default(''),
});

/** A one-off maintenance window: an explicit ISO 8601 interval. */
export const intervalWindowSchema = z.strictObject({
  from: z.string({ error: 'expected an ISO 8601 date-time' }).regex(ISO_TS_RE, { error: 'expected an ISO 8601 date-time with offset, e.g. 2026-03-01T06:00:00Z' }),
  to: z.string({ error: 'expected an ISO 8601 date-time' }).regex(ISO_TS_RE, { error: 'expected an ISO 8601 date-time with offset, e.g. 2026-03-01T10:00:00Z' }),
  cranes: z.array(z.string()).optional(),
  description: z.string().default(''),
});

/** Where container data (numbers, move records) may go: asset names and/or address blocks. */
export const containerDataSchema = z.strictObject({
  approved_destinations: z.strictObject({
    assets: z.array(name('an asset name')).default([]),
    cidrs: z.array(cidr).default([]),
  }),
});

/** One flow learned by `cranewatch baseline`: a client, a server and the service it reached. */
export const baselineFlowSchema = z.strictObject({
  client: ipv4,
  server: ipv4,
  protocol: z.enum(['tcp', 'udp'], { error: 'expected tcp or udp' }),
  port: u16,
  /** Flows seen while learning. */
  count: z.number({ error: 'expected a count' }).int({ error: 'expected an integer count' }).min(0, { error: 'expected a count ≥ 0' }).default(0),
});

/**
 * What `cranewatch baseline` saw in clean traffic: the flows (client, server, protocol, port) the
 * `baseline_deviation` detector accepts. Absent: that detector is off.
 */
export const baselineSchema = z.strictObject({
  /** The captures it was learned from. */
  learned_from: z.array(z.string({ error: 'expected a file name' }), { error: 'expected a list of file names' }).default([]),
  /** First and last packet time of the learning traffic (ISO 8601). */
  start: z.string({ error: 'expected an ISO 8601 date-time' }).regex(ISO_TS_RE, { error: 'expected an ISO 8601 date-time with offset' }).optional(),
  end: z.string({ error: 'expected an ISO 8601 date-time' }).regex(ISO_TS_RE, { error: 'expected an ISO 8601 date-time with offset' }).optional(),
  flows: z.array(baselineFlowSchema, { error: 'expected a list of flows' }).default([]),
});

/** The whole site file, version 1 (field by field; `crossCheckSite` checks references between sections). */
export const siteSchema = z.strictObject({
    version: z.literal(SITE_FILE_VERSION, { error: `expected version ${SITE_FILE_VERSION}` }),
    site: z.strictObject({
      name: z.string({ error: 'expected a site name' }).min(1, { error: 'expected a non-empty site name' }),
      unlocode: z
        .string({ error: 'expected a UN/LOCODE' })
        .regex(UNLOCODE_RE, { error: 'expected a UN/LOCODE: 2-letter country + 3 characters A–Z or 2–9 (e.g. NLRTM)' })
        .refine((s) => parseUnlocode(s).ok, { error: 'expected a UN/LOCODE whose first two letters are an ISO 3166-1 country code' }),
      /** MQTT version of the CMS's crane-state feed to the historian (OASIS MQTT 3.1.1 or 5.0); absent means 3.1.1. */
      historian_mqtt_version: z.enum(['3.1.1', '5.0'], { error: 'expected 3.1.1 or 5.0' }).optional(),
    }),
    zones: z.array(zoneSchema, { error: 'expected a list of zones' }).min(1, { error: 'expected at least one zone' }),
    conduits: z.array(conduitSchema, { error: 'expected a list of conduits' }).default([]),
    assets: z.array(assetSchema, { error: 'expected a list of assets' }),
    cranes: z.array(craneSchema, { error: 'expected a list of cranes' }).max(100, { error: 'expected at most 100 cranes' }),
    maintenance_windows: z.array(z.union([weeklyWindowSchema, intervalWindowSchema], { error: 'expected a weekly window (weekdays, start, end, timezone) or an interval (from, to)' })).default([]),
    container_data: containerDataSchema.default({ approved_destinations: { assets: [], cidrs: [] } }),
    baseline: baselineSchema.optional(),
    thresholds: thresholdsSchema.default({ ...DEFAULT_THRESHOLDS }),
});

/** A validated site file (defaults filled in). */
export type Site = z.infer<typeof siteSchema>;
/** One PLC client rule of a crane. */
export type SitePlcClient = z.infer<typeof plcClientSchema>;
/** One zone of a `Site`. */
export type SiteZone = Site['zones'][number];
/** One conduit of a `Site`. */
export type SiteConduit = Site['conduits'][number];
/** One asset of a `Site`. */
export type SiteAsset = Site['assets'][number];
/** One crane of a `Site`. */
export type SiteCrane = Site['cranes'][number];
/** One register of a crane's map. */
export type SiteRegister = SiteCrane['registers'][string];
/** The site's detector thresholds (defaults filled in). */
export type SiteThresholds = Site['thresholds'];
/** One maintenance window of a `Site`. */
export type SiteMaintenanceWindow = Site['maintenance_windows'][number];
/** The site-file text shape before defaults are applied (what `writeSiteYaml` accepts too). */
export type SiteInput = z.input<typeof siteSchema>;

/** Registers a value of `type` occupies (bits: one item). */
export function registerWords(type: SiteRegister['type']): 1 | 2 {
  return type === 'u32' || type === 'i32' ? 2 : 1;
}

/** A problem `crossCheckSite` found: the field path and the reason. */
export interface SiteProblem {
  path: (string | number)[];
  message: string;
}

/**
 * References between sections of a schema-valid site: unique zone ids, asset names and addresses,
 * known zones and cranes, crane PLCs that are `plc` assets, registers that fit their table and do
 * not overlap, bool types exactly for bit tables, windows that end after they start.
 * @returns the problems found, in document order (empty when consistent).
 */
export function crossCheckSite(site: Site): SiteProblem[] {
  const problems: SiteProblem[] = [];
  const issue = (path: (string | number)[], message: string): void => {
    problems.push({ path, message });
  };
  const zones = new Set<string>();
  site.zones.forEach((z0, i) => {
    if (zones.has(z0.id)) issue(['zones', i, 'id'], `duplicate zone id "${z0.id}"`);
    zones.add(z0.id);
  });
  site.conduits.forEach((c, i) => {
    if (!zones.has(c.from)) issue(['conduits', i, 'from'], `unknown zone "${c.from}"`);
    if (!zones.has(c.to)) issue(['conduits', i, 'to'], `unknown zone "${c.to}"`);
  });
  const assets = new Map<string, SiteAsset>();
  const ips = new Set<string>();
  site.assets.forEach((a, i) => {
    if (assets.has(a.name)) issue(['assets', i, 'name'], `duplicate asset name "${a.name}"`);
    assets.set(a.name, a);
    if (ips.has(a.ip)) issue(['assets', i, 'ip'], `duplicate address ${a.ip}`);
    ips.add(a.ip);
    if (!zones.has(a.zone)) issue(['assets', i, 'zone'], `unknown zone "${a.zone}"`);
  });
  const craneIds = new Set<string>();
  site.cranes.forEach((c, i) => {
    if (craneIds.has(c.id)) issue(['cranes', i, 'id'], `duplicate crane id "${c.id}"`);
    craneIds.add(c.id);
    const plc = assets.get(c.plc);
    if (plc === undefined) issue(['cranes', i, 'plc'], `unknown asset "${c.plc}"`);
    else if (plc.role !== 'plc') issue(['cranes', i, 'plc'], `asset "${c.plc}" has role ${plc.role}, expected plc`);
    checkRegisters(c, i, issue);
    c.clients?.forEach((cl, j) => {
      if (!assets.has(cl.asset)) issue(['cranes', i, 'clients', j, 'asset'], `unknown asset "${cl.asset}"`);
      cl.writes.forEach((sig, k) => {
        if (c.registers[sig] === undefined) issue(['cranes', i, 'clients', j, 'writes', k], `no register "${sig}" in this crane's map`);
      });
    });
  });
  site.assets.forEach((a, i) => {
    if (a.crane !== undefined && !craneIds.has(a.crane)) issue(['assets', i, 'crane'], `unknown crane "${a.crane}"`);
  });
  site.container_data.approved_destinations.assets.forEach((n, i) => {
    if (!assets.has(n)) issue(['container_data', 'approved_destinations', 'assets', i], `unknown asset "${n}"`);
  });
  site.maintenance_windows.forEach((w, i) => {
    if ('weekdays' in w) {
      if (w.start === w.end) issue(['maintenance_windows', i, 'end'], 'expected an end time different from the start');
    } else if (!(Date.parse(w.from) < Date.parse(w.to))) {
      issue(['maintenance_windows', i, 'to'], 'expected an end after the start');
    }
    for (const [j, id] of (w.cranes ?? []).entries()) {
      if (!craneIds.has(id)) issue(['maintenance_windows', i, 'cranes', j], `unknown crane "${id}"`);
    }
  });
  return problems;
}

/** Registers of one crane fit their table and do not overlap. */
function checkRegisters(c: SiteCrane, i: number, issue: (path: (string | number)[], message: string) => void): void {
  const used = new Map<string, string>();
  for (const [sig, r] of Object.entries(c.registers)) {
    const bit = r.table === 'coil' || r.table === 'discrete';
    if (bit && r.type !== 'bool') issue(['cranes', i, 'registers', sig, 'type'], `expected bool for a ${r.table} signal`);
    if (!bit && r.type === 'bool') issue(['cranes', i, 'registers', sig, 'type'], `expected u16, i16, u32 or i32 for a ${r.table} register`);
    const words = registerWords(r.type);
    if (r.address + words > 65536) {
      issue(['cranes', i, 'registers', sig, 'address'], 'expected the value to end at or below address 65535');
      continue;
    }
    for (let k = 0; k < words; k++) {
      const key = `${r.table}/${r.address + k}`;
      const other = used.get(key);
      if (other !== undefined) issue(['cranes', i, 'registers', sig, 'address'], `overlaps signal "${other}" at ${r.table} ${r.address + k}`);
      else used.set(key, sig);
    }
  }
}

/** True for "a.b.c.d/n" with no host bits set. */
function isCidr(s: string): boolean {
  const m = /^(.+)\/(\d{1,2})$/.exec(s);
  if (m === null || !IPV4_RE.test(m[1])) return false;
  const len = Number(m[2]);
  if (len > 32) return false;
  const ip = m[1].split('.').reduce((v, o) => v * 256 + Number(o), 0);
  const hostBits = 2 ** (32 - len);
  return ip % hostBits === 0;
}

/** True when the runtime's ICU knows the IANA zone `s`. */
function isTimeZone(s: string): boolean {
  if (s.length === 0) return false;
  return Intl.supportedValuesOf('timeZone').includes(s) || s === 'UTC';
}
