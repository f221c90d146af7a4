import assert from 'node:assert/strict';
import { test } from 'node:test';
import { zeekEscape } from '../../src/protocols/zeek-escape.js';
import { subView } from './modbus/fixtures.js';

function esc(bytes: number[], max = 1024): { text: string; truncated: boolean } {
  const v = subView(Uint8Array.from(bytes));
  return zeekEscape(v, 0, v.length, max);
}

test('printable ASCII is kept, control bytes and the backslash are escaped', () => {
  assert.deepEqual(esc([0x41, 0x20, 0x7e]), { text: 'A ~', truncated: false });
  assert.equal(esc([0x00, 0x09, 0x0a, 0x7f, 0x1f]).text, '\\x00\\x09\\x0a\\x7f\\x1f');
  assert.equal(esc([0x5c]).text, '\\\\');
});

test('bytes ≥ 0x80: valid UTF-8 is kept, anything else is escaped byte by byte', () => {
  assert.equal(esc([0x4b, 0xc3, 0xa4, 0x6e]).text, 'Kän');
  assert.equal(esc([0xe2, 0x82, 0xac]).text, '€');
  assert.equal(esc([0xc3, 0xa4, 0xff]).text, '\\xc3\\xa4\\xff');
  assert.equal(esc([0xc0, 0x80]).text, '\\xc0\\x80', 'overlong form');
  assert.equal(esc([0xed, 0xa0, 0x80]).text, '\\xed\\xa0\\x80', 'surrogate');
});

test('a range inside a larger buffer', () => {
  const b = Uint8Array.from([0x00, 0x41, 0x42, 0x00]);
  assert.deepEqual(zeekEscape(b, 1, 3, 10), { text: 'AB', truncated: false });
});

test('the bound never splits an escape sequence', () => {
  assert.deepEqual(esc([0x41, 0x00, 0x42], 4), { text: 'A', truncated: true });
  assert.deepEqual(esc([0x41, 0x00, 0x42], 5), { text: 'A\\x00', truncated: true });
  assert.deepEqual(esc([0x41, 0x00, 0x42], 6), { text: 'A\\x00B', truncated: false });
});
