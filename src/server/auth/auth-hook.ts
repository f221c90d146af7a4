import type { FastifyInstance } from 'fastify';
import { ApiHttpError } from '../errors.js';
import type { ServerContext } from '../context.js';
import { roleAtLeast, sameToken } from './auth-store.js';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'cw_session';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Access control of every `/api/*` request, before its body is read: routes whose config says
 * `access.public` pass; all others need a live session from the `cw_session` cookie (401
 * `unauthorized`), on POST / PUT / DELETE an `x-csrf-token` header equal to the session's CSRF token,
 * compared in constant time (403 `csrf`), and a role at least the route's `access.role` — admin when
 * the route names none (403 `forbidden`). Unknown `/api` routes need a session (then 404).
 */
export function installAuthHook(app: FastifyInstance, ctx: ServerContext): void {
  app.decorateRequest('cwSession', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const access = req.routeOptions.config.access;
    if (access?.public === true) return;
    const token = req.cookies[SESSION_COOKIE];
    const session = token === undefined || token === '' ? undefined : ctx.auth.session(token);
    if (session === undefined) throw new ApiHttpError(401, 'unauthorized', 'log in first (POST /api/auth/login)');
    req.cwSession = session;
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameToken(sent, session.csrfToken)) {
        throw new ApiHttpError(403, 'csrf', 'missing or wrong x-csrf-token header (take it from GET /api/auth/me)');
      }
    }
    // An unknown /api path (no route, or only the dashboard's file route) answers 404 to any logged-in user.
    if (req.is404 || !(req.routeOptions.url ?? '').startsWith('/api/')) return;
    const need = access?.role ?? 'admin';
    if (!roleAtLeast(session.role, need)) throw new ApiHttpError(403, 'forbidden', `this needs the ${need} role; you are ${session.role}`);
  });
}
