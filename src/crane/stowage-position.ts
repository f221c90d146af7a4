/**
 * Vessel stowage position (bay-row-tier) in the ISO 9711-1 format `BBBRRTT` that BAPLIE and COARRI
 * carry in LOC+147 (C517 3225, code list agency 5 = ISO): bay (odd numbers for 20-foot, even for
 * 40-foot slots), row (00 centre line, odd to starboard, even to port), tier (even numbers, from 02
 * in the hold and from 82 on deck). The SMDG manuals ask for leading zeros; a 6-digit `BBRRTT` is read
 * as a bay below 100 written without its leading zero.
 */
import { CwError } from '../errors.js';

/** A bay-row-tier cell. */
export interface BayRowTier {
  /** Bay number 0–999. */
  readonly bay: number;
  /** Row number 0–99. */
  readonly row: number;
  /** Tier number 0–99. */
  readonly tier: number;
  /** The cell as `BBBRRTT`, 7 digits with leading zeros. */
  readonly text: string;
}

/** Parse `BBBRRTT` (or `BBRRTT`); null when the text is not 6 or 7 digits. Never throws. */
export function parseBayRowTier(text: string): BayRowTier | null {
  const t = text.trim();
  if (!/^\d{6,7}$/.test(t)) return null;
  const s = t.length === 6 ? `0${t}` : t;
  return { bay: Number(s.slice(0, 3)), row: Number(s.slice(3, 5)), tier: Number(s.slice(5, 7)), text: s };
}

/**
 * `BBBRRTT` of a cell.
 * @throws CwError `CW_ERR_CONFIG` when bay is not an integer 0–999 or row/tier not integers 0–99
 */
export function formatBayRowTier(bay: number, row: number, tier: number): string {
  if (!Number.isInteger(bay) || bay < 0 || bay > 999) throw new CwError('CW_ERR_CONFIG', `bay must be an integer 0–999, got ${bay}`);
  if (!Number.isInteger(row) || row < 0 || row > 99) throw new CwError('CW_ERR_CONFIG', `row must be an integer 0–99, got ${row}`);
  if (!Number.isInteger(tier) || tier < 0 || tier > 99) throw new CwError('CW_ERR_CONFIG', `tier must be an integer 0–99, got ${tier}`);
  return String(bay).padStart(3, '0') + String(row).padStart(2, '0') + String(tier).padStart(2, '0');
}
