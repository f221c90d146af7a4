import { Prng } from '../random.js';

/** Size class of a container vessel, by nominal capacity (TEU). */
export type VesselClass = 'feeder' | 'panamax' | 'post-panamax' | 'ulcv';

/**
 * The cell grid of a vessel's hull as ISO 9711-1 numbers it: 40-ft bays 02, 06, … 4·bays40 − 2
 * (the 20-ft bays 01/03, 05/07 … either side of each), rows labelled from the centre line (00 when
 * `rows` is odd, odd numbers to one side, even to the other), hold tiers 02, 04 … 2·holdTiers from
 * the bottom, deck tiers 82, 84 … 80 + 2·deckTiers.
 */
export interface VesselHull {
  vesselClass: VesselClass;
  /** Number of 40-ft bays. */
  bays40: number;
  /** Rows across the beam (odd; at most 21, what the cranes' 60 m+ outreach covers). */
  rows: number;
  /** Tiers on deck, above the hatch covers. */
  deckTiers: number;
  /** Tiers in the hold, below the hatch covers. */
  holdTiers: number;
  /** Height of the hatch covers above the quay at mean tide, mm. */
  deckMm: number;
}

/** A vessel call at one of the terminal's berths. */
export interface VesselCall {
  /** Berth number, 1-based. */
  berth: number;
  /** Call number at the berth, 1-based: the first vessel of the run is call 1. */
  call: number;
  name: string;
  /** ITU call sign. */
  callSign: string;
  /** IMO ship identification number, 7 digits with its check digit (SOLAS XI-1/3). */
  imo: string;
  /** Carrier's voyage number: unique per berth and call within a run. */
  voyage: string;
  /** Operating carrier code (SMDG liner code). */
  carrier: string;
  /** UN/LOCODEs of the ports the boxes on board were loaded in. */
  previousPorts: readonly string[];
  /** UN/LOCODEs of the ports the boxes loaded here go to. */
  nextPorts: readonly string[];
  hull: VesselHull;
  /** 40-ft bays each crane of the berth works in this call, at most (fewer when the hull is too short for the berth's cranes; see berth.ts). */
  baysPerCrane: number;
  /** Deck tiers worked in each of those bays (the top ones, all rows), 1 … hull.deckTiers. */
  workDeckTiers: number;
  /** Hold tiers worked below them (the top ones), 1 … hull.holdTiers. */
  workHoldTiers: number;
}

/** Cranes working one vessel (cranes 1–3 on berth 1, 4–6 on berth 2 …). */
export const CRANES_PER_VESSEL = 3;

/**
 * Hull ranges [min, max] per class, from published particulars of container ships: feeders of
 * ~1,000–3,000 TEU (140–200 m, 9–13 rows), Panamax ~4,000–5,000 TEU (~290 m, 13 rows on deck),
 * post-Panamax ~8,000–14,000 TEU (300–366 m, 15–19 rows), ultra-large ~18,000–24,000 TEU (~400 m,
 * 23–24 rows, held here to the 21 rows the twin's cranes reach). `work` is the crane's share:
 * [bays per crane, deck tiers worked, hold tiers worked].
 */
const CLASSES: ReadonlyArray<{
  cls: VesselClass;
  weight: number;
  bays40: readonly [number, number];
  rows: readonly [number, number];
  deck: readonly [number, number];
  hold: readonly [number, number];
  deckMm: readonly [number, number];
  baysPerCrane: readonly [number, number];
  workHold: readonly [number, number];
}> = [
  { cls: 'feeder', weight: 0.25, bays40: [7, 10], rows: [9, 13], deck: [3, 5], hold: [4, 6], deckMm: [3_000, 6_000], baysPerCrane: [2, 2], workHold: [1, 2] },
  { cls: 'panamax', weight: 0.3, bays40: [14, 17], rows: [13, 13], deck: [4, 6], hold: [6, 8], deckMm: [4_000, 7_000], baysPerCrane: [1, 2], workHold: [1, 3] },
  { cls: 'post-panamax', weight: 0.35, bays40: [17, 20], rows: [15, 19], deck: [6, 8], hold: [8, 9], deckMm: [5_000, 9_000], baysPerCrane: [1, 2], workHold: [1, 2] },
  { cls: 'ulcv', weight: 0.1, bays40: [22, 24], rows: [21, 21], deck: [8, 9], hold: [10, 11], deckMm: [6_000, 9_000], baysPerCrane: [2, 2], workHold: [1, 2] },
];

/** Fewest moves a crane's share of one call can have (one bay of the smallest hull, discharged and loaded), for bounds. */
export const MIN_SHARE_MOVES = 2 * 9 * (3 + 1);

const NAMES = ['NORDIC HARMONY', 'ATLANTIC MERIDIAN', 'PACIFIC LANTERN', 'CAPE AURORA', 'IBERIAN STAR', 'BALTIC VOYAGER', 'CORAL HORIZON', 'SAGA TRIDENT', 'MAERSK ELBA', 'MSC TESSA', 'CMA CGM RHONE', 'ONE COMMITMENT'];
const CARRIERS = ['MSC', 'MSK', 'CMA', 'HLC', 'ONE', 'COS'];
/** Carriers whose brand a vessel's name carries (SMDG liner codes): such a ship sails for its owner. */
const NAMED_CARRIERS: readonly (readonly [prefix: string, carrier: string])[] = [
  ['MAERSK ', 'MSK'],
  ['MSC ', 'MSC'],
  ['CMA CGM ', 'CMA'],
  ['ONE ', 'ONE'],
];
const ASIA = ['CNSHA', 'CNNGB', 'SGSIN', 'KRPUS', 'CNYTN', 'MYPKG', 'TWKHH'];
const ONWARD = ['GBFXT', 'DEHAM', 'BEANR', 'ESALG', 'USNYC', 'PLGDN', 'FRLEH'];

/** An odd integer in [min, max] (both odd or the range holding one). */
function oddIn(rng: Prng, min: number, max: number): number {
  const lo = min % 2 === 1 ? min : min + 1;
  const hi = max % 2 === 1 ? max : max - 1;
  return lo + 2 * rng.int(0, (hi - lo) / 2);
}

/**
 * Call `call` at berth `berth` (worked by cranes `(berth − 1)·3 + 1 … berth·3`), drawn from
 * `Prng.derive(seed, "vessel/<berth>/<call>")`: a name, call sign, IMO number with a valid check
 * digit, voyage `<berth><call><W|E>` (two digits each, so unique within a run), carrier, three
 * previous Asian ports and three onward ports (UN/LOCODEs of real container ports), the hull of a
 * size class drawn by weight (feeder 25 %, Panamax 30 %, post-Panamax 35 %, ULCV 10 %) and the
 * share each crane works. Depends on the seed, berth and call only (not on timing).
 */
export function vesselCall(seed: number, berth: number, call: number): VesselCall {
  const rng = Prng.derive(seed, `vessel/${berth}/${call}`);
  const pick = (list: readonly string[], n: number): string[] => {
    const pool = [...list];
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(pool.splice(rng.int(0, pool.length - 1), 1)[0]);
    return out;
  };
  const imo6 = rng.int(910_000, 989_999);
  const digits = String(imo6);
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += Number(digits[i]) * (7 - i);
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const two = (n: number): string => String(n % 100).padStart(2, '0');
  const name = NAMES[rng.int(0, NAMES.length - 1)];
  const callSign = `9V${letters[rng.int(0, 25)]}${letters[rng.int(0, 25)]}${rng.int(2, 9)}`;
  const voyage = `${two(berth)}${two(call)}${rng.chance(0.5) ? 'W' : 'E'}`;
  const drawn = CARRIERS[rng.int(0, CARRIERS.length - 1)];
  const carrier = NAMED_CARRIERS.find(([prefix]) => name.startsWith(prefix))?.[1] ?? drawn;
  const previousPorts = pick(ASIA, 3);
  const nextPorts = pick(ONWARD, 3);
  const r = rng.float();
  let acc = 0;
  let k = 0;
  while (k < CLASSES.length - 1 && r >= (acc += CLASSES[k].weight)) k++;
  const c = CLASSES[k];
  const hull: VesselHull = {
    vesselClass: c.cls,
    bays40: rng.int(c.bays40[0], c.bays40[1]),
    rows: oddIn(rng, c.rows[0], c.rows[1]),
    deckTiers: rng.int(c.deck[0], c.deck[1]),
    holdTiers: rng.int(c.hold[0], c.hold[1]),
    deckMm: rng.int(c.deckMm[0], c.deckMm[1]),
  };
  return {
    berth,
    call,
    name,
    callSign,
    imo: `${digits}${sum % 10}`,
    voyage,
    carrier,
    previousPorts,
    nextPorts,
    hull,
    baysPerCrane: rng.int(c.baysPerCrane[0], c.baysPerCrane[1]),
    workDeckTiers: hull.deckTiers,
    workHoldTiers: Math.min(hull.holdTiers, rng.int(c.workHold[0], c.workHold[1])),
  };
}

/**
 * Whether (bay, row, tier) is a cell of `hull` (ISO 9711-1 numbering, see `VesselHull`): bay 1 …
 * 4·bays40 − 1 (an odd 20-ft bay or a 40-ft bay ≡ 2 mod 4), a row label of the beam, a hold or deck tier.
 */
export function inHull(hull: VesselHull, bay: number, row: number, tier: number): boolean {
  const bayOk = bay >= 1 && bay <= 4 * hull.bays40 - 1 && (bay % 2 === 1 || bay % 4 === 2);
  const half = (hull.rows - 1) / 2;
  const rowOk = row === 0 || (row >= 1 && row <= 2 * half);
  const tierOk = tier % 2 === 0 && ((tier >= 2 && tier <= 2 * hull.holdTiers) || (tier >= 82 && tier <= 80 + 2 * hull.deckTiers));
  return bayOk && rowOk && tierOk;
}

/**
 * Port of loading and port of discharge of a box (UN/LOCODE): a discharged box came from one of the
 * vessel's previous ports and ends here; a loaded box starts here and goes to one of the next ports;
 * a restowed box stays on board, from a previous port to a next one. The port is chosen by the box's
 * serial digits, so the same box always gets the same ports.
 */
export function portsOf(vessel: VesselCall, here: string, kind: 'discharge' | 'load' | 'restow', container: string): { portOfLoading: string; portOfDischarge: string } {
  const n = Number(container.slice(4, 10)) % 3;
  if (kind === 'restow') return { portOfLoading: vessel.previousPorts[n], portOfDischarge: vessel.nextPorts[n] };
  return kind === 'discharge' ? { portOfLoading: vessel.previousPorts[n], portOfDischarge: here } : { portOfLoading: here, portOfDischarge: vessel.nextPorts[n] };
}
