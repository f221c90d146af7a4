import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { runAnalyze } from '../../src/cli/analyze.js';
import type { AuditRow, JobStatus, Overview, Page, StreamInfo, UploadAccepted } from '../../src/server/api-types.js';
import type { ConsoleApp } from '../../src/server/app.js';
import { writeDemoCapture } from '../../src/sim/demo.js';
import { appWithUsers, demoStore, login, type DemoStore, type TestSession, BOUNDARY, finishedJob, uploadCapture } from './fixture.js';


/** Rows of the `modbus` stream (grows with the capture's length). */
function modbusRows(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT COUNT(*) FROM modbus').pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('capture upload', () => {
  let store: DemoStore;
  let built: ConsoleApp;
  let app: FastifyInstance;
  let analyst: TestSession;
  let served: string;
  let small: string;
  let smallModbus: number;

  const upload = (s: TestSession, name: string, content: Buffer, a: FastifyInstance = app) => uploadCapture(a, s, name, content);
  const job = (id: string): Promise<JobStatus> => finishedJob(built, analyst, id);
  const overview = async (): Promise<Overview> => JSON.parse((await app.inject({ method: 'GET', url: '/api/overview', headers: { cookie: analyst.cookie } })).body) as Overview;

  before(async () => {
    store = await demoStore();
    served = store.copy('served');
    small = join(store.dir, 'small.pcap');
    writeDemoCapture(small, { seed: 7, durationSec: 20 });
    // The expected flow count: the same capture analyzed by the command-line pipeline.
    const ref = join(store.dir, 'ref.sqlite');
    await runAnalyze([small], { db: ref, site: store.site, quiet: true, progress: false });
    smallModbus = modbusRows(ref);
    built = await appWithUsers(served, { site: store.site });
    app = built.app;
    analyst = await login(app, 'analyst1');
  });
  after(async () => {
    await app.close();
    store.cleanup();
  });

  it('a small pcap: 202, the job ends done, and the served DB holds its records', async () => {
    assert.notEqual(smallModbus, modbusRows(served), 'the test capture differs from the demo');
    const r = await upload(analyst, 'small.pcap', readFileSync(small));
    assert.equal(r.statusCode, 202, r.body);
    const { job_id } = JSON.parse(r.body) as UploadAccepted;
    const st = await job(job_id);
    assert.equal(st.state, 'done', st.error ?? '');
    assert.equal(st.file, 'small.pcap');
    assert.equal(st.bytes_total, readFileSync(small).length);
    assert.equal(st.bytes_read, st.bytes_total);
    assert.ok(st.packets > 0);
    assert.equal(st.error, null);
    assert.ok(st.started_ts !== null && st.finished_ts !== null && st.finished_ts >= st.started_ts);
    assert.equal(modbusRows(served), smallModbus);
    const o = await overview();
    assert.deepEqual(o.run.captures, ['small.pcap']);
    const streams = JSON.parse((await app.inject({ method: 'GET', url: '/api/streams', headers: { cookie: analyst.cookie } })).body) as StreamInfo[];
    assert.equal(streams.find((x) => x.stream === 'modbus')?.records, smallModbus, 'cached aggregates were refreshed');
    // Users, sessions and the console's indexes survive the replacement.
    assert.equal((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: analyst.cookie } })).statusCode, 200);
    const db = new Database(served, { readonly: true });
    const idx = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'console_findings_incident'").pluck().get();
    db.close();
    assert.equal(idx, 'console_findings_incident');
  });

  it('garbage: the job fails with a one-line reason and the previous results stay', async () => {
    const before = modbusRows(served);
    const r = await upload(analyst, 'garbage.pcap', randomBytes(4096));
    assert.equal(r.statusCode, 202);
    const st = await job((JSON.parse(r.body) as UploadAccepted).job_id);
    assert.equal(st.state, 'failed');
    assert.ok(st.error !== null && /not a pcap|pcapng|capture/i.test(st.error), st.error ?? '');
    assert.doesNotMatch(st.error!, /\n/);
    assert.equal(modbusRows(served), before);
    assert.deepEqual((await overview()).run.captures, ['small.pcap']);
  });

  it('uploads are audited', async () => {
    const admin = await login(app, 'admin1');
    const page = JSON.parse((await app.inject({ method: 'GET', url: '/api/audit?limit=500', headers: { cookie: admin.cookie } })).body) as Page<AuditRow>;
    const ups = page.items.filter((a) => a.action === 'upload' && a.username === 'analyst1');
    assert.equal(ups.length, 2);
    assert.ok(ups.some((a) => a.detail.startsWith('small.pcap (')));
  });

  it('a file over the size cap answers 413; a non-multipart body 415; no file 400', async () => {
    const capped = await appWithUsers(store.copy('capped'), { uploadLimitBytes: 1000 });
    try {
      const s = await login(capped.app, 'analyst1');
      const r = await upload(s, 'big.pcap', readFileSync(small), capped.app);
      assert.equal(r.statusCode, 413, r.body);
      assert.equal(JSON.parse(r.body).error, 'too_large');
      const plain = await capped.app.inject({ method: 'POST', url: '/api/captures', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: { file: 'x' } });
      assert.equal(plain.statusCode, 415);
      const empty = await capped.app.inject({
        method: 'POST',
        url: '/api/captures',
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        payload: Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--${BOUNDARY}--\r\n`),
      });
      assert.equal(empty.statusCode, 400);
      assert.match(JSON.parse(empty.body).message, /^file:/);
    } finally {
      await capped.app.close();
    }
  });

  it("analyze --db into a served store keeps the console's tables (clear() touches stream tables only)", async () => {
    const db = store.copy('reanalyze');
    const a = await appWithUsers(db);
    await a.app.close();
    await runAnalyze([small], { db, site: store.site, quiet: true, progress: false });
    const d = new Database(db, { readonly: true });
    const users = d.prepare('SELECT username FROM console_users ORDER BY username').pluck().all();
    d.close();
    assert.deepEqual(users, ['admin1', 'analyst1', 'viewer1']);
  });
});
