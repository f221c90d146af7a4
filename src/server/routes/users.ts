import type { FastifyInstance } from 'fastify';
import type { UserRow } from '../api-types.js';
import { hashPassword } from '../auth/password.js';
import type { ServerContext } from '../context.js';
import { ApiHttpError, parseInput } from '../errors.js';
import { openApiSchema, userCreateBody, userRoleBody, usernameParams } from '../schemas.js';

/**
 * User management (admin, CSRF on changes; every change audited): `GET /api/users`; `POST /api/users`
 * (201 UserRow, 409 when the name is taken); `PUT /api/users/:username` `{ role }`; `DELETE
 * /api/users/:username` (204). 404 for an unknown user; 409 when a change would leave no admin.
 */
export function registerUserRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const admin = { access: { role: 'admin' as const } };
  const find = (username: string): UserRow => {
    const u = ctx.auth.user(username);
    if (u === undefined) throw new ApiHttpError(404, 'not_found', `no user ${username}`);
    return u;
  };

  app.get('/api/users', { config: admin, schema: { tags: ['users'], summary: 'Users' } }, () => ctx.auth.listUsers());

  app.post('/api/users', { config: admin, schema: { tags: ['users'], summary: 'Add a user', body: openApiSchema(userCreateBody) } }, async (req, reply) => {
    const body = parseInput(userCreateBody, req.body, 'body');
    if (ctx.auth.credentials(body.username) !== undefined) throw new ApiHttpError(409, 'conflict', `user ${body.username} already exists`);
    ctx.auth.addUser(body.username, body.role, await hashPassword(body.password));
    ctx.auth.audit({ username: req.cwSession!.username, action: 'user.add', detail: `${body.username} as ${body.role}`, clientIp: req.ip, ok: true });
    return reply.code(201).send(find(body.username));
  });

  app.put('/api/users/:username', { config: admin, schema: { tags: ['users'], summary: "Change a user's role", params: openApiSchema(usernameParams), body: openApiSchema(userRoleBody) } }, async (req) => {
    const { username } = parseInput(usernameParams, req.params, 'params');
    const { role } = parseInput(userRoleBody, req.body, 'body');
    const before = find(username);
    if (before.role === 'admin' && role !== 'admin' && ctx.auth.adminCount() <= 1) throw new ApiHttpError(409, 'conflict', `${username} is the last admin`);
    ctx.auth.setRole(username, role);
    ctx.auth.audit({ username: req.cwSession!.username, action: 'user.role', detail: `${username}: ${before.role} -> ${role}`, clientIp: req.ip, ok: true });
    return find(username);
  });

  app.delete('/api/users/:username', { config: admin, schema: { tags: ['users'], summary: 'Remove a user', params: openApiSchema(usernameParams) } }, async (req, reply) => {
    const { username } = parseInput(usernameParams, req.params, 'params');
    const before = find(username);
    if (before.role === 'admin' && ctx.auth.adminCount() <= 1) throw new ApiHttpError(409, 'conflict', `${username} is the last admin`);
    ctx.auth.removeUser(username);
    ctx.auth.audit({ username: req.cwSession!.username, action: 'user.remove', detail: username, clientIp: req.ip, ok: true });
    return reply.code(204).send();
  });
}
