import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { ApiHttpError, parseInput } from '../errors.js';
import { openApiSchema, telemetryQuery } from '../schemas.js';

/** `GET /api/telemetry?crane&from&to&points` (viewer): a crane's signals, bucketed; 404 for an unknown crane. */
export function registerTelemetryRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/telemetry', { config: { access: { role: 'viewer' } }, schema: { tags: ['terminal'], summary: 'Crane telemetry', querystring: openApiSchema(telemetryQuery) } }, async (req) => {
    const query = parseInput(telemetryQuery, req.query, 'query');
    const t = await ctx.queries.telemetry(query);
    if (t === undefined) throw new ApiHttpError(404, 'not_found', `no crane ${query.crane}`);
    return t;
  });
}
