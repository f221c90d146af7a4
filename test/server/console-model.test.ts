import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { runAnalyze } from '../../src/cli/analyze.js';
import { ACTIVITY_WINDOW_SEC, MIN_RATE_HOURS, SqliteConsoleQueries } from '../../src/server/queries/sqlite-queries.js';
import { demoStore, type DemoStore } from './fixture.js';

const MAP = { min_bytes: 0, max_edges: 5000 };

/** Runs SQL statements on a store file through a write connection. */
function exec(path: string, f: (db: Database.Database) => void): void {
  const db = new Database(path);
  try {
    f(db);
  } finally {
    db.close();
  }
}

/** Copies one `conn` row of the store with new endpoint addresses (a flow the map must place). */
function addFlow(db: Database.Database, orig: string, resp: string): void {
  const cols = (db.prepare('PRAGMA table_info(conn)').all() as { name: string }[]).map((c) => `"${c.name}"`);
  const row = db.prepare('SELECT * FROM conn LIMIT 1').get() as Record<string, unknown>;
  const values = cols.map((c) => {
    const name = c.slice(1, -1);
    return name === 'id_orig_h' ? orig : name === 'id_resp_h' ? resp : name === 'uid' ? `C${orig}${resp}` : row[name];
  });
  db.prepare(`INSERT INTO conn (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...(values as (string | number | null)[]));
}

describe('console read model after the new-user trial', () => {
  let store: DemoStore;
  before(async () => {
    store = await demoStore();
  });
  after(() => store.cleanup());

  it('a crane in motion without a completed move is working; a still one is idle', async () => {
    const db = store.copy('motion');
    exec(db, (d) => {
      d.exec('DELETE FROM container_move');
      d.exec("DELETE FROM findings WHERE detector IN ('unexpected_stop', 'fleet_stop', 'crane_silence')");
      d.exec('UPDATE crane_state SET emergency_stop = 0');
      // STS-02 holds still: every value of its window equals its last record's.
      const last = d.prepare("SELECT hoist_position_mm h, trolley_position_mm t, load_kg l, twistlock_locked tw FROM crane_state WHERE crane = 'STS-02' ORDER BY ts DESC LIMIT 1").get() as Record<string, number>;
      d.prepare("UPDATE crane_state SET hoist_position_mm = ?, trolley_position_mm = ?, load_kg = ?, twistlock_locked = ? WHERE crane = 'STS-02'").run(last.h, last.t, last.l, last.tw);
    });
    const q = new SqliteConsoleQueries(db);
    try {
      const cranes = (await q.overview()).cranes;
      const sts1 = cranes.find((c) => c.crane === 'STS-01');
      const sts2 = cranes.find((c) => c.crane === 'STS-02');
      assert.equal(sts1?.moves, 0);
      assert.equal(sts1?.state, 'working', `hoist and trolley travel in the last ${ACTIVITY_WINDOW_SEC} s`);
      assert.equal(sts2?.state, 'idle');
    } finally {
      q.close();
    }
  });

  it('moves per hour are computed over at least a quarter hour', async () => {
    const q = new SqliteConsoleQueries(store.db);
    try {
      const cranes = (await q.overview()).cranes.filter((c) => c.moves > 0);
      assert.ok(cranes.length > 0, 'the demo has moves');
      // The demo observes each crane for about 2 minutes, under MIN_RATE_HOURS.
      for (const c of cranes) assert.equal(c.moves_per_hour, c.moves / MIN_RATE_HOURS, c.crane);
    } finally {
      q.close();
    }
  });

  it('without a site file, local IPv4 and IPv6 hosts are uninventoried with no zone; others external', async () => {
    const db = join(store.dir, 'nosite.sqlite');
    await runAnalyze([store.pcap], { db, quiet: true, progress: false });
    exec(db, (d) => {
      addFlow(d, '::1', 'FE80::5');
      addFlow(d, '::ffff:192.168.1.9', 'fd00:1::7');
      addFlow(d, '10.9.9.9', '2001:db8::1');
    });
    const q = new SqliteConsoleQueries(db);
    try {
      const nodes = new Map((await q.commMap(MAP)).nodes.map((n) => [n.id, n]));
      for (const local of ['::1', 'FE80::5', '::ffff:192.168.1.9', 'fd00:1::7', '10.9.9.9']) {
        assert.equal(nodes.get(local)?.kind, 'uninventoried', local);
        assert.equal(nodes.get(local)?.zone, null, local);
      }
      assert.equal(nodes.get('2001:db8::1')?.kind, 'external');
      assert.equal(nodes.get('2001:db8::1')?.zone, 'external');
    } finally {
      q.close();
    }
  });

  it("with a site file, an outside peer in a site zone carries that zone's name", async () => {
    const db = store.copy('outside');
    exec(db, (d) => addFlow(d, '10.10.2.11', '203.0.113.50'));
    const q = new SqliteConsoleQueries(db);
    try {
      const map = await q.commMap(MAP);
      const peer = map.nodes.find((n) => n.id === '203.0.113.50');
      assert.equal(peer?.kind, 'external');
      assert.equal(peer?.zone, 'internet');
      assert.ok(map.zones.some((z) => z.zone === 'internet'));
      assert.ok(!map.nodes.some((n) => n.zone === 'external'), 'every host falls in a site zone (internet is 0.0.0.0/0)');
    } finally {
      q.close();
    }
  });

  it("an incident timeline has no `detected` entry at the finding's own time", async () => {
    const q = new SqliteConsoleQueries(store.db);
    try {
      const page = await q.incidents({ limit: 50, offset: 0 });
      assert.ok(page.items.length > 0, 'the demo has incidents');
      let same = 0;
      for (const inc of page.items) {
        const d = await q.incident(inc.incident_id);
        assert.ok(d !== undefined);
        const byId = new Map(d.findings.map((f) => [f.finding_id, f]));
        for (const f of d.findings) if (f.detected_ts === f.ts) same++;
        for (const e of d.timeline) {
          const f = byId.get(e.finding_id);
          assert.ok(f !== undefined);
          if (e.kind === 'detected') assert.notEqual(e.ts, f.ts, e.finding_id);
        }
        for (const f of d.findings) assert.equal(d.timeline.filter((e) => e.finding_id === f.finding_id && e.kind === 'first').length, 1);
      }
      assert.ok(same > 0, 'some demo findings were detected at their own time');
    } finally {
      q.close();
    }
  });
});
