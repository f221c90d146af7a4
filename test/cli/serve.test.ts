import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { runAnalyze } from '../../src/cli/analyze.js';
import { exitCodeFor } from '../../src/cli/exit-codes.js';
import { runServe } from '../../src/cli/serve.js';
import { runUserAdd, runUserRemove } from '../../src/cli/user.js';
import type { CwError } from '../../src/errors.js';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { writeDemoCapture } from '../../src/sim/demo.js';

const MAIN = join(REPO_ROOT, 'src', 'cli', 'main.ts');
const NODE_ARGS = ['--import', import.meta.resolve('tsx'), MAIN];

/** Runs the CLI from source (tsx), as `cranewatch <args>`, with `input` on standard input. */
function cli(args: string[], input = ''): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...NODE_ARGS, ...args], { encoding: 'utf8', cwd: REPO_ROOT, input });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function health(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(`${url}/api/health`, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('cranewatch serve and cranewatch user', () => {
  let dir: string;
  let db: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cw-serve-cli-'));
    const pcap = join(dir, 'demo.pcap');
    writeDemoCapture(pcap, { durationSec: 10 });
    db = join(dir, 'cw.sqlite');
    await runAnalyze([pcap], { db, quiet: true, progress: false });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a --db that does not exist (exit 3) or is not a CraneWatch store (exit 3), in one line', async () => {
    const missing = cli(['serve', '--db', join(dir, 'nope.sqlite'), '--port', '0']);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /^cranewatch: .*nope\.sqlite does not exist[^\n]*\n$/);
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello, not a database\n');
    await assert.rejects(runServe({ db: text, port: '0' }), (e: CwError) => exitCodeFor(e.code) === 3 && /not a CraneWatch database/.test(e.message));
    const other = join(dir, 'other.sqlite');
    const o = new Database(other);
    o.exec('CREATE TABLE foo (x)');
    o.close();
    await assert.rejects(runServe({ db: other, port: '0' }), (e: CwError) => exitCodeFor(e.code) === 3 && /not a CraneWatch database \(no store meta table\)/.test(e.message));
    await assert.rejects(runServe({ db, port: '70000' }), (e: CwError) => exitCodeFor(e.code) === 2 && /--port/.test(e.message));
    await assert.rejects(runServe({ db, tlsCert: text }), (e: CwError) => exitCodeFor(e.code) === 2 && /--tls-key/.test(e.message));
    // A site file in error is refused at the start (exit 2, naming the file), not at the first upload.
    const badSite = join(dir, 'bad-site.yaml');
    writeFileSync(badSite, 'version: 1\nzones: 7\n');
    await assert.rejects(runServe({ db, site: badSite, port: '0' }), (e: CwError) => exitCodeFor(e.code) === 2 && /bad-site\.yaml/.test(e.message));
  });

  it('serve prints its address, warns when there are no users, answers, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [...NODE_ARGS, 'serve', '--db', db, '--port', '0'], { cwd: REPO_ROOT });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString('utf8');
        const m = /CraneWatch console: (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (m) resolve(m[1]);
      });
      child.on('exit', () => reject(new Error(`serve exited: ${stderr}`)));
    });
    try {
      assert.match(stderr, /no console users; create one with cranewatch user add/);
      const h = await health(url);
      assert.equal(h.status, 200);
      assert.equal(JSON.parse(h.body).status, 'ok');
    } finally {
      const code = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      child.kill('SIGTERM');
      assert.equal(await code, 0);
    }
  });

  it('user add reads the password from standard input; list and remove; no password on the command line', async () => {
    const add = cli(['user', 'add', 'ops', '--role', 'admin', '--db', db, '--password-stdin'], 'a good long password\n');
    assert.equal(add.code, 0, add.stderr);
    assert.equal(add.stdout, 'added admin ops\n');
    assert.equal(cli(['user', 'add', 'v', '--role', 'viewer', '--db', db, '--password', 'secret-on-argv']).code, 2, 'argv passwords are not an option');
    const stdin = (text: string) => Readable.from([Buffer.from(text)]);
    const code = async (p: Promise<number>): Promise<number> => p.catch((e: CwError) => exitCodeFor(e.code));
    assert.equal(await code(runUserAdd('ops', { role: 'admin', db }, stdin('a good long password\n'))), 2, 'duplicate');
    assert.equal(await code(runUserAdd('v', { role: 'root', db }, stdin('a good long password\n'))), 2, 'bad role');
    await assert.rejects(runUserAdd('v', { role: 'viewer', db }, stdin('short\n')), /at least 8 characters/);
    await assert.rejects(runUserAdd('v', { role: 'viewer', db }, stdin('')), /expected one line on standard input/);
    await assert.rejects(runUserAdd('bad name!', { role: 'viewer', db }, stdin('a good long password\n')), /user name/);
    const list = cli(['user', 'list', '--db', db, '--json']);
    assert.equal(list.code, 0);
    const users = JSON.parse(list.stdout) as { username: string; role: string }[];
    assert.deepEqual(users.map((u) => [u.username, u.role]), [['ops', 'admin']]);
    const d = new Database(db, { readonly: true });
    const hash = d.prepare("SELECT password_hash FROM console_users WHERE username = 'ops'").pluck().get() as string;
    d.close();
    assert.match(hash, /^\$scrypt\$ln=15,r=8,p=1\$/);
    assert.doesNotMatch(hash, /good long password/);
    assert.equal(runUserRemove('ops', { db }), 0);
    assert.throws(() => runUserRemove('ops', { db }), (e: CwError) => exitCodeFor(e.code) === 2);
    assert.deepEqual(JSON.parse(cli(['user', 'list', '--db', db, '--json']).stdout), []);
  });
});
