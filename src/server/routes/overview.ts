import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';

/** `GET /api/overview` (viewer): the terminal at a glance (api-types.ts Overview). `GET /api/streams` (viewer): stored streams, record counts, fields. */
export function registerOverviewRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/overview', { config: { access: { role: 'viewer' } }, schema: { tags: ['terminal'], summary: 'Terminal overview' } }, () => ctx.queries.overview());
  app.get('/api/streams', { config: { access: { role: 'viewer' } }, schema: { tags: ['logs'], summary: 'Stored streams' } }, () => ctx.queries.streams());
}
