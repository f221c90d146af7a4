/** Yard blocks of the twin terminal (A–H), bays per block, rows per bay and stacking tiers. */
const BLOCKS = 'ABCDEFGH';
const BAYS = 40;
const ROWS = 6;
const TIERS = 5;

/** A yard slot: block, bay (two digits), row, tier; `code` as a TOS writes it, e.g. `C17-04-2`. */
export interface YardSlot {
  readonly block: string;
  readonly bay: number;
  readonly row: number;
  readonly tier: number;
  readonly code: string;
}

/**
 * The yard slot a box is stacked in on land: where a discharged box goes (its truck drives it
 * there) and where a loaded box came from. A pure function of the container number (FNV-1a over its
 * characters), so every run, actor and scenario agrees without sharing state: blocks A–H, bays
 * 1–40, rows 1–6, tiers 1–5 (a common RTG block layout).
 */
export function yardSlot(container: string): YardSlot {
  let h = 0x811c9dc5;
  for (let i = 0; i < container.length; i++) h = Math.imul(h ^ container.charCodeAt(i), 0x01000193) >>> 0;
  const block = BLOCKS[h % BLOCKS.length];
  const bay = 1 + (Math.floor(h / BLOCKS.length) % BAYS);
  const row = 1 + (Math.floor(h / (BLOCKS.length * BAYS)) % ROWS);
  const tier = 1 + (Math.floor(h / (BLOCKS.length * BAYS * ROWS)) % TIERS);
  return { block, bay, row, tier, code: `${block}${String(bay).padStart(2, '0')}-${String(row).padStart(2, '0')}-${tier}` };
}
