import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ConsoleApp } from '../../src/server/app.js';
import { appWithUsers, demoStore, login, type DemoStore } from './fixture.js';

/** Sends one raw HTTP/1.1 request line (and headers) over a socket; resolves with the status code and body. */
function raw(port: number, requestLine: string, headers: Record<string, string> = {}, body = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let data = '';
    s.on('data', (d: Buffer) => (data += d.toString('utf8')));
    s.on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      resolve({ status, body: data.slice(data.indexOf('\r\n\r\n') + 4) });
    });
    s.on('error', reject);
    const lines = [requestLine, 'Host: 127.0.0.1', 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), `Content-Length: ${Buffer.byteLength(body)}`, '', body];
    s.write(lines.join('\r\n'));
  });
}

describe('access is decided on the matched route, not on the raw URL', () => {
  let store: DemoStore;
  let built: ConsoleApp;
  let port: number;

  before(async () => {
    store = await demoStore();
    built = await appWithUsers(store.copy('access'));
    await built.app.listen({ host: '127.0.0.1', port: 0 });
    port = (built.app.server.address() as { port: number }).port;
  });
  after(async () => {
    await built.app.close();
    store.cleanup();
  });

  for (const path of ['/%61pi/users', '/ap%69/audit', '/%61pi/overview', '/api/%75sers', '/api/users/', '//api/users']) {
    it(`GET ${path} without a session is refused or not found, never answered with data`, async () => {
      const r = await built.app.inject({ method: 'GET', url: path });
      assert.ok(r.statusCode === 401 || r.statusCode === 404, `${r.statusCode} ${r.body.slice(0, 200)}`);
      assert.doesNotMatch(r.body, /admin1|"username"|"counts"/);
    });
  }

  it('an absolute-form request line reaching an API route needs a session too', async () => {
    const r = await raw(port, `GET http://127.0.0.1:${port}/api/users HTTP/1.1`);
    assert.ok(r.status === 401 || r.status === 400 || r.status === 404, `${r.status} ${r.body.slice(0, 200)}`);
    assert.doesNotMatch(r.body, /admin1/);
  });

  it('an encoded path cannot create a user without a session and CSRF token', async () => {
    const r = await raw(port, 'POST /%61pi/users HTTP/1.1', { 'Content-Type': 'application/json' }, JSON.stringify({ username: 'evil', password: 'evilpass123', role: 'admin' }));
    assert.equal(r.status, 401, r.body);
    const admin = await login(built.app, 'admin1');
    const users = await built.app.inject({ method: 'GET', url: '/api/users', headers: { cookie: admin.cookie } });
    assert.doesNotMatch(users.body, /evil/);
  });

  it('an encoded path with a session still needs the CSRF token and the role', async () => {
    const viewer = await login(built.app, 'viewer1');
    const noCsrf = await built.app.inject({ method: 'POST', url: '/%61pi/users', headers: { cookie: viewer.cookie, 'content-type': 'application/json' }, payload: { username: 'x1', password: 'longenough1', role: 'viewer' } });
    assert.equal(noCsrf.statusCode, 403);
    const wrongRole = await built.app.inject({ method: 'GET', url: '/%61pi/audit', headers: { cookie: viewer.cookie } });
    assert.equal(wrongRole.statusCode, 403);
  });
});
