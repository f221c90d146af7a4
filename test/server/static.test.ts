import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { appWithUsers, demoStore, login } from './fixture.js';

describe('dashboard files', () => {
  it('serves the built dashboard without login, index.html for client routes, JSON 404 under /api', async () => {
    const store = await demoStore();
    const web = join(store.dir, 'web');
    mkdirSync(join(web, 'assets'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>CraneWatch</title><script type="module" src="/assets/app.js"></script>');
    writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1);');
    const { app } = await appWithUsers(store.db, { staticDir: web });
    try {
      const root = await app.inject({ method: 'GET', url: '/' });
      assert.equal(root.statusCode, 200);
      assert.match(root.body, /<title>CraneWatch<\/title>/);
      assert.match(String(root.headers['content-security-policy']), /script-src 'self'/);
      const js = await app.inject({ method: 'GET', url: '/assets/app.js' });
      assert.equal(js.statusCode, 200);
      assert.match(String(js.headers['content-type']), /javascript/);
      const client = await app.inject({ method: 'GET', url: '/incidents/I123' });
      assert.equal(client.statusCode, 200);
      assert.match(client.body, /<title>CraneWatch<\/title>/);
      const s = await login(app, 'viewer1');
      const api = await app.inject({ method: 'GET', url: '/api/not-a-route', headers: { cookie: s.cookie } });
      assert.equal(api.statusCode, 404);
      assert.equal(JSON.parse(api.body).error, 'not_found');
      const post = await app.inject({ method: 'POST', url: '/somewhere' });
      assert.equal(post.statusCode, 404, post.body);
    } finally {
      await app.close();
      store.cleanup();
    }
  });
});
