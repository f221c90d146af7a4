import type { AssetRow, FindingRow, IncidentRow, MapEdge, MapNode, Overview, Telemetry } from '../server/api-types.js';
import type { ConsoleQueries } from '../server/queries/console-queries.js';
import { SEVERITIES } from '../detect/finding.js';

/** Incidents a report describes at most (most severe first); the total is always given. */
export const MAX_REPORT_INCIDENTS = 100;
/** Findings listed per incident at most. */
export const MAX_REPORT_FINDINGS = 50;
/** Rows of each host list (uninventoried, unseen), flagged edges and outside peers at most. */
export const MAX_REPORT_ROWS = 200;
/** Time buckets of each crane's telemetry chart. */
export const REPORT_TELEMETRY_POINTS = 300;
/** Communication-map edges read (heaviest first) for the flagged flows and outside peers. */
export const REPORT_MAP_EDGES = 5000;
/** Cranes charted at most. */
export const MAX_REPORT_CRANES = 24;

/** The detector whose findings are container data seen leaving for unapproved destinations. */
const CONTAINER_DATA_DETECTOR = 'container_data_exfil';
/** Page size of the reads (the API's largest page). */
const PAGE = 500;

/** One incident and the findings it groups (at most MAX_REPORT_FINDINGS, in time order). */
export interface ReportIncident {
  readonly incident: IncidentRow;
  readonly findings: readonly FindingRow[];
  /** Findings the incident holds in all (may exceed `findings.length`). */
  readonly findingsTotal: number;
}

/** A list cut at MAX_REPORT_ROWS with the number of rows there were. */
export interface Capped<T> {
  readonly rows: readonly T[];
  readonly total: number;
}

/**
 * Everything a report shows, read from one store through the console's read model
 * (server/queries/console-queries.ts), so the report and the dashboard tell the same story.
 * Times are seconds since the epoch.
 */
export interface ReportData {
  /** When the report was made (seconds since the epoch). */
  readonly generatedTs: number;
  readonly overview: Overview;
  /** Incidents, most severe first, then latest first. */
  readonly incidents: Capped<ReportIncident>;
  /** Findings of container data leaving for unapproved destinations, latest first. */
  readonly containerData: Capped<FindingRow>;
  /** Hosts seen on the network but not in the site file. */
  readonly uninventoried: Capped<AssetRow>;
  /** Hosts in the site file never seen. */
  readonly unseen: Capped<AssetRow>;
  /** Communication-map edges a finding names at both ends (conduit violations, egress, rogue devices), heaviest first. */
  readonly flaggedEdges: Capped<MapEdge>;
  /** Outside peers (`external` map nodes), most findings first. */
  readonly externalPeers: Capped<MapNode>;
  /** The map had more than REPORT_MAP_EDGES edges: flagged flows and outside peers are those of the heaviest. */
  readonly mapTruncated: boolean;
  /** Telemetry of each crane (at most MAX_REPORT_CRANES), REPORT_TELEMETRY_POINTS buckets. */
  readonly telemetry: readonly Telemetry[];
}

/**
 * Reads a report's data from `q`.
 * @param generatedTs seconds since the epoch to stamp the report with
 * Errors: whatever `q` throws on a database failure (CwError CW_ERR_READ).
 */
export async function collectReport(q: ConsoleQueries, generatedTs: number): Promise<ReportData> {
  const overview = await q.overview();
  // Most severe first: each severity's incidents (latest first) until the report holds its maximum,
  // so an old critical incident is never crowded out by newer low ones.
  const incidentTotal = (await q.incidents({ limit: 1, offset: 0 })).total;
  const ranked: IncidentRow[] = [];
  for (const severity of [...SEVERITIES].reverse()) {
    if (ranked.length >= MAX_REPORT_INCIDENTS) break;
    const some = await readAll((limit, offset) => q.incidents({ severity, limit, offset }), MAX_REPORT_INCIDENTS - ranked.length);
    ranked.push(...[...some.rows].sort((a, b) => b.ts - a.ts || a.incident_id.localeCompare(b.incident_id)));
  }
  const incidents: ReportIncident[] = [];
  for (const incident of ranked) {
    const page = await q.findings({ incident_id: incident.incident_id, limit: MAX_REPORT_FINDINGS, offset: 0 });
    const findings = [...page.items].sort((a, b) => a.ts - b.ts || a.finding_id.localeCompare(b.finding_id));
    incidents.push({ incident, findings, findingsTotal: page.total });
  }
  const containerData = await q.findings({ detector: CONTAINER_DATA_DETECTOR, limit: MAX_REPORT_ROWS, offset: 0 });
  const uninventoried = await q.assets({ status: 'uninventoried', limit: MAX_REPORT_ROWS, offset: 0 });
  const unseen = await q.assets({ status: 'unseen', limit: MAX_REPORT_ROWS, offset: 0 });
  const map = await q.commMap({ min_bytes: 0, max_edges: REPORT_MAP_EDGES });
  const flagged = map.edges.filter((e) => e.violation);
  const external = map.nodes.filter((n) => n.kind === 'external').sort((a, b) => b.findings - a.findings || a.id.localeCompare(b.id));
  const telemetry: Telemetry[] = [];
  for (const crane of overview.cranes.slice(0, MAX_REPORT_CRANES)) {
    const t = await q.telemetry({ crane: crane.crane, points: REPORT_TELEMETRY_POINTS });
    if (t !== undefined && t.ts.length > 0) telemetry.push(t);
  }
  return {
    generatedTs,
    overview,
    incidents: { rows: incidents, total: incidentTotal },
    containerData: { rows: containerData.items, total: containerData.total },
    uninventoried: { rows: uninventoried.items, total: uninventoried.total },
    unseen: { rows: unseen.items, total: unseen.total },
    flaggedEdges: { rows: flagged.slice(0, MAX_REPORT_ROWS), total: flagged.length },
    externalPeers: { rows: external.slice(0, MAX_REPORT_ROWS), total: external.length },
    mapTruncated: map.truncated,
    telemetry,
  };
}

/** Reads pages of a list until `max` rows or the end; `total` is the list's full length. */
async function readAll<T>(read: (limit: number, offset: number) => Promise<{ readonly total: number; readonly items: readonly T[] }>, max: number): Promise<Capped<T>> {
  const rows: T[] = [];
  let total = 0;
  while (rows.length < max) {
    const page = await read(Math.min(PAGE, max - rows.length), rows.length);
    total = page.total;
    rows.push(...page.items);
    if (page.items.length === 0 || rows.length >= total) break;
  }
  return { rows, total };
}
