import { z } from 'zod';
import { CwError } from '../../errors.js';
import { RequestListScript, type TimedRequest } from '../modbus/request-list-script.js';
import { formatIpv4 } from '../net/address.js';
import { Prng } from '../random.js';
import { MODE_SEMI_AUTOMATIC } from '../terminal/crane-model.js';
import type { ScenarioTruth } from '../terminal/truth.js';
import { maintenanceWindows } from '../../policy/maintenance-window.js';
import { baseParamsShape, type ScenarioDefinition } from './scenario.js';
import { holdCrane, holdingRegister, hostInBlock, scenarioSession, us } from './scenario-kit.js';
import { vpnBlock } from './vendor-vpn.js';

const maintenanceSchema = z.strictObject({
  ...baseParamsShape({ start: 0, duration: 1200, crane: 'STS-01', intensity: 2 }),
  hoistLimit: z.coerce.number({ error: 'expected a percentage' }).int({ error: 'expected a whole percentage' }).min(10, { error: 'expected at least 10 %' }).max(100, { error: 'expected at most 100 %' }).default(90),
});

/** Parameters of `maintenance-write-in-window` (seconds, %). */
export type MaintenanceWriteParams = z.infer<typeof maintenanceSchema>;

/**
 * `maintenance-write-in-window` (benign): the crane vendor's engineer, on a laptop behind the vendor VPN
 * gateway (an address of the VPN pool, hosts .100–.119 of the gateway zone's block, frames carrying the gateway's MAC, TTL one hop
 * down), works on the crane's PLC during the first maintenance window of the site file that overlaps
 * the run after `start`: reads the setpoints (fc 3), sets `hoist_speed_limit_pct` to `hoistLimit` and,
 * `duration` seconds later, back to 100 (fc 6), `intensity` read/write rounds in all. The window
 * occurrence is recorded in the truth. Must raise nothing.
 * @throws CwError CW_ERR_CONFIG when no window overlaps the activity, or the site has no VPN gateway.
 */
export const maintenanceWrite: ScenarioDefinition<MaintenanceWriteParams> = {
  name: 'maintenance-write-in-window',
  summary: "The vendor engineer's authorised setpoint writes during the site's maintenance window",
  kind: 'benign',
  techniques: [],
  expected: [],
  params: maintenanceSchema,
  install(ctx, p) {
    const crane = ctx.crane(p.crane);
    const vpn = ctx.site.assets.find((a) => a.role === 'vpn_gateway');
    if (vpn === undefined) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: the site has no vpn_gateway asset for the vendor engineer to come through`);
    const from = ctx.startTs + p.start;
    const win = maintenanceWindows(ctx.site, crane.id, from, ctx.endTs)[0];
    if (win === undefined) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: start: no maintenance window of the site file for ${crane.id} falls in the run after ${p.start} s`);
    const rng = Prng.derive(ctx.seed, `scenario/${ctx.id}`);
    const t0 = Math.max(from, win.startTs) + rng.range(30, 120);
    const end = t0 + p.duration;
    if (end > win.endTs || end > ctx.endTs) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: duration: ${p.duration} s from ${us(t0 - ctx.startTs)} s runs past the maintenance window or the run`);
    const engineer = ctx.addHost({ name: 'vendor-engineer', ip: hostInBlock(vpnBlock(ctx, vpn.zone), rng.int(100, 119) - 1), mac: vpn.mac, vendor: vpn.vendor, stack: 'windows', zone: vpn.zone, ttl: 127 });
    const limit = holdingRegister(ctx.id, crane, 'hoist_speed_limit_pct');
    const unit = crane.unitId;
    const rounds = p.intensity;
    for (let r = 0; r < rounds; r++) {
      const at = t0 + (r * p.duration) / rounds;
      const value = r === rounds - 1 ? 100 : p.hoistLimit;
      const items: TimedRequest[] = [
        { ts: at + rng.range(0.1, 0.5), request: { fc: 3, unit, address: limit.address, quantity: 1 } },
        { ts: at + rng.range(2, 6), request: { fc: 6, unit, address: limit.address, value: Math.round(value / limit.scale) } },
        { ts: at + rng.range(8, 12), request: { fc: 3, unit, address: limit.address, quantity: 1 } },
      ];
      scenarioSession(ctx, engineer, crane, new RequestListScript(items), rng, { connectTs: at });
    }
    return {
      hosts: { attackers: [formatIpv4(engineer.ip)], targets: [crane.plcAsset.ip] },
      craneIds: [crane.id],
      description: `vendor engineer sets ${crane.id}'s hoist speed limit to ${p.hoistLimit} % and back to 100 % inside the maintenance window`,
      holds: [],
      maintenanceWindow: { startTs: win.startTs, endTs: win.endTs },
    };
  },
};

const idleSchema = z.strictObject({
  ...baseParamsShape({ start: 1200, duration: 900, crane: 'STS-01', intensity: 1 }),
});

/** Parameters of `crane-idle-at-shift-change` (seconds; `duration` 600–1200). */
export type CraneIdleParams = z.infer<typeof idleSchema>;

/**
 * `crane-idle-at-shift-change` (benign): the crane pauses its cycles for `duration` seconds (10–20
 * minutes) from `start` while the crews change over: the PLC keeps answering the CMS, its drives
 * stand still in semi-automatic mode, no command crosses the network. Must raise nothing. `intensity`
 * has no effect.
 * @throws CwError CW_ERR_CONFIG when `duration` is outside 600–1200 s.
 */
export const craneIdle: ScenarioDefinition<CraneIdleParams> = {
  name: 'crane-idle-at-shift-change',
  summary: 'A crane pauses its cycles for 10–20 minutes at shift change; nothing is written',
  kind: 'benign',
  techniques: [],
  expected: [],
  params: idleSchema,
  install(ctx, p) {
    if (p.duration < 600 || p.duration > 1200) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: duration: expected 600–1200 s (a 10–20 minute pause), got ${p.duration}`);
    const crane = ctx.crane(p.crane);
    const holds: ScenarioTruth['holds'] = [];
    const t0 = ctx.startTs + p.start;
    holdCrane(holds, crane, t0, t0 + p.duration, MODE_SEMI_AUTOMATIC);
    return {
      hosts: { attackers: [], targets: [crane.plcAsset.ip] },
      craneIds: [crane.id],
      description: `${crane.id} stands idle for ${p.duration} s at shift change`,
      holds,
      maintenanceWindow: null,
    };
  },
};
