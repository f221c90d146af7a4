import type { FastifyInstance } from 'fastify';
import type { Health } from '../api-types.js';
import type { ServerContext } from '../context.js';

/** `GET /api/health` (public): liveness and whether an upload is being analyzed. `GET /api/openapi.json` (public): the OpenAPI 3 document. */
export function registerServiceRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/health', { config: { access: { public: true } }, schema: { tags: ['service'], summary: 'Health' } }, () => {
    const h: Health = { status: 'ok', busy: ctx.jobs.busy };
    return h;
  });
  app.get('/api/openapi.json', { config: { access: { public: true } }, schema: { hide: true } }, () => app.swagger());
}
