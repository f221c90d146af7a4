/**
 * Conversions between capture timestamps (integer ticks) and seconds as a float.
 *
 * pcap (draft-ietf-opsawg-pcap §5) stores seconds + micro/nanoseconds; pcapng (draft-ietf-opsawg-pcapng
 * §4.3, §4.2 if_tsresol) stores one 64-bit tick count split into two 32-bit halves, in units of
 * 1/unitsPerSecond. A double holds about 15.9 significant digits: microsecond timestamps of this
 * era convert exactly (to the nearest double of the decimal value); nanosecond ones keep what the
 * double can hold (about 0.24 µs at 2^31 s).
 */

const TWO32 = 4294967296;
const TWO16 = 65536;
/** hi < 2^21 means the 64-bit tick count is below 2^53 and is exact in a double. */
const EXACT_HI_LIMIT = 2097152;
/** Long division by 16-bit limbs stays exact while unitsPerSecond < 2^37. */
const LONG_DIVISION_UNIT_LIMIT = 137438953472;

/**
 * Seconds (float) from a 64-bit tick count given as its high and low unsigned 32-bit halves.
 * When the count is below 2^53 the result is the correctly rounded quotient; above, the whole
 * seconds are computed exactly by long division and only the fraction is rounded.
 * @param hi upper 32 bits of the tick count (unsigned)
 * @param lo lower 32 bits of the tick count (unsigned)
 * @param unitsPerSecond ticks per second (10^k or 2^k from if_tsresol), > 0
 */
export function ticksToSeconds(hi: number, lo: number, unitsPerSecond: number): number {
  if (hi < EXACT_HI_LIMIT) return (hi * TWO32 + lo) / unitsPerSecond;
  if (unitsPerSecond >= LONG_DIVISION_UNIT_LIMIT) return (hi * TWO32 + lo) / unitsPerSecond;
  let r = hi >>> 16;
  let q = Math.floor(r / unitsPerSecond);
  r -= q * unitsPerSecond;
  let n = r * TWO16 + (hi & 0xffff);
  let d = Math.floor(n / unitsPerSecond);
  q = q * TWO16 + d;
  r = n - d * unitsPerSecond;
  n = r * TWO16 + (lo >>> 16);
  d = Math.floor(n / unitsPerSecond);
  q = q * TWO16 + d;
  r = n - d * unitsPerSecond;
  n = r * TWO16 + (lo & 0xffff);
  d = Math.floor(n / unitsPerSecond);
  q = q * TWO16 + d;
  r = n - d * unitsPerSecond;
  return q + r / unitsPerSecond;
}

/**
 * Seconds (float) from whole seconds plus a sub-second count in units of 1/unitsPerSecond
 * (pcap record header: ts_sec + ts_usec or ts_nsec). Exact-integer path while the combined count
 * is below 2^53 (every microsecond timestamp up to year 2255); otherwise sec + frac/units.
 */
export function secFracToSeconds(sec: number, frac: number, unitsPerSecond: number): number {
  const ticks = sec * unitsPerSecond + frac;
  if (ticks <= Number.MAX_SAFE_INTEGER) return ticks / unitsPerSecond;
  return sec + frac / unitsPerSecond;
}

/**
 * Splits seconds (float, ≥ 0) into whole seconds and a rounded sub-second count in units of
 * 1/unitsPerSecond, carrying into the seconds when the fraction rounds up to a full second.
 * Round-trips every microsecond value produced by `secFracToSeconds` / `ticksToSeconds`.
 * Writes into `out` ([sec, frac]) to avoid allocating per packet.
 */
export function secondsToSecFrac(ts: number, unitsPerSecond: number, out: [number, number]): void {
  let sec = Math.floor(ts);
  let frac = Math.round((ts - sec) * unitsPerSecond);
  if (frac >= unitsPerSecond) {
    sec += 1;
    frac -= unitsPerSecond;
  }
  out[0] = sec;
  out[1] = frac;
}

/**
 * Splits seconds (float, ≥ 0) into a 64-bit tick count (units of 1/unitsPerSecond, unitsPerSecond
 * ≤ 2^32) as unsigned 32-bit halves, computed without losing integer precision.
 * Writes into `out` ([hi, lo]).
 */
export function secondsToTicks(ts: number, unitsPerSecond: number, out: [number, number]): void {
  secondsToSecFrac(ts, unitsPerSecond, out);
  const sec = out[0];
  const frac = out[1];
  const sh = Math.floor(sec / TWO16);
  const sl = sec - sh * TWO16;
  const a = sl * unitsPerSecond + frac; // < 2^49
  const b = sh * unitsPerSecond; // < 2^48 for sec < 2^32
  const bLow = b % TWO16;
  const aHigh = Math.floor(a / TWO32);
  let lo = a - aHigh * TWO32 + bLow * TWO16;
  let carry = 0;
  if (lo >= TWO32) {
    carry = Math.floor(lo / TWO32);
    lo -= carry * TWO32;
  }
  out[0] = aHigh + (b - bLow) / TWO16 + carry;
  out[1] = lo;
}
