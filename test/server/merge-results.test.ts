import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { mergeResults } from '../../src/server/jobs/merge-results.js';
import { demoStore, type DemoStore } from './fixture.js';

let store: DemoStore;
before(async () => {
  store = await demoStore();
});
after(() => store.cleanup());

/** Every table's row count and the meta entries of a store file: what a failed merge must leave as it was. */
function snapshot(db: Database.Database): string {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  const counts = tables.map((t) => `${t}=${String(db.prepare(`SELECT COUNT(*) FROM "${t}"`).pluck().get())}`);
  return JSON.stringify([counts, db.prepare('SELECT key, value FROM meta ORDER BY key').all()]);
}

test('a merge that fails part-way changes nothing in the served store', () => {
  const target = new Database(store.copy('merge-target'));
  try {
    const before = snapshot(target);
    // A source whose first stream (conn) would replace the target's table, and whose second carries an
    // index named like the target's findings index (findings is not in the source, so it stays): the
    // merge fails there, after conn was replaced.
    const source = join(store.dir, 'broken-source.sqlite');
    const s = new Database(source);
    s.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT); INSERT INTO meta VALUES ('run.id', 'new-run'), ('stream.conn', 'x'), ('stream.zzz', 'y');");
    s.exec("CREATE TABLE conn (ts REAL, uid TEXT); INSERT INTO conn VALUES (1, 'Cnew');");
    s.exec('CREATE TABLE zzz (x INTEGER); CREATE INDEX findings_key ON zzz (x);');
    s.close();
    assert.throws(() => mergeResults(target, source));
    assert.equal(snapshot(target), before);
    // Not a database at all.
    const text = join(store.dir, 'not-a-db.sqlite');
    writeFileSync(text, 'hello, not a database\n');
    assert.throws(() => mergeResults(target, text));
    assert.equal(snapshot(target), before);
  } finally {
    target.close();
  }
});
