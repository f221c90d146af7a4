import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LinkType } from '../../../src/capture/packet.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import { CraneTracker } from '../../../src/crane/state/crane-tracker.js';
import { SinkFanout, type LogRecord, type LogSink, type StreamName } from '../../../src/events/record.js';
import { analyzeCaptures } from '../../../src/pipeline/analyze.js';
import { SitePolicy } from '../../../src/policy/site-policy.js';
import { generateTerminal } from '../../../src/sim/terminal/terminal.js';
import type { TruthMove, TruthPosition } from '../../../src/sim/terminal/truth.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-roundtrip-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Keeps the records of the streams asked for. */
class Keep implements LogSink {
  readonly recs = new Map<string, LogRecord[]>();
  constructor(private readonly streams: ReadonlySet<string>) {}
  write(stream: StreamName, r: LogRecord): void {
    if (!this.streams.has(stream)) return;
    let l = this.recs.get(stream);
    if (l === undefined) this.recs.set(stream, (l = []));
    l.push(r);
  }
  async close(): Promise<void> {}
}

const text = (p: TruthPosition): string => (p.type === 'vessel' ? `vessel ${p.code}` : `truck lane ${p.lane}`);

/** What a round trip recovered: every move of the truth compared with the analyzer's container_move records. */
interface RoundTrip {
  expected: TruthMove[];
  whole: number;
  withPorts: number;
  withVessel: number;
  /** Restow legs among the moves expected, and of them those recovered whole and logged as restows. */
  restows: number;
  restowsWhole: number;
  misses: string[];
  reported: number;
  httpLogged: number;
  httpTruth: number;
}

/** Simulate `opts` into a pcap, analyze it with the site's crane tracker, and compare every move. */
async function roundTrip(name: string, opts: { cranes: number; seed: number; durationSec: number }): Promise<RoundTrip> {
  const file = join(dir, `${name}.pcap`);
  const w = PcapWriter.toFile(file, { linkType: LinkType.ETHERNET });
  const { truth, site } = generateTerminal(w, opts);
  w.close();
  const policy = new SitePolicy(site);
  const out = new Keep(new Set(['container_move', 'http']));
  const tracker = new CraneTracker(policy, out);
  await analyzeCaptures([file], { sink: new SinkFanout([out, tracker]) });
  tracker.finish();
  const interval = new Map(truth.polls.map((p) => [p.craneId, p.intervalSec]));
  const expected = truth.moves.filter((m) => m.lockTs > truth.startTs + 1 && m.unlockTs < truth.endTs - 1);
  const got = out.recs.get('container_move') ?? [];
  const r: RoundTrip = { expected, whole: 0, withPorts: 0, withVessel: 0, restows: 0, restowsWhole: 0, misses: [], reported: new Set(truth.coarriReports.flatMap((x) => x.containers)).size, httpLogged: (out.recs.get('http') ?? []).length, httpTruth: truth.httpRequests.length };
  for (const m of expected) {
    if (m.kind === 'restow') r.restows++;
    const g = got.find((x) => x.crane === m.craneId && Math.abs((x.lock_ts as number) - m.lockTs) < 2);
    if (g === undefined) {
      r.misses.push(`${m.craneId}#${m.seq} not reconstructed`);
      continue;
    }
    const poll = (interval.get(m.craneId) as number) + 0.05;
    const ok =
      g.container === m.container &&
      g.iso_type === m.isoType &&
      g.from === text(m.from) &&
      g.to === text(m.to) &&
      g.yard === m.yard.code &&
      Math.abs((g.gross_kg as number) - m.grossKg) <= 0.02 * m.grossKg &&
      Math.abs((g.lock_ts as number) - m.lockTs) <= poll &&
      Math.abs((g.unlock_ts as number) - m.unlockTs) <= poll;
    if (ok) {
      r.whole++;
      if (m.kind === 'restow' && g.kind === 'restow') r.restowsWhole++;
    } else r.misses.push(`${m.craneId}#${m.seq}: ${JSON.stringify([g.container, g.iso_type, g.from, g.to, g.gross_kg])} vs ${JSON.stringify([m.container, m.isoType, text(m.from), text(m.to), m.grossKg])}`);
    // Ports travel in the work orders (every move), the BAPLIE (boxes on board) and the COARRI reports.
    if (g.port_of_loading === m.portOfLoading && g.port_of_discharge === m.portOfDischarge) r.withPorts++;
    else r.misses.push(`${m.craneId}#${m.seq} ports ${g.port_of_loading}/${g.port_of_discharge} vs ${m.portOfLoading}/${m.portOfDischarge}`);
    if (g.vessel === m.vessel.name) r.withVessel++;
    else r.misses.push(`${m.craneId}#${m.seq} vessel ${g.vessel} vs ${m.vessel.name}`);
  }
  console.log(
    `round trip ${name}: ${r.whole}/${expected.length} moves recovered (container, iso type, from, to, yard slot, weight, lock/unlock) = ${((100 * r.whole) / expected.length).toFixed(1)} %; ` +
      `restows ${r.restowsWhole}/${r.restows}; ports ${r.withPorts}/${expected.length} (${r.reported} boxes also in COARRI reports)`,
  );
  return r;
}

test('container-move round trip: a simulated hour of 4 cranes, every move recovered with its TOS data', async () => {
  const r = await roundTrip('hour', { cranes: 4, seed: 1, durationSec: 3_600 });
  assert.ok(r.expected.length > 100, `${r.expected.length} moves`);
  assert.deepEqual(r.misses.slice(0, 10), []);
  assert.equal(r.whole, r.expected.length);
  assert.equal(r.withPorts, r.expected.length);
  assert.equal(r.withVessel, r.expected.length, 'every move names its vessel');
  assert.ok(r.restows >= 1, 'restows taken ashore within the hour');
  assert.equal(r.restowsWhole, r.restows);
  assert.ok(r.httpLogged >= r.httpTruth, 'every TOS request logged in http');
});

test('restow round trip: 6 h of one crane, restowed boxes taken ashore and reloaded into their cells, each leg recovered', async () => {
  const r = await roundTrip('restows', { cranes: 1, seed: 2, durationSec: 6 * 3_600 });
  const legs = r.expected.filter((m) => m.kind === 'restow');
  const ashore = legs.filter((m) => m.from.type === 'vessel');
  const back = legs.filter((m) => m.to.type === 'vessel');
  assert.ok(ashore.length >= 3 && back.length >= 3, `${ashore.length} restows ashore, ${back.length} reloaded`);
  for (const m of back) {
    const first = ashore.find((x) => x.container === m.container);
    assert.ok(first !== undefined && first.from.type === 'vessel' && m.to.type === 'vessel', `${m.container} reloaded after being taken ashore`);
    assert.equal(m.to.code, first.from.code, `${m.container} goes back into the cell it came from`);
    assert.ok(m.lockTs > first.unlockTs);
  }
  assert.deepEqual(r.misses.slice(0, 10), []);
  assert.equal(r.restowsWhole, r.restows);
  assert.equal(r.whole, r.expected.length);
  assert.equal(r.withPorts, r.expected.length);
});
