import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { runUserAdd } from '../../src/cli/user.js';
import type { ApiError, JobStatus, UploadAccepted } from '../../src/server/api-types.js';
import type { ConsoleApp } from '../../src/server/app.js';
import { AuthStore, SESSION_IDLE_SEC, SESSION_MAX_AGE_SEC } from '../../src/server/auth/auth-store.js';
import { MAX_JOBS_IN_FLIGHT, NO_PACKETS_ERROR } from '../../src/server/jobs/job-queue.js';
import { appWithUsers, demoStore, login, type DemoStore, type TestSession, BOUNDARY, finishedJob, multipart, uploadCapture } from './fixture.js';


/** A classic pcap file holding its global header only (no packet record). */
const EMPTY_PCAP = Buffer.from(
  [
    'd4c3b2a1', // magic 0xa1b2c3d4 written little-endian (microsecond timestamps)
    '0200', // version major 2
    '0400', // version minor 4
    '00000000', // thiszone 0
    '00000000', // sigfigs 0
    'ffff0000', // snaplen 65535
    '01000000', // linktype 1 (Ethernet)
  ].join(''),
  'hex',
);

/** A pcapng file holding one Section Header Block only (no interface, no packet). */
const EMPTY_PCAPNG = Buffer.from(
  [
    '0a0d0d0a', // block type: Section Header Block
    '1c000000', // block total length 28, little-endian
    '4d3c2b1a', // byte-order magic 0x1a2b3c4d, little-endian
    '0100', // major version 1
    '0000', // minor version 0
    'ffffffffffffffff', // section length -1 (unspecified)
    '1c000000', // block total length again
  ].join(''),
  'hex',
);

const uploadDirs = (workDir: string): string[] => readdirSync(workDir).filter((n) => n.startsWith('upload-'));

describe('server hardening', () => {
  let store: DemoStore;
  let built: ConsoleApp;
  let app: FastifyInstance;
  let analyst: TestSession;
  let served: string;

  const upload = (name: string, content: Buffer) => uploadCapture(app, analyst, name, content);
  const finished = (id: string): Promise<JobStatus> => finishedJob(built, analyst, id);
  const runCaptures = (): string => {
    const db = new Database(served, { readonly: true });
    try {
      return db.prepare("SELECT value FROM meta WHERE key = 'run.captures'").pluck().get() as string;
    } finally {
      db.close();
    }
  };

  before(async () => {
    store = await demoStore();
    served = store.copy('served');
    built = await appWithUsers(served, { site: store.site });
    app = built.app;
    analyst = await login(app, 'analyst1');
  });
  after(async () => {
    await app.close();
    store.cleanup();
  });

  for (const [kind, content] of [
    ['pcap', EMPTY_PCAP],
    ['pcapng', EMPTY_PCAPNG],
  ] as const) {
    it(`an upload of a ${kind} without packets fails and keeps the served results`, async () => {
      const before = runCaptures();
      const r = await upload(`empty.${kind}`, content);
      assert.equal(r.statusCode, 202, r.body);
      const st = await finished((JSON.parse(r.body) as UploadAccepted).job_id);
      assert.equal(st.state, 'failed');
      assert.equal(st.error, NO_PACKETS_ERROR);
      assert.equal(runCaptures(), before);
    });
  }

  it('a job error names the uploaded file, never the scratch folder', async () => {
    const r = await upload('junk.pcap', Buffer.alloc(300, 0x41));
    assert.equal(r.statusCode, 202, r.body);
    const st = await finished((JSON.parse(r.body) as UploadAccepted).job_id);
    assert.equal(st.state, 'failed');
    assert.ok(st.error !== null);
    assert.ok(!st.error.includes(built.ctx.workDir), st.error);
    assert.doesNotMatch(st.error, /cranewatch-upload-|upload-[0-9a-f]{24}/);
    assert.match(st.error, /junk\.pcap/);
  });

  it(`the upload queue holds at most ${MAX_JOBS_IN_FLIGHT} jobs; another upload gets 429 and leaves no file`, async () => {
    for (let i = 0; i < MAX_JOBS_IN_FLIGHT; i++) {
      const folder = join(built.ctx.workDir, `held-${i}`);
      mkdirSync(folder);
      const capture = join(folder, 'demo.pcap');
      copyFileSync(store.pcap, capture);
      assert.ok(built.ctx.jobs.submit(capture, 'demo.pcap', statSync(capture).size) !== undefined);
    }
    assert.equal(built.ctx.jobs.full, true);
    assert.equal(built.ctx.jobs.submit(join(built.ctx.workDir, 'held-0', 'demo.pcap'), 'demo.pcap', 1), undefined, 'submit refuses a fourth job');
    const r = await upload('one-more.pcap', readFileSync(store.pcap));
    assert.equal(r.statusCode, 429, r.body);
    const body = JSON.parse(r.body) as ApiError;
    assert.equal(body.error, 'queue_full');
    assert.match(body.message, /queued or running/);
    assert.deepEqual(uploadDirs(built.ctx.workDir), []);
    await built.ctx.jobs.whenIdle();
    assert.equal(built.ctx.jobs.full, false);
  });

  it('malformed multipart bodies answer 400, not 500', async () => {
    const noBoundary = await app.inject({
      method: 'POST',
      url: '/api/captures',
      headers: { cookie: analyst.cookie, 'x-csrf-token': analyst.csrf, 'content-type': 'multipart/form-data' },
      payload: multipart('a.pcap', EMPTY_PCAP),
    });
    assert.equal(noBoundary.statusCode, 400, noBoundary.body);
    assert.equal((JSON.parse(noBoundary.body) as ApiError).error, 'bad_request');
    const full = multipart('b.pcap', EMPTY_PCAP);
    const truncated = await app.inject({
      method: 'POST',
      url: '/api/captures',
      headers: { cookie: analyst.cookie, 'x-csrf-token': analyst.csrf, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      payload: full.subarray(0, full.length - 20),
    });
    assert.equal(truncated.statusCode, 400, truncated.body);
    assert.equal((JSON.parse(truncated.body) as ApiError).error, 'bad_request');
    await built.ctx.jobs.whenIdle();
    assert.deepEqual(uploadDirs(built.ctx.workDir), []);
  });

  it('a 500 is written to stderr (method, route, message, stack) and answered without details', async () => {
    const q = built.ctx.queries as { overview: () => Promise<unknown> };
    const original = q.overview;
    q.overview = () => Promise.reject(new Error('boom in /very/secret/place'));
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    let r;
    try {
      r = await app.inject({ method: 'GET', url: '/api/overview?x=1', headers: { cookie: analyst.cookie } });
    } finally {
      process.stderr.write = write;
      q.overview = original;
    }
    assert.equal(r.statusCode, 500);
    assert.deepEqual(JSON.parse(r.body), { error: 'internal', message: 'internal error; see the server log' });
    assert.doesNotMatch(r.body, /secret|at /);
    const text = written.join('');
    assert.match(text, /^cranewatch: server error: GET \/api\/overview: boom in \/very\/secret\/place\n/);
    assert.match(text, /\n {4}at /, 'the stack follows the line');
  });

  it('GET /% answers the ApiError shape with the security headers', async () => {
    const r = await app.inject({ method: 'GET', url: '/%' });
    assert.equal(r.statusCode, 400);
    const body = JSON.parse(r.body) as ApiError;
    assert.deepEqual(Object.keys(body).sort(), ['error', 'message']);
    assert.equal(body.error, 'bad_request');
    assert.match(String(r.headers['content-security-policy']), /default-src 'self'/);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['x-frame-options'], 'SAMEORIGIN');
    assert.equal(r.headers['cache-control'], 'no-store');
  });

  it('headers over the size limit answer 431 in the ApiError shape with the security headers', async (t) => {
    const port = await app.listen({ host: '127.0.0.1', port: 0 }).then(() => {
      const a = app.server.address();
      return typeof a === 'object' && a !== null ? a.port : 0;
    });
    if (port === 0) {
      t.skip('no TCP port to listen on');
      return;
    }
    const raw = await new Promise<string>((resolve, reject) => {
      const s = connect(port, '127.0.0.1');
      let got = '';
      s.on('data', (d) => (got += d.toString('latin1')));
      s.on('error', (e) => (got === '' ? reject(e) : resolve(got)));
      s.on('close', () => resolve(got));
      s.write(`GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    });
    const [head, body] = raw.split('\r\n\r\n');
    assert.match(head, /^HTTP\/1\.1 431 /);
    assert.match(head, /\r\ncontent-security-policy: default-src 'self'/i);
    assert.match(head, /\r\nx-content-type-options: nosniff/i);
    assert.match(head, /\r\ncache-control: no-store/i);
    assert.equal((JSON.parse(body) as ApiError).error, 'header_too_large');
  });

  it('every /api answer carries Cache-Control: no-store', async () => {
    const answers = [
      await app.inject({ method: 'GET', url: '/api/health' }),
      await app.inject({ method: 'GET', url: '/api/overview', headers: { cookie: analyst.cookie } }),
      await app.inject({ method: 'GET', url: '/api/overview' }),
      await app.inject({ method: 'GET', url: '/api/no-such-route' }),
      await app.inject({ method: 'GET', url: '/api/incidents?limit=oops', headers: { cookie: analyst.cookie } }),
      await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'wrong-password' } }),
    ];
    assert.deepEqual(
      answers.map((r) => r.statusCode),
      [200, 200, 401, 404, 400, 401],
    );
    for (const r of answers) assert.equal(r.headers['cache-control'], 'no-store', `${r.statusCode} ${r.body}`);
  });
});

describe('store file mode', { skip: process.platform === 'win32' ? 'file modes are POSIX only' : false }, () => {
  let store: DemoStore;
  before(async () => {
    store = await demoStore();
  });
  after(() => store.cleanup());

  it('serve sets the store file to 0600', async () => {
    const db = store.copy('serve-mode');
    chmodSync(db, 0o644);
    const a = await appWithUsers(db);
    await a.app.close();
    assert.equal(statSync(db).mode & 0o777, 0o600);
  });

  it('user add sets the store file to 0600', async () => {
    const db = store.copy('user-mode');
    chmodSync(db, 0o644);
    const out = process.stdout.write;
    // Only the command's own line is held back; the test reporter keeps writing.
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) =>
      String(chunk).startsWith('added ') ? true : (out as (c: string | Uint8Array, ...r: unknown[]) => boolean).call(process.stdout, chunk, ...rest)) as typeof process.stdout.write;
    try {
      await runUserAdd('owner1', { role: 'admin', db }, Readable.from(['a long enough password\n']));
    } finally {
      process.stdout.write = out;
    }
    assert.equal(statSync(db).mode & 0o777, 0o600);
  });
});

describe('session absolute lifetime', () => {
  it('a session in steady use ends 7 days after its login', () => {
    const db = new Database(':memory:');
    let now = 2_000_000;
    const auth = new AuthStore(db, () => now);
    auth.addUser('u1', 'viewer', '$scrypt$x');
    const { token } = auth.createSession('u1');
    const step = SESSION_IDLE_SEC / 2;
    while (now + step <= 2_000_000 + SESSION_MAX_AGE_SEC) {
      now += step;
      assert.ok(auth.session(token), `alive at +${now - 2_000_000} s`);
    }
    now = 2_000_000 + SESSION_MAX_AGE_SEC + 1;
    assert.equal(auth.session(token), undefined);
    assert.equal(db.prepare('SELECT COUNT(*) FROM console_sessions').pluck().get(), 0);
    db.close();
  });
});
