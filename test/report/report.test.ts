import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { reportFormat, runReport } from '../../src/cli/report.js';
import { CwError } from '../../src/errors.js';
import { renderHtmlReport, utcText } from '../../src/report/html-report.js';
import { chromiumPath, writePdf } from '../../src/report/pdf-report.js';
import { collectReport, MAX_REPORT_INCIDENTS } from '../../src/report/report-data.js';
import type { IncidentRow } from '../../src/server/api-types.js';
import type { ConsoleQueries } from '../../src/server/queries/console-queries.js';
import { SqliteConsoleQueries } from '../../src/server/queries/sqlite-queries.js';
import { demoStore, type DemoStore } from '../server/fixture.js';

let store: DemoStore;
before(async () => {
  store = await demoStore();
});
after(() => store.cleanup());

/** The report data and HTML of a store file. */
async function report(db: string): Promise<{ html: string; data: Awaited<ReturnType<typeof collectReport>> }> {
  const q = new SqliteConsoleQueries(db);
  try {
    const data = await collectReport(q, 1_764_000_000);
    return { html: renderHtmlReport(data), data };
  } finally {
    q.close();
  }
}

test('the report of the demo tells its two incidents, most severe first, with actions, techniques and evidence', async () => {
  const { html, data } = await report(store.db);
  assert.equal(data.incidents.total, 2);
  assert.equal(data.incidents.rows.length, 2);
  const titles = data.incidents.rows.map((r) => r.incident.title);
  assert.ok(titles.some((t) => /Unauthorized Modbus write to STS-01/.test(t)), titles.join(' | '));
  assert.ok(titles.some((t) => /Cellular device/.test(t)), titles.join(' | '));
  for (const r of data.incidents.rows) {
    assert.ok(r.findings.length > 0 && r.findings.length === r.findingsTotal);
    assert.ok(html.includes(r.incident.incident_id));
  }
  assert.match(html, /Recommended action:/);
  assert.match(html, /T0855/);
  assert.match(html, /ATT&amp;CK for ICS v\d+/);
  assert.match(html, /2 incidents \(2 critical\) need attention/);
  // Evidence: the flows of the write finding are named by uid.
  const write = data.incidents.rows.flatMap((r) => r.findings).find((f) => f.detector === 'unauthorized_write');
  assert.ok(write && write.evidence_uids.length > 0);
  assert.ok(html.includes(write.evidence_uids[0]));
});

test('the report shows each crane with its state and a telemetry chart with finding markers', async () => {
  const { html, data } = await report(store.db);
  assert.deepEqual(
    data.overview.cranes.map((c) => c.crane),
    ['STS-01', 'STS-02'],
  );
  assert.equal(data.telemetry.length, 2);
  assert.equal((html.match(/<svg /g) ?? []).length, 2);
  const sts01 = data.telemetry.find((t) => t.crane === 'STS-01');
  assert.ok(sts01 && sts01.markers.length > 0, 'STS-01 has finding markers');
  assert.match(html, /class="state (working|idle|stopped|unknown)"/);
  // The uninventoried laptop and the modem are listed; the outside peer the modem talked to too.
  assert.match(html, /10\.10\.9\.66/);
  assert.match(html, /203\.0\.113\.50/);
});

test('the report is self-contained: no script, no external resource, a CSP forbidding loads', async () => {
  const { html } = await report(store.db);
  assert.ok(!/<script/i.test(html));
  assert.ok(!/\b(src|href)\s*=\s*"(https?:)?\/\//i.test(html));
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
});

test('text from the data is escaped: a finding title carrying markup is shown, not run', async () => {
  const db = store.copy('escape');
  const conn = new Database(db);
  conn.prepare('UPDATE findings SET title = ?, msg = ?').run('<script>alert(1)</script> & <img src=x onerror=alert(2)>', '"quoted" <b>bold</b>');
  conn.prepare('UPDATE incidents SET title = ?').run('<iframe src="https://evil.example/"></iframe>');
  conn.close();
  const { html } = await report(db);
  assert.ok(!/<script/i.test(html));
  assert.ok(!/<img src=x/i.test(html));
  assert.ok(!/<iframe/i.test(html));
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &lt;img src=x onerror=alert\(2\)&gt;/);
  assert.match(html, /&lt;iframe src=&quot;https:\/\/evil.example\/&quot;&gt;/);
});

test('a store without detection results reports what was seen and says detection was off', async () => {
  const db = store.copy('nodetect');
  const conn = new Database(db);
  for (const t of ['findings', 'incidents', 'crane_state', 'container_move']) conn.exec(`DROP TABLE IF EXISTS "${t}"`);
  conn.prepare("DELETE FROM meta WHERE key LIKE 'site%' OR key = 'run.detection'").run();
  conn.close();
  const { html, data } = await report(db);
  assert.equal(data.incidents.total, 0);
  assert.equal(data.telemetry.length, 0);
  assert.match(html, /Detection was off/);
});

test('utcText formats epoch seconds in UTC and a missing time as a dash', () => {
  assert.equal(utcText(1_741_939_200.4), '2025-03-14 08:00:00 UTC');
  assert.equal(utcText(null), '—');
});

test('reportFormat takes .html, .htm and .pdf and refuses anything else', () => {
  assert.equal(reportFormat('a/report.HTML'), 'html');
  assert.equal(reportFormat('r.htm'), 'html');
  assert.equal(reportFormat('r.pdf'), 'pdf');
  assert.throws(() => reportFormat('r.docx'), (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_USAGE' && /\.html or \.pdf/.test(e.message));
});

test('cranewatch report writes the HTML file whole, and refuses a file that is not a store', async () => {
  const out = join(store.dir, 'report.html');
  assert.equal(await runReport({ db: store.db, out }), 0);
  const html = readFileSync(out, 'utf8');
  assert.match(html, /^<!DOCTYPE html>/);
  assert.ok(!existsSync(`${out}.partial`));
  await assert.rejects(runReport({ db: store.pcap, out }), (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_READ');
  await assert.rejects(runReport({ db: join(store.dir, 'absent.sqlite'), out }), (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_NOT_FOUND');
});

test('a PDF report is printed by Chromium', async (t) => {
  if (!existsSync(chromiumPath())) {
    assert.notEqual(process.env.CRANEWATCH_REQUIRE_CHROMIUM, '1', `Chromium is required here but absent at ${chromiumPath()}`);
    t.skip(`Chromium not installed at ${chromiumPath()}`);
    return;
  }
  const out = join(store.dir, 'report.pdf');
  assert.equal(await runReport({ db: store.db, out }), 0);
  const pdf = readFileSync(out);
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.ok(pdf.length > 20_000, `${pdf.length} bytes`);
  rmSync(out);
});

test('without Chromium a PDF report fails with a configuration error that says what to install', async () => {
  const saved = process.env.CRANEWATCH_CHROMIUM;
  process.env.CRANEWATCH_CHROMIUM = join(store.dir, 'no-such-chromium');
  try {
    await assert.rejects(writePdf('<p>x</p>', join(store.dir, 'x.pdf')), (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_CONFIG' && /apt-get install chromium/.test(e.message));
  } finally {
    if (saved === undefined) delete process.env.CRANEWATCH_CHROMIUM;
    else process.env.CRANEWATCH_CHROMIUM = saved;
  }
});

test('the report keeps the most severe incidents when there are more than it lists, however old they are', async () => {
  // A store with 1,100 recent low incidents and one old critical one, through the read model's interface.
  const incident = (i: number, severity: IncidentRow['severity'], ts: number): IncidentRow => ({
    incident_id: `I${String(i).padStart(4, '0')}`, ts, last_ts: ts, severity, title: `incident ${i}`, msg: '', findings: 0, detectors: [],
    techniques: [], attack_version: '', hosts: [], zones: [], cranes: [], action: '',
  });
  const all = [incident(0, 'critical', 1_000), ...Array.from({ length: 1100 }, (_, i) => incident(i + 1, 'low', 2_000 + i))].sort((a, b) => b.ts - a.ts);
  const empty = { total: 0, limit: 0, offset: 0, items: [] };
  const q = {
    overview: async () => ({ cranes: [] }),
    incidents: async (f: { severity?: string; limit: number; offset: number }) => {
      const rows = all.filter((r) => f.severity === undefined || r.severity === f.severity);
      return { total: rows.length, limit: f.limit, offset: f.offset, items: rows.slice(f.offset, f.offset + f.limit) };
    },
    findings: async () => empty,
    assets: async () => empty,
    commMap: async () => ({ nodes: [], edges: [], truncated: false }),
    telemetry: async () => undefined,
  } as unknown as ConsoleQueries;
  const data = await collectReport(q, 3_000);
  assert.equal(data.incidents.total, 1101);
  assert.equal(data.incidents.rows.length, MAX_REPORT_INCIDENTS);
  assert.equal(data.incidents.rows[0].incident.severity, 'critical');
  assert.equal(data.incidents.rows[1].incident.ts, 3_099, 'then the latest low ones');
});

test('the report says when the communication map it read was cut to its heaviest edges', async () => {
  const empty = { total: 0, limit: 0, offset: 0, items: [] };
  const stub = (truncated: boolean): ConsoleQueries =>
    ({
      overview: async () => ({ cranes: [], counts: { hosts: 0, flows: 0, moves: 0, findings: 0, incidents: 0 }, incidents_by_severity: { low: 0, medium: 0, high: 0, critical: 0 }, run: { captures: [], site: null, detection: false, first_ts: null, last_ts: null, analyzed_ts: null } }),
      incidents: async () => empty,
      findings: async () => empty,
      assets: async () => empty,
      commMap: async () => ({ zones: [], nodes: [], edges: [], truncated }),
      telemetry: async () => undefined,
    }) as unknown as ConsoleQueries;
  const cutNote = /heaviest communication-map edges/;
  const cut = await collectReport(stub(true), 3_000);
  assert.equal(cut.mapTruncated, true);
  assert.match(renderHtmlReport(cut), cutNote);
  assert.doesNotMatch(renderHtmlReport(await collectReport(stub(false), 3_000)), cutNote);
});
