import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApplyOutcome, RegisterImage, TABLE_INDEX } from '../../../src/crane/state/register-image.js';
import type { LogRecord } from '../../../src/events/record.js';

const H = TABLE_INDEX.holding;
const C = TABLE_INDEX.coil;

/** A modbus_detailed row (ICSNPP fields) of a matched transaction. */
function row(fc: number, address: number, quantity: number, extra: Record<string, unknown> = {}): LogRecord {
  return { ts: 100, uid: 'CPoll1', function_code: fc, address, quantity, matched: true, exception_code: null, ...extra } as LogRecord;
}

test('read responses of each table land at their addresses; writes land from the request values', () => {
  const img = new RegisterImage(100);
  assert.equal(img.apply(row(3, 10, 3, { response_values: [1, 0xffff, 70000] })), ApplyOutcome.CHANGED);
  assert.deepEqual([img.get(H, 10), img.get(H, 11), img.get(H, 12), img.get(H, 13)], [1, 0xffff, 70000 & 0xffff, undefined]);
  img.apply(row(4, 10, 1, { response_values: [7] }));
  assert.equal(img.get(TABLE_INDEX.input, 10), 7);
  assert.equal(img.get(H, 10), 1, 'input and holding registers are separate tables');
  img.apply(row(1, 0, 3, { response_values: [1, 0, 5] }));
  assert.deepEqual([img.get(C, 0), img.get(C, 1), img.get(C, 2)], [1, 0, 1]);
  img.apply(row(2, 4, 1, { response_values: [1] }));
  assert.equal(img.get(TABLE_INDEX.discrete, 4), 1);
  img.apply(row(6, 11, 1, { request_values: [42] }));
  assert.equal(img.get(H, 11), 42);
  img.apply(row(16, 20, 2, { request_values: [1, 2] }));
  assert.deepEqual([img.get(H, 20), img.get(H, 21)], [1, 2]);
  img.apply(row(5, 1, 1, { request_values: [1] }));
  assert.equal(img.get(C, 1), 1);
  img.apply(row(15, 8, 2, { request_values: [0, 1] }));
  assert.deepEqual([img.get(C, 8), img.get(C, 9)], [0, 1]);
  assert.equal(img.lastUid, 'CPoll1');
  assert.equal(img.lastTs, 100);
});

test('the same values again are SAME; quantity caps the values; padding beyond it is ignored', () => {
  const img = new RegisterImage(100);
  img.apply(row(3, 0, 2, { response_values: [5, 6] }));
  assert.equal(img.apply(row(3, 0, 2, { response_values: [5, 6] })), ApplyOutcome.SAME);
  assert.equal(img.apply(row(3, 0, 2, { response_values: [5, 7] })), ApplyOutcome.CHANGED);
  img.apply(row(1, 100, 2, { response_values: [1, 1, 1, 1, 1, 1, 1, 1] }));
  assert.equal(img.get(C, 101), 1);
  assert.equal(img.get(C, 102), undefined, 'coil padding bits are not items');
});

test('exceptions, unmatched rows, reads without values and other functions are ignored', () => {
  const img = new RegisterImage(100);
  assert.equal(img.apply(row(3, 0, 1, { response_values: [1], exception_code: 'ILLEGAL_DATA_ADDRESS' })), ApplyOutcome.IGNORED);
  assert.equal(img.apply(row(6, 0, 1, { request_values: [1], matched: false })), ApplyOutcome.IGNORED);
  assert.equal(img.apply(row(3, 0, 1, { response_values: [] })), ApplyOutcome.IGNORED);
  assert.equal(img.apply(row(3, 0, 1, {})), ApplyOutcome.IGNORED);
  assert.equal(img.apply(row(23, 0, 1, { request_values: [1], response_values: [1] })), ApplyOutcome.IGNORED);
  assert.equal(img.apply({ function_code: 'x' } as unknown as LogRecord), ApplyOutcome.IGNORED);
  assert.equal(img.size, 0);
});

test('bounded: items beyond the bound are refused and counted; known items still update', () => {
  const img = new RegisterImage(4);
  img.apply(row(3, 0, 6, { response_values: [1, 2, 3, 4, 5, 6] }));
  assert.equal(img.size, 4);
  assert.equal(img.dropped, 2);
  assert.equal(img.get(H, 4), undefined);
  img.apply(row(3, 0, 1, { response_values: [9] }));
  assert.equal(img.get(H, 0), 9);
});

test('the keep filter stores only mapped items, so a register scan cannot crowd them out', () => {
  const img = new RegisterImage(2, new Set([H * 65_536 + 100, H * 65_536 + 101]));
  img.apply(row(3, 0, 100, { response_values: new Array(100).fill(3) }));
  img.apply(row(3, 200, 100, { response_values: new Array(100).fill(3) }));
  assert.equal(img.size, 0);
  assert.equal(img.dropped, 0);
  img.apply(row(3, 99, 4, { response_values: [1, 2, 3, 4] }));
  assert.deepEqual([img.get(H, 99), img.get(H, 100), img.get(H, 101), img.get(H, 102)], [undefined, 2, 3, undefined]);
  assert.equal(img.valueAt(img.slotOf(H, 101)), 3);
  assert.equal(img.slotOf(H, 99), -1);
  assert.ok(Number.isNaN(img.valueAt(-1)));
});
