import { parseIpv4 } from '../../decode/ip-parse.js';
import type { RunInfo } from '../api-types.js';
import { ZoneBlocks } from '../../policy/zone-blocks.js';

/** A zone of the site file as kept in the store's `site.inventory` meta entry (cli/analyze.ts runMeta). */
export interface InventoryZone {
  readonly id: string;
  readonly name: string;
  /** Site zone kind (policy/site-schema.ts ZONE_KINDS); `outside` marks the world beyond the terminal. */
  readonly kind: string;
  readonly cidrs: readonly string[];
}

/** An inventoried asset as kept in `site.inventory`. */
export interface InventoryAsset {
  readonly name: string;
  readonly ip: string;
  readonly mac: string;
  readonly vendor: string;
  readonly role: string;
  readonly zone: string;
  readonly crane: string | null;
}

/** The site file's view the console needs without the YAML: zones, assets and cranes (id, PLC asset name). */
export interface Inventory {
  readonly zones: readonly InventoryZone[];
  readonly assets: readonly InventoryAsset[];
  readonly cranes: readonly { readonly id: string; readonly plc: string }[];
}

/**
 * Run information and site inventory read from the store's meta entries (`run.*`, `site.*`, written by
 * `cranewatch analyze`), with address → zone lookup (asset zone first, else the longest matching IPv4
 * CIDR block). A store written without those keys reads as an empty run with no site (`hasSite` false).
 */
export class RunMeta {
  readonly run: RunInfo;
  /** Null when the run had no site file. */
  readonly inventory: Inventory | null;
  private readonly assetsByIp = new Map<string, InventoryAsset>();
  private readonly zonesById = new Map<string, InventoryZone>();
  private readonly blocks = new ZoneBlocks<InventoryZone>();

  /** `meta`: key → value as stored. Malformed JSON values read as absent. */
  constructor(meta: Readonly<Record<string, string>>) {
    const num = (k: string): number | null => {
      const v = meta[k];
      if (v === undefined || v === '') return null;
      const n = Number(v);
      return Number.isFinite(n) ? n : null;
    };
    const text = (k: string): string | null => (meta[k] === undefined || meta[k] === '' ? null : meta[k]);
    const captures = parseJson(meta['run.captures']);
    this.inventory = toInventory(parseJson(meta['site.inventory']));
    this.run = {
      captures: Array.isArray(captures) ? captures.map(String) : [],
      first_ts: num('run.first_ts'),
      last_ts: num('run.last_ts'),
      unlocode: text('site.unlocode'),
      terminal: text('site.terminal'),
      detection: meta['run.detection'] === 'true' || this.inventory !== null,
    };
    if (this.inventory === null) return;
    for (const z of this.inventory.zones) {
      this.zonesById.set(z.id, z);
      for (const c of z.cidrs) this.blocks.add(c, z);
    }
    for (const a of this.inventory.assets) this.assetsByIp.set(a.ip, a);
  }

  /** True when the run had a site file. */
  get hasSite(): boolean {
    return this.inventory !== null;
  }

  /** The inventoried asset at this address. */
  asset(ip: string): InventoryAsset | undefined {
    return this.assetsByIp.get(ip);
  }

  /** The zone of an address: its asset's zone, else the longest matching CIDR block's; null when none (or no site). */
  zoneOf(ip: string): InventoryZone | null {
    const a = this.assetsByIp.get(ip);
    if (a !== undefined) return this.zonesById.get(a.zone) ?? null;
    const n = parseIpv4(ip);
    return n < 0 ? null : this.blocks.zoneOf(n);
  }
}

function parseJson(v: string | undefined): unknown {
  if (v === undefined || v === '') return undefined;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return undefined;
  }
}

function toInventory(v: unknown): Inventory | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as { zones?: unknown; assets?: unknown; cranes?: unknown };
  if (!Array.isArray(o.zones) || !Array.isArray(o.assets) || !Array.isArray(o.cranes)) return null;
  return { zones: o.zones as InventoryZone[], assets: o.assets as InventoryAsset[], cranes: o.cranes as Inventory['cranes'] };
}
