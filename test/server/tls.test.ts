import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { appWithUsers, demoStore, PASSWORD } from './fixture.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function post(port: number, path: string, body: object, ca: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', ca, servername: 'localhost', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

describe('TLS', () => {
  it('serves HTTPS on a real port: Secure session cookie, HSTS, upgrade-insecure-requests', async (t) => {
    if (spawnSync('openssl', ['version']).status !== 0) {
      t.skip('openssl is not installed');
      return;
    }
    const store = await demoStore();
    const cert = join(store.dir, 'cert.pem');
    const key = join(store.dir, 'key.pem');
    const gen = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost']);
    assert.equal(gen.status, 0, String(gen.stderr));
    const { app } = await appWithUsers(store.db, { tls: { cert: readFileSync(cert), key: readFileSync(key) } });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const port = (app.server.address() as AddressInfo).port;
      const r = await post(port, '/api/auth/login', { username: 'viewer1', password: PASSWORD }, readFileSync(cert));
      assert.equal(r.status, 200, r.body);
      const cookie = String(r.headers['set-cookie']);
      assert.match(cookie, /cw_session=/);
      assert.match(cookie, /; Secure/);
      assert.match(cookie, /HttpOnly/);
      assert.match(String(r.headers['strict-transport-security']), /max-age=31536000/);
      assert.match(String(r.headers['content-security-policy']), /upgrade-insecure-requests/);
    } finally {
      await app.close();
      store.cleanup();
    }
  });
});
