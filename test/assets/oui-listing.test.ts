import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { OuiListing } from '../../src/assets/oui-listing.js';
import { CwError } from '../../src/errors.js';

const packagePath = createRequire(import.meta.url).resolve('oui-data');
const whole = JSON.parse(readFileSync(packagePath, 'utf8')) as Record<string, string>;

describe('OuiListing (oui-data read by line index)', () => {
  it('gives every entry of the package exactly as JSON.parse of the whole file does', () => {
    const listing = OuiListing.load();
    const keys = Object.keys(whole);
    assert.ok(keys.length > 50_000, `${keys.length} entries`);
    for (const k of keys) assert.equal(listing.get(k), whole[k], k);
  });
  it('gives undefined for keys not registered, and for text that is not a key', () => {
    const listing = OuiListing.load();
    for (const k of ['FFFFFF', 'FFFFFFF', 'FFFFFFFFF', '', 'zzzzzz', '0000000000'].filter((x) => !Object.hasOwn(whole, x))) assert.equal(listing.get(k), undefined, k);
  });
  it('decodes escapes and non-ASCII text of an entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oui-'));
    const entries: Record<string, string> = { '000000': 'A "quoted" maker\\ Ltd\nStreet', '0000001': 'Société Générale\nParis' };
    for (let i = 0; i < 1000; i++) entries[(0x100000 + i).toString(16).toUpperCase()] = `Maker ${i}`;
    const path = join(dir, 'oui.json');
    writeFileSync(path, JSON.stringify(entries, null, 1));
    const listing = OuiListing.load(path);
    assert.equal(listing.get('000000'), entries['000000']);
    assert.equal(listing.get('0000001'), 'Société Générale\nParis');
    assert.equal(listing.get('1003E7'), 'Maker 999');
  });
  it('parses a listing laid out otherwise (one line) whole, with the same answers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oui-'));
    const path = join(dir, 'oui.json');
    writeFileSync(path, JSON.stringify({ '0080F4': 'Telemecanique Electrique\nFrance', '8C1F64FF9': 'Small Maker' }));
    const listing = OuiListing.load(path);
    assert.equal(listing.get('0080F4'), 'Telemecanique Electrique\nFrance');
    assert.equal(listing.get('8C1F64FF9'), 'Small Maker');
    assert.equal(listing.get('000000'), undefined);
  });
  it('names the package in a CW_ERR_READ error when the file cannot be read or parsed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oui-'));
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{ "0080F4": ');
    assert.throws(() => OuiListing.load(path), (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_READ' && /oui-data/.test(e.message));
    assert.throws(() => OuiListing.load(join(dir, 'absent.json')), (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_READ');
  });
});
