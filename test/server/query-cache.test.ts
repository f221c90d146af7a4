import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteConsoleQueries } from '../../src/server/queries/sqlite-queries.js';
import { demoStore, type DemoStore } from './fixture.js';

let store: DemoStore;
before(async () => {
  store = await demoStore();
});
after(() => store.cleanup());

test("the console's own writes keep the cached answers; a new analysis (another run.id) drops them", async () => {
  const db = store.copy('cache');
  const q = new SqliteConsoleQueries(db);
  const writer = new Database(db);
  try {
    const first = await q.overview();
    assert.equal(first.counts.incidents, 2);
    // A session touch or an audit row: another connection commits, the results stay the same.
    writer.exec('CREATE TABLE IF NOT EXISTS console_probe (x INTEGER); INSERT INTO console_probe VALUES (1);');
    assert.equal(await q.overview(), first, 'same cached object');
    // A new run replaces the results and its run.id.
    writer.exec("DELETE FROM incidents; UPDATE meta SET value = 'another-run' WHERE key = 'run.id';");
    const second = await q.overview();
    assert.notEqual(second, first);
    assert.equal(second.counts.incidents, 0);
    // A store without run.id (an older one) is re-read after every outside commit.
    writer.exec("DELETE FROM meta WHERE key = 'run.id'; INSERT INTO console_probe VALUES (2);");
    const third = await q.overview();
    assert.notEqual(third, second);
    writer.exec('INSERT INTO console_probe VALUES (3);');
    assert.notEqual(await q.overview(), third, 'without run.id, re-read after the next commit too');
  } finally {
    writer.close();
    q.close();
  }
});
