/**
 * `npm run bench:console`: latency of the console's HTTP API under load — 100 concurrent clients
 * (autocannon) on each main read route, against a store of a simulated week (gen-week.ts), served
 * by `cranewatch serve` in its own process. Writes bench/CONSOLE.md with p50 / p99 latency,
 * requests per second and non-2xx answers per route.
 *
 * Env: BENCH_DAYS (default 7), BENCH_CRANES (default 4), BENCH_FLOWS (conn rows in the store,
 * default 2,000,000), BENCH_FINDINGS (findings in the store, default 5,000), BENCH_SCENARIO_HOURS
 * (hours between scenarios, default 3: the twin plays at most 64 per run),
 * BENCH_CONNECTIONS (default 100), BENCH_SECONDS (per route, default 10).
 */
import { spawn, spawnSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { writeWeekStore } from './gen-week.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const work = join(here, 'work', 'console');
const days = Number(process.env.BENCH_DAYS ?? 7);
const cranes = Number(process.env.BENCH_CRANES ?? 4);
const flows = Number(process.env.BENCH_FLOWS ?? 2_000_000);
const findings = Number(process.env.BENCH_FINDINGS ?? 5000);
const everyHours = Number(process.env.BENCH_SCENARIO_HOURS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 100);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const PASSWORD = 'bench password 1';

const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) throw new Error(`npm run build failed (exit ${build.status}): nothing to benchmark`);
const week = writeWeekStore(root, work, days, cranes, flows, findings, everyHours);
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
spawnSync(process.execPath, [cli, 'user', 'remove', 'bench', '--db', week.db], { encoding: 'utf8' });
const add = spawnSync(process.execPath, [cli, 'user', 'add', 'bench', '--role', 'viewer', '--db', week.db], { input: `${PASSWORD}\n`, encoding: 'utf8' });
if (add.status !== 0) throw new Error(`user add failed: ${add.stderr}`);

// Sample ids the detail routes ask for.
const conn = new Database(week.db, { readonly: true });
const incidentId = conn.prepare('SELECT incident_id FROM incidents ORDER BY findings DESC LIMIT 1').pluck().get() as string;
const findingId = conn.prepare('SELECT finding_id FROM findings ORDER BY count DESC LIMIT 1').pluck().get() as string;
const container = conn.prepare('SELECT container FROM container_move WHERE container IS NOT NULL LIMIT 1 OFFSET 1000').pluck().get() as string;
const span = conn.prepare("SELECT MIN(ts) AS a, MAX(ts) AS b FROM crane_state WHERE crane = 'STS-01'").get() as { a: number; b: number };
conn.close();

const server = spawn(process.execPath, ['--max-semi-space-size=32', cli, 'serve', '--db', week.db, '--port', '0', '--rate-per-minute', '100000000'], { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise<string>((ok, fail) => {
  let out = '';
  server.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /https?:\/\/[^\s]+/.exec(out);
    if (m) ok(m[0]);
  });
  server.on('exit', (code) => fail(new Error(`serve exited with ${code}`)));
});
const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password: PASSWORD }) });
if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];

const routes = [
  '/api/overview',
  '/api/incidents?limit=50',
  `/api/incidents/${incidentId}`,
  '/api/findings?limit=50&offset=500',
  `/api/findings/${findingId}/evidence?limit=50`,
  '/api/map',
  '/api/assets?limit=50',
  '/api/moves?limit=50&offset=10000',
  `/api/containers/${container}`,
  '/api/telemetry?crane=STS-01&points=500',
];
/** A route whose every request asks for a different one-hour window (no answer cache helps): label and path maker. */
let seed = 1;
const nextWindow = (): string => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  const from = Math.floor(span.a + (seed / 2 ** 31) * (span.b - span.a - 3600));
  return `/api/telemetry?crane=STS-01&points=500&from=${from}&to=${from + 3600}`;
};
const varied = { label: '/api/telemetry?crane=STS-01&points=500&from&to (a different 1 h window each request)', path: nextWindow };

interface Row {
  route: string;
  p50: number;
  p99: number;
  rps: number;
  non2xx: number;
  errors: number;
}
const rows: Row[] = [];
for (const route of [...routes, varied]) {
  const label = typeof route === 'string' ? route : route.label;
  const r = await autocannon({
    url: `${base}${typeof route === 'string' ? route : route.path()}`,
    connections,
    duration: seconds,
    headers: { cookie },
    requests: typeof route === 'string' ? undefined : [{ setupRequest: (req) => ({ ...req, path: route.path() }) }],
  });
  rows.push({ route: label, p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, non2xx: r.non2xx, errors: r.errors + r.timeouts });
  process.stderr.write(`${label}: p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.requests.average} req/s, non-2xx ${r.non2xx}\n`);
}
server.kill('SIGTERM');

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const mb = (statSync(week.db).size / 1e6).toFixed(0);
const lines = [
  '# Console API benchmark',
  '',
  'Produced by `npm run bench:console` (bench/console.bench.ts); the last run replaces this file.',
  '',
  `- Date: ${new Date().toISOString().slice(0, 10)}; machine: ${machine}.`,
  `- Store: ${mb} MB — a simulated ${week.days}-day week of ${week.cranes} cranes with ${week.scenarios} attack and fault scenarios (bench/gen-week.ts), analyzed with its site file: ${week.moves.toLocaleString('en-US')} container moves; ${week.twinFlows.toLocaleString('en-US')} flows and ${week.twinFindings.toLocaleString('en-US')} findings from the twin, replicated into earlier weeks (new ids) to reach ${week.flows.toLocaleString('en-US')} flows, ${week.findings.toLocaleString('en-US')} findings and ${week.incidents.toLocaleString('en-US')} incidents.`,
  `- Load: autocannon, ${connections} concurrent connections for ${seconds} s per route, logged in as a viewer; the server (\`cranewatch serve\`) in its own process, the rate limit raised for the run.`,
  '',
  '| route | p50 ms | p99 ms | requests/s | non-2xx | errors |',
  '|---|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| \`${r.route.replace(incidentId, ':incident').replace(findingId, ':finding').replace(container, ':container')}\` | ${r.p50} | ${r.p99} | ${Math.round(r.rps)} | ${r.non2xx} | ${r.errors} |`),
  '',
];
writeFileSync(join(here, 'CONSOLE.md'), lines.join('\n'));
process.stderr.write(`wrote ${join(here, 'CONSOLE.md')}\n`);
// Answers other than 2xx, failed or timed-out requests are failures of the console under this load.
const failed = rows.filter((r) => r.non2xx + r.errors > 0);
if (failed.length > 0) {
  process.stderr.write(`failed requests on ${failed.map((r) => r.route).join(', ')}\n`);
  process.exitCode = 1;
}
