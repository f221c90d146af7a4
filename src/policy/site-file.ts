import { readFileSync, writeFileSync } from 'node:fs';
import { Document, isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import type { z } from 'zod';
import { CwError } from '../errors.js';
import { crossCheckSite, type Site, type SiteInput, siteSchema } from './site-schema.js';

/** Field errors reported in one CwError message at most. */
const MAX_REPORTED_ISSUES = 5;

/**
 * Validate an already-parsed site object (YAML 1.2 / JSON data model) against the version-1 schema
 * (site-schema.ts), fill in defaults, then check references between sections (`crossCheckSite`).
 * @param source name used in messages (a file path, "site file").
 * @throws CwError CW_ERR_CONFIG naming each bad field by path and reason, e.g.
 *   `site.yaml: cranes[1].registers.hoist_position_mm.address: expected an integer 0–65535`.
 */
export function validateSite(value: unknown, source = 'site file'): Site {
  const r = siteSchema.safeParse(value);
  if (!r.success) throw new CwError('CW_ERR_CONFIG', `${source}: ${formatIssues(r.error.issues.map((i) => ({ path: i.path, message: reasonOf(i) })))}`);
  const problems = crossCheckSite(r.data);
  if (problems.length > 0) throw new CwError('CW_ERR_CONFIG', `${source}: ${formatIssues(problems)}`);
  return r.data;
}

/**
 * Parse site-file text (YAML 1.2; JSON is valid YAML) and validate it (`validateSite`).
 * @throws CwError CW_ERR_CONFIG on a YAML syntax error (with line and column) or an invalid field.
 */
export function parseSiteYaml(text: string, source = 'site file'): Site {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const where = e.linePos !== undefined ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
    throw new CwError('CW_ERR_CONFIG', `${source}: YAML syntax error${where}: ${e.message.split(' at line ')[0].split('\n')[0]}`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // yaml refuses documents whose aliases expand too far (a "billion laughs" file).
    throw new CwError('CW_ERR_CONFIG', `${source}: ${(e as Error).message.split('\n')[0]}`);
  }
  return validateSite(value, source);
}

/**
 * Read and validate a site file.
 * @throws CwError CW_ERR_CONFIG when the file is missing, unreadable or invalid: a site file is
 *   configuration, so every failure exits with the configuration status (README "Exit codes": 2).
 */
export function readSiteFile(path: string): Site {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (e as Error).message;
    throw new CwError('CW_ERR_CONFIG', `cannot read site file ${path}: ${why}`);
  }
  return parseSiteYaml(text, path);
}

/** Explanations written above each top-level section of a site file. */
const SECTION_COMMENTS: Readonly<Record<string, string>> = {
  version: ' Site-file schema version (CraneWatch reads version 1).',
  site: ' The terminal: a name and its UN/LOCODE (UNECE Recommendation 16).',
  zones:
    ' Security zones (IEC 62443-3-2): kind is one of crane_control, crane_supervisory, terminal_dmz,\n' +
    ' enterprise, vendor_remote_access, outside; cidrs are the IPv4 blocks the zone owns.',
  conduits:
    ' Conduits (IEC 62443-3-2): the only communication allowed from one zone to another, as\n' +
    ' transport protocol + server port (+ the application protocol expected on it).',
  assets: ' Asset inventory: every host that belongs on the network, its zone and role.',
  cranes:
    ' Ship-to-shore cranes. registers maps a signal name to its place in the PLC (Modbus AP V1.1b3 §4.3):\n' +
    ' address is the 0-based protocol address, table holding|input|coil|discrete, type u16|i16|u32|i32|bool\n' +
    ' (32-bit values use two registers in word_order), engineering value = raw × scale, in unit;\n' +
    ' access read_write marks a setpoint an HMI may write.',
  maintenance_windows:
    ' When control writes and vendor access are expected: weekly (weekdays, HH:MM start and end in an\n' +
    ' IANA time zone; an end before the start runs past midnight) or one-off ISO 8601 intervals.',
  container_data: ' Where container numbers and move records may be sent (asset names and/or CIDR blocks).',
  baseline:
    ' Flows learned from clean traffic by `cranewatch baseline` (client, server, transport, server port):\n' +
    ' any other flow is a baseline deviation. Delete an entry to stop accepting it.',
  thresholds:
    ' Detector thresholds: wind_stop_ms (m/s) where a PLC holds no wind-stop signal, spreader_kg until the\n' +
    ' tare is learned, standstill_sec and crane_silence_sec (s), wind_disagreement_ms (m/s) from the\n' +
    ' neighbouring cranes. A crane may override wind_stop_ms and spreader_kg under its own thresholds.',
};

/**
 * Render a site as YAML 1.2 text a person can read and edit: sections in schema order, a comment
 * above each section, a comment per zone, crane and asset naming it; registers in flow style, one
 * per line. `parseSiteYaml(writeSiteYaml(s))` deep-equals `validateSite(s)`.
 */
export function writeSiteYaml(site: Site | SiteInput): string {
  const doc = new Document(site);
  doc.commentBefore = ' CraneWatch site file: zones, conduits, assets and crane register maps of one terminal.';
  const root = doc.contents as YAMLMap;
  for (const item of root.items as Pair<Node, Node>[]) {
    const key = item.key;
    if (!isScalar(key)) continue;
    const text = SECTION_COMMENTS[String(key.value)];
    if (text !== undefined) key.commentBefore = text;
    if (String(key.value) === 'cranes' && isSeq(item.value)) {
      for (const crane of item.value.items) {
        if (!isMap(crane)) continue;
        const regs = crane.get('registers', true);
        if (isMap(regs)) for (const p of regs.items as Pair<Node, Node>[]) if (isMap(p.value)) p.value.flow = true;
      }
    }
    if (String(key.value) === 'zones' && isSeq(item.value)) {
      for (const z0 of item.value.items) if (isMap(z0)) (z0.get('cidrs', true) as Node & { flow?: boolean }).flow = true;
    }
  }
  return doc.toString({ lineWidth: 0, indentSeq: true });
}

/**
 * Write `writeSiteYaml(site)` to `path`.
 * @throws CwError CW_ERR_WRITE when the file cannot be written.
 */
export function writeSiteFile(path: string, site: Site | SiteInput): void {
  try {
    writeFileSync(path, writeSiteYaml(site));
  } catch (e) {
    throw new CwError('CW_ERR_WRITE', `cannot write site file ${path}: ${(e as Error).message}`);
  }
}

/** "path: reason; path: reason" for up to MAX_REPORTED_ISSUES issues, then "(and N more)". */
function formatIssues(issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }>): string {
  const parts = issues.slice(0, MAX_REPORTED_ISSUES).map((i) => `${formatPath(i.path)}: ${i.message}`);
  const more = issues.length - MAX_REPORTED_ISSUES;
  return parts.join('; ') + (more > 0 ? ` (and ${more} more)` : '');
}

/** A zod issue's reason; unknown keys are named. */
function reasonOf(i: z.core.$ZodIssue): string {
  if (i.code === 'unrecognized_keys') return `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}`;
  return i.message;
}

/** `cranes[1].registers.hoist_position_mm.address` from ['cranes', 1, 'registers', …]; '(root)' when empty. */
export function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else s += s === '' ? String(p) : `.${String(p)}`;
  }
  return s === '' ? '(root)' : s;
}
