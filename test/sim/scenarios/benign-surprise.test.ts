import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LinkType } from '../../../src/capture/packet.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import { runSimulate } from '../../../src/cli/simulate.js';
import { CwError } from '../../../src/errors.js';
import type { LogRecord } from '../../../src/events/record.js';
import { analyzeCaptures } from '../../../src/pipeline/analyze.js';
import { readSiteFile } from '../../../src/policy/site-file.js';
import { generateTerminal } from '../../../src/sim/terminal/terminal.js';
import { buildTerminalSite } from '../../../src/sim/terminal/terminal-site.js';
import type { TerminalTruth } from '../../../src/sim/terminal/truth.js';
import { haveTshark, tsharkProblems } from '../tshark.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-benign-surprise-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SEED = 8;
const DURATION = 900;
const GUST = { start: 400, duration: 60 };

/** Every `modbus_detailed` row the project's analyzer writes for `file`. */
async function detailed(file: string): Promise<LogRecord[]> {
  const rows: LogRecord[] = [];
  await analyzeCaptures([file], {
    sink: {
      write(stream: string, record: LogRecord): void {
        if (stream === 'modbus_detailed') rows.push(record);
      },
      async close(): Promise<void> {},
    },
  });
  return rows;
}

function simulate(name: string, scenarios: Array<{ name: string; params: Record<string, unknown> }>) {
  const file = join(dir, name);
  const w = PcapWriter.toFile(file, { linkType: LinkType.ETHERNET });
  const r = generateTerminal(w, { seed: SEED, durationSec: DURATION, cranes: 4, scenarios });
  w.close();
  return { file, ...r };
}

/** The twin site's maps: wind at base + 10 (×0.1 m/s), hoist i32 at base + 0, trolley u32 at base + 2; Siemens cranes (STS-02) base 1000, low word first. */
function decode(craneIndex: number, values: readonly number[]) {
  const lowFirst = craneIndex % 3 === 1;
  const u32 = (o: number) => (lowFirst ? values[o + 1] * 65536 + values[o] : values[o] * 65536 + values[o + 1]);
  return { hoist: u32(0) | 0, trolley: u32(2), wind: values[10] / 10, mode: values[11] };
}

interface Poll {
  t: number;
  hoist: number;
  trolley: number;
  wind: number;
  mode: number;
}

function pollsOf(rows: LogRecord[], truth: TerminalTruth): Poll[][] {
  return truth.polls.map((p, i) =>
    rows
      .filter((d) => d['id.orig_h'] === p.client && d['id.resp_h'] === p.server && d.func === 'READ_HOLDING_REGISTERS' && d.address === p.blocks[0].address)
      .map((d) => ({ t: (d.ts as number) - truth.startTs, ...decode(i, d.response_values as number[]) })),
  );
}

const calm = simulate('calm.pcap', []);
const gust = simulate('gust.pcap', [{ name: 'benign-gust', params: { start: GUST.start, duration: GUST.duration } }]);
const calmPolls = pollsOf(await detailed(calm.file), calm.truth);
const gustPolls = pollsOf(await detailed(gust.file), gust.truth);

test('gust: every crane reads it, above the wind-stop threshold, and only during the gust', () => {
  for (let c = 0; c < 4; c++) {
    const a = calmPolls[c];
    const b = gustPolls[c];
    assert.equal(a.length, b.length);
    for (let i = 0; i < a.length; i++) {
      const t = a[i].t;
      // Before the gust: the same reading. After it: the same within 0.3 m/s (the stop shifted where the crane
      // stands on its rail, and the quay wind reaches it that many milliseconds earlier or later).
      if (t < GUST.start - 0.02) assert.equal(b[i].wind, a[i].wind, `crane ${c} wind at ${t} s`);
      else if (t > GUST.start + GUST.duration + 0.02) assert.ok(Math.abs(b[i].wind - a[i].wind) <= 0.3, `crane ${c} wind at ${t} s`);
    }
    const peak = Math.max(...b.filter((p) => p.t >= GUST.start && p.t < GUST.start + GUST.duration).map((p) => p.wind));
    assert.ok(peak >= 24 && peak <= 33, `crane ${c} peak ${peak} m/s`);
    assert.ok(Math.max(...a.map((p) => p.wind)) < 16, 'no stop-worthy wind without the gust');
  }
});

test('gust: each crane stops when its own reading reaches 20 m/s, stands still, and resumes after 30 s of calm', () => {
  const s = gust.truth.scenarios[0];
  assert.deepEqual([s.kind, s.benign, s.expected, s.techniques], ['benign', true, [], []]);
  assert.deepEqual(s.craneIds, ['STS-01', 'STS-02', 'STS-03', 'STS-04']);
  assert.deepEqual(s.holds.map((h) => h.craneId), ['STS-01', 'STS-02', 'STS-03', 'STS-04'], 'all cranes, one stop each');
  for (let c = 0; c < 4; c++) {
    const h = s.holds[c];
    const from = h.fromTs - gust.truth.startTs;
    const until = h.untilTs - gust.truth.startTs;
    assert.equal(h.mode, 2, 'mode stays semi-automatic');
    const b = gustPolls[c];
    const firstHigh = b.find((p) => p.wind >= 20);
    assert.ok(firstHigh !== undefined && Math.abs(firstHigh.t - from) < 0.7, `crane ${c}: first reading ≥ 20 m/s at ${firstHigh?.t}, stop at ${from}`);
    const lastHigh = b.filter((p) => p.wind >= 18).at(-1) as Poll;
    assert.ok(Math.abs(until - lastHigh.t - 30) < 0.7, `crane ${c}: resumes 30 s after the last reading ≥ 18 m/s (${lastHigh.t} → ${until})`);
    const held = b.filter((p) => p.t > from + 0.05 && p.t < until - 0.05);
    assert.equal(new Set(held.map((p) => `${p.hoist}/${p.trolley}`)).size, 1, `crane ${c} stands still`);
    const moving = calmPolls[c].filter((p) => p.t > from && p.t < until);
    assert.ok(new Set(moving.map((p) => `${p.hoist}/${p.trolley}`)).size > 20, `crane ${c} would have worked`);
    assert.ok(new Set(b.filter((p) => p.t > until + 1).map((p) => `${p.hoist}/${p.trolley}`)).size > 50, `crane ${c} works again`);
  }
});

test('gust: duration outside 30–120 s is refused; the gust stands alone in the capture (no frames of its own)', () => {
  assert.throws(
    () => generateTerminal({ writePacket() {} }, { seed: SEED, durationSec: DURATION, cranes: 2, scenarios: [{ name: 'benign-gust', params: { start: 60, duration: 200 } }] }),
    (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_CONFIG' && /duration: expected 30–120 s/.test(e.message),
  );
  assert.equal(gust.truth.scenarios[0].modbusRequests, 0);
  assert.equal(gust.truth.polls.length, calm.truth.polls.length);
});

const HMI = { crane: 'STS-03', start: 100, duration: 600, intensity: 4 };
const siteIn = buildTerminalSite(4);
const assetsBefore = siteIn.assets.length;
const hmiFile = join(dir, 'hmi.pcap');
const hmiWriter = PcapWriter.toFile(hmiFile, { linkType: LinkType.ETHERNET });
const hmiRun = generateTerminal(hmiWriter, { seed: SEED, durationSec: DURATION, site: siteIn, scenarios: [{ name: 'benign-new-hmi', params: HMI }] });
hmiWriter.close();

test('new HMI: announced in the returned site (the caller\'s site untouched) and inventoried in the truth', () => {
  const a = hmiRun.site.assets.find((x) => x.name === 'sts-03-hmi2');
  assert.deepEqual(a && [a.ip, a.role, a.zone, a.crane, a.vendor], ['10.20.3.21', 'hmi', 'crane-control', 'STS-03', 'Siemens AG']);
  assert.match(a?.mac ?? '', /^00:1b:1b:5[0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}$/);
  assert.equal(siteIn.assets.length, assetsBefore);
  const h = hmiRun.truth.hosts.find((x) => x.name === 'sts-03-hmi2');
  assert.ok(h !== undefined && !('inventoried' in h), 'listed as inventoried');
  const s = hmiRun.truth.scenarios[0];
  assert.deepEqual([s.kind, s.benign, s.expected, s.hosts.attackers, s.hosts.targets], ['benign', true, [], ['10.20.3.21'], ['10.20.3.10']]);
});

test('new HMI: its setpoint writes reach the PLC like the cab HMI\'s, one connection each', async () => {
  const rows = (await detailed(hmiFile)).filter((d) => d['id.orig_h'] === '10.20.3.21');
  // STS-03 is an ABB-layout PLC: setpoints at 100 (wind ×0.1 m/s) and 101 (hoist %).
  assert.deepEqual(
    rows.map((d) => [d.func, d.address, d.request_values]),
    [
      ['WRITE_SINGLE_REGISTER', 100, [200]],
      ['WRITE_SINGLE_REGISTER', 101, [90]],
      ['WRITE_SINGLE_REGISTER', 100, [180]],
      ['WRITE_SINGLE_REGISTER', 101, [100]],
    ],
  );
  assert.equal(new Set(rows.map((d) => d.uid)).size, 4);
  const t0 = hmiRun.truth.startTs + HMI.start;
  assert.ok(rows.every((d) => (d.ts as number) >= t0 && (d.ts as number) < t0 + HMI.duration));
  const w = hmiRun.truth.modbusWrites.filter((x) => x.scenario === 'benign-new-hmi#1');
  assert.deepEqual(w.map((x) => x.signal), ['wind_stop_threshold_ms', 'hoist_speed_limit_pct', 'wind_stop_threshold_ms', 'hoist_speed_limit_pct']);
});

test('new HMI: a site listing its PLC clients gets the new panel there too', () => {
  const site = buildTerminalSite(2);
  site.cranes[1].clients = [
    { asset: 'cms', functions: [3], writes: [], description: '' },
    { asset: 'sts-02-hmi', functions: [6], writes: ['wind_stop_threshold_ms', 'hoist_speed_limit_pct'], description: '' },
  ];
  const r = generateTerminal({ writePacket() {} }, { seed: 1, durationSec: 600, site, scenarios: [{ name: 'benign-new-hmi', params: { crane: 'STS-02', start: 10, duration: 300 } }] });
  assert.deepEqual(r.site.cranes[1].clients?.map((c) => [c.asset, c.writes]), [
    ['cms', []],
    ['sts-02-hmi', ['wind_stop_threshold_ms', 'hoist_speed_limit_pct']],
    ['sts-02-hmi2', ['wind_stop_threshold_ms', 'hoist_speed_limit_pct']],
  ]);
  assert.equal(site.cranes[1].clients.length, 2, "the caller's site is untouched");
});

test('simulate --site-out writes the new HMI into the site file', async () => {
  const out = join(dir, 'cli.pcap');
  const siteOut = join(dir, 'site.yaml');
  const orig = process.stdout.write.bind(process.stdout);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    assert.equal(await runSimulate({ out, siteOut, durationSec: 300, cranes: 2, scenarios: ['benign-new-hmi:crane=STS-01,start=10,duration=200'] }), 0);
  } finally {
    process.stdout.write = orig;
  }
  const site = readSiteFile(siteOut);
  assert.deepEqual(site.assets.filter((a) => a.role === 'hmi').map((a) => a.name), ['sts-01-hmi', 'sts-02-hmi', 'sts-01-hmi2']);
  assert.match(readFileSync(siteOut, 'utf8'), /sts-01-hmi2/);
});

test('tshark: no malformed frames in the gust and new-HMI captures', (t) => {
  if (!haveTshark()) {
    t.skip('tshark not installed');
    return;
  }
  assert.deepEqual(tsharkProblems(gust.file), []);
  assert.deepEqual(tsharkProblems(hmiFile), []);
});
