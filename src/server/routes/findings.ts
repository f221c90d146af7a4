import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { ApiHttpError, parseInput } from '../errors.js';
import { findingsQuery, idParams, openApiSchema, pageQuery } from '../schemas.js';

/** `GET /api/findings?incident_id&detector&severity&limit&offset` (viewer) and `GET /api/findings/:id/evidence?limit&offset` (viewer; 404 when unknown). */
export function registerFindingRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/findings', { config: { access: { role: 'viewer' } }, schema: { tags: ['incidents'], summary: 'Findings', querystring: openApiSchema(findingsQuery) } }, (req) =>
    ctx.queries.findings(parseInput(findingsQuery, req.query, 'query')),
  );
  app.get(
    '/api/findings/:id/evidence',
    { config: { access: { role: 'viewer' } }, schema: { tags: ['incidents'], summary: "A finding's evidence records", params: openApiSchema(idParams), querystring: openApiSchema(pageQuery) } },
    async (req) => {
      const { id } = parseInput(idParams, req.params, 'params');
      const page = parseInput(pageQuery, req.query, 'query');
      const ev = await ctx.queries.findingEvidence(id, page);
      if (ev === undefined) throw new ApiHttpError(404, 'not_found', `no finding ${id}`);
      return ev;
    },
  );
}
