import { parseIpv4 } from '../decode/ip-parse.js';
import { maintenanceWindows, type WindowSpan } from './maintenance-window.js';
import { registerWords, type Site, type SiteAsset, type SiteThresholds, type SiteCrane, type SitePlcClient, type SiteRegister, type SiteZone } from './site-schema.js';
import { ZoneBlocks } from './zone-blocks.js';

/** Modbus functions that change a PLC's data (Modbus AP V1.1b3 §6.5, 6.6, 6.11, 6.12, 6.16, 6.17). */
export const MODBUS_WRITE_FUNCTIONS: ReadonlySet<number> = new Set([5, 6, 15, 16, 22, 23]);
/** Modbus read functions a supervisory client uses (§6.1–6.4) and Read Device Identification (43). */
const READ_FUNCTIONS = [1, 2, 3, 4];
/** Functions a cab HMI uses: the reads and the single/multiple writes. */
const HMI_FUNCTIONS = [1, 2, 3, 4, 5, 6, 15, 16];

/** A register range a client may write: table and [first, last] protocol addresses. */
export interface WriteRange {
  readonly table: SiteRegister['table'];
  readonly first: number;
  readonly last: number;
  readonly signal: string;
}

/** A PLC client's rights, resolved against the register map. */
export interface ClientRights {
  readonly asset: string;
  readonly functions: ReadonlySet<number>;
  readonly writes: readonly WriteRange[];
  /** True when the rule came from the site file, false when derived from roles. */
  readonly explicit: boolean;
}

/** Days of maintenance windows cached per crane around the time asked. */
const WINDOW_CACHE_DAYS = 2;

/**
 * A site file compiled for the detectors: who is who (assets by address, IEC 62443 zones by
 * asset or longest CIDR prefix), what may talk to what (conduits), who may command each crane's
 * PLC (its `clients`, or rights derived from roles when the site lists none: the CMS and the
 * historian read with functions 1–4, the crane's own HMI also writes the map's `read_write`
 * signals), the maintenance windows, the approved destinations of container data and the flows
 * a baseline learned.
 * IPv4 only, as site files are. Lookups are O(assets) at worst and allocate nothing per call
 * except the maintenance-window cache, refreshed once per two days of capture time per crane.
 */
export class SitePolicy {
  private readonly assetsByIp = new Map<string, SiteAsset>();
  private readonly assetsByName = new Map<string, SiteAsset>();
  private readonly assetsByMac = new Map<string, SiteAsset>();
  private readonly zonesById = new Map<string, SiteZone>();
  private readonly blocks = new ZoneBlocks<SiteZone>();
  private readonly cranesByPlcIp = new Map<string, SiteCrane>();
  private readonly rights = new Map<string, ClientRights[]>();
  private readonly approvedAssets: ReadonlySet<string>;
  private readonly approvedBlocks = new ZoneBlocks<true>();
  private readonly windows = new Map<string, { from: number; to: number; spans: WindowSpan[] }>();
  /** Learned flows `client|server|protocol|port`, or null without a baseline section. */
  private readonly learned: ReadonlySet<string> | null;

  /** @param site a site file that passed `validateSite` (references are assumed consistent). */
  constructor(readonly site: Site) {
    for (const z of site.zones) {
      this.zonesById.set(z.id, z);
      for (const c of z.cidrs) this.blocks.add(c, z);
    }
    for (const a of site.assets) {
      this.assetsByIp.set(a.ip, a);
      this.assetsByName.set(a.name, a);
      this.assetsByMac.set(a.mac, a);
    }
    for (const c of site.cranes) {
      const plc = this.assetsByName.get(c.plc);
      if (plc !== undefined) this.cranesByPlcIp.set(plc.ip, c);
      this.rights.set(c.id, c.clients !== undefined ? c.clients.map((cl) => this.resolve(c, cl, true)) : this.derived(c));
    }
    this.approvedAssets = new Set(site.container_data.approved_destinations.assets.map((n) => this.assetsByName.get(n)?.ip ?? ''));
    for (const c of site.container_data.approved_destinations.cidrs) this.approvedBlocks.add(c, true);
    this.learned = site.baseline === undefined ? null : new Set(site.baseline.flows.map((f) => `${f.client}|${f.server}|${f.protocol}|${f.port}`));
  }

  /** True when the site carries a learned baseline (`baseline` section). */
  get hasBaseline(): boolean {
    return this.learned !== null;
  }

  /** True when the baseline learned this flow: client, server, transport protocol and server port. */
  baselineHas(client: string, server: string, protocol: string, port: number): boolean {
    return this.learned !== null && this.learned.has(`${client}|${server}|${protocol}|${port}`);
  }

  /** The inventoried asset with this address. */
  assetByIp(ip: string): SiteAsset | undefined {
    return this.assetsByIp.get(ip);
  }

  /** The inventoried asset with this MAC (lower-case, colon-separated). */
  assetByMac(mac: string): SiteAsset | undefined {
    return this.assetsByMac.get(mac);
  }

  /** The inventoried asset with this name. */
  assetByName(name: string): SiteAsset | undefined {
    return this.assetsByName.get(name);
  }

  /** The zone of an address: its asset's zone, else the zone of the longest matching CIDR block; null when none. */
  zoneOf(ip: string): SiteZone | null {
    const a = this.assetsByIp.get(ip);
    if (a !== undefined) return this.zonesById.get(a.zone) ?? null;
    const n = parseIpv4(ip);
    return n < 0 ? null : this.blocks.zoneOf(n);
  }

  /**
   * True for an address that reaches many hosts: IPv4 limited broadcast, multicast (224.0.0.0/4),
   * the directed broadcast (all host bits set) of a zone block with a /1–/30 prefix, and IPv6
   * multicast (ff00::/8).
   */
  isGroupAddress(ip: string): boolean {
    if (ip.startsWith('ff')) return true;
    const n = parseIpv4(ip);
    if (n < 0) return false;
    if (n >>> 28 === 0xe || n === 0xffffffff) return true;
    return this.blocks.isDirectedBroadcast(n);
  }

  /**
   * The site's detector thresholds (site file `thresholds`) with a crane's own `thresholds` over them:
   * wind-stop limit (m/s), spreader mass (kg), standstill and silence times (s), wind disagreement (m/s).
   * An unknown crane id gets the site-wide values.
   */
  thresholdsOf(craneId: string): SiteThresholds {
    const own = this.site.cranes.find((c) => c.id === craneId)?.thresholds;
    const t = this.site.thresholds;
    return own === undefined ? t : { ...t, wind_stop_ms: own.wind_stop_ms ?? t.wind_stop_ms, spreader_kg: own.spreader_kg ?? t.spreader_kg };
  }

  /** The crane whose PLC has this address. */
  craneOfPlc(ip: string): SiteCrane | undefined {
    return this.cranesByPlcIp.get(ip);
  }

  /** The rights of every client of a crane's PLC (explicit or derived). */
  clientsOf(craneId: string): readonly ClientRights[] {
    return this.rights.get(craneId) ?? [];
  }

  /**
   * True when the site allows a flow from zone `from` to zone `to` to a server port: the same zone,
   * or a conduit from → to listing the transport protocol and port.
   */
  conduitAllows(from: SiteZone, to: SiteZone, proto: string, port: number): boolean {
    if (from.id === to.id) return true;
    for (const c of this.site.conduits) {
      if (c.from !== from.id || c.to !== to.id) continue;
      for (const s of c.services) if (s.protocol === proto && s.port === port) return true;
    }
    return false;
  }

  /** True when container data may go to this address (container_data.approved_destinations). */
  isApprovedContainerDestination(ip: string): boolean {
    if (this.approvedAssets.has(ip)) return true;
    const n = parseIpv4(ip);
    return n >= 0 && this.approvedBlocks.zoneOf(n) !== null;
  }

  /** True when `ts` (seconds since the epoch) is inside a maintenance window that applies to the crane. */
  inMaintenance(craneId: string, ts: number): boolean {
    let w = this.windows.get(craneId);
    if (w === undefined || ts < w.from || ts >= w.to) {
      const from = Math.floor(ts / 86_400) * 86_400;
      const to = from + WINDOW_CACHE_DAYS * 86_400;
      w = { from, to, spans: maintenanceWindows(this.site, craneId, from, to) };
      this.windows.set(craneId, w);
    }
    for (const s of w.spans) if (ts >= s.startTs && ts < s.endTs) return true;
    return false;
  }

  private resolve(c: SiteCrane, cl: SitePlcClient, explicit: boolean): ClientRights {
    const writes: WriteRange[] = [];
    for (const sig of cl.writes) {
      const r = c.registers[sig];
      if (r !== undefined) writes.push({ table: r.table, first: r.address, last: r.address + registerWords(r.type) - 1, signal: sig });
    }
    return { asset: cl.asset, functions: new Set(cl.functions), writes, explicit };
  }

  /** Rights from roles when the site lists no clients for a crane (see the class note). */
  private derived(c: SiteCrane): ClientRights[] {
    const out: ClientRights[] = [];
    const setpoints = Object.entries(c.registers)
      .filter(([, r]) => r.access === 'read_write')
      .map(([sig]) => sig);
    for (const a of this.site.assets) {
      if (a.role === 'cms' || a.role === 'historian') {
        out.push(this.resolve(c, { asset: a.name, functions: READ_FUNCTIONS, writes: [], description: '' }, false));
      } else if (a.role === 'hmi' && a.crane === c.id) {
        out.push(this.resolve(c, { asset: a.name, functions: HMI_FUNCTIONS, writes: setpoints, description: '' }, false));
      }
    }
    return out;
  }
}

