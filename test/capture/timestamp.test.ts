import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secFracToSeconds, secondsToSecFrac, secondsToTicks, ticksToSeconds } from '../../src/capture/timestamp.js';

/** The nearest double to ticks / units, computed from exact decimal text. */
function reference(ticks: bigint, units: bigint): number {
  const sec = ticks / units;
  const frac = ticks % units;
  const digits = units.toString().length - 1;
  if (10n ** BigInt(digits) === units) return Number(`${sec}.${frac.toString().padStart(digits, '0')}`);
  return Number(sec) + Number(frac) / Number(units);
}

describe('capture timestamps', () => {
  it('ticksToSeconds matches the exact quotient for µs and ns tick counts, below and above 2^53', () => {
    const cases: [bigint, bigint][] = [
      [1700000000123456n, 1000000n],
      [1700000000999999n, 1000000n],
      [0n, 1000000n],
      [1700000000123456789n, 1000000000n],
      [4102444800000000001n, 1000000000n],
      [123456789n, 1000000000n],
      [(1n << 53n) + 12345n, 1000000000n],
    ];
    for (const [ticks, units] of cases) {
      const hi = Number(ticks >> 32n);
      const lo = Number(ticks & 0xffffffffn);
      const got = ticksToSeconds(hi, lo, Number(units));
      const want = reference(ticks, units);
      if (ticks < 1n << 53n) assert.equal(got, want, `${ticks}/${units}`);
      else assert.ok(Math.abs(got - want) <= Math.abs(want) * Number.EPSILON, `${ticks}/${units}: ${got} vs ${want}`);
      // Whole seconds are always exact.
      assert.equal(Math.floor(got), Number(ticks / units), `${ticks}/${units} seconds`);
    }
  });

  it('ticksToSeconds keeps the whole seconds of a 2^-k resolution above 2^53 ticks', () => {
    const units = 2 ** 30;
    const ticks = 1700000000n * BigInt(units) + 536870912n; // + 0.5 s
    assert.equal(ticksToSeconds(Number(ticks >> 32n), Number(ticks & 0xffffffffn), units), 1700000000.5);
  });

  it('secFracToSeconds gives the nearest double to sec.frac', () => {
    assert.equal(secFracToSeconds(1700000000, 123456, 1e6), 1700000000.123456);
    assert.equal(secFracToSeconds(1700000000, 1, 1e6), 1700000000.000001);
    assert.equal(secFracToSeconds(0, 5, 1e9), 5e-9);
    assert.equal(secFracToSeconds(1700000000, 500000000, 1e9), 1700000000.5);
  });

  it('secondsToSecFrac round-trips every microsecond value of a sample and carries a rounded-up fraction', () => {
    const out: [number, number] = [0, 0];
    for (let usec = 0; usec < 1000000; usec += 997) {
      for (const sec of [0, 1, 1700000000, 4294967295]) {
        secondsToSecFrac(secFracToSeconds(sec, usec, 1e6), 1e6, out);
        assert.deepEqual(out, [sec, usec]);
      }
    }
    secondsToSecFrac(1700000000.9999996, 1e6, out);
    assert.deepEqual(out, [1700000001, 0]);
  });

  it('secondsToTicks splits into exact 32-bit halves', () => {
    const out: [number, number] = [0, 0];
    for (const [ts, units, ticks] of [
      [1700000000.123456, 1e6, 1700000000123456n],
      [1700000000.5, 1e9, 1700000000500000000n],
      [4294967295.25, 1e9, 4294967295250000000n],
      [1.000000001, 1e9, 1000000001n],
      [1000.5, 2 ** 20, 1049100288n],
    ] as [number, number, bigint][]) {
      secondsToTicks(ts, units, out);
      assert.equal((BigInt(out[0]) << 32n) + BigInt(out[1]), ticks, `${ts} @ ${units}`);
      assert.ok(out[1] >= 0 && out[1] < 2 ** 32);
    }
  });
});
