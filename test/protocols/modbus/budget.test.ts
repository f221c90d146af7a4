import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StreamAnalyzer } from '../../../src/session/analyzer.js';
import { ModbusAnalyzer } from '../../../src/protocols/modbus/analyzer.js';
import { PENDING_ROW_UNITS, PendingBudget } from '../../../src/protocols/modbus/budget.js';
import { createModbusSpec } from '../../../src/protocols/modbus/index.js';
import { FakeFlowContext } from './fake-context.js';
import { subView } from './fixtures.js';

/** Write Multiple Registers (fc 16) request of 4 registers: one waiting row costs PENDING_ROW_UNITS + 4. */
function request(tid: number): Uint8Array {
  return subView(
    Uint8Array.from([
      0, tid, // MBAP transaction id
      0, 0, // MBAP protocol id 0
      0, 15, // MBAP length: unit + fc + 13 data bytes
      1, // unit id
      0x10, // function 16 Write Multiple Registers
      0, 0, // starting address 0
      0, 4, // quantity 4 registers
      8, // byte count 8
      0, 1, 0, 2, 0, 3, 0, 4, // register values 1, 2, 3, 4
    ]),
  );
}

/** Write Multiple Registers (fc 16) response echoing address 0 and quantity 4. */
function response(tid: number): Uint8Array {
  return subView(
    Uint8Array.from([
      0, tid, // MBAP transaction id
      0, 0, // MBAP protocol id 0
      0, 6, // MBAP length: unit + fc + 4 data bytes
      1, // unit id
      0x10, // function 16 Write Multiple Registers
      0, 0, // starting address 0
      0, 4, // quantity 4 registers
    ]),
  );
}

const ROW = PENDING_ROW_UNITS + 4;

function flow(n: number, maxPendingModbusValues: number): FakeFlowContext {
  const id = { orig_h: `10.0.0.${n}`, orig_p: 40000, resp_h: '10.0.0.100', resp_p: 502, proto: 'tcp' as const };
  return new FakeFlowContext(`CFlow${n}`, id, { maxPendingModbusValues });
}

function rows(ctx: FakeFlowContext): [unknown, unknown][] {
  return ctx.stream('modbus_detailed').map((r) => [r.tid, r.matched]);
}

function exhausted(ctx: FakeFlowContext): number {
  return ctx.anomalies.filter((a) => a.name === 'modbus.pending_budget_exhausted' && a.grade === 'weird').length;
}

describe('run-wide pending budget (limits.maxPendingModbusValues)', () => {
  test('bounds waiting values across flows; displaced and refused rows are written unmatched with one weird per flow', () => {
    const max = 2 * ROW + ROW / 2; // room for two waiting rows across all flows
    const budget = new PendingBudget();
    const ca = flow(1, max);
    const cb = flow(2, max);
    const cc = flow(3, max);
    const a = new ModbusAnalyzer(ca, undefined, budget);
    const b = new ModbusAnalyzer(cb, undefined, budget);
    const c = new ModbusAnalyzer(cc, undefined, budget);
    let ts = 1;
    a.deliver(true, request(1), ts++);
    a.deliver(true, request(2), ts++);
    assert.equal(budget.held, 2 * ROW);
    assert.deepEqual(rows(ca), []);
    assert.equal(exhausted(ca), 0);

    // Flow B has nothing waiting to give up: its request is written unmatched at once.
    b.deliver(true, request(1), ts++);
    assert.deepEqual(rows(cb), [[1, false]]);
    assert.equal(exhausted(cb), 1);
    assert.equal(budget.held, 2 * ROW);

    // Flow A displaces its own oldest waiting rows, reporting once.
    a.deliver(true, request(3), ts++);
    a.deliver(true, request(4), ts++);
    assert.deepEqual(rows(ca), [
      [1, false],
      [2, false],
    ]);
    assert.equal(exhausted(ca), 1);
    assert.ok(budget.held <= max);

    // A matched row gives its units back; flow C then fits.
    a.deliver(false, response(4), ts++);
    assert.deepEqual(rows(ca).at(-1), [4, true]);
    assert.equal(budget.held, ROW);
    c.deliver(true, request(9), ts++);
    assert.equal(budget.held, 2 * ROW);
    assert.equal(exhausted(cc), 0);

    a.end(ts);
    b.end(ts);
    c.end(ts);
    assert.equal(budget.held, 0);
    assert.deepEqual(rows(ca), [
      [1, false],
      [2, false],
      [4, true],
      [3, false],
    ]);
    assert.deepEqual(rows(cc), [[9, false]]);
    const detailed = ca.stream('modbus_detailed')[0];
    assert.deepEqual(detailed.request_values, [1, 2, 3, 4]);
  });

  test('a row larger than the whole budget is written unmatched and nothing is held', () => {
    const budget = new PendingBudget();
    const ctx = flow(1, ROW - 1);
    const a = new ModbusAnalyzer(ctx, undefined, budget);
    a.deliver(true, request(7), 1);
    assert.equal(budget.held, 0);
    assert.deepEqual(rows(ctx), [[7, false]]);
    a.deliver(false, response(7), 2);
    a.end(3);
    assert.equal(exhausted(ctx), 1);
    assert.equal(budget.held, 0);
  });

  test('createModbusSpec shares one budget among its flows, and each call starts a new one', () => {
    const max = ROW + ROW / 2; // room for one waiting row
    const spec = createModbusSpec();
    const c1 = flow(1, max);
    const c2 = flow(2, max);
    const f1 = spec.create(c1) as StreamAnalyzer;
    const f2 = spec.create(c2) as StreamAnalyzer;
    f1.deliver(true, request(1), 1);
    f2.deliver(true, request(1), 2);
    assert.deepEqual(rows(c2), [[1, false]]);
    assert.equal(exhausted(c2), 1);

    const c3 = flow(3, max);
    const f3 = createModbusSpec().create(c3) as StreamAnalyzer;
    f3.deliver(true, request(1), 3);
    f3.deliver(false, response(1), 4);
    assert.deepEqual(rows(c3), [[1, true]]);
    assert.equal(exhausted(c3), 0);
    for (const f of [f1, f2, f3]) f.end(5);
    assert.deepEqual(rows(c1), [[1, false]]);
  });
});
