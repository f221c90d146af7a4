import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PacedFrameSink, sleepSync, type FlushableFrameSink } from '../../../src/sim/net/paced-sink.js';

/** A sink that logs writes and flushes, and a fake clock the sleeper advances. */
function rig(speed: number) {
  const log: string[] = [];
  let clock = 1_000;
  const inner: FlushableFrameSink = {
    writePacket: (ts: number) => void log.push(`write ${ts}`),
    flush: () => void log.push('flush'),
  };
  const sink = new PacedFrameSink(inner, speed, () => clock, (ms) => {
    log.push(`sleep ${ms.toFixed(0)}`);
    clock += ms;
  });
  return { sink, log, advance: (ms: number) => (clock += ms) };
}

const frame = new Uint8Array(60);

test('frames leave at wall0 + (ts − ts0) / speed; the file is flushed before each wait', () => {
  const { sink, log, advance } = rig(2);
  sink.writePacket(100, frame);
  sink.writePacket(100.001, frame); // 0.5 ms later at 2×: too short to sleep
  sink.writePacket(101, frame); // due 500 ms after the first
  advance(300); // the generator itself took 300 ms
  sink.writePacket(102, frame); // due at +1000 ms, now at +800 ms
  assert.deepEqual(log, ['write 100', 'write 100.001', 'flush', 'sleep 500', 'write 101', 'flush', 'sleep 200', 'write 102']);
});

test('a generator slower than the pace never sleeps', () => {
  const { sink, log, advance } = rig(1);
  sink.writePacket(0, frame);
  advance(5_000);
  sink.writePacket(1, frame);
  assert.deepEqual(log, ['write 0', 'write 1']);
});

test('sleepSync blocks the thread for about the time asked', () => {
  const t0 = performance.now();
  sleepSync(30);
  const took = performance.now() - t0;
  assert.ok(took >= 29 && took < 1_000, `${took} ms`);
});
