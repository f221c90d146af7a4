import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import type { AuditRow, Page, SessionInfo } from '../../src/server/api-types.js';
import { AuthStore, SESSION_IDLE_SEC } from '../../src/server/auth/auth-store.js';
import { hashPassword, verifyPassword } from '../../src/server/auth/password.js';
import { appWithUsers, demoStore, login, PASSWORD, type DemoStore } from './fixture.js';

describe('passwords', () => {
  it('hashes with scrypt N=2^15 and a random 16-byte salt as a PHC-like string', async () => {
    const a = await hashPassword('pw-1234567');
    const b = await hashPassword('pw-1234567');
    const m = /^\$scrypt\$ln=15,r=8,p=1\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(a);
    assert.ok(m, a);
    assert.equal(Buffer.from(m[1], 'base64').length, 16);
    assert.equal(Buffer.from(m[2], 'base64').length, 32);
    assert.notEqual(a, b);
    assert.equal(await verifyPassword('pw-1234567', a), true);
    assert.equal(await verifyPassword('pw-1234568', a), false);
    assert.equal(await verifyPassword('pw-1234567', 'garbage'), false);
    assert.equal(await verifyPassword('pw-1234567', a.replace('ln=15', 'ln=14')), false);
  });
});

describe('sessions', () => {
  it('stores only the SHA-256 of the token and ends a session after 12 h idle', () => {
    const db = new Database(':memory:');
    let now = 1_000_000;
    const auth = new AuthStore(db, () => now);
    auth.addUser('u1', 'viewer', '$scrypt$x');
    const { token, session } = auth.createSession('u1');
    assert.equal(Buffer.from(token, 'base64url').length, 32);
    const stored = db.prepare('SELECT token_sha256 FROM console_sessions').pluck().all() as string[];
    assert.equal(stored.length, 1);
    assert.notEqual(stored[0], token);
    assert.match(stored[0], /^[0-9a-f]{64}$/);
    assert.deepEqual(auth.session(token), session);
    now += SESSION_IDLE_SEC - 10;
    assert.ok(auth.session(token), 'used within 12 h: alive, idle timer restarted');
    now += SESSION_IDLE_SEC - 10;
    assert.ok(auth.session(token));
    now += SESSION_IDLE_SEC + 1;
    assert.equal(auth.session(token), undefined);
    assert.equal(auth.session('not-a-token'), undefined);
    db.close();
  });
});

describe('login, logout, cookies, headers, rate limit, audit', () => {
  let store: DemoStore;
  let app: FastifyInstance;

  before(async () => {
    store = await demoStore();
    ({ app } = await appWithUsers(store.db));
  });
  after(async () => {
    await app.close();
    store.cleanup();
  });

  it('login sets an HttpOnly, SameSite=Strict, Path=/ cookie (not Secure without TLS) and answers SessionInfo', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'analyst1', password: PASSWORD } });
    assert.equal(r.statusCode, 200);
    const cookie = String(r.headers['set-cookie']);
    assert.match(cookie, /^cw_session=[A-Za-z0-9_-]{43};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Path=\//);
    assert.doesNotMatch(cookie, /Secure/);
    const info = JSON.parse(r.body) as SessionInfo;
    assert.deepEqual(info.user, { username: 'analyst1', role: 'analyst' });
    assert.ok(info.csrfToken.length >= 32);
    const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: cookie.split(';')[0] } });
    assert.deepEqual(JSON.parse(me.body), info);
  });

  it('wrong password and unknown user: 401 with one message, no cookie', async () => {
    for (const payload of [
      { username: 'analyst1', password: 'wrong password' },
      { username: 'nobody', password: 'wrong password' },
    ]) {
      const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload });
      assert.equal(r.statusCode, 401);
      assert.deepEqual(JSON.parse(r.body), { error: 'unauthorized', message: 'wrong user name or password' });
      assert.equal(r.headers['set-cookie'], undefined);
    }
    const bad = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'analyst1' } });
    assert.equal(bad.statusCode, 400);
    assert.match(JSON.parse(bad.body).message, /^password:/);
  });

  it('logout ends the session: the cookie no longer works', async () => {
    const s = await login(app, 'viewer1');
    const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    assert.equal(out.statusCode, 204);
    assert.match(String(out.headers['set-cookie']), /cw_session=;/);
    const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
    assert.equal(me.statusCode, 401);
  });

  it('security headers: strict CSP without inline scripts, nosniff, no framing, no HSTS over plain HTTP', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/health' });
    const csp = String(r.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/);
    assert.match(csp, /object-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /upgrade-insecure-requests/);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['x-frame-options'], 'SAMEORIGIN');
    assert.equal(r.headers['strict-transport-security'], undefined);
    assert.equal(r.headers['x-powered-by'], undefined);
  });

  it('audit log: logins ok and failed and logouts, with user, client address and time', async () => {
    const s = await login(app, 'admin1');
    const r = await app.inject({ method: 'GET', url: '/api/audit?limit=500', headers: { cookie: s.cookie } });
    assert.equal(r.statusCode, 200);
    const page = JSON.parse(r.body) as Page<AuditRow>;
    const find = (action: string, username: string, ok: boolean) => page.items.find((a) => a.action === action && a.username === username && a.ok === ok);
    assert.ok(find('login', 'analyst1', true));
    assert.ok(find('login', 'analyst1', false));
    assert.equal(find('login', 'nobody', false)?.detail, 'unknown user');
    assert.ok(find('logout', 'viewer1', true));
    const row = find('login', 'admin1', true)!;
    assert.equal(row.client_ip, '127.0.0.1');
    assert.ok(Math.abs(row.ts - Date.now() / 1000) < 60);
    assert.equal(page.total, page.items.length);
    for (let i = 1; i < page.items.length; i++) assert.ok(page.items[i - 1].ts >= page.items[i].ts);
  });

  it('rate limit: the 11th login in a minute from one address answers 429', async () => {
    const fresh = await appWithUsers(store.copy('rate'));
    try {
      const codes: number[] = [];
      for (let i = 0; i < 11; i++) {
        const r = await fresh.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'viewer1', password: i % 2 === 0 ? 'bad password' : PASSWORD } });
        codes.push(r.statusCode);
        if (i === 10) {
          assert.equal(JSON.parse(r.body).error, 'rate_limited');
          assert.ok(r.headers['retry-after'] !== undefined);
        }
      }
      assert.deepEqual(codes, [401, 200, 401, 200, 401, 200, 401, 200, 401, 200, 429]);
      const other = await fresh.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.0.0.7', payload: { username: 'viewer1', password: PASSWORD } });
      assert.equal(other.statusCode, 200, 'another address is not limited');
      const health = await fresh.app.inject({ method: 'GET', url: '/api/health' });
      assert.equal(health.statusCode, 200, 'the login limit does not limit other routes');
    } finally {
      await fresh.app.close();
    }
  });

  it('global rate limit applies to every route', async () => {
    const fresh = await appWithUsers(store.copy('global'), { ratePerMinute: 5 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) codes.push((await fresh.app.inject({ method: 'GET', url: '/api/health' })).statusCode);
      assert.deepEqual(codes, [200, 200, 200, 200, 200, 429]);
    } finally {
      await fresh.app.close();
    }
  });
});
