import { CwError } from '../errors.js';

/**
 * Plain-language reasons for the error codes an output write can fail with: Node.js / POSIX errno
 * names (`ENOSPC`, `EACCES`, …) and SQLite primary result codes (https://www.sqlite.org/rescode.html,
 * `SQLITE_FULL`, `SQLITE_CANTOPEN`, …; extended codes such as `SQLITE_IOERR_WRITE` map by their primary part).
 */
const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EFBIG: 'the file is too large',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a component of the path is not a directory',
  EISDIR: 'the path is a directory',
  ENOENT: 'a directory on the path does not exist',
  EEXIST: 'a file is in the way of a directory on the path',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  SQLITE_FULL: 'the disk or the database size limit is full',
  SQLITE_READONLY: 'the database is read-only',
  SQLITE_CANTOPEN: 'the database file cannot be opened',
  SQLITE_NOTADB: 'the file is not a SQLite database',
  SQLITE_CORRUPT: 'the database file is damaged',
  SQLITE_PERM: 'permission denied',
  SQLITE_AUTH: 'permission denied',
  SQLITE_BUSY: 'the database is locked by another process',
  SQLITE_LOCKED: 'the database is locked',
  SQLITE_IOERR: 'input/output error',
  SQLITE_TOOBIG: 'a value is too large for the database',
};

/**
 * Turns any failure to write an output (a file, a directory, a database) into one clear
 * `CwError('CW_ERR_WRITE')`: `cannot write <target>: <reason> (<code>)`. A `CwError` passes through
 * unchanged (it already carries its code and message). `target` is a path or a store location
 * without credentials. Never throws.
 */
export function writeError(target: string, err: unknown): CwError {
  if (err instanceof CwError) return err;
  const code = typeof (err as { code?: unknown } | null)?.code === 'string' ? (err as { code: string }).code : '';
  const primary = code.startsWith('SQLITE_') ? code.split('_', 2).join('_') : code;
  const reason =
    REASONS[code] ?? REASONS[primary] ?? (err instanceof Error && err.message !== '' ? err.message : String(err));
  return new CwError('CW_ERR_WRITE', `cannot write ${target}: ${reason}${code === '' ? '' : ` (${code})`}`);
}
