/**
 * Point-to-point motion of one crane drive (hoist, trolley, gantry) with a trapezoidal velocity
 * profile: constant acceleration `a` up to the speed limit `v`, cruise, constant deceleration to rest
 * (a triangle when the distance is too short to reach `v`). Distances in mm, speeds in mm/s,
 * accelerations in mm/s², times in seconds. Pure functions, no allocation.
 */

/** Time to travel |d| mm from rest to rest with speed limit v and acceleration a (s). */
export function moveDuration(d: number, v: number, a: number): number {
  const dist = Math.abs(d);
  if (dist === 0) return 0;
  const accelDist = (v * v) / a;
  return dist >= accelDist ? dist / v + v / a : 2 * Math.sqrt(dist / a);
}

/**
 * Position at `t` seconds after leaving `p0` for `p1` (mm); `p0` before the start, `p1` after the end.
 */
export function movePosition(p0: number, p1: number, v: number, a: number, t: number): number {
  const d = p1 - p0;
  if (d === 0 || t <= 0) return p0;
  const dist = Math.abs(d);
  const sign = d > 0 ? 1 : -1;
  const total = moveDuration(d, v, a);
  if (t >= total) return p1;
  const vPeak = dist >= (v * v) / a ? v : Math.sqrt(dist * a);
  const ta = vPeak / a;
  let s: number;
  if (t < ta) s = 0.5 * a * t * t;
  else if (t <= total - ta) s = 0.5 * a * ta * ta + vPeak * (t - ta);
  else {
    const r = total - t;
    s = dist - 0.5 * a * r * r;
  }
  return p0 + sign * s;
}

/** Signed velocity at `t` seconds after leaving `p0` for `p1` (mm/s); 0 before and after the move. */
export function moveVelocity(p0: number, p1: number, v: number, a: number, t: number): number {
  const d = p1 - p0;
  if (d === 0 || t <= 0) return 0;
  const dist = Math.abs(d);
  const sign = d > 0 ? 1 : -1;
  const total = moveDuration(d, v, a);
  if (t >= total) return 0;
  const vPeak = dist >= (v * v) / a ? v : Math.sqrt(dist * a);
  const ta = vPeak / a;
  if (t < ta) return sign * a * t;
  if (t <= total - ta) return sign * vPeak;
  return sign * a * (total - t);
}
