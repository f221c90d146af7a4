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
import type { TruthPosition } from '../../../src/sim/terminal/truth.js';

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

test('container-move round trip: a simulated hour of 4 cranes, every move recovered with its TOS data', async () => {
  const file = join(dir, 'hour.pcap');
  const w = PcapWriter.toFile(file, { linkType: LinkType.ETHERNET });
  const { truth, site } = generateTerminal(w, { cranes: 4, seed: 1, durationSec: 3_600 });
  w.close();
  const policy = new SitePolicy(site);
  const out = new Keep(new Set(['container_move', 'http']));
  const tracker = new CraneTracker(policy, out);
  await analyzeCaptures([file], { sink: new SinkFanout([out, tracker]) });
  tracker.finish();
  const interval = new Map(truth.polls.map((p) => [p.craneId, p.intervalSec]));
  const expected = truth.moves.filter((m) => m.lockTs > truth.startTs + 1 && m.unlockTs < truth.endTs - 1);
  const got = out.recs.get('container_move') ?? [];
  const reported = new Set(truth.coarriReports.flatMap((r) => r.containers));
  assert.ok(expected.length > 100, `${expected.length} moves`);
  let whole = 0;
  let withPorts = 0;
  const misses: string[] = [];
  for (const m of expected) {
    const g = got.find((x) => x.crane === m.craneId && Math.abs((x.lock_ts as number) - m.lockTs) < 2);
    if (g === undefined) {
      misses.push(`${m.craneId}#${m.seq} not reconstructed`);
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
    if (ok) whole++;
    else misses.push(`${m.craneId}#${m.seq}: ${JSON.stringify([g.container, g.iso_type, g.from, g.to, g.gross_kg])} vs ${JSON.stringify([m.container, m.isoType, text(m.from), text(m.to), m.grossKg])}`);
    // Ports travel in the work orders (every move), the BAPLIE (boxes on board) and the COARRI reports.
    if (g.port_of_loading === m.portOfLoading && g.port_of_discharge === m.portOfDischarge) withPorts++;
    else misses.push(`${m.craneId}#${m.seq} ports ${g.port_of_loading}/${g.port_of_discharge} vs ${m.portOfLoading}/${m.portOfDischarge}`);
  }
  console.log(
    `round trip: ${whole}/${expected.length} moves recovered (container, iso type, from, to, yard slot, weight, lock/unlock) = ${((100 * whole) / expected.length).toFixed(1)} %; ` +
      `ports ${withPorts}/${expected.length} (${reported.size} boxes also in COARRI reports)`,
  );
  assert.deepEqual(misses.slice(0, 10), []);
  assert.equal(whole, expected.length);
  assert.equal(withPorts, expected.length);
  assert.ok((out.recs.get('http') ?? []).length >= truth.httpRequests.length, 'every TOS request logged in http');
});
