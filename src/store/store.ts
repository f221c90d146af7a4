import type { LogRecord, StreamName } from '../events/record.js';

/**
 * Version of the store layout (one table per stream named after it, columns named after the
 * stream's fields with '.' → '_', a `meta` key/value table). A store refuses to write into a
 * database whose recorded version differs.
 */
export const STORE_SCHEMA_VERSION = 1;

/** Rows per insert transaction / per sink batch unless told otherwise. */
export const DEFAULT_BATCH_ROWS = 5000;

/** Rows one `select` may return at most (bounded reads for the console and the API). */
export const MAX_SELECT_ROWS = 10_000;

/** One ORDER BY term: a field of the stream (Zeek name, e.g. `id.orig_h`), ascending unless `desc`. */
export interface OrderTerm {
  readonly field: string;
  readonly desc?: boolean;
}

/**
 * A bounded read of one stream.
 * - `where`: equality on fields (Zeek names); all terms must hold. Bool fields compare with 1 / 0.
 * - `limit`: rows to return, 0 ≤ limit ≤ MAX_SELECT_ROWS.
 * - `offset`: rows to skip first (default 0).
 * - `orderBy`: sort terms; rows that tie keep insertion order (the result is deterministic).
 */
export interface SelectQuery {
  readonly where?: Readonly<Record<string, string | number>>;
  readonly limit: number;
  readonly offset?: number;
  readonly orderBy?: readonly OrderTerm[];
}

/**
 * Where log records are kept: SQLite (store/sqlite.ts, the default) or PostgreSQL. One table per
 * stream, laid out from the stream's registered schema (events/schema.ts); idempotent inserts on
 * the schema's natural key (`key`), so replaying a batch neither loses nor doubles rows
 * (DESIGN.md "Storage and scale").
 *
 * Errors (all `CwError`): `CW_ERR_WRITE` when the store cannot be opened or written (the message
 * names `location` and the reason: disk full, read-only, not a database …); `CW_ERR_CONFIG` when a
 * record's stream has no registered schema; `CW_ERR_USAGE` for a query naming an unknown field or
 * an out-of-range limit / offset.
 */
export interface Store {
  /** Where the data lives (a file path, or a database URL without credentials), for messages. */
  readonly location: string;
  /** Opens (creating if needed) the database and checks its layout version. Call once, first. */
  open(): Promise<void>;
  /**
   * Inserts records of one stream (fields by Zeek name; vectors and sets as arrays). Records whose
   * natural key is already stored are skipped. The stream's table is created on first use.
   */
  insertBatch(stream: StreamName, records: readonly LogRecord[]): Promise<void>;
  /** Rows stored for a stream (0 when the stream has no table). */
  count(stream: StreamName): Promise<number>;
  /** Rows of a stream as log records (Zeek field names; unset fields absent; vectors as arrays). */
  select(stream: StreamName, query: SelectQuery): Promise<LogRecord[]>;
  /** Writes run information (key → text), replacing earlier values of the same keys. Keys `schema_version` and `stream.*` are the store's own. */
  setMeta(entries: Readonly<Record<string, string>>): Promise<void>;
  /** All meta entries, keys sorted. */
  getMeta(): Promise<Record<string, string>>;
  /**
   * Start one run's replacement of the stored results: from here until `close`, `clear` and the
   * inserts are one transaction that `close` commits. A failure, `rollback`, or a process that ends
   * without `close` leaves the store as it was before `begin`. Errors: CwError CW_ERR_WRITE.
   */
  begin(): Promise<void>;
  /** Undo everything since `begin` (nothing when no run is open). Errors: CwError CW_ERR_WRITE. */
  rollback(): Promise<void>;
  /** Commits an open run, flushes and closes; later calls do nothing. */
  close(): Promise<void>;
  /**
   * Delete every record of every stream table this store created (those recorded in its meta
   * data; other tables are left alone), keeping the tables and meta: a run that replaces the
   * results of an earlier one. A table whose stream's registered schema now has other fields (a
   * newer CraneWatch added a column) is dropped with its layout record instead, so the run creates
   * it anew. Errors: CwError CW_ERR_WRITE.
   */
  clear(): Promise<void>;
}
