import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Create a directory and its missing parents, one level at a time. Same result as
 * `mkdirSync(dir, { recursive: true })`, whose loop never ends on file systems that answer a mkdir
 * with ENOENT although the parent exists (procfs, sysfs): here that error is thrown instead.
 * @throws the first file-system error (ENOENT, EACCES, ENOTDIR, EEXIST for a non-directory …) unchanged.
 */
export function ensureDir(dir: string): void {
  const target = resolve(dir);
  const missing: string[] = [];
  for (let p = target; ; p = dirname(p)) {
    let exists = false;
    try {
      exists = statSync(p).isDirectory();
      if (!exists) {
        const e = new Error(`EEXIST: file already exists, mkdir '${p}'`) as NodeJS.ErrnoException;
        e.code = p === target ? 'EEXIST' : 'ENOTDIR';
        throw e;
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (exists) break;
    missing.push(p);
    if (dirname(p) === p) break;
  }
  for (let i = missing.length - 1; i >= 0; i--) mkdirSync(missing[i]);
}
