import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { AuditRow, Page, UserRow } from '../../src/server/api-types.js';
import { appWithUsers, demoStore, login, type DemoStore, type TestSession } from './fixture.js';

describe('user management (admin)', () => {
  let store: DemoStore;
  let app: FastifyInstance;
  let admin: TestSession;

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, s: TestSession = admin) =>
    app.inject({ method, url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, ...(payload ? { payload } : {}) });

  before(async () => {
    store = await demoStore();
    ({ app } = await appWithUsers(store.db));
    admin = await login(app, 'admin1');
  });
  after(async () => {
    await app.close();
    store.cleanup();
  });

  it('adds a user (201) who can log in; a taken name is 409; a short password 400', async () => {
    const r = await call('POST', '/api/users', { username: 'carol', password: 'carols password', role: 'analyst' });
    assert.equal(r.statusCode, 201, r.body);
    const u = JSON.parse(r.body) as UserRow;
    assert.equal(u.username, 'carol');
    assert.equal(u.role, 'analyst');
    assert.equal(u.last_login_ts, null);
    const carol = await login(app, 'carol', 'carols password');
    assert.ok(carol.csrf.length > 0);
    assert.equal((await call('POST', '/api/users', { username: 'carol', password: 'another password', role: 'viewer' })).statusCode, 409);
    const short = await call('POST', '/api/users', { username: 'dave', password: 'short', role: 'viewer' });
    assert.equal(short.statusCode, 400);
    assert.match(JSON.parse(short.body).message, /^password:/);
    const list = JSON.parse((await call('GET', '/api/users')).body) as UserRow[];
    assert.deepEqual(list.map((x) => x.username), ['admin1', 'analyst1', 'carol', 'viewer1']);
    assert.ok(list.find((x) => x.username === 'carol')!.last_login_ts !== null);
    assert.ok(!JSON.stringify(list).includes('scrypt'), 'no password hashes in answers');
  });

  it('changes a role: the live session gets the new rights at once', async () => {
    const carol = await login(app, 'carol', 'carols password');
    assert.equal((await call('GET', '/api/users', undefined, carol)).statusCode, 403);
    const r = await call('PUT', '/api/users/carol', { role: 'admin' });
    assert.equal(r.statusCode, 200);
    assert.equal((JSON.parse(r.body) as UserRow).role, 'admin');
    assert.equal((await call('GET', '/api/users', undefined, carol)).statusCode, 200);
  });

  it('removes a user (204): their sessions end; the last admin cannot be removed or demoted', async () => {
    const carol = await login(app, 'carol', 'carols password');
    assert.equal((await call('DELETE', '/api/users/carol')).statusCode, 204);
    assert.equal((await call('GET', '/api/auth/me', undefined, carol)).statusCode, 401);
    assert.equal((await call('DELETE', '/api/users/carol')).statusCode, 404);
    const demote = await call('PUT', '/api/users/admin1', { role: 'viewer' });
    assert.equal(demote.statusCode, 409);
    assert.equal((await call('DELETE', '/api/users/admin1')).statusCode, 409);
  });

  it('every change is audited with the acting admin and client address', async () => {
    const page = JSON.parse((await call('GET', '/api/audit?limit=500')).body) as Page<AuditRow>;
    const by = (action: string) => page.items.filter((a) => a.action === action);
    assert.deepEqual(by('user.add').map((a) => [a.username, a.detail, a.client_ip, a.ok]), [['admin1', 'carol as analyst', '127.0.0.1', true]]);
    assert.deepEqual(by('user.role').map((a) => a.detail), ['carol: analyst -> admin']);
    assert.deepEqual(by('user.remove').map((a) => a.detail), ['carol']);
    const paged = JSON.parse((await call('GET', '/api/audit?limit=2&offset=1')).body) as Page<AuditRow>;
    assert.equal(paged.total, page.total);
    assert.deepEqual(paged.items, page.items.slice(1, 3));
  });
});
