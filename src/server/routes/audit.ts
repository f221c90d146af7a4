import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { parseInput } from '../errors.js';
import { auditQuery, openApiSchema } from '../schemas.js';

/** `GET /api/audit?limit&offset` (admin): audit rows, newest first. */
export function registerAuditRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/audit', { config: { access: { role: 'admin' } }, schema: { tags: ['users'], summary: 'Audit log', querystring: openApiSchema(auditQuery) } }, (req) => {
    const { limit, offset } = parseInput(auditQuery, req.query, 'query');
    return ctx.auth.auditPage(limit, offset);
  });
}
