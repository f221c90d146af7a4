import type Database from 'better-sqlite3';

/**
 * Replaces the stored results of the served database with those of a finished run in another store
 * file (`source`, written by the analysis pipeline), in one transaction on the write connection:
 * every stream table of the source is dropped and recreated in the target with its own DDL and
 * indexes and filled from the source; stream tables only the target has are emptied (as the store's
 * `clear` does); meta entries of the source replace the target's (`stream.*` of target-only streams
 * are kept). Console tables (`console_*`) are never touched. Synchronous: no other statement of this
 * process runs in between. Throws what better-sqlite3 throws; then nothing has changed.
 */
export function mergeResults(db: Database.Database, source: string): void {
  db.prepare('ATTACH DATABASE ? AS src').run(source);
  try {
    db.transaction(() => {
      const srcStreams = db.prepare("SELECT substr(key, 8) FROM src.meta WHERE key LIKE 'stream.%'").pluck().all() as string[];
      const mainStreams = db.prepare("SELECT substr(key, 8) FROM main.meta WHERE key LIKE 'stream.%'").pluck().all() as string[];
      const mainTables = new Set(db.prepare("SELECT name FROM main.sqlite_master WHERE type = 'table'").pluck().all() as string[]);
      const srcSet = new Set(srcStreams);
      for (const s of mainStreams) if (!srcSet.has(s) && mainTables.has(s) && !s.startsWith('console_')) db.exec(`DELETE FROM main."${s}"`);
      for (const s of srcStreams) {
        if (s.startsWith('console_') || s === 'meta') continue;
        const ddl = db.prepare("SELECT type, sql FROM src.sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type = 'index'").all(s) as { type: string; sql: string }[];
        if (ddl.length === 0) continue;
        db.exec(`DROP TABLE IF EXISTS main."${s}"`);
        for (const d of ddl) db.exec(d.sql);
        db.exec(`INSERT INTO main."${s}" SELECT * FROM src."${s}"`);
      }
      db.exec("DELETE FROM main.meta WHERE key IN (SELECT key FROM src.meta) OR key NOT LIKE 'stream.%'");
      db.exec('INSERT INTO main.meta (key, value) SELECT key, value FROM src.meta');
    })();
  } finally {
    db.exec('DETACH DATABASE src');
  }
}
