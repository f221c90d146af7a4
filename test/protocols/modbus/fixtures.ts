import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from '../../helpers/shared-data.js';

/** Folder of the Modbus hex fixtures (src/protocols/modbus/fixtures). */
export const FIXTURE_DIR = resolve(REPO_ROOT, 'src', 'protocols', 'modbus', 'fixtures');

/**
 * The named byte strings of one fixture file: `@ name` starts an entry, each other line is hex
 * bytes with an optional `# comment`; lines that start with `#` are comments.
 * @throws Error on a bad hex digit, an odd digit count or bytes before the first `@ name`
 */
export function loadFixture(file: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  let name: string | null = null;
  let hex = '';
  const flush = (): void => {
    if (name === null) return;
    if (hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) throw new Error(`${file} @ ${name}: bad hex ${hex}`);
    out.set(name, Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16)));
  };
  for (const raw of readFileSync(resolve(FIXTURE_DIR, file), 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('@')) {
      flush();
      name = line.slice(1).trim();
      hex = '';
      continue;
    }
    if (name === null) throw new Error(`${file}: bytes before the first @ name`);
    hex += line.split('#')[0].replace(/\s+/g, '');
  }
  flush();
  return out;
}

/** One fixture entry; throws when absent. */
export function fixture(file: string, name: string): Uint8Array {
  const b = loadFixture(file).get(name);
  if (b === undefined) throw new Error(`${file}: no entry ${name}`);
  return b;
}

/** A copy of `bytes` placed at a non-zero byteOffset inside a larger buffer filled with noise. */
export function subView(bytes: Uint8Array, lead = 7): Uint8Array {
  const big = new Uint8Array(lead + bytes.length + 9).fill(0xa5);
  big.set(bytes, lead);
  return big.subarray(lead, lead + bytes.length);
}

/** Concatenation of byte strings. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
