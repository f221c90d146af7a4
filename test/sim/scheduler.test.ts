import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Actor, Scheduler } from '../../src/sim/scheduler.js';

class Ticker implements Actor {
  nextTs: number;
  private left: number;
  constructor(
    readonly name: string,
    start: number,
    private readonly period: number,
    count: number,
    private readonly log: string[],
  ) {
    this.nextTs = start;
    this.left = count;
  }
  step(): void {
    this.log.push(`${this.name}@${this.nextTs}`);
    this.left--;
    this.nextTs = this.left > 0 ? this.nextTs + this.period : Infinity;
  }
}

test('actors run in time order, ties in registration order, retired actors leave', () => {
  const log: string[] = [];
  const s = new Scheduler();
  s.add(new Ticker('b', 1, 2, 3, log));
  s.add(new Ticker('a', 1, 1, 4, log));
  s.add(new Ticker('c', 0.5, 10, 1, log));
  s.add(new Ticker('never', Infinity, 1, 1, log));
  assert.equal(s.size, 3);
  assert.equal(s.run(100), 8);
  assert.deepEqual(log, ['c@0.5', 'b@1', 'a@1', 'a@2', 'b@3', 'a@3', 'a@4', 'b@5']);
  assert.equal(s.size, 0);
});

test('run stops before endTs (exclusive) and resumes where it stopped', () => {
  const log: string[] = [];
  const s = new Scheduler();
  s.add(new Ticker('x', 0, 1, 10, log));
  s.add(new Ticker('y', 0.5, 1, 10, log));
  assert.equal(s.run(2), 4);
  assert.deepEqual(log, ['x@0', 'y@0.5', 'x@1', 'y@1.5']);
  s.run(3);
  assert.deepEqual(log.slice(4), ['x@2', 'y@2.5']);
  // many actors: the merged order is sorted
  const big: string[] = [];
  const m = new Scheduler();
  for (let i = 0; i < 200; i++) m.add(new Ticker(`t${i}`, (i * 7919) % 101, 1 + (i % 13), 20, big));
  m.run(Infinity);
  const times = big.map((e) => Number(e.split('@')[1]));
  for (let i = 1; i < times.length; i++) assert.ok(times[i] >= times[i - 1]);
  assert.equal(times.length, 4000);
});
