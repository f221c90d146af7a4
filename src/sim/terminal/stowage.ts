import type { Prng } from '../random.js';
import { CargoDraw, type ContainerCargo } from './cargo.js';

/** Vessel slot of a box: bay (odd 20 ft, even 40/45 ft), row (00 centre line) and tier (02… hold, 82… deck). */
export interface VesselSlot {
  bay: number;
  row: number;
  tier: number;
}

/** One box on board: what it is and the cell it occupies (ISO 9711-1 bay-row-tier). */
export interface StowedBox {
  readonly cargo: ContainerCargo;
  readonly slot: VesselSlot;
}

/** Bay-number step from one 40-ft bay to the next (40-ft bays 02, 06, 10 …; ISO 9711-1). */
export const BAY_STEP = 4;

/**
 * The 40-ft cells of one bay in discharge order: row by row (landside half, centre line, seaward
 * half, as the trolley meets them), deck tiers top down (82 + 2·k), then the hold tiers top down
 * (2·k). Rows are labelled from the centre line as ISO 9711-1 numbers them: odd to one side, even to
 * the other, 00 on the centre line when `rows` is odd.
 * @param bay even 40-ft bay number; rows 1–21; deckTiers and holdTiers ≥ 1.
 */
export function baySlots(bay: number, rows: number, deckTiers: number, holdTiers: number): VesselSlot[] {
  const out: VesselSlot[] = [];
  const labels: number[] = [];
  const half = (rows - 1) / 2;
  for (let i = 0; i < rows; i++) labels.push(i < half ? 2 * (half - i) - 1 : i === half ? 0 : 2 * (i - half));
  for (const row of labels) for (let k = deckTiers; k >= 1; k--) out.push({ bay, row, tier: 80 + 2 * k });
  for (const row of labels) for (let k = holdTiers; k >= 1; k--) out.push({ bay, row, tier: 2 * k });
  return out;
}

/**
 * The boxes on board in the bays one crane works, bay after bay (`firstBay`, `firstBay + 4`, …):
 * each 40-ft cell holds one box drawn from a `CargoDraw` over its own seeded stream, a 20-ft box
 * stowed in the odd bay before the 40-ft bay (bay − 1). Bay `n`'s boxes are drawn the first time any
 * bay ≥ n is asked for, always in bay order, so the contents do not depend on who asks first: the
 * vessel's BAPLIE (written at arrival) and the crane discharging the bay see the same boxes.
 * Bays the crane has left are released (`release`), so memory holds only the bays still to be worked
 * that were already asked for.
 */
export class CraneStowage {
  private readonly draw: CargoDraw;
  private readonly bays = new Map<number, readonly StowedBox[]>();
  private drawn = 0;

  /**
   * @param rng       the stowage's own stream (`Prng.derive(seed, "stowage/<crane>")`).
   * @param firstBay  even 40-ft bay number the crane starts in.
   * @param rows      rows of the vessel under the crane's outreach, 1–21.
   * @param deckTiers tiers on deck; `holdTiers` tiers in the hold.
   */
  constructor(
    private readonly rng: Prng,
    readonly firstBay: number,
    readonly rows: number,
    readonly deckTiers: number,
    readonly holdTiers: number,
  ) {
    this.draw = new CargoDraw(rng);
  }

  /** 40-ft bay number of the crane's bay `n` (0-based). */
  bayNumber(n: number): number {
    return this.firstBay + BAY_STEP * n;
  }

  /** Cells per bay (rows × (deck + hold tiers)); a bay takes twice as many moves (discharge, then load). */
  get cellsPerBay(): number {
    return this.rows * (this.deckTiers + this.holdTiers);
  }

  /** The boxes of the crane's bay `n` (0-based) in discharge order; [] for a bay already released. */
  bay(n: number): readonly StowedBox[] {
    while (this.drawn <= n) {
      const slots = baySlots(this.bayNumber(this.drawn), this.rows, this.deckTiers, this.holdTiers);
      const boxes: StowedBox[] = slots.map((s) => {
        const cargo = this.draw.draw(this.rng);
        return { cargo, slot: { bay: cargo.sizeFt === 20 ? s.bay - 1 : s.bay, row: s.row, tier: s.tier } };
      });
      this.bays.set(this.drawn, boxes);
      this.drawn++;
    }
    return this.bays.get(n) ?? [];
  }

  /** Forget the boxes of bays before `n` (the crane has emptied them). */
  release(n: number): void {
    for (const k of this.bays.keys()) if (k < n) this.bays.delete(k);
  }
}
