/**
 * Typed fetch client for the console HTTP API (contract: src/server/api-types.ts).
 *
 * Every call resolves to an {@link ApiResult}; it never rejects. The session's CSRF token is held
 * in memory only (never in storage) and sent as `x-csrf-token` on every POST, PUT and DELETE. A 401 on
 * any route other than the login itself calls the handler set by {@link setUnauthorizedHandler},
 * which sends the user back to the login page.
 */
import type {
  ApiError,
  AssetRow,
  AuditRow,
  CommMap,
  ContainerDetail,
  FindingEvidence,
  FindingRow,
  IncidentDetail,
  IncidentListQuery,
  IncidentRow,
  InventoryStatus,
  JobStatus,
  LoginRequest,
  MoveRow,
  Overview,
  Page,
  SessionInfo,
  Telemetry,
  UploadAccepted,
  UserCreateRequest,
  UserRoleRequest,
  UserRow,
} from '../../src/server/api-types.js';

/** Outcome of one API call: the decoded JSON body on 2xx, else the HTTP status (0 for a network failure) and the {@link ApiError} body. */
export type ApiResult<T> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly status: number; readonly error: ApiError };

/** Query-string parameters; undefined, null and empty-string values are left out. */
export type QueryParams = Readonly<Record<string, string | number | undefined | null>>;

/** Pagination parameters of every list route: `limit` 1–500, `offset` ≥ 0 (records). */
export interface PageParams {
  readonly limit?: number;
  readonly offset?: number;
}

let csrfToken: string | null = null;
let unauthorizedHandler: () => void = () => undefined;

/** Keeps the session's CSRF token (from {@link SessionInfo}) in memory; null forgets it at logout. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Sets the callback run when the server answers 401 (session missing or expired). */
export function setUnauthorizedHandler(handler: () => void): void {
  unauthorizedHandler = handler;
}

/** Builds `?a=1&b=x` from the defined, non-empty parameters (empty string when none). */
export function queryString(params: QueryParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

function failure(status: number, error: string, message: string): { ok: false; status: number; error: ApiError } {
  return { ok: false, status, error: { error, message } };
}

function isApiError(value: unknown): value is ApiError {
  return typeof value === 'object' && value !== null && typeof (value as ApiError).error === 'string'
    && typeof (value as ApiError).message === 'string';
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: FormData | object): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  let text: string;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
    text = await response.text();
  } catch (err) {
    return failure(0, 'network', err instanceof Error ? err.message : 'network failure');
  }
  const parsed = parseJson(text);
  if (response.status === 401 && path !== '/api/auth/login') unauthorizedHandler();
  if (!response.ok) {
    if (parsed.ok && isApiError(parsed.value)) return { ok: false, status: response.status, error: parsed.value };
    return failure(response.status, `http_${response.status}`, response.statusText || 'request failed');
  }
  if (!parsed.ok) return failure(response.status, 'bad_json', 'the server answered with malformed JSON');
  return { ok: true, data: parsed.value as T };
}

/** `POST /api/auth/login`: opens a session (cookie) and keeps its CSRF token. 401 on wrong credentials, 429 when rate-limited. */
export async function login(body: LoginRequest): Promise<ApiResult<SessionInfo>> {
  const result = await request<SessionInfo>('POST', '/api/auth/login', body);
  if (result.ok) setCsrfToken(result.data.csrfToken);
  return result;
}

/** `GET /api/auth/me`: the current session, restoring its CSRF token after a page reload. 401 without a session. */
export async function me(): Promise<ApiResult<SessionInfo>> {
  const result = await request<SessionInfo>('GET', '/api/auth/me');
  if (result.ok) setCsrfToken(result.data.csrfToken);
  return result;
}

/** `POST /api/auth/logout`: ends the session and forgets the CSRF token. */
export async function logout(): Promise<ApiResult<unknown>> {
  const result = await request<unknown>('POST', '/api/auth/logout', {});
  setCsrfToken(null);
  return result;
}

/** `GET /api/overview`: run info, counts, incidents by severity and one card per crane. */
export function getOverview(): Promise<ApiResult<Overview>> {
  return request('GET', '/api/overview');
}

/** `GET /api/incidents?severity&crane&limit&offset` ({@link IncidentListQuery}): incidents, newest first. */
export function getIncidents(query: IncidentListQuery): Promise<ApiResult<Page<IncidentRow>>> {
  return request('GET', `/api/incidents${queryString({ ...query })}`);
}

/** `GET /api/incidents/:id`: the incident, its findings and timeline. 404 when unknown. */
export function getIncident(id: string): Promise<ApiResult<IncidentDetail>> {
  return request('GET', `/api/incidents/${encodeURIComponent(id)}`);
}

/** Filters of `GET /api/findings`: all optional, all must hold. */
export interface FindingQuery extends PageParams {
  readonly incident_id?: string;
  readonly detector?: string;
  readonly severity?: FindingRow['severity'];
}

/** `GET /api/findings?incident_id&detector&severity&limit&offset`: findings, latest first (each with its `incident_id`). */
export function getFindings(query: FindingQuery): Promise<ApiResult<Page<FindingRow>>> {
  return request('GET', `/api/findings${queryString({ ...query })}`);
}

/** `GET /api/findings/:id/evidence?limit&offset`: one page of the finding's evidence records, in time order. */
export function getFindingEvidence(id: string, page: PageParams): Promise<ApiResult<FindingEvidence>> {
  return request('GET', `/api/findings/${encodeURIComponent(id)}/evidence${queryString({ ...page })}`);
}

/** Filters of `GET /api/moves`; `from`/`to` are epoch seconds. */
export interface MoveQuery extends PageParams {
  readonly container?: string;
  readonly vessel?: string;
  readonly crane?: string;
  readonly from?: number;
  readonly to?: number;
}

/** `GET /api/moves?container&vessel&crane&from&to&limit&offset`: container moves. */
export function getMoves(query: MoveQuery): Promise<ApiResult<Page<MoveRow>>> {
  return request('GET', `/api/moves${queryString({ ...query })}`);
}

/** `GET /api/containers/:number`: moves and network sightings of one ISO 6346 container number. 400 when malformed. */
export function getContainer(containerNumber: string): Promise<ApiResult<ContainerDetail>> {
  return request('GET', `/api/containers/${encodeURIComponent(containerNumber)}`);
}

/** Filters of `GET /api/assets`; `q` is free text over host, name, vendor and model. */
export interface AssetQuery extends PageParams {
  readonly status?: InventoryStatus | '';
  readonly zone?: string;
  readonly role?: string;
  readonly q?: string;
}

/** `GET /api/assets?zone&role&status&q&limit&offset`: the asset inventory. */
export function getAssets(query: AssetQuery): Promise<ApiResult<Page<AssetRow>>> {
  return request('GET', `/api/assets${queryString({ ...query })}`);
}

/** Filters of `GET /api/map`; `min_bytes` in bytes, `max_edges` 1–5000. */
export interface MapQuery {
  readonly zone?: string;
  readonly service?: string;
  readonly min_bytes?: number;
  readonly max_edges?: number;
}

/** `GET /api/map?zone&service&min_bytes&max_edges`: the communication map, heaviest edges first. */
export function getMap(query: MapQuery): Promise<ApiResult<CommMap>> {
  return request('GET', `/api/map${queryString({ ...query })}`);
}

/** Parameters of `GET /api/telemetry`; `from`/`to` epoch seconds, `points` 1–5000 buckets. */
export interface TelemetryQuery {
  readonly crane: string;
  readonly from?: number;
  readonly to?: number;
  readonly points?: number;
}

/** `GET /api/telemetry?crane&from&to&points`: a crane's downsampled signals with finding markers. */
export function getTelemetry(query: TelemetryQuery): Promise<ApiResult<Telemetry>> {
  return request('GET', `/api/telemetry${queryString({ ...query })}`);
}

/** `POST /api/captures` (analyst+): uploads a pcap/pcapng as multipart field `file`; 202 with the analysis job id. */
export function uploadCapture(file: File): Promise<ApiResult<UploadAccepted>> {
  const form = new FormData();
  form.append('file', file, file.name);
  return request('POST', '/api/captures', form);
}

/** `GET /api/jobs/:id`: state and progress (bytes) of an uploaded capture's analysis. */
export function getJob(id: string): Promise<ApiResult<JobStatus>> {
  return request('GET', `/api/jobs/${encodeURIComponent(id)}`);
}

/** `GET /api/audit?limit&offset` (admin): the audit log, newest first. */
export function getAudit(page: PageParams): Promise<ApiResult<Page<AuditRow>>> {
  return request('GET', `/api/audit${queryString({ ...page })}`);
}

/** `GET /api/users` (admin): every console user, by name. A {@link Page} answer is accepted too (its items). */
export async function getUsers(): Promise<ApiResult<readonly UserRow[]>> {
  const result = await request<readonly UserRow[] | Page<UserRow>>('GET', '/api/users');
  if (!result.ok) return result;
  return { ok: true, data: Array.isArray(result.data) ? result.data : (result.data as Page<UserRow>).items };
}

/** `POST /api/users` (admin): adds a user (201). 409 when the name exists, 400 for a short password (< 8) or bad name. */
export function addUser(user: UserCreateRequest): Promise<ApiResult<UserRow>> {
  return request('POST', '/api/users', user);
}

/** `PUT /api/users/:username` (admin): changes a user's role. 404 when unknown, 409 when it would leave no admin. */
export function setUserRole(username: string, body: UserRoleRequest): Promise<ApiResult<UserRow>> {
  return request('PUT', `/api/users/${encodeURIComponent(username)}`, body);
}

/** `DELETE /api/users/:username` (admin): removes a user. */
export function removeUser(username: string): Promise<ApiResult<unknown>> {
  return request('DELETE', `/api/users/${encodeURIComponent(username)}`);
}
