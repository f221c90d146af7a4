import Database from 'better-sqlite3';
import { checkDigit } from '../../crane/iso6346.js';
import { ipSortKey, isLocalAddress } from '../../assets/ip.js';
import { CwError } from '../../errors.js';
import { fromColumnValue, parseSignature, tableLayout, type TableLayout } from '../../store/layout.js';
import type {
  ApiRecord,
  AssetRow,
  CommMap,
  ContainerDetail,
  ContainerSighting,
  CraneActivity,
  CraneOverview,
  EvidenceRecord,
  FindingEvidence,
  FindingRow,
  IncidentDetail,
  IncidentRow,
  MapEdge,
  MapNode,
  MoveRow,
  Overview,
  Page,
  Severity,
  StreamInfo,
  Telemetry,
  TimelineEntry,
} from '../api-types.js';
import type { AssetFilter, ConsoleQueries, FindingFilter, IncidentFilter, MapFilter, MoveFilter, PageQuery, TelemetryQuery } from './console-queries.js';
import { RunMeta } from './run-meta.js';

type Row = Record<string, unknown>;
type Param = string | number;

/** Findings kept in the in-memory host / crane / evidence index (map markers, asset finding counts, sightings). */
export const MAX_INDEXED_FINDINGS = 50_000;
/** Asset records read at most for the inventory view (the analyzer tracks at most `maxAssets` hosts). */
export const MAX_ASSET_ROWS = 100_000;
/** Aggregated map edges scanned at most when a zone filter is applied after aggregation. */
export const MAX_MAP_SCAN = 100_000;
/** Rows of one detail list (an incident's findings, a container's moves and sightings, telemetry markers). */
export const MAX_DETAIL_ROWS = 1000;
/** Evidence uids of one finding looked up at most. */
export const MAX_EVIDENCE_UIDS = 200;
/** A crane is `working` with a move or motion, and `stopped` with an availability finding, in this final window of its data (seconds). */
export const ACTIVITY_WINDOW_SEC = 900;
/** Hoist or trolley travel (max − min over the window) that counts as motion, millimetres: above PLC position jitter. */
export const ACTIVITY_MIN_TRAVEL_MM = 100;
/** Load change (max − min over the window) that counts as handling a box, kilograms: above load-cell noise. */
export const ACTIVITY_MIN_LOAD_CHANGE_KG = 500;
/** Shortest observation a rate is computed over (hours): one move in two minutes is not 30 moves per hour. */
export const MIN_RATE_HOURS = 0.25;

const AVAILABILITY_DETECTORS = ['unexpected_stop', 'fleet_stop', 'crane_silence'];
const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

const q = (ident: string): string => `"${ident.replaceAll('"', '""')}"`;

/** A finding's fields the index keeps. */
interface IndexedFinding {
  readonly finding_id: string;
  readonly ts: number;
  readonly last_ts: number;
  readonly detector: string;
  readonly severity: Severity;
  readonly title: string;
  readonly hosts: readonly string[];
  readonly cranes: readonly string[];
  readonly evidence_uids: readonly string[];
}

/** Values recomputed only after the stored results change (`invalidate`). */
interface Cache {
  meta?: RunMeta;
  layouts?: Map<string, TableLayout>;
  tables?: Set<string>;
  findings?: IndexedFinding[];
  /** Ids of the indexed findings that name each flow uid as evidence, first time first. */
  findingsByUid?: Map<string, string[]>;
  assets?: AssetRow[];
  streams?: StreamInfo[];
  overview?: Overview;
  /** Map answers by their filter (JSON), at most MAX_CACHED_MAPS. */
  maps?: Map<string, CommMap>;
  /** Telemetry answers by their query (JSON), at most MAX_CACHED_SERIES. */
  series?: Map<string, Telemetry>;
}

/** Telemetry answers remembered per data version (every viewer of a crane asks for the same default window). */
const MAX_CACHED_SERIES = 64;

/** Communication maps remembered per data version (the dashboard asks for the same few again and again). */
const MAX_CACHED_MAPS = 32;

/** JSON array text (vector / set columns) as strings; anything else as []. */
function arr(v: unknown): string[] {
  if (typeof v !== 'string' || v === '') return [];
  try {
    const a = JSON.parse(v) as unknown;
    return Array.isArray(a) ? a.map(String) : [];
  } catch {
    return [];
  }
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (typeof v === 'number' ? v : v === null || v === undefined ? null : Number.isFinite(Number(v)) ? Number(v) : null);
const sev = (v: unknown): Severity => (SEVERITIES.includes(v as Severity) ? (v as Severity) : 'low');

/** Address order of the inventory (assets/ip.ts `ipSortKey`: IPv4 by value, then IPv6, then other text). */
function ipOrder(a: string, b: string): number {
  const x = ipSortKey(a);
  const y = ipSortKey(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * `ConsoleQueries` over the SQLite store file (store/sqlite.ts layout) through a read-only better-sqlite3
 * connection (`busy_timeout` 5 s so a commit in progress delays rather than fails a read). Lists are
 * paged with COUNT + LIMIT/OFFSET, the map is a GROUP BY over `conn`, telemetry a bucketed AVG over
 * `crane_state` (about 0.6 s for 2 M flows with the console's covering index, 0.15 s for 600 k crane
 * states). The asset inventory, the findings index (bounded: MAX_ASSET_ROWS, MAX_INDEXED_FINDINGS),
 * stream counts, the overview, the last MAX_CACHED_MAPS maps and MAX_CACHED_SERIES telemetry answers are cached until the database changes
 * (`PRAGMA data_version`, any other connection's commit) or `invalidate`.
 * Errors: CwError CW_ERR_READ naming the file when the database cannot be read.
 */
export class SqliteConsoleQueries implements ConsoleQueries {
  private readonly db: Database.Database;
  private readonly stmts = new Map<string, Database.Statement<Param[]>>();
  private cache: Cache = {};
  /** `PRAGMA data_version` when the cache was last checked: another connection's commit changes it. */
  private version = -1;
  /** The results' `run.id` (meta) the cache was filled from; null when the store has none. */
  private runId: string | null = null;

  /** `path`: an existing CraneWatch store file. Throws CwError CW_ERR_READ when it cannot be opened. */
  constructor(readonly path: string) {
    try {
      this.db = new Database(path, { readonly: true, fileMustExist: true });
      this.db.pragma('busy_timeout = 5000');
    } catch (err) {
      throw new CwError('CW_ERR_READ', `cannot read ${path}: ${(err as Error).message}`);
    }
  }

  invalidate(): void {
    this.cache = {};
    this.stmts.clear();
  }

  /**
   * Drops the cache when the stored results changed: another connection committed since the last
   * check (`PRAGMA data_version`) and the results' `run.id` (written by every analyze run, copied by an
   * upload's merge) differs or is absent. The console's own writes — sessions touched every minute,
   * audit rows, users — change data_version but not run.id, so they keep the cache.
   */
  private fresh(): void {
    let v: number;
    try {
      v = this.db.pragma('data_version', { simple: true }) as number;
    } catch (err) {
      throw this.readError(err);
    }
    if (v === this.version) return;
    let id: string | null;
    try {
      id = (this.db.prepare("SELECT value FROM meta WHERE key = 'run.id'").pluck().get() as string | undefined) ?? null;
    } catch {
      id = null;
    }
    this.version = v;
    if (id === null || id !== this.runId) {
      this.cache = {};
      this.runId = id;
    }
  }

  close(): void {
    this.stmts.clear();
    if (this.db.open) this.db.close();
  }

  async overview(): Promise<Overview> {
    this.fresh();
    if (this.cache.overview !== undefined) return this.cache.overview;
    const meta = this.meta();
    const counts = {
      hosts: this.has('assets') ? this.scalar('SELECT COUNT(DISTINCT "host") FROM "assets"') : 0,
      flows: this.has('conn') ? this.scalar('SELECT COUNT(*) FROM "conn"') : 0,
      moves: this.has('container_move') ? this.scalar('SELECT COUNT(*) FROM "container_move"') : 0,
      findings: this.has('findings') ? this.scalar('SELECT COUNT(*) FROM "findings"') : 0,
      incidents: this.has('incidents') ? this.scalar('SELECT COUNT(*) FROM "incidents"') : 0,
    };
    const bySeverity: Record<Severity, number> = { low: 0, medium: 0, high: 0, critical: 0 };
    if (this.has('incidents')) {
      for (const r of this.all('SELECT "severity" AS s, COUNT(*) AS n FROM "incidents" GROUP BY "severity"')) {
        const s = r.s as Severity;
        if (SEVERITIES.includes(s)) bySeverity[s] = Number(r.n);
      }
    }
    return (this.cache.overview = { run: meta.run, cranes: this.craneOverviews(meta), counts, incidents_by_severity: bySeverity });
  }

  async incidents(f: IncidentFilter): Promise<Page<IncidentRow>> {
    this.fresh();
    if (!this.has('incidents')) return emptyPage(f);
    const where: string[] = [];
    const params: Param[] = [];
    if (f.severity !== undefined) {
      where.push('"severity" = ?');
      params.push(f.severity);
    }
    if (f.crane !== undefined) {
      where.push('EXISTS (SELECT 1 FROM json_each("cranes") WHERE value = ?)');
      params.push(f.crane);
    }
    return this.page('incidents', where, params, '"ts" DESC, "incident_id" DESC', f, toIncident);
  }

  async incident(id: string): Promise<IncidentDetail | undefined> {
    this.fresh();
    if (!this.has('incidents')) return undefined;
    const row = this.one('SELECT * FROM "incidents" WHERE "incident_id" = ?', id);
    if (row === undefined) return undefined;
    const findings = this.has('findings')
      ? this.all('SELECT * FROM "findings" WHERE "incident_id" = ? ORDER BY "ts", "finding_id" LIMIT ?', id, MAX_DETAIL_ROWS).map(toFinding)
      : [];
    const timeline: TimelineEntry[] = [];
    for (const f of findings) {
      const base = { finding_id: f.finding_id, detector: f.detector, severity: f.severity, title: f.title };
      timeline.push({ ts: f.ts, kind: 'first', ...base });
      if (f.detected_ts !== f.ts) timeline.push({ ts: f.detected_ts, kind: 'detected', ...base });
      if (f.last_ts !== f.ts) timeline.push({ ts: f.last_ts, kind: 'last', ...base });
    }
    const rank = { first: 0, detected: 1, last: 2 } as const;
    timeline.sort((a, b) => a.ts - b.ts || rank[a.kind] - rank[b.kind] || (a.finding_id < b.finding_id ? -1 : a.finding_id > b.finding_id ? 1 : 0));
    return { incident: toIncident(row), findings, timeline };
  }

  async findings(f: FindingFilter): Promise<Page<FindingRow>> {
    this.fresh();
    if (!this.has('findings')) return emptyPage(f);
    const where: string[] = [];
    const params: Param[] = [];
    for (const [col, v] of [
      ['incident_id', f.incident_id],
      ['detector', f.detector],
      ['severity', f.severity],
    ] as const) {
      if (v !== undefined) {
        where.push(`${q(col)} = ?`);
        params.push(v);
      }
    }
    return this.page('findings', where, params, '"ts" DESC, "finding_id" DESC', f, toFinding);
  }

  async findingEvidence(id: string, page: PageQuery): Promise<FindingEvidence | undefined> {
    this.fresh();
    if (!this.has('findings')) return undefined;
    const row = this.one('SELECT * FROM "findings" WHERE "finding_id" = ?', id);
    if (row === undefined) return undefined;
    const finding = toFinding(row);
    const uids = [...new Set(finding.evidence_uids)].slice(0, MAX_EVIDENCE_UIDS);
    const layouts = this.layouts();
    const streams = [...new Set(finding.evidence_streams)].filter((s) => this.has(s) && layouts.get(s)?.byField.has('uid') === true && layouts.get(s)?.byField.has('ts') === true);
    if (uids.length === 0 || streams.length === 0) return { finding, records: { total: 0, limit: page.limit, offset: page.offset, items: [] } };
    const marks = uids.map(() => '?').join(', ');
    const parts = streams.map((s) => `SELECT ? AS stream, rowid AS rid, "ts" FROM ${q(s)} WHERE "uid" IN (${marks})`);
    const params: Param[] = streams.flatMap((s) => [s, ...uids]);
    const union = parts.join(' UNION ALL ');
    const total = this.scalar(`SELECT COUNT(*) FROM (${union}) AS e`, ...params);
    const hits = this.all(`SELECT stream, rid FROM (${union}) AS e ORDER BY "ts", stream, rid LIMIT ? OFFSET ?`, ...params, page.limit, page.offset);
    const items: EvidenceRecord[] = hits.map((h) => {
      const stream = String(h.stream);
      const layout = layouts.get(stream)!;
      const rec = this.one(`SELECT * FROM ${q(stream)} WHERE rowid = ?`, Number(h.rid)) ?? {};
      return { stream, record: toApiRecord(layout, rec) };
    });
    return { finding, records: { total, limit: page.limit, offset: page.offset, items } };
  }

  async streams(): Promise<StreamInfo[]> {
    this.fresh();
    if (this.cache.streams !== undefined) return this.cache.streams;
    const out: StreamInfo[] = [];
    for (const [stream, layout] of [...this.layouts()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (!this.has(stream)) continue;
      out.push({ stream, records: this.scalar(`SELECT COUNT(*) FROM ${q(stream)}`), fields: layout.columns.map((c) => c.field) });
    }
    return (this.cache.streams = out);
  }

  async moves(f: MoveFilter): Promise<Page<MoveRow>> {
    this.fresh();
    if (!this.has('container_move')) return emptyPage(f);
    const hasVessel = this.layouts().get('container_move')?.byField.has('vessel') === true;
    if (f.vessel !== undefined && !hasVessel) return emptyPage(f);
    const where: string[] = [];
    const params: Param[] = [];
    const eq: [string, string | undefined][] = [
      ['container', f.container],
      ['crane', f.crane],
      ['vessel', f.vessel],
    ];
    for (const [col, v] of eq) {
      if (v !== undefined) {
        where.push(`${q(col)} = ?`);
        params.push(v);
      }
    }
    if (f.from !== undefined) {
      where.push('"ts" >= ?');
      params.push(f.from);
    }
    if (f.to !== undefined) {
      where.push('"ts" <= ?');
      params.push(f.to);
    }
    return this.page('container_move', where, params, '"ts" DESC, "move_id" DESC', f, toMove);
  }

  async container(number: string): Promise<ContainerDetail> {
    this.fresh();
    const digit = checkDigit(number.slice(0, 10));
    const moves = this.has('container_move')
      ? this.all('SELECT * FROM "container_move" WHERE "container" = ? ORDER BY "ts", "move_id" LIMIT ?', number, MAX_DETAIL_ROWS).map(toMove)
      : [];
    const sightings: ContainerSighting[] = [];
    if (this.has('container_data')) {
      const meta = this.meta();
      const byUid = this.findingsByUid();
      const rows = this.all('SELECT * FROM "container_data" WHERE "numbers" LIKE ? ORDER BY "ts", "uid" LIMIT ?', `%"${number}"%`, MAX_DETAIL_ROWS);
      for (const r of rows) {
        const resp = String(r.id_resp_h ?? '');
        sightings.push({
          ts: Number(r.ts),
          uid: String(r.uid ?? ''),
          orig_h: String(r.id_orig_h ?? ''),
          resp_h: resp,
          resp_p: num(r.id_resp_p),
          service: str(r.channel),
          zone: meta.zoneOf(resp)?.id ?? null,
          finding_ids: byUid.get(String(r.uid ?? '')) ?? [],
        });
      }
    }
    return { container: number, check_digit_valid: digit >= 0 && String(digit) === number[10], moves, sightings };
  }

  async assets(f: AssetFilter): Promise<Page<AssetRow>> {
    this.fresh();
    const needle = f.q?.toLowerCase();
    const rows = this.assetRows().filter(
      (a) =>
        (f.zone === undefined || a.zone === f.zone) &&
        (f.role === undefined || a.roles.includes(f.role)) &&
        (f.status === undefined || a.status === f.status) &&
        (needle === undefined ||
          a.host.toLowerCase().includes(needle) ||
          (a.name ?? '').toLowerCase().includes(needle) ||
          a.vendors.some((v) => v.toLowerCase().includes(needle)) ||
          (a.device_vendor ?? '').toLowerCase().includes(needle)),
    );
    return { total: rows.length, limit: f.limit, offset: f.offset, items: rows.slice(f.offset, f.offset + f.limit) };
  }

  async commMap(f: MapFilter): Promise<CommMap> {
    this.fresh();
    const key = JSON.stringify([f.zone ?? null, f.service ?? null, f.min_bytes, f.max_edges]);
    const maps = (this.cache.maps ??= new Map());
    const known = maps.get(key);
    if (known !== undefined) return known;
    const map = this.buildMap(f);
    if (maps.size >= MAX_CACHED_MAPS) maps.delete(maps.keys().next().value as string);
    maps.set(key, map);
    return map;
  }

  /** The communication map for one filter (see `commMap`). */
  private buildMap(f: MapFilter): CommMap {
    if (!this.has('conn')) return { zones: [], nodes: [], edges: [], truncated: false };
    const meta = this.meta();
    const where: string[] = [];
    const params: Param[] = [];
    if (f.service !== undefined) {
      where.push('"service" = ?');
      params.push(f.service);
    }
    const scan = f.zone === undefined ? f.max_edges + 1 : MAX_MAP_SCAN;
    const rows = this.all(
      'SELECT "id_orig_h" AS s, "id_resp_h" AS t, COALESCE("service", \'\') AS service, COALESCE("proto", \'\') AS proto, COUNT(*) AS flows, ' +
        'SUM(COALESCE("orig_bytes", 0) + COALESCE("resp_bytes", 0)) AS bytes FROM "conn"' +
        (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
        ' GROUP BY "id_orig_h", "id_resp_h", "service", "proto"' +
        ' HAVING SUM(COALESCE("orig_bytes", 0) + COALESCE("resp_bytes", 0)) >= ?' +
        ' ORDER BY bytes DESC, s, t, service, proto LIMIT ?',
      ...params,
      f.min_bytes,
      scan,
    );
    // A host in a site zone carries the zone's name (an outside zone's too); else local space has no zone and the rest is `external`.
    const zoneId = (h: string): string | null => meta.zoneOf(h)?.id ?? (isLocalAddress(h) ? null : 'external');
    const isOutside = (h: string): boolean => {
      const z = meta.zoneOf(h);
      return z !== null ? z.kind === 'outside' : !isLocalAddress(h);
    };
    let kept = f.zone === undefined ? rows : rows.filter((r) => zoneId(String(r.s)) === f.zone || zoneId(String(r.t)) === f.zone);
    const truncated = kept.length > f.max_edges;
    kept = kept.slice(0, f.max_edges);
    const findings = this.findingIndex();
    const byHost = new Map<string, string[]>();
    for (const fi of findings) {
      for (const h of fi.hosts) {
        const l = byHost.get(h);
        if (l === undefined) byHost.set(h, [fi.finding_id]);
        else l.push(fi.finding_id);
      }
    }
    const edges: MapEdge[] = kept.map((r) => {
      const s = String(r.s);
      const t = String(r.t);
      const tf = new Set(byHost.get(t) ?? []);
      const ids = (byHost.get(s) ?? []).filter((id) => tf.has(id));
      return { source: s, target: t, service: String(r.service), proto: String(r.proto), flows: Number(r.flows), bytes: Number(r.bytes), violation: ids.length > 0, finding_ids: ids };
    });
    const roles = new Map<string, readonly string[]>();
    if (this.has('assets')) for (const a of this.assetRows()) roles.set(a.host, a.roles);
    const nodeIds = [...new Set(edges.flatMap((e) => [e.source, e.target]))].sort(ipOrder);
    const nodes: MapNode[] = nodeIds.map((id) => {
      const asset = meta.asset(id);
      const zone = zoneId(id);
      const kind: MapNode['kind'] = asset !== undefined ? 'asset' : isOutside(id) ? 'external' : 'uninventoried';
      return { id, label: asset?.name ?? id, zone, kind, roles: roles.get(id) ?? (asset !== undefined ? [asset.role] : []), findings: byHost.get(id)?.length ?? 0 };
    });
    const zoneCount = new Map<string, number>();
    for (const n of nodes) if (n.zone !== null) zoneCount.set(n.zone, (zoneCount.get(n.zone) ?? 0) + 1);
    const zones = [...zoneCount].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([zone, n]) => ({ zone, nodes: n }));
    return { zones, nodes, edges, truncated };
  }

  async telemetry(tq: TelemetryQuery): Promise<Telemetry | undefined> {
    this.fresh();
    const key = JSON.stringify([tq.crane, tq.from ?? null, tq.to ?? null, tq.points]);
    const cached = this.cache.series?.get(key);
    if (cached !== undefined) return cached;
    const t = this.readTelemetry(tq);
    if (t !== undefined) {
      const series = (this.cache.series ??= new Map());
      if (series.size >= MAX_CACHED_SERIES) series.delete(series.keys().next().value as string);
      series.set(key, t);
    }
    return t;
  }

  /** One crane's bucketed series and markers, read from the database (see `telemetry`). */
  private readTelemetry(tq: TelemetryQuery): Telemetry | undefined {
    const meta = this.meta();
    const known = meta.inventory?.cranes.some((c) => c.id === tq.crane) === true;
    if (!this.has('crane_state')) return known ? emptyTelemetry(tq.crane) : undefined;
    // Two single-aggregate reads: each is one seek in the (crane, ts) index, where MIN and MAX together scan the crane's rows.
    const first = this.one('SELECT MIN("ts") AS t FROM "crane_state" WHERE "crane" = ?', tq.crane);
    if (first === undefined || first.t === null) return known ? emptyTelemetry(tq.crane) : undefined;
    const from = tq.from ?? Number(first.t);
    const to = tq.to ?? Number(this.one('SELECT MAX("ts") AS t FROM "crane_state" WHERE "crane" = ?', tq.crane)?.t);
    if (to < from) return emptyTelemetry(tq.crane);
    const width = to > from ? (to - from) / tq.points : 1;
    // Bucket i holds from + i·width ≤ ts < from + (i+1)·width; the window's last instant joins the last bucket.
    const bucket = 'CASE WHEN "ts" >= ? THEN ? ELSE CAST(("ts" - ?) / ? AS INTEGER) END';
    const rows = this.all(
      `SELECT ${bucket} AS b, AVG("ts") AS ts, AVG("hoist_position_mm") AS h, AVG("trolley_position_mm") AS t, ` +
        'AVG("load_kg") AS l, AVG("wind_speed_ms") AS w FROM "crane_state" WHERE "crane" = ? AND "ts" >= ? AND "ts" <= ? ' +
        `GROUP BY ${bucket} ORDER BY b`,
      ...[to, tq.points - 1, from, width],
      tq.crane,
      from,
      to,
      ...[to, tq.points - 1, from, width],
    );
    const buckets = rows.map((r) => ({ ts: Number(r.ts), h: num(r.h), t: num(r.t), l: num(r.l), w: num(r.w) }));
    const markers = this.has('findings')
      ? this.all(
          'SELECT "ts", "finding_id", "severity", "title" FROM "findings" WHERE "cranes" LIKE ? AND "ts" >= ? AND "ts" <= ? ORDER BY "ts", "finding_id" LIMIT ?',
          `%${JSON.stringify(tq.crane)}%`,
          from,
          to,
          MAX_DETAIL_ROWS,
        ).map((r) => ({ ts: Number(r.ts), finding_id: String(r.finding_id), severity: sev(r.severity), title: String(r.title ?? '') }))
      : [];
    return {
      crane: tq.crane,
      ts: buckets.map((b) => b.ts),
      series: {
        hoist_position_mm: buckets.map((b) => b.h),
        trolley_position_mm: buckets.map((b) => b.t),
        load_kg: buckets.map((b) => b.l),
        wind_speed_ms: buckets.map((b) => b.w),
      },
      markers,
    };
  }

  /** The terminal overview's crane rows: cranes with `crane_state` records, then site cranes never seen. */
  private craneOverviews(meta: RunMeta): CraneOverview[] {
    const out = new Map<string, CraneOverview>();
    const moves = new Map<string, number>();
    if (this.has('container_move')) for (const r of this.all('SELECT "crane" AS c, COUNT(*) AS n FROM "container_move" GROUP BY "crane"')) moves.set(String(r.c), Number(r.n));
    const incidentsOf = (crane: string): number => (this.has('incidents') ? this.scalar('SELECT COUNT(*) FROM "incidents" WHERE "cranes" LIKE ?', `%${JSON.stringify(crane)}%`) : 0);
    if (this.has('crane_state')) {
      const rows = this.all(
        'SELECT c.*, m.first_ts AS first_ts FROM "crane_state" AS c JOIN (SELECT "crane" AS crane, MIN("ts") AS first_ts, MAX("ts") AS last_ts FROM "crane_state" GROUP BY "crane") AS m ' +
          'ON c."crane" = m.crane AND c."ts" = m.last_ts ORDER BY c."crane"',
      );
      for (const r of rows) {
        const crane = String(r.crane);
        if (out.has(crane)) continue;
        const last = Number(r.ts);
        const first = Number(r.first_ts);
        const n = moves.get(crane) ?? 0;
        const hours = (last - first) / 3600;
        out.set(crane, {
          crane,
          plc_h: str(r.plc_h),
          state: this.activity(crane, r, last),
          last_ts: last,
          moves: n,
          moves_per_hour: n / Math.max(hours, MIN_RATE_HOURS),
          open_incidents: incidentsOf(crane),
          load_kg: num(r.load_kg),
          wind_speed_ms: num(r.wind_speed_ms),
        });
      }
    }
    for (const c of meta.inventory?.cranes ?? []) {
      if (out.has(c.id)) continue;
      const plc = meta.inventory?.assets.find((a) => a.name === c.plc);
      out.set(c.id, {
        crane: c.id,
        plc_h: plc?.ip ?? null,
        state: 'unknown',
        last_ts: null,
        moves: moves.get(c.id) ?? 0,
        moves_per_hour: 0,
        open_incidents: incidentsOf(c.id),
        load_kg: null,
        wind_speed_ms: null,
      });
    }
    return [...out.values()].sort((a, b) => (a.crane < b.crane ? -1 : a.crane > b.crane ? 1 : 0));
  }

  /**
   * A crane's state from its last `crane_state` row and its last ACTIVITY_WINDOW_SEC of data (see
   * CraneActivity): stopped, unknown, then working on a move or on motion (hoist / trolley travel of at
   * least ACTIVITY_MIN_TRAVEL_MM, a load change of at least ACTIVITY_MIN_LOAD_CHANGE_KG, a twistlock change),
   * else idle.
   */
  private activity(crane: string, last: Row, lastTs: number): CraneActivity {
    const since = lastTs - ACTIVITY_WINDOW_SEC;
    if (last.emergency_stop === 1) return 'stopped';
    if (this.has('findings')) {
      const marks = AVAILABILITY_DETECTORS.map(() => '?').join(', ');
      const n = this.scalar(`SELECT COUNT(*) FROM "findings" WHERE "detector" IN (${marks}) AND "cranes" LIKE ? AND "last_ts" >= ?`, ...AVAILABILITY_DETECTORS, `%${JSON.stringify(crane)}%`, since);
      if (n > 0) return 'stopped';
    }
    if (last.hoist_position_mm === null && last.trolley_position_mm === null && last.load_kg === null && last.twistlock_locked === null) return 'unknown';
    if (this.has('container_move') && this.scalar('SELECT COUNT(*) FROM "container_move" WHERE "crane" = ? AND "ts" >= ?', crane, since) > 0) return 'working';
    const span = this.one(
      'SELECT MAX("hoist_position_mm") - MIN("hoist_position_mm") AS h, MAX("trolley_position_mm") - MIN("trolley_position_mm") AS t, ' +
        'MAX("load_kg") - MIN("load_kg") AS l, MAX("twistlock_locked") - MIN("twistlock_locked") AS tw FROM "crane_state" WHERE "crane" = ? AND "ts" >= ?',
      crane,
      since,
    );
    if (span === undefined) return 'idle';
    const moved = (v: unknown, min: number): boolean => typeof v === 'number' && v >= min;
    return moved(span.h, ACTIVITY_MIN_TRAVEL_MM) || moved(span.t, ACTIVITY_MIN_TRAVEL_MM) || moved(span.l, ACTIVITY_MIN_LOAD_CHANGE_KG) || moved(span.tw, 1) ? 'working' : 'idle';
  }

  /** Every asset row (inventory merged with the `assets` records), by address; cached. */
  private assetRows(): AssetRow[] {
    if (this.cache.assets !== undefined) return this.cache.assets;
    const meta = this.meta();
    const byHost = new Map<string, Row>();
    if (this.has('assets')) {
      // The latest record of each host (the store key is (ts, host)).
      for (const r of this.all('SELECT * FROM "assets" ORDER BY "host", "ts" LIMIT ?', MAX_ASSET_ROWS)) byHost.set(String(r.host), r);
    }
    const findingsOf = new Map<string, number>();
    for (const fi of this.findingIndex()) for (const h of fi.hosts) findingsOf.set(h, (findingsOf.get(h) ?? 0) + 1);
    const out: AssetRow[] = [];
    for (const [host, r] of byHost) {
      const inv = meta.asset(host);
      out.push({
        host,
        name: inv?.name ?? null,
        zone: inv?.zone ?? meta.zoneOf(host)?.id ?? str(r.zone),
        status: !meta.hasSite ? 'unknown' : inv !== undefined ? 'inventoried' : 'uninventoried',
        roles: arr(r.roles),
        vendors: arr(r.vendors),
        macs: arr(r.macs),
        protocols: arr(r.protocols),
        first_seen: num(r.first_seen),
        last_seen: num(r.last_seen),
        bytes_sent: num(r.bytes_sent) ?? 0,
        bytes_received: num(r.bytes_received) ?? 0,
        device_vendor: str(r.device_vendor),
        device_product: str(r.device_product),
        device_model: str(r.device_model),
        device_firmware: str(r.device_firmware),
        device_serial: str(r.device_serial),
        open_findings: findingsOf.get(host) ?? 0,
      });
    }
    for (const a of meta.inventory?.assets ?? []) {
      if (byHost.has(a.ip)) continue;
      out.push({
        host: a.ip,
        name: a.name,
        zone: a.zone,
        status: 'unseen',
        roles: [a.role],
        vendors: [a.vendor],
        macs: [a.mac],
        protocols: [],
        first_seen: null,
        last_seen: null,
        bytes_sent: 0,
        bytes_received: 0,
        device_vendor: null,
        device_product: null,
        device_model: null,
        device_firmware: null,
        device_serial: null,
        open_findings: findingsOf.get(a.ip) ?? 0,
      });
    }
    out.sort((a, b) => ipOrder(a.host, b.host));
    return (this.cache.assets = out);
  }

  /** Findings' hosts, cranes and evidence uids (at most MAX_INDEXED_FINDINGS, oldest first); cached. */
  private findingIndex(): IndexedFinding[] {
    if (this.cache.findings !== undefined) return this.cache.findings;
    const rows = this.has('findings')
      ? this.all('SELECT "finding_id", "ts", "last_ts", "detector", "severity", "title", "hosts", "cranes", "evidence_uids" FROM "findings" ORDER BY "ts", "finding_id" LIMIT ?', MAX_INDEXED_FINDINGS)
      : [];
    return (this.cache.findings = rows.map((r) => ({
      finding_id: String(r.finding_id),
      ts: Number(r.ts),
      last_ts: Number(r.last_ts),
      detector: String(r.detector ?? ''),
      severity: sev(r.severity),
      title: String(r.title ?? ''),
      hosts: arr(r.hosts),
      cranes: arr(r.cranes),
      evidence_uids: arr(r.evidence_uids),
    })));
  }

  /** The finding ids naming each evidence uid (findingIndex), built once per data version. */
  private findingsByUid(): Map<string, string[]> {
    if (this.cache.findingsByUid !== undefined) return this.cache.findingsByUid;
    const byUid = new Map<string, string[]>();
    for (const fi of this.findingIndex()) {
      for (const u of fi.evidence_uids) {
        const l = byUid.get(u);
        if (l === undefined) byUid.set(u, [fi.finding_id]);
        else if (!l.includes(fi.finding_id)) l.push(fi.finding_id);
      }
    }
    return (this.cache.findingsByUid = byUid);
  }

  private meta(): RunMeta {
    if (this.cache.meta !== undefined) return this.cache.meta;
    const entries: Record<string, string> = {};
    if (this.has('meta')) for (const r of this.all('SELECT "key", "value" FROM "meta"')) entries[String(r.key)] = String(r.value);
    return (this.cache.meta = new RunMeta(entries));
  }

  /** Stream table layouts from the `stream.*` meta signatures. */
  private layouts(): Map<string, TableLayout> {
    if (this.cache.layouts !== undefined) return this.cache.layouts;
    const out = new Map<string, TableLayout>();
    if (this.has('meta')) {
      for (const r of this.all('SELECT "key", "value" FROM "meta" WHERE "key" LIKE \'stream.%\'')) {
        const stream = String(r.key).slice('stream.'.length);
        const schema = parseSignature(stream, String(r.value));
        if (schema === undefined) continue;
        try {
          out.set(stream, tableLayout(schema));
        } catch {
          continue;
        }
      }
    }
    return (this.cache.layouts = out);
  }

  private has(table: string): boolean {
    if (this.cache.tables === undefined) {
      this.cache.tables = new Set(this.all('SELECT "name" FROM sqlite_master WHERE "type" = \'table\'').map((r) => String(r.name)));
    }
    return this.cache.tables.has(table);
  }

  private page<T>(table: string, where: readonly string[], params: readonly Param[], order: string, p: PageQuery, map: (r: Row) => T): Page<T> {
    const w = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
    const total = this.scalar(`SELECT COUNT(*) FROM ${q(table)}${w}`, ...params);
    const items = this.all(`SELECT * FROM ${q(table)}${w} ORDER BY ${order} LIMIT ? OFFSET ?`, ...params, p.limit, p.offset).map(map);
    return { total, limit: p.limit, offset: p.offset, items };
  }

  private stmt(sql: string): Database.Statement<Param[]> {
    let s = this.stmts.get(sql);
    if (s === undefined) {
      s = this.db.prepare<Param[]>(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  private all(sql: string, ...params: Param[]): Row[] {
    try {
      return this.stmt(sql).all(...params) as Row[];
    } catch (err) {
      throw this.readError(err);
    }
  }

  private one(sql: string, ...params: Param[]): Row | undefined {
    try {
      return this.stmt(sql).get(...params) as Row | undefined;
    } catch (err) {
      throw this.readError(err);
    }
  }

  private scalar(sql: string, ...params: Param[]): number {
    const r = this.one(sql, ...params);
    return r === undefined ? 0 : Number(Object.values(r)[0] ?? 0);
  }

  private readError(err: unknown): CwError {
    return new CwError('CW_ERR_READ', `cannot read ${this.path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function emptyPage<T>(p: PageQuery): Page<T> {
  return { total: 0, limit: p.limit, offset: p.offset, items: [] };
}

function emptyTelemetry(crane: string): Telemetry {
  return { crane, ts: [], series: { hoist_position_mm: [], trolley_position_mm: [], load_kg: [], wind_speed_ms: [] }, markers: [] };
}

function toApiRecord(layout: TableLayout, row: Row): ApiRecord {
  const rec: Record<string, ApiRecord[string]> = {};
  for (const c of layout.columns) {
    const v = fromColumnValue(c.kind, row[c.column]);
    if (v !== null && v !== undefined) rec[c.field] = v;
  }
  return rec;
}

function toIncident(r: Row): IncidentRow {
  return {
    incident_id: String(r.incident_id),
    ts: Number(r.ts),
    last_ts: Number(r.last_ts),
    severity: sev(r.severity),
    title: String(r.title ?? ''),
    msg: String(r.msg ?? ''),
    findings: Number(r.findings ?? 0),
    detectors: arr(r.detectors),
    techniques: arr(r.techniques),
    attack_version: String(r.attack_version ?? ''),
    hosts: arr(r.hosts),
    zones: arr(r.zones),
    cranes: arr(r.cranes),
    action: String(r.action ?? ''),
  };
}

function toFinding(r: Row): FindingRow {
  return {
    finding_id: String(r.finding_id),
    incident_id: str(r.incident_id),
    ts: Number(r.ts),
    last_ts: Number(r.last_ts ?? r.ts),
    detected_ts: Number(r.detected_ts ?? r.ts),
    detector: String(r.detector ?? ''),
    severity: sev(r.severity),
    title: String(r.title ?? ''),
    msg: String(r.msg ?? ''),
    count: Number(r.count ?? 0),
    techniques: arr(r.techniques),
    technique_names: arr(r.technique_names),
    attack_version: String(r.attack_version ?? ''),
    hosts: arr(r.hosts),
    zones: arr(r.zones),
    cranes: arr(r.cranes),
    evidence_streams: arr(r.evidence_streams),
    evidence_uids: arr(r.evidence_uids),
    action: String(r.action ?? ''),
  };
}

function toMove(r: Row): MoveRow {
  return {
    move_id: String(r.move_id),
    ts: Number(r.ts),
    crane: String(r.crane ?? ''),
    kind: String(r.kind ?? ''),
    lock_ts: num(r.lock_ts),
    unlock_ts: num(r.unlock_ts),
    duration: num(r.duration),
    container: str(r.container),
    iso_type: str(r.iso_type),
    gross_kg: num(r.gross_kg),
    from: str(r.from),
    to: str(r.to),
    vessel: str(r.vessel),
    port_of_loading: str(r.port_of_loading),
    port_of_discharge: str(r.port_of_discharge),
  };
}
