import type { FastifyInstance } from 'fastify';
import type { SessionInfo } from '../api-types.js';
import { SESSION_COOKIE } from '../auth/auth-hook.js';
import { dummyHash, verifyPassword } from '../auth/password.js';
import type { ServerContext } from '../context.js';
import { ApiHttpError, parseInput } from '../errors.js';
import { loginBody, openApiSchema } from '../schemas.js';

/** Failed and successful logins per client address and minute (@fastify/rate-limit). */
const LOGIN_RATE_PER_MINUTE = 10;

/**
 * `POST /api/auth/login` (public, 10 per minute per client address): checks the password (scrypt,
 * constant time; an unknown user costs the same), starts a session, sets the `cw_session` cookie
 * (HttpOnly, SameSite=Strict, Path=/, Secure under TLS) and answers SessionInfo; 401 otherwise.
 * `POST /api/auth/logout` (any role, CSRF) ends the session (204). `GET /api/auth/me` answers SessionInfo.
 * Logins, failed logins and logouts are audited.
 */
export function registerAuthRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post(
    '/api/auth/login',
    {
      config: { access: { public: true }, rateLimit: { max: LOGIN_RATE_PER_MINUTE, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], summary: 'Log in', body: openApiSchema(loginBody) },
    },
    async (req, reply) => {
      const body = parseInput(loginBody, req.body, 'body');
      const cred = ctx.auth.credentials(body.username);
      const ok = await verifyPassword(body.password, cred?.passwordHash ?? (await dummyHash()));
      if (cred === undefined || !ok) {
        ctx.auth.audit({ username: body.username, action: 'login', detail: cred === undefined ? 'unknown user' : 'wrong password', clientIp: req.ip, ok: false });
        throw new ApiHttpError(401, 'unauthorized', 'wrong user name or password');
      }
      const { token, session } = ctx.auth.createSession(body.username);
      ctx.auth.audit({ username: body.username, action: 'login', detail: '', clientIp: req.ip, ok: true });
      reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', secure: ctx.tls });
      const info: SessionInfo = { user: { username: session.username, role: session.role }, csrfToken: session.csrfToken };
      return info;
    },
  );

  app.post('/api/auth/logout', { config: { access: { role: 'viewer' } }, schema: { tags: ['auth'], summary: 'Log out' } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token !== undefined) ctx.auth.endSession(token);
    ctx.auth.audit({ username: req.cwSession?.username ?? null, action: 'logout', detail: '', clientIp: req.ip, ok: true });
    reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/', secure: ctx.tls });
    return reply.code(204).send();
  });

  app.get('/api/auth/me', { config: { access: { role: 'viewer' } }, schema: { tags: ['auth'], summary: 'The current session' } }, async (req) => {
    const s = req.cwSession!;
    const info: SessionInfo = { user: { username: s.username, role: s.role }, csrfToken: s.csrfToken };
    return info;
  });
}
