import type {
  AssetRow,
  CommMap,
  ContainerDetail,
  FindingEvidence,
  FindingRow,
  IncidentDetail,
  IncidentRow,
  InventoryStatus,
  MoveRow,
  Overview,
  Page,
  Severity,
  StreamInfo,
  Telemetry,
} from '../api-types.js';

/** Page window of a list read: `limit` 1–500 rows, `offset` ≥ 0 rows skipped (api-types.ts conventions). */
export interface PageQuery {
  readonly limit: number;
  readonly offset: number;
}

/** Filters of `GET /api/incidents`: all optional, all must hold; `crane` is one of the incident's cranes. */
export interface IncidentFilter extends PageQuery {
  readonly severity?: Severity;
  readonly crane?: string;
}

/** Filters of `GET /api/findings`: all optional, all must hold. */
export interface FindingFilter extends PageQuery {
  readonly incident_id?: string;
  readonly detector?: string;
  readonly severity?: Severity;
}

/** Filters of `GET /api/moves`: exact container number / vessel / crane, `from`–`to` on the move's `ts` (seconds, inclusive). */
export interface MoveFilter extends PageQuery {
  readonly container?: string;
  readonly vessel?: string;
  readonly crane?: string;
  readonly from?: number;
  readonly to?: number;
}

/** Filters of `GET /api/assets`: zone id, role, inventory status, and `q` (case-insensitive substring of host, name or vendor). */
export interface AssetFilter extends PageQuery {
  readonly zone?: string;
  readonly role?: string;
  readonly status?: InventoryStatus;
  readonly q?: string;
}

/** Parameters of `GET /api/map`: zone id (edges touching it), service, minimum bytes per edge, at most `max_edges` (1–5000) edges. */
export interface MapFilter {
  readonly zone?: string;
  readonly service?: string;
  readonly min_bytes: number;
  readonly max_edges: number;
}

/** Parameters of `GET /api/telemetry`: crane id, window `from`–`to` (seconds; default the crane's whole record), `points` buckets (1–5000). */
export interface TelemetryQuery {
  readonly crane: string;
  readonly from?: number;
  readonly to?: number;
  readonly points: number;
}

/**
 * The console's read model: one method per read route of the HTTP API (server/api-types.ts), each
 * answering the contract's JSON shape. Implementations page and aggregate in the database (COUNT +
 * LIMIT/OFFSET, GROUP BY, bucketed AVG) so a week of data stays responsive, and answer empty — never
 * fail — when a stream's table is absent (a run without a site file has no findings, moves or crane
 * states). Single-item reads return `undefined` when the id is unknown (the route answers 404).
 * The SQLite implementation is queries/sqlite-queries.ts (it uses SQLite's rowid, json_each and PRAGMA
 * data_version; a PostgreSQL implementation of this interface would need its own SQL).
 * Errors: only database I/O failures (CwError CW_ERR_READ).
 */
export interface ConsoleQueries {
  /** `GET /api/overview`. */
  overview(): Promise<Overview>;
  /** `GET /api/incidents`, latest first. */
  incidents(f: IncidentFilter): Promise<Page<IncidentRow>>;
  /** `GET /api/incidents/:id`. */
  incident(id: string): Promise<IncidentDetail | undefined>;
  /** `GET /api/findings`, latest first. */
  findings(f: FindingFilter): Promise<Page<FindingRow>>;
  /** `GET /api/findings/:id/evidence`. */
  findingEvidence(id: string, page: PageQuery): Promise<FindingEvidence | undefined>;
  /** `GET /api/streams`, by stream name. */
  streams(): Promise<StreamInfo[]>;
  /** `GET /api/moves`, latest first. */
  moves(f: MoveFilter): Promise<Page<MoveRow>>;
  /** `GET /api/containers/:number` for a well-formed (4 letters + 7 digits, upper case) number. */
  container(number: string): Promise<ContainerDetail>;
  /** `GET /api/assets`, by host address. */
  assets(f: AssetFilter): Promise<Page<AssetRow>>;
  /** `GET /api/map`. */
  commMap(f: MapFilter): Promise<CommMap>;
  /** `GET /api/telemetry`; undefined when the crane has no record and is not in the site file. */
  telemetry(q: TelemetryQuery): Promise<Telemetry | undefined>;
  /** Forget cached aggregates after the stored results were replaced (an upload's analysis). */
  invalidate(): void;
  /** Close the connection. */
  close(): void;
}
