import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { runAnalyze } from '../../src/cli/analyze.js';
import { writeSiteFile } from '../../src/policy/site-file.js';
import type { JobStatus, Role } from '../../src/server/api-types.js';
import { buildApp, type AppOptions, type ConsoleApp } from '../../src/server/app.js';
import { hashPassword } from '../../src/server/auth/password.js';
import { writeDemoCapture } from '../../src/sim/demo.js';
import { demoSiteFile } from '../../src/sim/demo-site-file.js';

/** A demo store built once per test file: the demo capture analyzed with the demo site (findings, incidents, moves, crane states). */
export interface DemoStore {
  readonly dir: string;
  readonly db: string;
  readonly site: string;
  readonly pcap: string;
  /** A fresh copy of the store file as analyze wrote it (no console users), for tests that change it. */
  copy(name: string): string;
  cleanup(): void;
}

/** Writes the demo capture and site file into a temp folder and analyzes them into `cranewatch.sqlite`. */
export async function demoStore(): Promise<DemoStore> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-server-test-'));
  const pcap = join(dir, 'demo.pcap');
  const site = join(dir, 'site.yaml');
  const db = join(dir, 'cranewatch.sqlite');
  writeDemoCapture(pcap);
  writeSiteFile(site, demoSiteFile());
  await runAnalyze([pcap], { db, site, quiet: true, progress: false });
  const pristine = join(dir, 'pristine.sqlite');
  copyFileSync(db, pristine);
  let n = 0;
  return {
    dir,
    db,
    site,
    pcap,
    copy(name: string) {
      const p = join(dir, `${name}-${n++}.sqlite`);
      copyFileSync(pristine, p);
      return p;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Password every test user gets. */
export const PASSWORD = 'correct horse battery';

/** Builds an app over `db` with users admin1 (admin), analyst1 (analyst) and viewer1 (viewer). */
export async function appWithUsers(db: string, opts: Partial<AppOptions> = {}): Promise<ConsoleApp> {
  const built = await buildApp({ db, staticDir: join(tmpdir(), 'cw-no-web'), ...opts });
  const hash = await hashPassword(PASSWORD);
  for (const [name, role] of [
    ['admin1', 'admin'],
    ['analyst1', 'analyst'],
    ['viewer1', 'viewer'],
  ] as [string, Role][]) {
    built.ctx.auth.addUser(name, role, hash);
  }
  return built;
}

/** A logged-in session: the Cookie header value and the CSRF token. */
export interface TestSession {
  readonly cookie: string;
  readonly csrf: string;
}

/** Logs in through `POST /api/auth/login`; throws unless it answers 200. */
export async function login(app: FastifyInstance, username: string, password = PASSWORD): Promise<TestSession> {
  const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (r.statusCode !== 200) throw new Error(`login ${username}: ${r.statusCode} ${r.body}`);
  const set = r.headers['set-cookie'];
  const cookie = String(Array.isArray(set) ? set[0] : set).split(';')[0];
  return { cookie, csrf: (JSON.parse(r.body) as { csrfToken: string }).csrfToken };
}

/** The multipart boundary of `multipart` bodies. */
export const BOUNDARY = '----cwtestboundary7MA4YWxkTrZu0gW';

/** A multipart/form-data body with one file field `file` (RFC 7578). */
export function multipart(fileName: string, content: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

/** `POST /api/captures` of `content` as the file `name`, as the session `s` (cookie and CSRF token). */
export function uploadCapture(app: FastifyInstance, s: TestSession, name: string, content: Buffer): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/api/captures',
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    payload: multipart(name, content),
  });
}

/** The status of job `id` once the queue of `built` is idle (`GET /api/jobs/:id`, which must answer 200). */
export async function finishedJob(built: ConsoleApp, s: TestSession, id: string): Promise<JobStatus> {
  await built.ctx.jobs.whenIdle();
  const r = await built.app.inject({ method: 'GET', url: `/api/jobs/${id}`, headers: { cookie: s.cookie } });
  if (r.statusCode !== 200) throw new Error(`GET /api/jobs/${id}: ${r.statusCode} ${r.body}`);
  return JSON.parse(r.body) as JobStatus;
}
