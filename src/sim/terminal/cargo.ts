import { makeContainerNumber } from '../../crane/iso6346.js';
import type { Prng } from '../random.js';

/** Height of a stacked high-cube box (9 ft 6 in) as the planner stacks them, mm. */
export const STACK_TIER_MM = 2_896;

/** One box as the twin moves it. */
export interface ContainerCargo {
  /** ISO 6346 container number with a valid check digit, 11 characters. */
  number: string;
  /** Length, feet (spreader telescope setting). */
  sizeFt: 20 | 40 | 45;
  /** ISO 6346 size-type code (22G1, 42G1, 45G1, L5G1). */
  isoType: string;
  /** Verified gross mass, kg (SOLAS VGM: tare + cargo). */
  grossKg: number;
}

/** Owner codes (ISO 6346 §4.2.1, as registered with the BIC) of carriers and lessors seen on a quay. */
const OWNERS = ['MSC', 'MAE', 'MRK', 'CMA', 'HLX', 'OOL', 'CSQ', 'TGH', 'TCL', 'CAI', 'SEG', 'TRH', 'GES', 'FCI', 'BMO'] as const;

/**
 * Draws the boxes a crane handles: owner from a fixed list, a serial counted up from a seeded start
 * per owner (so numbers do not repeat within a run), length 20 ft (30 %), 40 ft (60 %, mostly high
 * cube) or 45 ft (10 %), gross mass between the empty tare (~2.2–4.8 t) and the box's rated mass,
 * with 1 % heavy lifts up to 50 t.
 */
export class CargoDraw {
  private readonly serials: Uint32Array;

  constructor(rng: Prng) {
    this.serials = new Uint32Array(OWNERS.length);
    for (let i = 0; i < OWNERS.length; i++) this.serials[i] = rng.int(100_000, 899_999);
  }

  /** The next box. */
  draw(rng: Prng): ContainerCargo {
    const o = rng.int(0, OWNERS.length - 1);
    const serial = this.serials[o];
    this.serials[o] = serial >= 999_999 ? 100_000 : serial + 1;
    const number = makeContainerNumber(OWNERS[o], 'U', serial);
    const r = rng.float();
    let sizeFt: 20 | 40 | 45;
    let isoType: string;
    let tare: number;
    let max: number;
    if (r < 0.3) {
      sizeFt = 20;
      isoType = '22G1';
      tare = 2_200;
      max = 30_480;
    } else if (r < 0.9) {
      sizeFt = 40;
      isoType = r < 0.7 ? '45G1' : '42G1';
      tare = 3_800;
      max = 32_500;
    } else {
      sizeFt = 45;
      isoType = 'L5G1';
      tare = 4_800;
      max = 32_500;
    }
    const heavy = rng.chance(0.01);
    const grossKg = heavy ? rng.int(max, 50_000) : Math.round(tare + (max - tare) * rng.float() * rng.float() * 1.6);
    return { number, sizeFt, isoType, grossKg: Math.min(grossKg, heavy ? 50_000 : max) };
  }
}
