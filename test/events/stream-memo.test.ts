import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamMemo } from '../../src/events/stream-memo.js';

test('StreamMemo computes a stream once while it alternates with one other, again once it left the last two', () => {
  const calls: string[] = [];
  const memo = new StreamMemo((s) => {
    calls.push(s);
    return `${s}!`;
  });
  for (const s of ['enip', 'cip', 'cip', 'enip', 'cip', 'enip']) assert.equal(memo.get(s), `${s}!`);
  assert.deepEqual(calls, ['enip', 'cip']);
  for (const s of ['modbus', 'enip', 'cip', 'modbus']) assert.equal(memo.get(s), `${s}!`);
  // modbus pushed cip out (enip stayed), so cip is computed again, and cip pushed modbus out in turn.
  assert.deepEqual(calls, ['enip', 'cip', 'modbus', 'cip', 'modbus']);
});
