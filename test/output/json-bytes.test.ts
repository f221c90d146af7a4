import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonBytes } from '../../src/output/json-bytes.js';

/** The text written so far. */
function text(out: JsonBytes): string {
  return Buffer.from(out.buf.subarray(0, out.len)).toString('utf8');
}

describe('JsonBytes', () => {
  it('writes safe integers as JSON.stringify does, across digit-count and 32-bit boundaries', () => {
    const values = [0, 1, 9, 10, 99, 100, 65535, 999_999_999, 1_000_000_000, 0x7fffffff, 0x80000000, 2 ** 53 - 1, -1, -2147483648, -(2 ** 53 - 1)];
    for (const v of values) {
      const out = new JsonBytes(64);
      out.integer(v);
      assert.equal(text(out), JSON.stringify(v), String(v));
    }
  });

  it('quotes strings exactly as JSON.stringify, as UTF-8', () => {
    const samples = [
      '',
      'CAAAAAAAAAAAAAAAAA',
      '10.0.0.1',
      'a"b\\c',
      '\u0000\u0001\u001f\b\f\n\r\t',
      '\u007f',
      'é', // two UTF-8 bytes
      '€', // three
      '\u{1F6A2}', // a surrogate pair, four
      '\ud800', // lone high surrogate
      'x\udc00y', // lone low surrogate
      'READ_HOLDING_REGISTERS',
    ];
    for (const s of samples) {
      const out = new JsonBytes(64);
      out.jsonString(s);
      assert.equal(text(out), JSON.stringify(s), JSON.stringify(s));
    }
  });

  it('grows to hold a line longer than its capacity, keeping what was written', () => {
    const out = new JsonBytes(64);
    out.ascii('{');
    const long = 'x'.repeat(1000);
    out.jsonString(long);
    out.jsonString('é'.repeat(300));
    out.byte(0x7d);
    assert.equal(text(out), `{${JSON.stringify(long)}${JSON.stringify('é'.repeat(300))}}`);
    out.reset();
    assert.equal(out.len, 0);
    out.ascii('1.5');
    assert.equal(text(out), '1.5');
  });
});

describe('JsonBytes.micros', () => {
  it('writes k / 10^6 as String(k / 1e6) does (shortest round trip) for microsecond values', () => {
    let seed = 12345;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const ks = [1, 9, 10, 239, 999_999, 1_000_001, 1_258_531_221_486_539, 1_741_939_200_000_001, 8_589_934_591_999_999];
    for (let i = 0; i < 20_000; i++) ks.push(Math.floor(rnd() * 2 ** 33) * 1e6 + Math.floor(rnd() * 1e6));
    for (const k of ks) {
      if (k % 1e6 === 0) continue;
      const out = new JsonBytes(16);
      out.micros(k);
      assert.equal(text(out), String(k / 1e6), String(k));
    }
  });
});
