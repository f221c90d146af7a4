import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_MAX_CONTAINER_MATCHES, scanContainerNumbers } from '../../src/crane/container-scan.js';
import { isValidContainerNumberAt, makeContainerNumber } from '../../src/crane/iso6346.js';

const enc = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

/** mulberry32: deterministic PRNG (fixed seed, a failure reproduces). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The specification as a regular expression over latin1 text, then the check digit. */
function reference(bytes: Uint8Array): { number: string; offset: number }[] {
  const s = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const out: { number: string; offset: number }[] = [];
  for (const m of s.matchAll(/(?<![A-Za-z0-9])[A-Z]{3}[UJZ]\d{7}(?![A-Za-z0-9])/g)) {
    if (isValidContainerNumberAt(s, m.index)) out.push({ number: m[0], offset: m.index });
  }
  return out;
}

test('finds valid numbers with their offsets, in order', () => {
  const payload = enc("EQD+CN+MSKU1234565+45G1'  EQD+CN+CSQU3054383+22G1' text TCNU7200794.");
  const r = scanContainerNumbers(payload);
  assert.equal(r.truncated, false);
  assert.deepEqual(r.hits, [
    { number: 'MSKU1234565', offset: 7 },
    { number: 'CSQU3054383', offset: 33 },
    { number: 'TCNU7200794', offset: 56 },
  ]);
});

test('check digit, category and word boundaries decide', () => {
  const J = makeContainerNumber('ABC', 'J', '000001');
  const Z = makeContainerNumber('ABC', 'Z', '000041');
  const cases: [string, string[]][] = [
    ['CSQU3054384', []], // wrong check digit
    ['CSQX3054383', []], // category X
    ['csqu3054383', []], // lower case
    ['xCSQU3054383', []], // letter before
    ['9CSQU3054383', []], // digit before
    ['CSQU30543830', []], // digit after (12-character run)
    ['CSQU3054383a', []], // letter after
    ['ACSQU3054383', []], // 4 letters before the digits but 12-character run
    ['CSQU3054383', ['CSQU3054383']], // whole payload
    ['_CSQU3054383_', ['CSQU3054383']], // underscore is not alphanumeric
    ['\u00e9CSQU3054383\u00ff', ['CSQU3054383']], // latin1 letters are not ASCII alphanumerics
    ['CSQU3054383CSQU3054383', []], // 22-character run
    ['CSQU3054383 CSQU3054383', ['CSQU3054383', 'CSQU3054383']],
    [`${J} ${Z}`, [J, Z]], // categories J and Z
  ];
  for (const [text, expected] of cases) {
    const got = scanContainerNumbers(enc(text)).hits.map((h) => h.number);
    assert.deepEqual(got, expected, JSON.stringify(text));
  }
});

test('a sub-view with a non-zero byteOffset reports offsets relative to the view and stops at its end', () => {
  const backing = enc('CSQU3054383|TCNU7200794|MSKU1234565');
  const view = backing.subarray(12, 23); // exactly "TCNU7200794"
  assert.equal(view.byteOffset, 12);
  assert.deepEqual(scanContainerNumbers(view).hits, [{ number: 'TCNU7200794', offset: 0 }]);
  // A view cut inside a longer run: bytes outside the view are not looked at, so its ends are boundaries.
  const inner = enc('XCSQU3054383X').subarray(1, 12);
  assert.deepEqual(scanContainerNumbers(inner).hits, [{ number: 'CSQU3054383', offset: 0 }]);
});

test('bounded: stops at maxMatches and says so; nothing for tiny payloads or maxMatches 0', () => {
  const many = enc(Array.from({ length: 100 }, () => 'CSQU3054383').join(' '));
  const r = scanContainerNumbers(many, 10);
  assert.equal(r.hits.length, 10);
  assert.equal(r.truncated, true);
  assert.equal(scanContainerNumbers(many).hits.length, DEFAULT_MAX_CONTAINER_MATCHES);
  const exact = scanContainerNumbers(enc('CSQU3054383 CSQU3054383'), 2);
  assert.equal(exact.hits.length, 2);
  assert.equal(exact.truncated, false, 'the payload ended with the last allowed hit');
  assert.equal(scanContainerNumbers(many, 0).hits.length, 0);
  assert.equal(scanContainerNumbers(enc('CSQU305438')).hits.length, 0);
  assert.equal(scanContainerNumbers(new Uint8Array(0)).hits.length, 0);
});

test('payloads without numbers share one frozen empty result', () => {
  const a = scanContainerNumbers(enc('no numbers in here 1234567 ABCD'));
  const b = scanContainerNumbers(new Uint8Array(4096));
  assert.equal(a, b);
  assert.ok(Object.isFrozen(a) && Object.isFrozen(a.hits));
});

test('agrees with the regular-expression definition on 2 MB of random bytes with planted numbers', () => {
  const rnd = prng(0x6346);
  const buf = new Uint8Array(2 << 20);
  for (let i = 0; i < buf.length; i++) buf[i] = Math.floor(rnd() * 256);
  // Plant valid and invalid numbers, some glued to neighbours, some overlapping earlier plants.
  const planted = ['CSQU3054383', 'TCNU7200794', 'MSKU1234565', 'CSQU3054384', 'GYOU4047990'];
  for (let k = 0; k < 3000; k++) {
    const at = Math.floor(rnd() * (buf.length - 13));
    const n = planted[k % planted.length];
    const sep = k % 3 === 0 ? '' : ' ';
    buf.set(enc(`${sep}${n}${sep}`), at);
  }
  // Digit-heavy stretches exercise the back-scan of long digit runs.
  for (let k = 0; k < 200; k++) buf.set(enc('0123456789012345678901234'), Math.floor(rnd() * (buf.length - 25)));
  const view = buf.subarray(3); // non-zero byteOffset
  const expected = reference(view);
  assert.ok(expected.length > 1000, `planted numbers found: ${expected.length}`);
  const got = scanContainerNumbers(view, 1_000_000);
  assert.deepEqual(got.hits, expected);
});

test('agrees with the regular-expression definition on dense text', () => {
  const words = ['EQD+CN+', 'CSQU3054383', "'", 'LOC+147+0381182::5', '\n', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 'TCNU7200794', ' '];
  const rnd = prng(7);
  let s = '';
  while (s.length < 200_000) s += words[Math.floor(rnd() * words.length)];
  const bytes = enc(s);
  assert.deepEqual(scanContainerNumbers(bytes, 1_000_000).hits, reference(bytes));
});
