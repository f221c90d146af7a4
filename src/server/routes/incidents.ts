import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { ApiHttpError, parseInput } from '../errors.js';
import { idParams, incidentsQuery, openApiSchema } from '../schemas.js';

/** `GET /api/incidents?severity&crane&limit&offset` (viewer, latest first) and `GET /api/incidents/:id` (viewer; 404 when unknown). */
export function registerIncidentRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/incidents', { config: { access: { role: 'viewer' } }, schema: { tags: ['incidents'], summary: 'Incidents', querystring: openApiSchema(incidentsQuery) } }, (req) =>
    ctx.queries.incidents(parseInput(incidentsQuery, req.query, 'query')),
  );
  app.get('/api/incidents/:id', { config: { access: { role: 'viewer' } }, schema: { tags: ['incidents'], summary: 'One incident', params: openApiSchema(idParams) } }, async (req) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const detail = await ctx.queries.incident(id);
    if (detail === undefined) throw new ApiHttpError(404, 'not_found', `no incident ${id}`);
    return detail;
  });
}
