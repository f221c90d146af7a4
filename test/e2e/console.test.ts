/**
 * End-to-end: the built dashboard (dist/web) served by the console server over a real port, driven
 * in Debian's Chromium by playwright-core. A short twin run (two cranes, an unauthorized write and
 * container records leaking over HTTP) is analyzed into the store first. Screenshots of every step
 * are kept in test-artifacts/e2e/. Skips with a note where Chromium or the built dashboard is
 * absent, unless CRANEWATCH_REQUIRE_CHROMIUM=1 (CI), where that is a failure.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { chromium, type Browser, type Page } from 'playwright-core';
import { LinkType } from '../../src/capture/packet.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { runAnalyze } from '../../src/cli/analyze.js';
import { writeSiteFile } from '../../src/policy/site-file.js';
import { chromiumPath } from '../../src/report/pdf-report.js';
import type { ConsoleApp } from '../../src/server/app.js';
import { writeDemoCapture } from '../../src/sim/demo.js';
import { buildTerminalSite } from '../../src/sim/terminal/terminal-site.js';
import { generateTerminal } from '../../src/sim/terminal/terminal.js';
import { appWithUsers, PASSWORD } from '../server/fixture.js';

const root = resolve(import.meta.dirname, '..', '..');
const webDir = join(root, 'dist', 'web');
const artifacts = join(root, 'test-artifacts', 'e2e');
const required = process.env.CRANEWATCH_REQUIRE_CHROMIUM === '1';
const missing = !existsSync(chromiumPath())
  ? `Chromium not installed at ${chromiumPath()}`
  : !existsSync(join(webDir, 'index.html'))
    ? 'dashboard not built (npm run build:web)'
    : null;

/** Chromium's flags for a headless run on a machine without a network or GPU. */
const ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];

describe('console in a browser', { skip: missing !== null && !required ? missing : false }, () => {
  let dir: string;
  let built: ConsoleApp;
  let base: string;
  let browser: Browser;
  let page: Page;
  let container: string;
  let vessel: string;
  let demoPcap: string;

  before(async () => {
    assert.equal(missing, null, missing ?? '');
    dir = mkdtempSync(join(tmpdir(), 'cw-e2e-'));
    mkdirSync(artifacts, { recursive: true });
    const pcap = join(dir, 'twin.pcap');
    const w = PcapWriter.toFile(pcap, { linkType: LinkType.ETHERNET });
    const r = generateTerminal(w, {
      seed: 3,
      durationSec: 1800,
      site: buildTerminalSite(2),
      scenarios: [
        { name: 'unauthorized-write', params: { start: 300, duration: 300, action: 'setpoint-change' } },
        { name: 'container-exfil', params: { start: 600, duration: 900, channel: 'http' } },
      ],
    });
    w.close();
    const site = join(dir, 'site.yaml');
    writeSiteFile(site, r.site);
    const db = join(dir, 'cranewatch.sqlite');
    await runAnalyze([pcap], { site, db, quiet: true, progress: false });
    const conn = new Database(db, { readonly: true });
    container = conn.prepare("SELECT container FROM container_move WHERE container IS NOT NULL AND container <> '' ORDER BY ts LIMIT 1").pluck().get() as string;
    vessel = conn.prepare('SELECT vessel FROM container_move WHERE container = ?').pluck().get(container) as string;
    conn.close();
    assert.match(container, /^[A-Z]{4}\d{7}$/);
    assert.ok(vessel, 'the move names its vessel');
    demoPcap = join(dir, 'demo.pcap');
    writeDemoCapture(demoPcap);
    built = await appWithUsers(db, { site, staticDir: webDir });
    base = await built.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
  });

  after(async () => {
    await browser?.close();
    await built?.app.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Saves a screenshot of the page as test-artifacts/e2e/<name>.png. */
  async function shot(name: string): Promise<void> {
    await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  }

  it('refuses a wrong password, then logs in and shows the overview with both cranes', async () => {
    await page.goto(base);
    await page.getByTestId('login-username').fill('analyst1');
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('error').waitFor();
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-role').waitFor();
    assert.match(await page.getByTestId('user-role').innerText(), /analyst/);
    await page.getByTestId('crane-card').first().waitFor();
    assert.equal(await page.getByTestId('crane-card').count(), 2);
    assert.ok(Number((await page.getByTestId('count-incidents').innerText()).replace(/\D/g, '')) >= 1);
    await shot('01-overview');
  });

  it('opens an incident and follows a finding to its evidence records', async () => {
    await page.getByTestId('nav-incidents').click();
    await page.getByTestId('incident-row').first().waitFor();
    await shot('02-incidents');
    await page.getByTestId('incident-row').first().click();
    await page.getByTestId('incident-detail').waitFor();
    await page.getByTestId('timeline-entry').first().waitFor();
    assert.ok((await page.getByTestId('technique').count()) > 0, 'ATT&CK technique ids shown');
    const withEvidence = page.getByTestId('finding-evidence').first();
    await withEvidence.click();
    await page.getByTestId('evidence-row').first().waitFor();
    const rows = await page.getByTestId('evidence-row').count();
    assert.ok(rows > 0);
    // The evidence records carry the flow uid of the finding.
    const text = await page.getByTestId('evidence-table').first().innerText();
    assert.match(text, /C[0-9A-Za-z]{10,}/);
    await shot('03-incident-evidence');
  });

  it('lists the moves of a vessel, then searches a container number and shows its moves', async () => {
    await page.getByTestId('nav-moves').click();
    await page.getByTestId('moves-vessel').fill(vessel);
    await page.getByTestId('moves-apply').click();
    // The filter lands in the address, then the filtered rows replace the unfiltered ones.
    await page.waitForURL(/vessel=/);
    await page.getByTestId('move-row').filter({ hasText: vessel }).first().waitFor();
    let rows: string[] = [];
    for (let i = 0; i < 100; i++) {
      rows = await page.getByTestId('move-row').allInnerTexts();
      if (rows.length >= 1 && rows.every((r) => r.includes(vessel))) break;
      await page.waitForTimeout(100);
    }
    assert.ok(rows.length >= 1 && rows.every((r) => r.includes(vessel)), rows.join(' | '));
    await page.getByTestId('nav-moves').click();
    // The unfiltered page replaces the filtered one (a re-render may clear a search typed meanwhile).
    await page.waitForURL((u) => !u.href.includes('vessel='));
    await page.getByTestId('container-search').fill(container);
    assert.equal(await page.getByTestId('container-search').inputValue(), container);
    await page.getByTestId('container-search-submit').click();
    await page.getByTestId('container-detail').waitFor();
    assert.equal(await page.getByTestId('container-detail').getAttribute('data-container'), container);
    await page.getByTestId('move-row').first().waitFor();
    assert.ok((await page.getByTestId('move-row').count()) >= 1);
    await shot('04-container');
  });

  it('draws the communication map and the telemetry charts', async () => {
    await page.getByTestId('nav-map').click();
    await page.getByTestId('map-canvas').waitFor();
    await page.getByTestId('map-summary').waitFor();
    await shot('05-map');
    await page.getByTestId('nav-telemetry').click();
    await page.getByTestId('telemetry-crane').selectOption('STS-01');
    await page.getByTestId('chart-hoist').waitFor();
    await page.getByTestId('telemetry-summary').waitFor();
    await page.getByTestId('chart-wind').waitFor();
    await shot('06-telemetry');
  });

  it('uploads a capture and watches its analysis to the end', async () => {
    await page.getByTestId('nav-upload').click();
    await page.getByTestId('upload-input').setInputFiles(demoPcap);
    await page.getByTestId('upload-submit').click();
    await page.getByTestId('job-state').waitFor();
    await page.getByTestId('job-state').filter({ hasText: /done|failed/ }).waitFor({ timeout: 60_000 });
    assert.match(await page.getByTestId('job-state').innerText(), /done/);
    await shot('07-upload-done');
    await page.getByTestId('nav-overview').click();
    await page.getByTestId('run-captures').waitFor();
    assert.match(await page.getByTestId('run-captures').innerText(), /demo\.pcap/);
  });

  it('logs out, and a viewer sees neither upload nor admin', async () => {
    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').waitFor();
    await page.getByTestId('login-username').fill('viewer1');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-role').waitFor();
    assert.equal(await page.getByTestId('nav-upload').count(), 0);
    assert.equal(await page.getByTestId('nav-admin').count(), 0);
  });
});
