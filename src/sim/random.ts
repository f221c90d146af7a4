/**
 * Seeded pseudo-random numbers for the digital twin: the same seed always gives the same stream,
 * so every simulated capture is reproducible byte for byte (DESIGN.md "Deterministic").
 *
 * Generator: xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
 * ACM TOMS 2021), 128 bits of state in four unsigned 32-bit words, period 2^128 − 1.
 * Seeding: the four state words are drawn from a splitmix32 sequence (Weyl increment 0x9E3779B9
 * followed by the MurmurHash3 32-bit finalizer), which never yields the forbidden all-zero state
 * for more than one word in a row. Not cryptographic.
 */
export class Prng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /**
   * @param seed any number; only its low 32 bits (after `>>> 0`) matter.
   */
  constructor(seed: number) {
    let x = seed >>> 0;
    x = (x + 0x9e3779b9) >>> 0;
    this.s0 = fmix32(x);
    x = (x + 0x9e3779b9) >>> 0;
    this.s1 = fmix32(x);
    x = (x + 0x9e3779b9) >>> 0;
    this.s2 = fmix32(x);
    x = (x + 0x9e3779b9) >>> 0;
    this.s3 = fmix32(x);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /**
   * An independent stream for one named part of a simulation (an actor, a crane, a host): the seed
   * is mixed with the FNV-1a 32-bit hash of `label`, so adding another part never shifts the
   * numbers an existing part draws.
   */
  static derive(seed: number, label: string): Prng {
    let h = 0x811c9dc5;
    for (let i = 0; i < label.length; i++) {
      h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
    }
    return new Prng(fmix32((h ^ Math.imul(seed >>> 0, 0x85ebca6b)) >>> 0));
  }

  /** Next unsigned 32-bit integer in [0, 2^32). */
  u32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s1 = s1 ^ n2;
    this.s0 = s0 ^ n3;
    this.s2 = n2 ^ t;
    this.s3 = rotl(n3, 11);
    return r;
  }

  /** Next float in [0, 1) with 32 bits of resolution. */
  float(): number {
    return this.u32() / 4294967296;
  }

  /**
   * Integer uniformly in [min, max] (both inclusive, max − min < 2^32). Uses multiply-shift
   * reduction; the bias is below (max − min + 1) / 2^32, negligible for simulation ranges.
   */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** Float uniformly in [min, max). */
  range(min: number, max: number): number {
    return min + this.float() * (max - min);
  }

  /** True with probability p (0 ≤ p ≤ 1). */
  chance(p: number): boolean {
    return this.float() < p;
  }
}

/** MurmurHash3 fmix32 finalizer (the splitmix32 output function). */
function fmix32(x: number): number {
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
