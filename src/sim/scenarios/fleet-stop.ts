import { z } from 'zod';
import { RequestListScript } from '../modbus/request-list-script.js';
import { formatIpv4 } from '../net/address.js';
import { Prng } from '../random.js';
import { MODE_OFF } from '../terminal/crane-model.js';
import type { ScenarioTruth } from '../terminal/truth.js';
import { baseParamsShape, type ScenarioDefinition } from './scenario.js';
import { holdCrane, holdingRegister, intruderHost, scenarioSession } from './scenario-kit.js';
import { Technique } from '../../detect/attack.js';

const paramsSchema = z.strictObject({
  ...baseParamsShape({ start: 600, duration: 600, crane: 'STS-01', intensity: 5 }),
  from: z.enum(['enterprise', 'crane-subnet'], { error: 'expected enterprise or crane-subnet' }).default('enterprise'),
  spread: z.coerce.number({ error: 'expected seconds' }).min(0.1, { error: 'expected at least 0.1 s' }).max(60, { error: 'expected at most 60 s' }).default(4),
});

/** Parameters of `fleet-stop` (seconds). */
export type FleetStopParams = z.infer<typeof paramsSchema>;

/**
 * `fleet-stop`: one host the inventory lacks stops every crane of the terminal within `spread` seconds:
 * per crane, starting with `crane` and going along the quay, one Modbus/TCP connection writing
 * `operating_mode` := 0 (off) with Write Single Register (fc 6, Modbus AP V1.1b3 §6.6). Each crane
 * stops as its PLC takes the write and stands still until `start + duration`. `intensity` has no effect.
 */
export const fleetStop: ScenarioDefinition<FleetStopParams> = {
  name: 'fleet-stop',
  summary: 'Stop commands (fc 6 operating_mode := 0) to every crane within seconds from one host',
  kind: 'attack',
  techniques: [Technique.ROGUE_MASTER, Technique.UNAUTHORIZED_COMMAND, Technique.LOSS_OF_AVAILABILITY, Technique.DENIAL_OF_CONTROL],
  expected: ['fleet_stop', 'unauthorized_write', 'rogue_device', 'unexpected_stop'],
  params: paramsSchema,
  install(ctx, p) {
    const first = ctx.crane(p.crane);
    const rng = Prng.derive(ctx.seed, `scenario/${ctx.id}`);
    const attacker = intruderHost(ctx, rng, p.from, first, 'intruder');
    const t0 = ctx.startTs + p.start;
    const end = t0 + p.duration;
    const order = [...ctx.cranes.slice(first.index), ...ctx.cranes.slice(0, first.index)];
    const holds: ScenarioTruth['holds'] = [];
    order.forEach((crane, i) => {
      const target = holdingRegister(ctx.id, crane, 'operating_mode');
      const connectTs = t0 + (order.length > 1 ? (i * p.spread) / order.length : 0) + rng.range(0, 0.05);
      const writeTs = connectTs + rng.range(0.01, 0.05);
      scenarioSession(ctx, attacker, crane, new RequestListScript([{ ts: writeTs, request: { fc: 6, unit: crane.unitId, address: target.address, value: MODE_OFF } }]), rng, { connectTs });
      holdCrane(holds, crane, writeTs + 0.01, end, MODE_OFF);
    });
    return {
      hosts: { attackers: [formatIpv4(attacker.ip)], targets: order.map((c) => c.plcAsset.ip) },
      craneIds: order.map((c) => c.id),
      description: `${attacker.name} writes operating_mode := 0 to all ${order.length} crane PLCs within ${p.spread} s`,
      holds,
      maintenanceWindow: null,
    };
  },
};
