import { dirname, resolve } from 'node:path';
import { ensureDir } from '../files/ensure-dir.js';
import Database from 'better-sqlite3';
import { CwError } from '../errors.js';
import type { LogRecord, StreamName } from '../events/record.js';
import { streamSchema } from '../events/schema.js';
import { writeError } from '../output/write-error.js';
import { sqliteFileKind } from './sqlite-file.js';
import { fromColumnValue, parseSignature, tableLayout, toColumnValue, type ColumnKind, type TableLayout } from './layout.js';
import { DEFAULT_BATCH_ROWS, MAX_SELECT_ROWS, STORE_SCHEMA_VERSION, type SelectQuery, type Store } from './store.js';

/** Options of the SQLite store. */
export interface SqliteStoreOptions {
  /** Rows per insert transaction (default DEFAULT_BATCH_ROWS); a larger batch is split. */
  readonly batchRows?: number;
  /**
   * Upper bound of the database file in bytes, enforced by SQLite (`PRAGMA max_page_count`).
   * Past it inserts fail with `CW_ERR_WRITE` ("… is full (SQLITE_FULL)"). Default: no bound.
   */
  readonly maxDatabaseBytes?: number;
}

type SqlValue = number | string | null;
type Statement = Database.Statement<unknown[]>;

/** A stream table ready for inserts: its layout, its prepared INSERT and one reused parameter row. */
interface TableWriter {
  readonly layout: TableLayout;
  readonly insert: Statement;
  readonly row: SqlValue[];
}

const SQL_TYPE: Readonly<Record<ColumnKind, string>> = {
  real: 'REAL',
  integer: 'INTEGER',
  bool: 'INTEGER',
  text: 'TEXT',
  json: 'TEXT',
};

const q = (ident: string): string => `"${ident}"`;

/**
 * True when `path` is absent, or a regular file that is empty or starts with the SQLite header.
 * SQLite itself would take a file shorter than its header as an empty database and overwrite it;
 * a FIFO, device or directory is never a database.
 */
function isEmptyOrSqlite(path: string): boolean {
  const kind = sqliteFileKind(path);
  return kind === 'absent' || kind === 'empty' || kind === 'sqlite';
}

/**
 * The default store: one SQLite file through better-sqlite3 (synchronous; the async methods of
 * `Store` complete before they return). Layout (STORE_SCHEMA_VERSION 1):
 * - `meta(key TEXT PRIMARY KEY, value TEXT)`: `schema_version`, `stream.<name>` (layout
 *   signature of each stream table), and the run information given to `setMeta`;
 * - one table per stream, created on first insert from the registered schema: columns are the
 *   field names with '.' → '_' (`id_orig_h`), typed REAL (time, interval, double), INTEGER (count,
 *   int, port; bool as 1 / 0) or TEXT (string, addr, enum; vectors and sets as JSON arrays);
 * - where the schema has a natural key, a unique index `<stream>_key` on it and `INSERT OR IGNORE`,
 *   so re-inserting a record is a no-op (a key with a NULL part never conflicts: SQL NULLs are distinct).
 *
 * The run writes alone: rollback journal (`journal_mode=DELETE`, no WAL), `synchronous=NORMAL`,
 * inserts in transactions of `batchRows`. Errors: see `Store`; every SQLite or file-system failure
 * becomes `CwError('CW_ERR_WRITE')` naming the path (reads: `CW_ERR_READ`).
 */
export class SqliteStore implements Store {
  /** A run's transaction is open (`begin` … `close`). */
  private inRun = false;
  private db: Database.Database | null = null;
  private readonly writers = new Map<string, TableWriter>();
  private readonly batchRows: number;
  private insertChunk: ((w: TableWriter, records: readonly LogRecord[], from: number, to: number) => void) | null = null;
  private getMetaStmt: Statement | null = null;
  private putMetaStmt: Statement | null = null;

  /** `path`: the database file (parent directories are created), or `:memory:`. */
  constructor(
    readonly location: string,
    private readonly options: SqliteStoreOptions = {},
  ) {
    const b = options.batchRows ?? DEFAULT_BATCH_ROWS;
    if (!Number.isInteger(b) || b < 1) throw new CwError('CW_ERR_CONFIG', `batchRows must be a positive integer, got ${b}`);
    this.batchRows = b;
  }

  async open(): Promise<void> {
    if (this.db !== null) return;
    let db: Database.Database | null = null;
    try {
      if (this.location !== ':memory:') {
        ensureDir(dirname(resolve(this.location)));
        if (!isEmptyOrSqlite(this.location)) {
          throw new CwError('CW_ERR_WRITE', `cannot write ${this.location}: it is not a SQLite database file (left untouched)`);
        }
      }
      db = new Database(this.location);
      db.pragma('journal_mode = DELETE');
      db.pragma('synchronous = NORMAL');
      const max = this.options.maxDatabaseBytes;
      if (max !== undefined) {
        const pageSize = db.pragma('page_size', { simple: true }) as number;
        db.pragma(`max_page_count = ${Math.max(1, Math.floor(max / pageSize))}`);
      }
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
      if (tables.length > 0 && !tables.includes('meta')) {
        throw new CwError('CW_ERR_WRITE', `cannot write ${this.location}: it is another application's SQLite database (no CraneWatch meta table; left untouched)`);
      }
      db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)');
      const getMeta = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
      const putMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
      const version = getMeta.get('schema_version');
      if (version === undefined) putMeta.run('schema_version', String(STORE_SCHEMA_VERSION));
      else if (version !== String(STORE_SCHEMA_VERSION)) {
        throw new CwError(
          'CW_ERR_WRITE',
          `cannot write ${this.location}: it has store layout version ${String(version)}, this program writes version ${STORE_SCHEMA_VERSION}`,
        );
      }
      this.getMetaStmt = getMeta;
      this.putMetaStmt = putMeta;
      this.insertChunk = db.transaction((w: TableWriter, records: readonly LogRecord[], from: number, to: number) => {
        const { row, insert } = w;
        const cols = w.layout.columns;
        const n = cols.length;
        for (let i = from; i < to; i++) {
          const r = records[i];
          for (let c = 0; c < n; c++) row[c] = toColumnValue(r[cols[c].field]);
          insert.run(row);
        }
      });
      this.db = db;
    } catch (err) {
      if (db !== null && db.open) db.close();
      throw writeError(this.location, err);
    }
  }

  async insertBatch(stream: StreamName, records: readonly LogRecord[]): Promise<void> {
    const insertChunk = this.insertChunk;
    if (insertChunk === null) throw this.notOpen();
    try {
      const w = this.writer(stream);
      for (let from = 0; from < records.length; from += this.batchRows) {
        insertChunk(w, records, from, Math.min(records.length, from + this.batchRows));
      }
    } catch (err) {
      throw writeError(this.location, err);
    }
  }

  async count(stream: StreamName): Promise<number> {
    const db = this.requireDb();
    const layout = this.readLayout(stream);
    if (layout === undefined) return 0;
    try {
      return db.prepare(`SELECT count(*) FROM ${q(layout.table)}`).pluck().get() as number;
    } catch (err) {
      throw this.readError(err);
    }
  }

  async select(stream: StreamName, query: SelectQuery): Promise<LogRecord[]> {
    const db = this.requireDb();
    const { limit, offset = 0 } = query;
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_SELECT_ROWS) {
      throw new CwError('CW_ERR_USAGE', `limit must be an integer from 0 to ${MAX_SELECT_ROWS}, got ${limit}`);
    }
    if (!Number.isInteger(offset) || offset < 0) throw new CwError('CW_ERR_USAGE', `offset must be a non-negative integer, got ${offset}`);
    const layout = this.readLayout(stream);
    if (layout === undefined) return [];
    const column = (field: string): string => {
      const i = layout.byField.get(field);
      if (i === undefined) throw new CwError('CW_ERR_USAGE', `stream ${stream} has no field "${field}"`);
      return q(layout.columns[i].column);
    };
    const params: SqlValue[] = [];
    const where: string[] = [];
    for (const field of Object.keys(query.where ?? {}).sort()) {
      where.push(`${column(field)} = ?`);
      params.push(query.where![field]);
    }
    const order = (query.orderBy ?? []).map((t) => `${column(t.field)} ${t.desc === true ? 'DESC' : 'ASC'}`);
    order.push('rowid ASC');
    const sql =
      `SELECT ${layout.columns.map((c) => q(c.column)).join(', ')} FROM ${q(layout.table)}` +
      (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
      ` ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`;
    params.push(limit, offset);
    try {
      const rows = db.prepare(sql).raw(true).all(...params) as unknown[][];
      return rows.map((row) => {
        const rec: Record<string, LogRecord[string]> = {};
        for (let c = 0; c < layout.columns.length; c++) {
          const v = fromColumnValue(layout.columns[c].kind, row[c]);
          if (v !== null) rec[layout.columns[c].field] = v;
        }
        return rec;
      });
    } catch (err) {
      throw this.readError(err);
    }
  }

  async setMeta(entries: Readonly<Record<string, string>>): Promise<void> {
    const db = this.requireDb();
    const keys = Object.keys(entries).sort();
    for (const k of keys) {
      if (k === 'schema_version' || k.startsWith('stream.')) throw new CwError('CW_ERR_CONFIG', `meta key "${k}" is reserved by the store`);
    }
    try {
      db.transaction(() => {
        for (const k of keys) this.putMetaStmt!.run(k, String(entries[k]));
      })();
    } catch (err) {
      throw writeError(this.location, err);
    }
  }

  async getMeta(): Promise<Record<string, string>> {
    const db = this.requireDb();
    try {
      const out: Record<string, string> = {};
      for (const [k, v] of db.prepare('SELECT key, value FROM meta ORDER BY key').raw(true).all() as [string, string][]) out[k] = v;
      return out;
    } catch (err) {
      throw this.readError(err);
    }
  }

  async begin(): Promise<void> {
    const db = this.requireDb();
    if (this.inRun) return;
    try {
      db.exec('BEGIN IMMEDIATE');
      this.inRun = true;
    } catch (err) {
      throw writeError(this.location, err);
    }
  }

  async rollback(): Promise<void> {
    const db = this.db;
    if (db === null || !this.inRun) return;
    this.inRun = false;
    try {
      if (db.inTransaction) db.exec('ROLLBACK');
    } catch (err) {
      throw writeError(this.location, err);
    }
  }

  async close(): Promise<void> {
    const db = this.db;
    if (db === null) return;
    this.db = null;
    this.insertChunk = null;
    this.writers.clear();
    try {
      if (this.inRun) {
        this.inRun = false;
        if (db.inTransaction) db.exec('COMMIT');
      }
      db.close();
    } catch (err) {
      throw writeError(this.location, err);
    }
  }

  /** The insert side of a stream's table, creating the table on first use. */
  private writer(stream: string): TableWriter {
    const known = this.writers.get(stream);
    if (known !== undefined) return known;
    const db = this.requireDb();
    const schema = streamSchema(stream);
    if (schema === undefined) {
      throw new CwError('CW_ERR_CONFIG', `stream ${stream} has no registered schema (events/schema.ts defineStream); its records cannot be stored`);
    }
    const layout = tableLayout(schema);
    const metaKey = `stream.${stream}`;
    const stored = this.getMetaStmt!.get(metaKey) as string | undefined;
    if (stored !== undefined && stored !== layout.signature) {
      throw new CwError(
        'CW_ERR_WRITE',
        `cannot write ${this.location}: its table ${stream} was created with other fields than this program's; write to a new database`,
      );
    }
    if (stored === undefined) {
      db.transaction(() => {
        db.exec(`CREATE TABLE IF NOT EXISTS ${q(layout.table)} (${layout.columns.map((c) => `${q(c.column)} ${SQL_TYPE[c.kind]}`).join(', ')})`);
        if (layout.keyColumns.length > 0) {
          db.exec(`CREATE UNIQUE INDEX IF NOT EXISTS ${q(`${layout.table}_key`)} ON ${q(layout.table)} (${layout.keyColumns.map(q).join(', ')})`);
        }
        this.putMetaStmt!.run(metaKey, layout.signature);
      })();
    }
    const verb = layout.keyColumns.length > 0 ? 'INSERT OR IGNORE' : 'INSERT';
    const insert = db.prepare(
      `${verb} INTO ${q(layout.table)} (${layout.columns.map((c) => q(c.column)).join(', ')}) VALUES (${layout.columns.map(() => '?').join(', ')})`,
    );
    const w: TableWriter = { layout, insert, row: new Array<SqlValue>(layout.columns.length).fill(null) };
    this.writers.set(stream, w);
    return w;
  }

  async clear(): Promise<void> {
    const db = this.requireDb();
    try {
      const streams = db.prepare("SELECT substr(key, 8) FROM meta WHERE key LIKE 'stream.%'").pluck().all() as string[];
      db.transaction(() => {
        for (const stream of streams) {
          const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(stream) as string | undefined;
          const schema = streamSchema(stream);
          if (table !== undefined && schema !== undefined && this.getMetaStmt!.get(`stream.${stream}`) !== tableLayout(schema).signature) {
            // The schema gained or changed fields since the table was made: this run replaces its records anyway.
            db.exec(`DROP TABLE ${q(table)}`);
            db.prepare('DELETE FROM meta WHERE key = ?').run(`stream.${stream}`);
            this.writers.delete(stream);
          } else if (table !== undefined) db.exec(`DELETE FROM ${q(table)}`);
        }
      })();
    } catch (err) {
      throw writeError(this.location, err);
    }
  }

  /** The layout to read a stream with: its registered schema, else the one stored with its table; undefined when it has no table. */
  private readLayout(stream: string): TableLayout | undefined {
    const db = this.requireDb();
    let stored: string | undefined;
    try {
      if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(stream) === undefined) return undefined;
      stored = this.getMetaStmt!.get(`stream.${stream}`) as string | undefined;
    } catch (err) {
      throw this.readError(err);
    }
    const schema = streamSchema(stream) ?? (stored === undefined ? undefined : parseSignature(stream, stored));
    return schema === undefined ? undefined : tableLayout(schema);
  }

  private requireDb(): Database.Database {
    if (this.db === null) throw this.notOpen();
    return this.db;
  }

  private notOpen(): CwError {
    return new CwError('CW_ERR_CONFIG', `store ${this.location} is not open`);
  }

  private readError(err: unknown): CwError {
    if (err instanceof CwError) return err;
    return new CwError('CW_ERR_READ', `cannot read ${this.location}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
