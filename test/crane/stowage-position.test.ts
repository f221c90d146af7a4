import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CwError } from '../../src/errors.js';
import { formatBayRowTier, parseBayRowTier } from '../../src/crane/stowage-position.js';

test('parseBayRowTier reads BBBRRTT and the short BBRRTT form', () => {
  // 038 bay, 11 row, 82 tier (first deck tier).
  assert.deepEqual(parseBayRowTier('0381182'), { bay: 38, row: 11, tier: 82, text: '0381182' });
  assert.deepEqual(parseBayRowTier('110382'), { bay: 11, row: 3, tier: 82, text: '0110382' });
  assert.deepEqual(parseBayRowTier(' 1000002 '), { bay: 100, row: 0, tier: 2, text: '1000002' });
  for (const bad of ['', '0', '03811', '03811820', '03A1182', '-381182']) {
    assert.equal(parseBayRowTier(bad), null, JSON.stringify(bad));
  }
});

test('formatBayRowTier pads and range-checks', () => {
  assert.equal(formatBayRowTier(38, 11, 82), '0381182');
  assert.equal(formatBayRowTier(1, 0, 2), '0010002');
  for (const [b, r, t] of [
    [1000, 0, 2],
    [-1, 0, 2],
    [1, 100, 2],
    [1, 0, 100],
    [1.5, 0, 2],
  ]) {
    assert.throws(() => formatBayRowTier(b, r, t), (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_CONFIG');
  }
});
