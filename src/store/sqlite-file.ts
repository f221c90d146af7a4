import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** The 16-byte header every SQLite 3 database file starts with (https://www.sqlite.org/fileformat.html §1.3). */
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * What is at `path`, judged by its file type and first 16 bytes only (nothing is opened for writing):
 * `absent`; `not-file` (a directory, FIFO or device — opening a FIFO would block); `empty` (a
 * regular file shorter than 1 byte); `sqlite` (a regular file starting with the SQLite 3 header);
 * `other` (any other regular file, including one shorter than the header).
 * Errors: the file system's own (permission denied …), thrown as they are.
 */
export function sqliteFileKind(path: string): 'absent' | 'not-file' | 'empty' | 'sqlite' | 'other' {
  let fd: number;
  try {
    if (!statSync(path).isFile()) return 'not-file';
    fd = openSync(path, 'r');
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return 'absent';
    throw err;
  }
  try {
    const head = Buffer.alloc(SQLITE_MAGIC.length);
    const n = readSync(fd, head, 0, head.length, 0);
    if (n === 0) return 'empty';
    return n === head.length && head.equals(SQLITE_MAGIC) ? 'sqlite' : 'other';
  } finally {
    closeSync(fd);
  }
}
