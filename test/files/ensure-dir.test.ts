import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDir } from '../../src/files/ensure-dir.js';

const root = mkdtempSync(join(tmpdir(), 'cw-ensure-'));

test('creates missing parents, accepts an existing directory', () => {
  const d = join(root, 'a', 'b', 'c');
  ensureDir(d);
  assert.ok(statSync(d).isDirectory());
  ensureDir(d);
});

test('fails on a regular file in the way instead of looping', () => {
  const f = join(root, 'file');
  writeFileSync(f, 'x');
  assert.throws(() => ensureDir(f), { code: 'EEXIST' });
  assert.throws(() => ensureDir(join(f, 'sub')), { code: 'ENOTDIR' });
});

test('fails at once where the file system refuses new directories (procfs)', (t) => {
  if (!existsSync('/proc/self')) {
    t.skip('no /proc here; skipped');
    return;
  }
  assert.throws(() => ensureDir('/proc/cranewatch-test/logs'), { code: 'ENOENT' });
});
