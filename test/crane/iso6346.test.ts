import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CwError } from '../../src/errors.js';
import { checkDigit, checkDigitBytes, isValidContainerNumberAt, makeContainerNumber, parseContainerNumber } from '../../src/crane/iso6346.js';
import { portEdiFile } from './port-edi.js';

/** Rows of a small CSV without quoted fields (the shared vector files have none in the columns read). */
function csvRows(file: string): string[][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(1)
    .map((l) => l.split(','));
}

test('Annex A check digit: worked values and the 10→0 rule', () => {
  // CSQU305438: C13 S30 Q28 U32 3 0 5 4 3 8, weights 1…512: Σ = 6185, 6185 mod 11 = 3.
  assert.equal(checkDigit('CSQU305438'), 3);
  assert.equal(checkDigit('TCNU720079'), 4);
  assert.equal(checkDigit('TOLU473478'), 7);
  assert.equal(checkDigit('GYOU404799'), 0);
  assert.equal(checkDigit('csqu305438'), 3, 'letters read case-insensitively');
  // A sum ≡ 10 (mod 11) gives check digit 0: search a serial that hits it and check both rules.
  let found = 0;
  for (let n = 0; n < 1000 && found === 0; n++) {
    const first10 = `ABCU${String(n).padStart(6, '0')}`;
    let sum = 0;
    const values: Record<string, number> = { A: 10, B: 12, C: 13, U: 32 };
    for (let i = 0; i < 10; i++) sum += (values[first10[i]] ?? Number(first10[i])) * 2 ** i;
    if (sum % 11 === 10) {
      assert.equal(checkDigit(first10), 0);
      found++;
    } else assert.equal(checkDigit(first10), sum % 11);
  }
  assert.equal(found, 1);
});

test('checkDigit rejects bad input with -1, never throws', () => {
  assert.equal(checkDigit('CSQU30543'), -1);
  assert.equal(checkDigit('CSQU3054381'), -1);
  assert.equal(checkDigit('CSQU30543-'), -1);
  assert.equal(checkDigit('CSQU30543\u00e9'), -1);
});

test('checkDigitBytes reads a sub-view at an offset', () => {
  const backing = new TextEncoder().encode('xxxxCSQU3054383yyyy');
  const view = backing.subarray(2, 17); // byteOffset 2: "xxCSQU3054383yy"
  assert.equal(view.byteOffset, 2);
  assert.equal(checkDigitBytes(view, 2), 3);
  assert.equal(checkDigitBytes(view, 6), -1, 'range passes the end of the view');
  assert.equal(checkDigitBytes(view, -1), -1);
});

test('parseContainerNumber: parts, normalization, printed separators', () => {
  const r = parseContainerNumber('csQU3054383');
  assert.deepEqual(r, { ok: true, owner: 'CSQ', category: 'U', serial: '305438', checkDigit: 3, normalized: 'CSQU3054383' });
  for (const printed of ['CSQU 305438 3', 'CSQU-305438-3', 'CSQU 3054383', 'CSQU305438 3', '  CSQU3054383\n']) {
    const p = parseContainerNumber(printed);
    assert.ok(p.ok, printed);
    assert.equal(p.ok && p.normalized, 'CSQU3054383');
  }
  const j = parseContainerNumber(makeContainerNumber('ABC', 'J', '000001'));
  assert.ok(j.ok && j.category === 'J');
  const z = parseContainerNumber(makeContainerNumber('ABC', 'Z', 42));
  assert.ok(z.ok && z.category === 'Z' && z.serial === '000042');
});

test('parseContainerNumber: reasons in order length, format, category, check digit', () => {
  assert.deepEqual(parseContainerNumber('CSQU305438'), { ok: false, reason: 'length' });
  assert.deepEqual(parseContainerNumber(''), { ok: false, reason: 'length' });
  assert.deepEqual(parseContainerNumber('CSQU30543833'), { ok: false, reason: 'length' });
  assert.deepEqual(parseContainerNumber('CSQU  305438'), { ok: false, reason: 'format' });
  assert.deepEqual(parseContainerNumber('CSQU3054Z83'), { ok: false, reason: 'format' });
  assert.deepEqual(parseContainerNumber('C5QU3054383'), { ok: false, reason: 'format' });
  assert.deepEqual(parseContainerNumber('CSQ13054383'), { ok: false, reason: 'format' });
  assert.deepEqual(parseContainerNumber('CSQX3054383'), { ok: false, reason: 'category' });
  assert.deepEqual(parseContainerNumber('CSQU3054384'), { ok: false, reason: 'check_digit' });
});

test('isValidContainerNumberAt: upper case only, bounds checked', () => {
  assert.equal(isValidContainerNumberAt('..CSQU3054383', 2), true);
  assert.equal(isValidContainerNumberAt('..csqu3054383', 2), false);
  assert.equal(isValidContainerNumberAt('CSQU3054384', 0), false);
  assert.equal(isValidContainerNumberAt('CSQU305438', 0), false);
  assert.equal(isValidContainerNumberAt('CSQX3054383', 0), false);
});

test('makeContainerNumber appends the check digit and rejects bad arguments with CW_ERR_CONFIG', () => {
  assert.equal(makeContainerNumber('csq', 'U', '305438'), 'CSQU3054383');
  assert.equal(makeContainerNumber('TCN', 'U', 720079), 'TCNU7200794');
  for (const bad of [
    () => makeContainerNumber('CS', 'U', '305438'),
    () => makeContainerNumber('CS1', 'U', '305438'),
    () => makeContainerNumber('CSQ', 'X' as 'U', '305438'),
    () => makeContainerNumber('CSQ', 'U', '30543'),
    () => makeContainerNumber('CSQ', 'U', 1234567),
  ]) {
    assert.throws(bad, (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_CONFIG');
  }
});

test('python-stdnum reference vectors (iso6346_reference_vectors.csv)', (t) => {
  const file = portEdiFile(t, 'iso6346_reference_vectors.csv');
  if (file === null) return;
  const rows = csvRows(file);
  assert.equal(rows.length, 9);
  const expectedReason: Record<string, string> = { InvalidChecksum: 'check_digit', InvalidLength: 'length', InvalidFormat: 'format' };
  for (const [input, expected] of rows) {
    const r = parseContainerNumber(input);
    if (expected.startsWith('valid')) {
      assert.ok(r.ok, `${input} should be valid`);
      assert.equal(r.ok && r.normalized, input.toUpperCase());
    } else {
      assert.deepEqual(r, { ok: false, reason: expectedReason[expected] }, input);
    }
  }
});

test('every container number of the shared EDI samples matches its iso6346_result (iso6346_from_edi_samples.csv)', (t) => {
  const file = portEdiFile(t, 'iso6346_from_edi_samples.csv');
  if (file === null) return;
  const rows = csvRows(file);
  assert.equal(rows.length, 11_935);
  const tally = { valid: 0, invalid_check_digit: 0 };
  for (const [number, result] of rows) {
    const r = parseContainerNumber(number);
    const got = r.ok ? 'valid' : r.reason === 'check_digit' ? 'invalid_check_digit' : `invalid_${r.reason}`;
    assert.equal(got, result, number);
    tally[result as keyof typeof tally]++;
    // The first 10 characters always give the digit the valid numbers carry.
    if (r.ok) assert.equal(checkDigit(number.slice(0, 10)), Number(number[10]));
  }
  assert.deepEqual(tally, { valid: 7435, invalid_check_digit: 4500 });
});
