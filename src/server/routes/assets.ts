import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { parseInput } from '../errors.js';
import { assetsQuery, mapQuery, openApiSchema } from '../schemas.js';

/** `GET /api/assets?zone&role&status&q&limit&offset` (viewer) and `GET /api/map?zone&service&min_bytes&max_edges` (viewer). */
export function registerAssetRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/assets', { config: { access: { role: 'viewer' } }, schema: { tags: ['assets'], summary: 'Asset inventory', querystring: openApiSchema(assetsQuery) } }, (req) =>
    ctx.queries.assets(parseInput(assetsQuery, req.query, 'query')),
  );
  app.get('/api/map', { config: { access: { role: 'viewer' } }, schema: { tags: ['assets'], summary: 'Communication map', querystring: openApiSchema(mapQuery) } }, (req) =>
    ctx.queries.commMap(parseInput(mapQuery, req.query, 'query')),
  );
}
