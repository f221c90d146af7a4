import { z } from 'zod';
import { CwError } from '../../errors.js';
import type { ModbusRequest } from '../modbus/requests.js';
import { RequestListScript, type TimedRequest } from '../modbus/request-list-script.js';
import { formatIpv4 } from '../net/address.js';
import { Prng } from '../random.js';
import { MODE_OFF } from '../terminal/crane-model.js';
import type { ScenarioTruth, TruthTechnique } from '../terminal/truth.js';
import { baseParamsShape, type ScenarioDefinition } from './scenario.js';
import { holdCrane, holdingRegister, intruderHost, scenarioSession } from './scenario-kit.js';
import { Technique } from '../../detect/attack.js';

const paramsSchema = z.strictObject({
  ...baseParamsShape({ start: 600, duration: 600, crane: 'STS-01', intensity: 3 }),
  action: z.enum(['stop-command', 'setpoint-change', 'interlock-bypass'], { error: 'expected stop-command, setpoint-change or interlock-bypass' }).default('stop-command'),
  from: z.enum(['enterprise', 'crane-subnet'], { error: 'expected enterprise or crane-subnet' }).default('enterprise'),
  windStop: z.coerce.number({ error: 'expected a wind speed in m/s' }).min(0, { error: 'expected a wind speed ≥ 0 m/s' }).max(100, { error: 'expected a wind speed ≤ 100 m/s' }).default(45),
});

/** Parameters of `unauthorized-write` (seconds, m/s). */
export type UnauthorizedWriteParams = z.infer<typeof paramsSchema>;

/**
 * `unauthorized-write`: a host the inventory lacks (an enterprise-zone laptop, or a device planted on
 * the crane's control subnet) connects to the crane's PLC, reads its identification (fc 43/14) and the
 * target register (fc 3), then writes it with Write Single Register (fc 6), `intensity` times 1–3 s
 * apart, and disconnects. Actions: `stop-command` — `operating_mode` := 0 (off): the crane stops at
 * once and stands still until `start + duration` (its PLC reports mode 0 meanwhile); `setpoint-change`
 * — `wind_stop_threshold_ms` := `windStop` m/s (45 by default: far above any safe wind stop);
 * `interlock-bypass` — `load_interlock_bypass` := 1.
 */
export const unauthorizedWrite: ScenarioDefinition<UnauthorizedWriteParams> = {
  name: 'unauthorized-write',
  summary: 'Modbus writes to a crane PLC from an uninventoried host: stop command, unsafe setpoint or interlock bypass',
  kind: 'attack',
  techniques: [Technique.ROGUE_MASTER, Technique.UNAUTHORIZED_COMMAND, Technique.MODIFY_PARAMETER, Technique.LOSS_OF_PROTECTION, Technique.LOSS_OF_AVAILABILITY],
  expected: ['unauthorized_write', 'rogue_device'],
  params: paramsSchema,
  install(ctx, p) {
    const crane = ctx.crane(p.crane);
    const rng = Prng.derive(ctx.seed, `scenario/${ctx.id}`);
    const attacker = intruderHost(ctx, rng, p.from, crane, 'intruder');
    const t0 = ctx.startTs + p.start;
    const end = t0 + p.duration;
    let target: { address: number; scale: number };
    let raw: number;
    const techniques: TruthTechnique[] = [Technique.ROGUE_MASTER, Technique.UNAUTHORIZED_COMMAND];
    const expected = ['unauthorized_write', 'rogue_device'];
    let what: string;
    if (p.action === 'stop-command') {
      target = holdingRegister(ctx.id, crane, 'operating_mode');
      raw = MODE_OFF;
      techniques.push(Technique.LOSS_OF_AVAILABILITY);
      expected.push('unexpected_stop');
      what = `operating_mode := 0 (off): the crane stops until ${p.duration} s after the attack starts`;
    } else if (p.action === 'setpoint-change') {
      target = holdingRegister(ctx.id, crane, 'wind_stop_threshold_ms');
      raw = Math.round(p.windStop / target.scale);
      techniques.push(Technique.MODIFY_PARAMETER);
      what = `wind_stop_threshold_ms := ${p.windStop} m/s`;
    } else {
      target = holdingRegister(ctx.id, crane, 'load_interlock_bypass');
      raw = 1;
      techniques.push(Technique.MODIFY_PARAMETER, Technique.LOSS_OF_PROTECTION);
      what = 'load_interlock_bypass := 1';
    }
    const unit = crane.unitId;
    const items: TimedRequest[] = [];
    let at = t0 + rng.range(0.1, 0.4);
    items.push({ ts: at, request: { fc: 43, unit, code: 1, objectId: 0 } });
    at += rng.range(0.5, 2);
    items.push({ ts: at, request: { fc: 3, unit, address: target.address, quantity: 1 } });
    const firstWrite = at + rng.range(1, 4);
    at = firstWrite;
    const write: ModbusRequest = { fc: 6, unit, address: target.address, value: raw & 0xffff };
    for (let i = 0; i < p.intensity; i++) {
      items.push({ ts: at, request: write });
      at += rng.range(1, 3);
    }
    if (at >= end) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: duration ${p.duration} s is too short for ${p.intensity} writes; give at least ${Math.ceil(at - t0) + 1} s`);
    scenarioSession(ctx, attacker, crane, new RequestListScript(items), rng, { connectTs: t0 });
    const holds: ScenarioTruth['holds'] = [];
    // The PLC acts on the first write once it has answered it (scan latency ≤ 8 ms).
    if (p.action === 'stop-command') holdCrane(holds, crane, firstWrite + 0.01, end, MODE_OFF);
    return {
      hosts: { attackers: [formatIpv4(attacker.ip)], targets: [crane.plcAsset.ip] },
      craneIds: [crane.id],
      description: `${attacker.name} (${p.from}) writes ${what} on ${crane.id}'s PLC with fc 6, ${p.intensity}×`,
      holds,
      maintenanceWindow: null,
      techniques,
      expected,
    };
  },
};
