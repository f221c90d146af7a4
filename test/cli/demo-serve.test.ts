import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/shared-data.js';

const NODE_ARGS = ['--import', import.meta.resolve('tsx'), join(REPO_ROOT, 'src', 'cli', 'main.ts')];

describe('cranewatch demo --serve (what npm start runs)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-demo-serve-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('analyzes the demo, prints a one-off password and the address, serves the results, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [...NODE_ARGS, 'demo', '--dir', join(dir, 'demo'), '--serve', '--port', '0'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number>((done) => child.on('exit', (code) => done(code ?? -1)));
    const base = await new Promise<string>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no address within 60 s:\n${out}`)), 60_000);
      child.stdout.on('data', () => {
        const m = /CraneWatch console: (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          ok(m[1]);
        }
      });
    });
    assert.match(out, /Unauthorized Modbus write to STS-01/, 'the summary with its incidents comes first');
    const pw = /user demo, password (\S+)/.exec(out);
    assert.ok(pw, out);
    assert.ok(pw[1].length >= 16);
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo', password: pw[1] }) });
    assert.equal(login.status, 200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const overview = (await (await fetch(`${base}/api/overview`, { headers: { cookie } })).json()) as { counts: { incidents: number } };
    assert.equal(overview.counts.incidents, 2);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  it('names the taken port instead of failing with a stack trace', async () => {
    const blocker = createServer();
    await new Promise<void>((ok) => blocker.listen(0, '127.0.0.1', ok));
    const port = (blocker.address() as { port: number }).port;
    try {
      const child = spawn(process.execPath, [...NODE_ARGS, 'demo', '--dir', join(dir, 'demo2'), '--serve', '--port', String(port)], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number>((done) => child.on('exit', (c) => done(c ?? -1)));
      assert.equal(code, 2);
      assert.match(err, new RegExp(`--port ${port}: 127\\.0\\.0\\.1:${port} is already in use`));
      assert.doesNotMatch(err, /internal error|\n\s+at /);
    } finally {
      blocker.close();
    }
  });
});
