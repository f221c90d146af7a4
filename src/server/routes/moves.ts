import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { parseInput } from '../errors.js';
import { containerParams, movesQuery, openApiSchema } from '../schemas.js';

/** `GET /api/moves?container&vessel&crane&from&to&limit&offset` (viewer, latest first) and `GET /api/containers/:number` (viewer; 400 for a malformed number). */
export function registerMoveRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/moves', { config: { access: { role: 'viewer' } }, schema: { tags: ['moves'], summary: 'Container moves', querystring: openApiSchema(movesQuery) } }, (req) =>
    ctx.queries.moves(parseInput(movesQuery, req.query, 'query')),
  );
  app.get('/api/containers/:number', { config: { access: { role: 'viewer' } }, schema: { tags: ['moves'], summary: 'One container', params: openApiSchema(containerParams) } }, (req) =>
    ctx.queries.container(parseInput(containerParams, req.params, 'params').number),
  );
}
