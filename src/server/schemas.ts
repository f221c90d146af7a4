import { z } from 'zod';
import { SEVERITIES } from '../detect/finding.js';
import { CONTAINER_NUMBER_PATTERN, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, ROLES, USERNAME_PATTERN, USERNAME_RULE } from './console-rules.js';

/** Zod schemas of the API's inputs (query strings, route parameters, bodies); api-types.ts for the shapes. */

const severity = z.enum(SEVERITIES);
const role = z.enum(ROLES);
const text = (max: number): z.ZodString => z.string().min(1).max(max);
const time = z.coerce.number().finite();
/** A container number (CONTAINER_NUMBER_PATTERN), upper-cased. */
const containerNumber = z.string().regex(CONTAINER_NUMBER_PATTERN, 'expected a container number: 4 letters and 7 digits').transform((s) => s.toUpperCase());

/** `limit` 1–500 (default 50) and `offset` ≥ 0 (default 0). */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});

/** `GET /api/incidents`. */
export const incidentsQuery = pageQuery.extend({ severity: severity.optional(), crane: text(64).optional() });

/** `GET /api/findings`. */
export const findingsQuery = pageQuery.extend({ incident_id: text(64).optional(), detector: text(64).optional(), severity: severity.optional() });

/** `GET /api/moves`. */
export const movesQuery = pageQuery.extend({
  container: containerNumber.optional(),
  vessel: text(128).optional(),
  crane: text(64).optional(),
  from: time.optional(),
  to: time.optional(),
});

/** `GET /api/assets`. */
export const assetsQuery = pageQuery.extend({
  zone: text(64).optional(),
  role: text(64).optional(),
  status: z.enum(['inventoried', 'uninventoried', 'unseen', 'unknown']).optional(),
  q: text(200).optional(),
});

/** `GET /api/map`. */
export const mapQuery = z.object({
  zone: text(64).optional(),
  service: text(64).optional(),
  min_bytes: z.coerce.number().int().min(0).default(0),
  max_edges: z.coerce.number().int().min(1).max(5000).default(500),
});

/** `GET /api/telemetry`. */
export const telemetryQuery = z.object({
  crane: text(64),
  from: time.optional(),
  to: time.optional(),
  points: z.coerce.number().int().min(1).max(5000).default(500),
});

/** `GET /api/audit`. */
export const auditQuery = pageQuery;

/** `:id` route parameters. */
export const idParams = z.object({ id: text(128) });

/** `:number` of `GET /api/containers/:number`: 4 letters + 7 digits (ISO 6346 layout), upper-cased. */
export const containerParams = z.object({
  number: containerNumber,
});

/** `:username` route parameters. */
export const usernameParams = z.object({ username: text(64) });

/** `POST /api/auth/login` body (api-types.ts LoginRequest). */
export const loginBody = z.object({ username: text(64), password: text(1024) });

/** `POST /api/users` body (api-types.ts UserCreateRequest). */
export const userCreateBody = z.object({ username: z.string().regex(USERNAME_PATTERN, `expected ${USERNAME_RULE}`), password: z.string().min(MIN_PASSWORD_LENGTH).max(MAX_PASSWORD_LENGTH), role });

/** `PUT /api/users/:username` body (api-types.ts UserRoleRequest). */
export const userRoleBody = z.object({ role });

/** The OpenAPI (3.0) JSON schema of an input schema, for @fastify/swagger route schemas. */
export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}
