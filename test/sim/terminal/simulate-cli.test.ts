import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseDuration, runSimulate } from '../../../src/cli/simulate.js';
import { parseBaplie } from '../../../src/crane/edifact/baplie.js';
import { CwError } from '../../../src/errors.js';
import { readSiteFile, writeSiteFile } from '../../../src/policy/site-file.js';
import { buildTerminalSite } from '../../../src/sim/terminal/terminal-site.js';
import type { TerminalTruth } from '../../../src/sim/terminal/truth.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-simulate-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Run with stdout captured. */
async function quiet(opts: Parameters<typeof runSimulate>[0]): Promise<{ code: number; out: string }> {
  const orig = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    return { code: await runSimulate(opts), out };
  } finally {
    process.stdout.write = orig;
  }
}

const configError = (re: RegExp) => (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_CONFIG' && re.test(e.message);

test('durations: seconds, s, m, h, d; anything else is a clear error', () => {
  assert.equal(parseDuration('90'), 90);
  assert.equal(parseDuration('90s'), 90);
  assert.equal(parseDuration('30m'), 1800);
  assert.equal(parseDuration('1.5h'), 5400);
  assert.equal(parseDuration('2h'), 7200);
  assert.equal(parseDuration('1d'), 86_400);
  assert.equal(parseDuration(45), 45);
  assert.throws(() => parseDuration('2 weeks'), configError(/^--duration: expected a length such as 90s, 30m, 2h or 1d, got "2 weeks"$/));
  assert.throws(() => parseDuration('0m'), configError(/--duration: expected more than 0 s and at most 7 days/));
  assert.throws(() => parseDuration('8d'), configError(/at most 7 days/));
});

test('runSimulate validates its options', async () => {
  const out = join(dir, 'x.pcap');
  await assert.rejects(runSimulate({ out, cranes: 0, durationSec: '1m' }), configError(/^--cranes: expected an integer 1–100, got 0$/));
  await assert.rejects(runSimulate({ out, cranes: '101', durationSec: '1m' }), configError(/--cranes: expected an integer 1–100/));
  await assert.rejects(runSimulate({ out, cranes: 'four', durationSec: '1m' }), configError(/--cranes/));
  await assert.rejects(runSimulate({ out, seed: '-3', durationSec: '1m' }), configError(/^--seed: expected an integer 0–4294967295/));
  await assert.rejects(runSimulate({ out, durationSec: 'soon' }), configError(/--duration/));
  await assert.rejects(runSimulate({ out: '', durationSec: '1m' }), configError(/--out/));
  await assert.rejects(runSimulate({ out, durationSec: '1m', speed: '0' }), configError(/^--speed: expected a number > 0 and ≤ 10000 \(1 = real time\), got 0$/));
  await assert.rejects(runSimulate({ out, durationSec: '1m', speed: 'fast' }), configError(/^--speed/));
  await assert.rejects(runSimulate({ out: join(dir, 'no', 'such', 'dir.pcap'), durationSec: '1m' }), (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_WRITE');
});

test('runSimulate writes the capture, the truth and the site file', async () => {
  const out = join(dir, 'terminal.pcap');
  const truthFile = join(dir, 'truth.json');
  const siteOut = join(dir, 'site.yaml');
  const { code, out: text } = await quiet({ cranes: '2', durationSec: '3m', seed: '9', out, truth: truthFile, siteOut, progress: false });
  assert.equal(code, 0);
  assert.match(text, /^Simulated 2 cranes for 180 s \(seed 9\): \d+ packets, [\d.]+ MB, \d+ container moves -> /);
  const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as TerminalTruth;
  assert.equal(truth.seed, 9);
  assert.equal(statSync(out).size, 24 + 16 * truth.packets + truth.frameBytes);
  const site = readSiteFile(siteOut);
  assert.deepEqual(site, buildTerminalSite(2));
  assert.equal(truth.hosts.length, site.assets.length);

  // Outputs that exist are refused (a simulated capture must never replace a real one) unless --force.
  const before = readFileSync(out);
  for (const [opt, o] of [['--out', { out }], ['--truth', { out: join(dir, 'fresh.pcap'), truth: truthFile }], ['--site-out', { out: join(dir, 'fresh2.pcap'), siteOut }]] as const) {
    await assert.rejects(runSimulate({ durationSec: '1m', progress: false, ...o }), (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_USAGE' && e.message === `${opt} ${opt === '--out' ? out : opt === '--truth' ? truthFile : siteOut} already exists; give --force to replace it`);
  }
  assert.ok(readFileSync(out).equals(before), 'the refused capture is untouched');
  await assert.rejects(runSimulate({ durationSec: '1m', progress: false, out: join(dir, 'two.pcap'), truth: join(dir, 'two.pcap'), force: true }), /--truth .* is also --out's file/);
  await assert.rejects(runSimulate({ durationSec: '1m', progress: false, out: join(dir, 'three.pcap'), site: siteOut, siteOut, force: true }), /--site-out .* is the --site input/);
  await assert.rejects(runSimulate({ durationSec: '10m', progress: false, out: join(dir, 'stub.pcap'), scenarios: ['recon:start=590'] }), /runs past the end/);
  assert.ok(!existsSync(join(dir, 'stub.pcap')), 'a refused run leaves no stub');
  const again = await quiet({ cranes: '2', durationSec: '1m', out, force: true, progress: false });
  assert.equal(again.code, 0);
  assert.ok(statSync(out).size < before.length, 'replaced with --force');
});

test('runSimulate simulates a given site file, with its own register maps', async () => {
  const site = buildTerminalSite(3);
  site.cranes[0].registers.hoist_position_mm.address = 40;
  const siteFile = join(dir, 'mine.yaml');
  writeSiteFile(siteFile, site);
  const truthFile = join(dir, 'mine.json');
  const { code } = await quiet({ site: siteFile, durationSec: '1m', out: join(dir, 'mine.pcap'), truth: truthFile, json: true });
  assert.equal(code, 0);
  const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as TerminalTruth;
  assert.deepEqual(truth.polls[0].blocks, [{ fc: 3, address: 2, quantity: 40 }], 'the poll block follows the edited map (2 … 41)');
  await assert.rejects(runSimulate({ site: siteFile, cranes: 4, durationSec: '1m', out: join(dir, 'x.pcap') }), configError(/--cranes: 4 disagrees with the 3 cranes/));
});

test('runSimulate --edi-out writes each vessel\'s BAPLIE, refuses existing ones unless --force', async () => {
  const edi = join(dir, 'edi');
  const out = join(dir, 'edi.pcap');
  const { code } = await quiet({ cranes: '4', durationSec: '2m', seed: '9', out, ediOut: edi, progress: false });
  assert.equal(code, 0);
  const names = readdirSync(edi).sort();
  assert.equal(names.length, 2, 'cranes 1–3 work one vessel, crane 4 another');
  for (const n of names) {
    assert.match(n, /^[A-Z0-9-]+-\d{4}[EW]\.baplie\.edi$/, 'voyage: berth and call, two digits each, and the direction');
    const r = parseBaplie(readFileSync(join(edi, n)));
    assert.ok(r.ok && r.plans.length === 1 && r.plans[0].containers.length > 0, `${n} is a bay plan`);
    assert.equal(`${r.plans[0].vessel.name?.replace(/ /g, '-')}-${r.plans[0].vessel.voyage}.baplie.edi`, n);
  }
  // Berth 1's first call is checked first.
  const first = names.find((n) => /-0101[EW]\.baplie\.edi$/.test(n)) as string;
  const before = readFileSync(join(edi, first));
  await assert.rejects(
    runSimulate({ cranes: '4', durationSec: '2m', seed: '9', out: join(dir, 'edi2.pcap'), ediOut: edi, progress: false }),
    (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_USAGE' && e.message === `--edi-out ${join(edi, first)} already exists; give --force to replace it`,
  );
  assert.ok(!existsSync(join(dir, 'edi2.pcap')), 'refused before the run');
  const again = await quiet({ cranes: '4', durationSec: '2m', seed: '9', out, ediOut: edi, force: true, progress: false });
  assert.equal(again.code, 0);
  assert.ok(readFileSync(join(edi, first)).equals(before), 'same seed, same plan');
});

test('--speed paces the frames by their capture time and writes the same bytes as an unpaced run', async () => {
  const fast = join(dir, 'unpaced.pcap');
  const paced = join(dir, 'paced.pcap');
  assert.equal((await quiet({ out: fast, cranes: 1, durationSec: '20', seed: 4, progress: false })).code, 0);
  const t0 = performance.now();
  assert.equal((await quiet({ out: paced, cranes: 1, durationSec: '20', seed: 4, progress: false, speed: '20' })).code, 0);
  const wall = (performance.now() - t0) / 1000;
  assert.ok(wall >= 0.9, `20 s of capture at 20× take about a second (took ${wall.toFixed(2)} s)`);
  assert.deepEqual(readFileSync(paced), readFileSync(fast));
});
