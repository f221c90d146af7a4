import { chmodSync } from 'node:fs';
import Database from 'better-sqlite3';
import { CwError } from '../errors.js';
import { sqliteFileKind } from '../store/sqlite-file.js';

/**
 * Checks that `path` is an existing CraneWatch store (store/sqlite.ts): a SQLite 3 file
 * (https://www.sqlite.org/fileformat.html §1.3 header) with a `meta` table holding `schema_version`.
 * Opens nothing for writing and changes nothing.
 * @throws CwError CW_ERR_NOT_FOUND when the file does not exist; CW_ERR_READ when it is not a regular
 *   file, not a SQLite database, or a SQLite database of another application.
 */
export function checkStoreFile(path: string): void {
  let kind: ReturnType<typeof sqliteFileKind>;
  try {
    kind = sqliteFileKind(path);
  } catch (err) {
    throw new CwError('CW_ERR_READ', `cannot read ${path}: ${(err as Error).message}`);
  }
  if (kind === 'absent') throw new CwError('CW_ERR_NOT_FOUND', `${path} does not exist (create it with cranewatch analyze --db ${path})`);
  if (kind === 'not-file') throw new CwError('CW_ERR_READ', `${path} is not a file`);
  if (kind !== 'sqlite') throw new CwError('CW_ERR_READ', `${path} is not a CraneWatch database (not a SQLite file)`);
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
    const version = hasMeta ? (db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get() as string | undefined) : undefined;
    if (version === undefined) throw new CwError('CW_ERR_READ', `${path} is not a CraneWatch database (no store meta table)`);
  } catch (err) {
    if (err instanceof CwError) throw err;
    throw new CwError('CW_ERR_READ', `cannot read ${path}: ${(err as Error).message}`);
  } finally {
    db?.close();
  }
}

/**
 * Restricts the store file to its owner (mode 0600: it holds password hashes and session digests).
 * Best effort and POSIX only: nothing on Windows, and a failure (a file owned by another user, a file
 * system without modes) is ignored. SQLite gives its rollback journal the database file's mode.
 */
function restrictStoreMode(path: string): void {
  if (process.platform === 'win32') return;
  try {
    chmodSync(path, 0o600);
  } catch {
    // Best effort: the file stays as it was.
  }
}

/**
 * The console's write connection to a checked store file: WAL is not used (the store's rollback
 * journal stays), `busy_timeout` 5 s. Used for users, sessions, audit rows, indexes and upload merges.
 * Sets the file's mode to 0600 first (`restrictStoreMode`: best effort, POSIX only).
 * @throws CwError CW_ERR_WRITE when the file cannot be opened for writing.
 */
export function openWriteConnection(path: string): Database.Database {
  restrictStoreMode(path);
  try {
    const db = new Database(path, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (err) {
    throw new CwError('CW_ERR_WRITE', `cannot write ${path}: ${(err as Error).message}`);
  }
}
