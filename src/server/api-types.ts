/**
 * The console's HTTP API contract: the JSON shapes every `/api/*` route returns and accepts.
 * The server (src/server/) produces them and the dashboard (web/) consumes them; the OpenAPI
 * document served at `GET /api/openapi.json` describes the same shapes.
 *
 * Conventions:
 * - Times are seconds since the epoch (float, as in the logs); durations seconds; sizes bytes.
 * - Log records keep their Zeek / ICSNPP field names (`id.orig_h`, …), as in the log files.
 * - Lists are paginated server-side: `limit` (1–500, default 50) and `offset` (default 0) query
 *   parameters, answered with a {@link Page}.
 * - Errors are {@link ApiError} with a 4xx/5xx status; never a stack trace.
 * - State-changing requests (POST, PUT, DELETE) need the session cookie and the CSRF token from
 *   {@link SessionInfo} in the `x-csrf-token` header.
 */

/** Console roles, least to most privileged: viewer reads; analyst also uploads captures; admin also manages users and reads the audit log. */
export type Role = 'viewer' | 'analyst' | 'admin';

/** Finding and incident severities (detect/finding.ts). */
export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** Body of every error answer: a stable code (`CW_ERR_*` or an HTTP-named code such as `unauthorized`) and a one-line message naming the field or reason. */
export interface ApiError {
  readonly error: string;
  readonly message: string;
}

/** One page of a server-side paginated list. `total` counts every match, not only this page. */
export interface Page<T> {
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  readonly items: readonly T[];
}

/** One log record: a flat object keyed by Zeek / ICSNPP field names. */
export type ApiRecord = { readonly [field: string]: string | number | boolean | null | readonly (string | number | boolean)[] };

/** `POST /api/auth/login` body. */
export interface LoginRequest {
  readonly username: string;
  readonly password: string;
}

/** `POST /api/auth/login` (200, sets the session cookie) and `GET /api/auth/me`. */
export interface SessionInfo {
  readonly user: { readonly username: string; readonly role: Role };
  /** Send back in `x-csrf-token` on every state-changing request of this session. */
  readonly csrfToken: string;
}

/** What was analyzed: from the store's meta table. */
export interface RunInfo {
  /** Capture file names analyzed (base names). */
  readonly captures: readonly string[];
  /** First and last packet time, or null for an empty store. */
  readonly first_ts: number | null;
  readonly last_ts: number | null;
  /** Terminal UN/LOCODE and name from the site file, when the run had one. */
  readonly unlocode: string | null;
  readonly terminal: string | null;
  /** True when the run had a site file (detection on). */
  readonly detection: boolean;
}

/** A crane's state at the end of the data: stopped (e-stop, or an open availability finding), working (moves in its last 15 min, or its hoist or trolley position, load or twistlocks changed in its last 15 min of data), idle, or unknown (no decoded PLC values). */
export type CraneActivity = 'working' | 'idle' | 'stopped' | 'unknown';

/** One crane on the terminal overview. */
export interface CraneOverview {
  readonly crane: string;
  readonly plc_h: string | null;
  readonly state: CraneActivity;
  /** Time of its last `crane_state` record. */
  readonly last_ts: number | null;
  readonly moves: number;
  /** Moves divided by the hours it was observed (first to last `crane_state`), at least 0.25 h so a short observation does not inflate the rate; 0 when unseen. */
  readonly moves_per_hour: number;
  readonly open_incidents: number;
  /** Last decoded values (null when not decoded). */
  readonly load_kg: number | null;
  readonly wind_speed_ms: number | null;
}

/** `GET /api/overview`: the terminal at a glance. */
export interface Overview {
  readonly run: RunInfo;
  readonly cranes: readonly CraneOverview[];
  readonly counts: {
    readonly hosts: number;
    readonly flows: number;
    readonly moves: number;
    readonly findings: number;
    readonly incidents: number;
  };
  readonly incidents_by_severity: Readonly<Record<Severity, number>>;
}

/** A row of `GET /api/incidents` (the `incidents` log record). */
export interface IncidentRow {
  readonly incident_id: string;
  readonly ts: number;
  readonly last_ts: number;
  readonly severity: Severity;
  readonly title: string;
  readonly msg: string;
  readonly findings: number;
  readonly detectors: readonly string[];
  readonly techniques: readonly string[];
  readonly attack_version: string;
  readonly hosts: readonly string[];
  readonly zones: readonly string[];
  readonly cranes: readonly string[];
  readonly action: string;
}

/** Query of `GET /api/incidents`: optional `severity` (exact) and `crane` (incidents whose `cranes` include it), plus `limit`/`offset`; newest first. */
export interface IncidentListQuery {
  readonly severity?: Severity;
  readonly crane?: string;
  readonly limit?: number;
  readonly offset?: number;
}

/** A row of `GET /api/findings` (the `findings` log record). */
export interface FindingRow {
  readonly finding_id: string;
  readonly incident_id: string | null;
  readonly ts: number;
  readonly last_ts: number;
  readonly detected_ts: number;
  readonly detector: string;
  readonly severity: Severity;
  readonly title: string;
  readonly msg: string;
  readonly count: number;
  readonly techniques: readonly string[];
  readonly technique_names: readonly string[];
  readonly attack_version: string;
  readonly hosts: readonly string[];
  readonly zones: readonly string[];
  readonly cranes: readonly string[];
  readonly evidence_streams: readonly string[];
  readonly evidence_uids: readonly string[];
  readonly action: string;
}

/** One entry of an incident's timeline: its findings' first and last sightings, in time order. */
export interface TimelineEntry {
  readonly ts: number;
  readonly finding_id: string;
  readonly detector: string;
  readonly severity: Severity;
  readonly title: string;
  /** `first` at the finding's `ts`, `last` at its `last_ts` (omitted when equal), `detected` at `detected_ts` (omitted when equal to `ts`). */
  readonly kind: 'first' | 'detected' | 'last';
}

/** `GET /api/incidents/:id`. 404 when unknown. */
export interface IncidentDetail {
  readonly incident: IncidentRow;
  readonly findings: readonly FindingRow[];
  readonly timeline: readonly TimelineEntry[];
}

/** One evidence record: the stream it is stored in and the record. */
export interface EvidenceRecord {
  readonly stream: string;
  readonly record: ApiRecord;
}

/** `GET /api/findings/:id/evidence?limit&offset`: the records of the finding's evidence streams whose `uid` is one of its evidence uids, in time order. 404 when unknown. */
export interface FindingEvidence {
  readonly finding: FindingRow;
  readonly records: Page<EvidenceRecord>;
}

/** `GET /api/streams`: every stored stream with its record count and field names. */
export interface StreamInfo {
  readonly stream: string;
  readonly records: number;
  readonly fields: readonly string[];
}

/** A row of `GET /api/moves?container&vessel&crane&from&to` (the `container_move` log record, vessel from the TOS data when known). */
export interface MoveRow {
  readonly move_id: string;
  readonly ts: number;
  readonly crane: string;
  readonly kind: string;
  readonly lock_ts: number | null;
  readonly unlock_ts: number | null;
  readonly duration: number | null;
  readonly container: string | null;
  readonly iso_type: string | null;
  readonly gross_kg: number | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly vessel: string | null;
  readonly port_of_loading: string | null;
  readonly port_of_discharge: string | null;
}

/** Where a container number was seen on the network outside its approved destinations (`container_data` records). */
export interface ContainerSighting {
  readonly ts: number;
  readonly uid: string;
  readonly orig_h: string;
  readonly resp_h: string;
  readonly resp_p: number | null;
  readonly service: string | null;
  readonly zone: string | null;
  readonly finding_ids: readonly string[];
}

/** `GET /api/containers/:number`: a container's moves and where its number travelled. 400 for a malformed number (not 4 letters + 7 digits). */
export interface ContainerDetail {
  readonly container: string;
  /** ISO 6346 check digit valid. */
  readonly check_digit_valid: boolean;
  readonly moves: readonly MoveRow[];
  readonly sightings: readonly ContainerSighting[];
}

/** Inventory status against the site file: listed and seen, seen but not listed (uninventoried), listed but never seen (unseen). `unknown` when the run had no site file. */
export type InventoryStatus = 'inventoried' | 'uninventoried' | 'unseen' | 'unknown';

/** A row of `GET /api/assets?zone&role&status&q` (the `assets` log record plus the site file's view). */
export interface AssetRow {
  readonly host: string;
  readonly name: string | null;
  readonly zone: string | null;
  readonly status: InventoryStatus;
  readonly roles: readonly string[];
  readonly vendors: readonly string[];
  readonly macs: readonly string[];
  readonly protocols: readonly string[];
  readonly first_seen: number | null;
  readonly last_seen: number | null;
  readonly bytes_sent: number;
  readonly bytes_received: number;
  readonly device_vendor: string | null;
  readonly device_product: string | null;
  readonly device_model: string | null;
  readonly device_firmware: string | null;
  readonly device_serial: string | null;
  readonly open_findings: number;
}

/** A node of the communication map: an inventoried asset, an uninventoried local host, or an outside peer. */
export interface MapNode {
  readonly id: string;
  readonly label: string;
  /** Site zone (IEC 62443 zone name), `external` for outside peers that fall in no site zone (an outside peer in a site zone, such as an `internet` zone, carries that zone's name), null when unknown or local without a site zone. */
  readonly zone: string | null;
  readonly kind: 'asset' | 'uninventoried' | 'external';
  readonly roles: readonly string[];
  readonly findings: number;
}

/** An edge of the communication map: all flows between two hosts for one service, aggregated. */
export interface MapEdge {
  readonly source: string;
  readonly target: string;
  readonly service: string;
  readonly proto: string;
  readonly flows: number;
  readonly bytes: number;
  /** True when a finding names both ends (a conduit violation, egress, rogue device …). */
  readonly violation: boolean;
  readonly finding_ids: readonly string[];
}

/** `GET /api/map?zone&service&min_bytes&max_edges`: nodes and edges, heaviest edges first, at most `max_edges` (default 500, at most 5000); `truncated` when more existed. */
export interface CommMap {
  readonly zones: readonly { readonly zone: string; readonly nodes: number }[];
  readonly nodes: readonly MapNode[];
  readonly edges: readonly MapEdge[];
  readonly truncated: boolean;
}

/** `GET /api/telemetry?crane&from&to&points`: a crane's decoded signals, downsampled server-side to at most `points` buckets (default 500, at most 5000) by bucket mean; null where a bucket had no value. */
export interface Telemetry {
  readonly crane: string;
  readonly ts: readonly number[];
  readonly series: {
    readonly hoist_position_mm: readonly (number | null)[];
    readonly trolley_position_mm: readonly (number | null)[];
    readonly load_kg: readonly (number | null)[];
    readonly wind_speed_ms: readonly (number | null)[];
  };
  /** Findings naming the crane in the window, for markers on the charts. */
  readonly markers: readonly { readonly ts: number; readonly finding_id: string; readonly severity: Severity; readonly title: string }[];
}

/** State of an uploaded capture's analysis (`POST /api/captures` → 202 `{ job_id }`, then `GET /api/jobs/:id`). */
export interface JobStatus {
  readonly job_id: string;
  readonly state: 'queued' | 'running' | 'done' | 'failed';
  readonly file: string;
  readonly bytes_total: number;
  readonly bytes_read: number;
  readonly packets: number;
  /** Set when failed: the one-line reason. */
  readonly error: string | null;
  readonly started_ts: number | null;
  readonly finished_ts: number | null;
}

/** A row of `GET /api/audit` (admin): logins, failed logins, logouts, uploads, user changes. */
export interface AuditRow {
  readonly ts: number;
  readonly username: string | null;
  readonly action: string;
  readonly detail: string;
  readonly client_ip: string;
  readonly ok: boolean;
}

/** A row of `GET /api/users` (admin); `POST /api/users` takes `{ username, password, role }`, `DELETE /api/users/:username` removes one. */
export interface UserRow {
  readonly username: string;
  readonly role: Role;
  readonly created_ts: number;
  readonly last_login_ts: number | null;
}

/** `POST /api/users` body (admin): a new user; the password is 8–1024 characters. */
export interface UserCreateRequest {
  readonly username: string;
  readonly password: string;
  readonly role: Role;
}

/** `PUT /api/users/:username` body (admin): change a user's role. 404 when unknown; 409 when it would leave no admin. */
export interface UserRoleRequest {
  readonly role: Role;
}

/** `POST /api/captures` (analyst; multipart form with one file field) answer, status 202. */
export interface UploadAccepted {
  readonly job_id: string;
}

/** `GET /api/health` (no login needed). */
export interface Health {
  readonly status: 'ok';
  /** True while an uploaded capture is being analyzed. */
  readonly busy: boolean;
}
