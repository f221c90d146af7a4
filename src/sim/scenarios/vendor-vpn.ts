import { z } from 'zod';
import { Technique } from '../../detect/attack.js';
import { CwError } from '../../errors.js';
import { maintenanceWindows } from '../../policy/maintenance-window.js';
import { RequestListScript, type TimedRequest } from '../modbus/request-list-script.js';
import { formatIpv4 } from '../net/address.js';
import { Prng } from '../random.js';
import type { TruthTechnique } from '../terminal/truth.js';
import { baseParamsShape, type ScenarioContext, type ScenarioDefinition } from './scenario.js';
import { holdingRegister, hostInBlock, scenarioSession } from './scenario-kit.js';

const paramsSchema = z.strictObject({
  ...baseParamsShape({ start: 600, duration: 600, crane: 'STS-01', intensity: 2 }),
  setpoint: z.enum(['hoist_speed_limit_pct', 'wind_stop_threshold_ms'], { error: 'expected hoist_speed_limit_pct or wind_stop_threshold_ms' }).default('hoist_speed_limit_pct'),
  value: z.coerce.number({ error: 'expected a setpoint value' }).min(0, { error: 'expected a value ≥ 0' }).max(100, { error: 'expected a value ≤ 100' }).default(50),
  identify: z.enum(['yes', 'no'], { error: 'expected yes or no' }).default('yes'),
});

/** Parameters of `vendor-vpn-off-hours` (seconds; `value` % or m/s). */
export type VendorVpnParams = z.infer<typeof paramsSchema>;

/** VPN pool the gateway hands the vendor's engineers: hosts .100–.119 of the vendor zone's first block. */
const POOL = { first: 100, last: 119 };

/**
 * `vendor-vpn-off-hours` (attack): the crane vendor's remote engineer — or whoever holds the vendor's
 * VPN credentials — comes in through the site's VPN gateway (asset role `vpn_gateway`, zone
 * vendor-remote) outside every maintenance window of the site file and works on `crane`'s PLC: one
 * Modbus/TCP connection to port 502 from a VPN pool address (hosts .100–.119 of the gateway zone's first block; frames carry the
 * gateway's MAC and a TTL one hop down) that reads the device identification (fc 43/14, Modbus AP
 * V1.1b3 §6.21, unless `identify=no`), the process block the CMS polls and the setpoint (fc 3, §6.3),
 * writes `setpoint` := `value` (% or m/s; 50 by default: half hoist speed, or a wind stop far above a
 * safe one) `intensity` times spread over the session (fc 6, §6.6) and reads it back. The benign in-window counterpart is `maintenance-write-in-window`.
 * @throws CwError CW_ERR_CONFIG when the session would overlap a maintenance window of the crane, the site
 *   has no VPN gateway, the map lacks the setpoint, the pool is exhausted or `duration` is under 60 s.
 */
export const vendorVpnOffHours: ScenarioDefinition<VendorVpnParams> = {
  name: 'vendor-vpn-off-hours',
  summary: 'A vendor VPN session outside any maintenance window reads and writes a crane PLC setpoint',
  kind: 'attack',
  techniques: [Technique.EXTERNAL_REMOTE_SERVICES, Technique.VALID_ACCOUNTS, Technique.REMOTE_SYSTEM_INFO_DISCOVERY, Technique.UNAUTHORIZED_COMMAND, Technique.MODIFY_PARAMETER],
  expected: ['external_remote_access', 'unauthorized_write'],
  params: paramsSchema,
  install(ctx, p) {
    const crane = ctx.crane(p.crane);
    if (p.duration < 60) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: duration: expected at least 60 s for a remote session, got ${p.duration}`);
    const vpn = ctx.site.assets.find((a) => a.role === 'vpn_gateway');
    if (vpn === undefined) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: the site has no vpn_gateway asset for the vendor session to come through`);
    const t0 = ctx.startTs + p.start;
    const end = t0 + p.duration;
    const win = maintenanceWindows(ctx.site, crane.id, t0, end)[0];
    if (win !== undefined) {
      throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: start: the session overlaps a maintenance window of ${crane.id} (${win.startTs}–${win.endTs}); use maintenance-write-in-window there`);
    }
    const target = holdingRegister(ctx.id, crane, p.setpoint);
    const rng = Prng.derive(ctx.seed, `scenario/${ctx.id}`);
    const used = new Set<string>();
    for (const h of ctx.hosts.values()) used.add(formatIpv4(h.ip));
    const pool = vpnBlock(ctx, vpn.zone);
    const free: string[] = [];
    for (let n = POOL.first; n <= POOL.last; n++) {
      const ip = hostInBlock(pool, n - 1);
      if (!used.has(ip)) free.push(ip);
    }
    if (free.length === 0) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: no free VPN pool address (hosts .${POOL.first}–.${POOL.last} of ${pool})`);
    const engineer = ctx.addHost({ name: 'vendor-engineer', ip: free[rng.int(0, free.length - 1)], mac: vpn.mac, vendor: vpn.vendor, stack: 'windows', zone: vpn.zone, ttl: 127 });

    const unit = crane.unitId;
    const items: TimedRequest[] = [];
    let at = t0 + rng.range(0.2, 0.8);
    const techniques: TruthTechnique[] = [Technique.EXTERNAL_REMOTE_SERVICES, Technique.VALID_ACCOUNTS];
    if (p.identify === 'yes') {
      items.push({ ts: at, request: { fc: 43, unit, code: 1, objectId: 0 } });
      techniques.push(Technique.REMOTE_SYSTEM_INFO_DISCOVERY);
      at += rng.range(1, 3);
    }
    const block = crane.map.pollBlocks.find((b) => b.fc === 3);
    if (block !== undefined) {
      items.push({ ts: at, request: { fc: 3, unit, address: block.address, quantity: block.quantity } });
      at += rng.range(2, 6);
    }
    items.push({ ts: at, request: { fc: 3, unit, address: target.address, quantity: 1 } });
    const raw = Math.round(p.value / target.scale) & 0xffff;
    const span = p.duration - (at - t0) - 20;
    for (let i = 0; i < p.intensity; i++) {
      items.push({ ts: at + 5 + (i * span) / p.intensity + rng.range(0, 3), request: { fc: 6, unit, address: target.address, value: raw } });
    }
    items.push({ ts: end - rng.range(5, 10), request: { fc: 3, unit, address: target.address, quantity: 1 } });
    techniques.push(Technique.UNAUTHORIZED_COMMAND, Technique.MODIFY_PARAMETER);
    scenarioSession(ctx, engineer, crane, new RequestListScript(items), rng, { connectTs: t0 });
    return {
      hosts: { attackers: [formatIpv4(engineer.ip)], targets: [crane.plcAsset.ip] },
      craneIds: [crane.id],
      description: `vendor VPN session from ${formatIpv4(engineer.ip)} (via ${vpn.name}) outside the maintenance windows writes ${p.setpoint} := ${p.value} on ${crane.id}'s PLC with fc 6, ${p.intensity}×`,
      holds: [],
      maintenanceWindow: null,
      techniques,
    };
  },
};

/** The first address block of the VPN gateway's zone (the pool the vendor's sessions get addresses from). */
export function vpnBlock(ctx: ScenarioContext, zoneId: string): string {
  const block = ctx.site.zones.find((z) => z.id === zoneId)?.cidrs[0];
  if (block === undefined) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: the VPN gateway's zone ${zoneId} has no address block`);
  return block;
}
