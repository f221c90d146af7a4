/**
 * Builds the console benchmark's database: a simulated week of a terminal (the digital twin, with an
 * attack or fault scenario every few hours) analyzed with its site file into a CraneWatch store, then
 * — because a week of one terminal's twin holds about 10^5 flows and a few hundred findings, and the
 * console must stay responsive on a store of millions of flows and thousands of findings — the
 * week's `conn`, `findings` and `incidents` records replicated under new ids (same hosts, services
 * and text, times shifted by whole weeks back) until the tables hold the sizes asked for. The
 * replicas are counted apart in the result so the report can say what is real twin output.
 * Deterministic for the same parameters. Spawns the built CLI (dist/src/cli/main.js).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** What writeWeekStore built. */
export interface WeekStore {
  readonly db: string;
  readonly days: number;
  readonly cranes: number;
  readonly scenarios: number;
  /** conn rows the twin's traffic produced, and in all (replicas added). */
  readonly twinFlows: number;
  readonly flows: number;
  readonly findings: number;
  /** Findings the twin's week raised (the rest are replicas). */
  readonly twinFindings: number;
  readonly incidents: number;
  readonly moves: number;
}

/** Scenarios played in turn, one every `everyHours` hours (README "Scenarios"). */
const ROTATION = [
  'recon:variant=port-scan,intensity=10',
  'unauthorized-write:action=setpoint-change',
  'cellular-modem:relay=read',
  'recon:variant=register-scan',
  'container-exfil:channel=dns',
  'sensor-wind-spoof',
  'vendor-vpn-off-hours',
  'sensor-encoder-freeze',
  'covert-modbus',
  'recon:variant=unit-id-sweep',
];

/** Runs the built CLI; throws with its stderr when it fails. */
function cli(root: string, args: string[], input?: string): string {
  const r = spawnSync(process.execPath, ['--max-semi-space-size=32', join(root, 'dist', 'src', 'cli', 'main.js'), ...args], { encoding: 'utf8', input, maxBuffer: 64 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`cranewatch ${args[0]} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/**
 * Simulates, analyzes and scales the week's store into `dir` (reused when `dir/week.sqlite` exists
 * with the same parameters recorded in its meta table).
 * @param days simulated days (1–7)
 * @param cranes ship-to-shore cranes
 * @param flows conn rows wanted in the store (replicas fill the difference; none if the twin made more)
 * @param findings findings rows wanted likewise (incidents are replicated in the same proportion)
 * @param everyHours hours between scenario starts
 */
export function writeWeekStore(root: string, dir: string, days: number, cranes: number, flows: number, findings: number, everyHours: number): WeekStore {
  mkdirSync(dir, { recursive: true });
  const db = join(dir, 'week.sqlite');
  const site = join(dir, 'site.yaml');
  const params = JSON.stringify({ days, cranes, flows, findings, everyHours, version: 2 });
  let scenarios = 0;
  if (!(existsSync(db) && readParams(db) === params)) {
    rmSync(db, { force: true });
    const pcap = join(dir, 'week.pcap');
    const specs: string[] = [];
    for (let h = 1; h < days * 24; h += everyHours) {
      const spec = ROTATION[specs.length % ROTATION.length];
      const crane = `STS-${String((specs.length % cranes) + 1).padStart(2, '0')}`;
      specs.push('--scenario', `${spec}${spec.includes(':') ? ',' : ':'}start=${h * 3600},duration=900,crane=${crane}`);
    }
    scenarios = specs.length / 2;
    cli(root, ['simulate', '--out', pcap, '--cranes', String(cranes), '--duration', `${days}d`, '--seed', '7', '--site-out', site, '--force', '--no-progress', ...specs]);
    cli(root, ['analyze', pcap, '--site', site, '--db', db, '--no-progress', '--json']);
    rmSync(pcap, { force: true });
    const conn = new Database(db);
    const counts = {
      conn: replicate(conn, 'conn', flows, ['uid'], ['ts']),
      findings: replicate(conn, 'findings', findings, ['finding_id', 'incident_id'], ['ts', 'last_ts', 'detected_ts']),
    };
    replicate(conn, 'incidents', Math.ceil((findings * count(conn, 'incidents')) / Math.max(1, counts.findings)), ['incident_id'], ['ts', 'last_ts']);
    conn
      .prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('bench.week', ?), ('bench.twin_flows', ?), ('bench.twin_findings', ?), ('bench.scenarios', ?)")
      .run(params, String(counts.conn), String(counts.findings), String(scenarios));
    conn.close();
  }
  const conn = new Database(db, { readonly: true });
  const rows = (t: string): number => count(conn, t);
  const meta = (k: string): string => conn.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(k) as string;
  const twinFlows = Number(meta('bench.twin_flows'));
  const twinFindings = Number(meta('bench.twin_findings'));
  const out: WeekStore = {
    db,
    days,
    cranes,
    scenarios: Number(meta('bench.scenarios')),
    twinFlows,
    flows: rows('conn'),
    findings: rows('findings'),
    twinFindings,
    incidents: rows('incidents'),
    moves: rows('container_move'),
  };
  conn.close();
  return out;
}

/** Rows of a table. */
function count(conn: Database.Database, table: string): number {
  return conn.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number;
}

/**
 * Copies the table's rows (as the twin's analysis wrote them) into earlier weeks until it holds
 * `target` rows: each copy k appends 'w' + k to the `ids` columns and moves the `times` columns k weeks
 * back; other columns are kept. One transaction. Returns the rows there were before.
 */
function replicate(conn: Database.Database, table: string, target: number, ids: readonly string[], times: readonly string[]): number {
  const original = count(conn, table);
  if (original === 0) return 0;
  const cols = conn.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[];
  const exprs = cols.map((c) => (ids.includes(c) ? `"${c}" || 'w' || $k` : times.includes(c) ? `"${c}" - $k * 604800` : `"${c}"`));
  const insert = conn.prepare(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) SELECT ${exprs.join(', ')} FROM "${table}" WHERE rowid <= $original LIMIT $n`);
  conn.transaction(() => {
    for (let k = 1, have = original; have < target; k++) {
      const n = Math.min(original, target - have);
      insert.run({ k, original, n });
      have += n;
    }
  })();
  return original;
}

/** The parameters a store was built with (meta `bench.week`), or null. */
function readParams(db: string): string | null {
  const conn = new Database(db, { readonly: true });
  try {
    return (conn.prepare("SELECT value FROM meta WHERE key = 'bench.week'").pluck().get() as string | undefined) ?? null;
  } catch {
    return null;
  } finally {
    conn.close();
  }
}
