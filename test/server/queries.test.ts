import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { runAnalyze } from '../../src/cli/analyze.js';
import '../../src/crane/state/streams.js';
import '../../src/detect/finding.js';
import '../../src/session/conn-log.js';
import type { LogRecord } from '../../src/events/record.js';
import { SqliteConsoleQueries } from '../../src/server/queries/sqlite-queries.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { writeDemoCapture } from '../../src/sim/demo.js';

const PAGE = { limit: 50, offset: 0 };
const T0 = 1_700_000_000;

describe('read model over a store without site tables', () => {
  let dir: string;
  let q: SqliteConsoleQueries;
  let bare: SqliteConsoleQueries;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cw-queries-'));
    const pcap = join(dir, 'demo.pcap');
    writeDemoCapture(pcap, { durationSec: 10 });
    await runAnalyze([pcap], { db: join(dir, 'nosite.sqlite'), quiet: true, progress: false });
    q = new SqliteConsoleQueries(join(dir, 'nosite.sqlite'));
    const empty = new SqliteStore(join(dir, 'empty.sqlite'));
    await empty.open();
    await empty.close();
    bare = new SqliteConsoleQueries(join(dir, 'empty.sqlite'));
  });
  after(() => {
    q.close();
    bare.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('no --site run: detection off, empty findings / incidents / moves, assets of unknown status', async () => {
    const o = await q.overview();
    assert.equal(o.run.detection, false);
    assert.equal(o.run.unlocode, null);
    assert.deepEqual(o.cranes, []);
    assert.ok(o.counts.flows > 0);
    assert.deepEqual([o.counts.findings, o.counts.incidents, o.counts.moves], [0, 0, 0]);
    assert.deepEqual(await q.incidents(PAGE), { total: 0, limit: 50, offset: 0, items: [] });
    assert.equal((await q.findings(PAGE)).total, 0);
    assert.equal((await q.moves(PAGE)).total, 0);
    assert.equal(await q.incident('I1'), undefined);
    assert.equal(await q.findingEvidence('F1', PAGE), undefined);
    assert.equal(await q.telemetry({ crane: 'STS-01', points: 10 }), undefined);
    const assets = await q.assets({ ...PAGE, limit: 500 });
    assert.ok(assets.total > 0 && assets.items.every((a) => a.status === 'unknown'));
    const map = await q.commMap({ min_bytes: 0, max_edges: 500 });
    assert.ok(map.edges.length > 0);
    assert.ok(map.nodes.every((n) => n.kind !== 'asset'));
    assert.deepEqual((await q.container('MSCU1234565')).sightings, []);
  });

  it('a store with no stream table at all answers empty everywhere', async () => {
    const o = await bare.overview();
    assert.deepEqual(o.counts, { hosts: 0, flows: 0, moves: 0, findings: 0, incidents: 0 });
    assert.deepEqual(o.run.captures, []);
    assert.deepEqual(await bare.streams(), []);
    assert.deepEqual(await bare.commMap({ min_bytes: 0, max_edges: 10 }), { zones: [], nodes: [], edges: [], truncated: false });
    assert.equal((await bare.assets(PAGE)).total, 0);
  });
});

describe('read model aggregation and paging over inserted records', () => {
  let dir: string;
  let q: SqliteConsoleQueries;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cw-queries-'));
    const path = join(dir, 'agg.sqlite');
    const store = new SqliteStore(path);
    await store.open();
    // 1200 flows over 3 host pairs: pair k carries (k + 1) × 100 bytes per flow.
    const conn: LogRecord[] = [];
    for (let i = 0; i < 1200; i++) {
      const k = i % 3;
      conn.push({ ts: T0 + i, uid: `C${i}`, 'id.orig_h': `10.0.0.${k + 1}`, 'id.orig_p': 40000 + i, 'id.resp_h': '10.0.1.1', 'id.resp_p': 502, proto: 'tcp', service: 'modbus', orig_bytes: (k + 1) * 60, resp_bytes: (k + 1) * 40 });
    }
    await store.insertBatch('conn', conn);
    // Crane STS-01 sampled every second for 100 s: hoist = 10·i mm, load 1000 kg, wind absent.
    const cs: LogRecord[] = [];
    for (let i = 0; i < 100; i++) cs.push({ ts: T0 + i, crane: 'STS-01', plc_h: '10.0.1.1', hoist_position_mm: 10 * i, trolley_position_mm: 5, load_kg: 1000 });
    await store.insertBatch('crane_state', cs);
    const findings: LogRecord[] = [];
    for (let i = 0; i < 1234; i++) {
      findings.push({
        ts: T0 + i, finding_id: `F${String(i).padStart(5, '0')}`, incident_id: i < 10 ? 'I1' : null, last_ts: T0 + i, detected_ts: T0 + i, detector: i % 2 ? 'recon_scan' : 'conduit_violation',
        severity: 'high', title: 't', msg: 'm', count: 1, techniques: [], technique_names: [], attack_version: 'v17', hosts: ['10.0.0.1', '10.0.1.1'], zones: [], cranes: i === 50 ? ['STS-01'] : [],
        evidence_streams: ['conn'], evidence_uids: [`C${i}`], action: 'a',
      });
    }
    await store.insertBatch('findings', findings);
    await store.close();
    q = new SqliteConsoleQueries(path);
  });
  after(() => {
    q.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('map: one edge per pair and service with summed flows and bytes, heaviest first, truncated at max_edges', async () => {
    const m = await q.commMap({ min_bytes: 0, max_edges: 500 });
    assert.deepEqual(
      m.edges.map((e) => [e.source, e.target, e.flows, e.bytes]),
      [
        ['10.0.0.3', '10.0.1.1', 400, 400 * 300],
        ['10.0.0.2', '10.0.1.1', 400, 400 * 200],
        ['10.0.0.1', '10.0.1.1', 400, 400 * 100],
      ],
    );
    assert.equal(m.truncated, false);
    assert.equal(m.edges[2].violation, true, 'findings name both ends of 10.0.0.1 → 10.0.1.1');
    assert.equal(m.edges[0].violation, false);
    const two = await q.commMap({ min_bytes: 0, max_edges: 2 });
    assert.equal(two.edges.length, 2);
    assert.equal(two.truncated, true);
    const heavy = await q.commMap({ min_bytes: 400 * 200, max_edges: 500 });
    assert.equal(heavy.edges.length, 2);
    assert.equal((await q.commMap({ service: 'dns', min_bytes: 0, max_edges: 5 })).edges.length, 0);
  });

  it('telemetry: bucket means over the window, null for a signal with no value, markers for the crane', async () => {
    const t = (await q.telemetry({ crane: 'STS-01', points: 10 }))!;
    assert.equal(t.ts.length, 10);
    // Window 0..99 s in 10 buckets of 9.9 s: the first holds samples 0..9 (mean hoist 45 mm).
    assert.equal(t.series.hoist_position_mm[0], 45);
    assert.ok(t.series.load_kg.every((v) => v === 1000));
    assert.ok(t.series.wind_speed_ms.every((v) => v === null));
    for (let i = 1; i < t.ts.length; i++) assert.ok(t.ts[i] > t.ts[i - 1]);
    assert.deepEqual(t.markers.map((m) => m.finding_id), ['F00050']);
    const win = (await q.telemetry({ crane: 'STS-01', from: T0 + 10, to: T0 + 19, points: 1 }))!;
    assert.deepEqual(win.series.hoist_position_mm, [145]);
    assert.deepEqual((await q.telemetry({ crane: 'STS-01', from: T0 + 500, to: T0 + 600, points: 5 }))!.ts, []);
  });

  it('cached answers follow a commit by another connection (data_version)', async () => {
    const before = (await q.commMap({ min_bytes: 0, max_edges: 500 })).edges.length;
    assert.equal((await q.overview()).counts.flows, 1200);
    const w = new Database(join(dir, 'agg.sqlite'));
    w.prepare('INSERT INTO conn (ts, uid, id_orig_h, id_resp_h, proto, service, orig_bytes, resp_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(T0, 'Cnew', '10.0.0.9', '10.0.1.1', 'udp', 'dns', 1, 1);
    w.close();
    assert.equal((await q.overview()).counts.flows, 1201);
    assert.equal((await q.commMap({ min_bytes: 0, max_edges: 500 })).edges.length, before + 1);
  });

  it('findings: totals count every match; limit / offset page them; filters hold', async () => {
    const last = await q.findings({ limit: 500, offset: 1000 });
    assert.equal(last.total, 1234);
    assert.equal(last.items.length, 234);
    assert.equal(last.items[0].finding_id, 'F00233', 'latest first');
    const recon = await q.findings({ limit: 1, offset: 0, detector: 'recon_scan' });
    assert.equal(recon.total, 617);
    const inc = await q.findings({ limit: 50, offset: 0, incident_id: 'I1' });
    assert.equal(inc.total, 10);
    const ev = (await q.findingEvidence('F00007', PAGE))!;
    assert.equal(ev.records.total, 1);
    assert.equal(ev.records.items[0].record.uid, 'C7');
    assert.equal(ev.records.items[0].record['id.orig_h'], '10.0.0.2');
  });
});
