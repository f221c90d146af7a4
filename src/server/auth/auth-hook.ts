import type { FastifyInstance } from 'fastify';
import { ApiHttpError } from '../errors.js';
import type { ServerContext } from '../context.js';
import { roleAtLeast } from '../console-rules.js';
import { sameToken } from './auth-store.js';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'cw_session';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Access control of every request, decided on the route the router matched (never on the raw URL,
 * which may be percent-encoded — `/%61pi/users` — or in absolute form and still reach an API route):
 * every matched route needs a live session from the `cw_session` cookie (401 `unauthorized`), on
 * POST / PUT / DELETE an `x-csrf-token` header equal to the session's CSRF token, compared in
 * constant time (403 `csrf`), and a role at least the route's `access.role` — admin when the route
 * names none (403 `forbidden`). Passing without a session: routes whose config says `access.public`
 * (login, health, the OpenAPI document), the dashboard's static files (no data behind them), and
 * requests no route matched (they answer 404, or the dashboard's index.html).
 */
export function installAuthHook(app: FastifyInstance, ctx: ServerContext): void {
  app.decorateRequest('cwSession', null);
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.access;
    if (access?.public === true) return;
    if (req.is404 || !(req.routeOptions.url ?? '').startsWith('/api/')) return;
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
    const need = access?.role ?? 'admin';
    if (!roleAtLeast(session.role, need)) throw new ApiHttpError(403, 'forbidden', `this needs the ${need} role; you are ${session.role}`);
  });
}
