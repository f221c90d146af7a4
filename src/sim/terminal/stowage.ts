import type { Prng } from '../random.js';
import { CargoDraw, type ContainerCargo } from './cargo.js';
import type { VesselHull } from './vessel.js';

/** Vessel slot of a box: bay (odd 20 ft, even 40/45 ft), row (00 centre line) and tier (02… hold, 82… deck). */
export interface VesselSlot {
  bay: number;
  row: number;
  tier: number;
}

/** Share of the boxes on board in the worked cells that the stowage plan restows (taken ashore and reloaded into the same cell). */
export const RESTOW_SHARE = 0.03;

/** One box on board: what it is, the cell it occupies (ISO 9711-1 bay-row-tier), and whether it is restowed here. */
export interface StowedBox {
  readonly cargo: ContainerCargo;
  readonly slot: VesselSlot;
  /** True for a box that stays on board (bound for a next port) but is taken ashore and reloaded into its cell. */
  readonly restow: boolean;
}

/** Bay-number step from one 40-ft bay to the next (40-ft bays 02, 06, 10 …; ISO 9711-1). */
export const BAY_STEP = 4;

/**
 * The 40-ft cells of one bay that a crane works, in discharge order: row by row (landside half,
 * centre line, seaward half, as the trolley meets them), the deck tiers top down (80 + 2·k for
 * k = deckTiers … 1), then the top `workHoldTiers` hold tiers top down (2·k for k = holdTiers …
 * holdTiers − workHoldTiers + 1). Rows are labelled from the centre line as ISO 9711-1 numbers them:
 * odd to one side, even to the other, 00 on the centre line (`rows` odd).
 * @param bay even 40-ft bay number; hull rows odd 1–21; 1 ≤ workHoldTiers ≤ hull.holdTiers.
 */
export function baySlots(bay: number, hull: Pick<VesselHull, 'rows' | 'deckTiers' | 'holdTiers'>, workHoldTiers: number): VesselSlot[] {
  const out: VesselSlot[] = [];
  const labels: number[] = [];
  const half = (hull.rows - 1) / 2;
  for (let i = 0; i < hull.rows; i++) labels.push(i < half ? 2 * (half - i) - 1 : i === half ? 0 : 2 * (i - half));
  for (const row of labels) for (let k = hull.deckTiers; k >= 1; k--) out.push({ bay, row, tier: 80 + 2 * k });
  const lowest = hull.holdTiers - workHoldTiers + 1;
  for (const row of labels) for (let k = hull.holdTiers; k >= lowest; k--) out.push({ bay, row, tier: 2 * k });
  return out;
}

/**
 * The boxes on board in the bays one crane works in one vessel call (`bays`, in working order): each
 * worked 40-ft cell (`baySlots`) holds one box drawn from a `CargoDraw` over its own seeded stream, a
 * 20-ft box stowed in the odd bay before the 40-ft bay (bay − 1), and `RESTOW_SHARE` of them marked
 * as restows. Bay `n`'s boxes are drawn the first
 * time any bay ≥ n is asked for, always in bay order, so the contents do not depend on who asks first:
 * the vessel's BAPLIE (written at arrival) and the crane discharging the bay see the same boxes.
 * Bays the crane has left are released (`release`), so memory holds only the bays still to be worked
 * that were already asked for.
 */
export class CraneStowage {
  private readonly draw: CargoDraw;
  private readonly boxes = new Map<number, readonly StowedBox[]>();
  private drawn = 0;

  /**
   * @param rng           the stowage's own stream (`Prng.derive(seed, "stowage/<berth>/<call>/<lane>")`).
   * @param bays          even 40-ft bay numbers the crane works, in order (inside `hull`).
   * @param hull          the vessel's hull (rows, tiers).
   * @param workHoldTiers hold tiers worked under the deck tiers, 1 … hull.holdTiers.
   */
  constructor(
    private readonly rng: Prng,
    readonly bays: readonly number[],
    readonly hull: Pick<VesselHull, 'rows' | 'deckTiers' | 'holdTiers'>,
    readonly workHoldTiers: number,
  ) {
    this.draw = new CargoDraw(rng);
  }

  /** Cells per bay (rows × (deck + worked hold tiers)); a bay takes twice as many moves (discharge, then load). */
  get cellsPerBay(): number {
    return this.hull.rows * (this.hull.deckTiers + this.workHoldTiers);
  }

  /** The worked cells of the crane's bay `n` (0-based, n < bays.length) in discharge order. */
  slots(n: number): VesselSlot[] {
    return baySlots(this.bays[n], this.hull, this.workHoldTiers);
  }

  /** The boxes of the crane's bay `n` (0-based, n < bays.length) in discharge order; [] for a bay already released. */
  bay(n: number): readonly StowedBox[] {
    while (this.drawn <= n && this.drawn < this.bays.length) {
      const boxes: StowedBox[] = this.slots(this.drawn).map((s) => {
        const cargo = this.draw.draw(this.rng);
        return { cargo, slot: { bay: cargo.sizeFt === 20 ? s.bay - 1 : s.bay, row: s.row, tier: s.tier }, restow: this.rng.chance(RESTOW_SHARE) };
      });
      this.boxes.set(this.drawn, boxes);
      this.drawn++;
    }
    return this.boxes.get(n) ?? [];
  }

  /** Forget the boxes of bays before `n` (the crane has emptied them). */
  release(n: number): void {
    for (const k of this.boxes.keys()) if (k < n) this.boxes.delete(k);
  }
}
