import assert from 'node:assert/strict';
import { test } from 'node:test';
import { yardSlot } from '../../../src/sim/terminal/yard.js';

test('yard slots: block A–H, bay 01–40, row 01–06, tier 1–5, the same for the same box, spread over the yard', () => {
  const a = yardSlot('MSKU1234565');
  assert.deepEqual(yardSlot('MSKU1234565'), a);
  assert.match(a.code, /^[A-H](0[1-9]|[1-3]\d|40)-0[1-6]-[1-5]$/);
  assert.equal(a.code, `${a.block}${String(a.bay).padStart(2, '0')}-${String(a.row).padStart(2, '0')}-${a.tier}`);
  const blocks = new Set<string>();
  const tiers = new Set<number>();
  for (let i = 0; i < 500; i++) {
    const s = yardSlot(`TGHU${String(1_000_000 + i * 37).padStart(7, '0')}`);
    blocks.add(s.block);
    tiers.add(s.tier);
  }
  assert.equal(blocks.size, 8);
  assert.equal(tiers.size, 5);
});
