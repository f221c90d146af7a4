import { z } from 'zod';
import { type CraneSignalName, SPREADER_KG } from '../terminal/crane-model.js';
import { baseParamsShape, type ScenarioDefinition } from './scenario.js';
import { requireMapped } from './sensor-kit.js';

/** Detection a failing sensor should raise (DESIGN.md "sensor integrity"). */
const EXPECTED = ['sensor_integrity'];

const encoderSignal = z.enum(['hoist', 'trolley'], { error: 'expected hoist or trolley' }).default('hoist');
/** Register-map name of the encoder `signal` selects. */
const ENCODER: Readonly<Record<'hoist' | 'trolley', CraneSignalName>> = { hoist: 'hoist_position_mm', trolley: 'trolley_position_mm' };

const freezeSchema = z.strictObject({
  ...baseParamsShape({ start: 600, duration: 600, crane: 'STS-01', intensity: 1 }),
  signal: encoderSignal,
});

/** Parameters of `sensor-encoder-freeze` (seconds). */
export type EncoderFreezeParams = z.infer<typeof freezeSchema>;

/**
 * `sensor-encoder-freeze` (fault): the crane's hoist or trolley absolute encoder (`signal`) stops
 * updating at `start`: for `duration` seconds its PLC reports the position it had at `start` while the
 * drive keeps moving the crane (the speed signal stays true). `intensity` has no effect.
 * @throws CwError CW_ERR_CONFIG when the crane's map has no such position register.
 */
export const encoderFreeze: ScenarioDefinition<EncoderFreezeParams> = {
  name: 'sensor-encoder-freeze',
  summary: 'A hoist or trolley encoder freezes: the PLC reports a constant position while the crane moves',
  kind: 'fault',
  techniques: [],
  expected: EXPECTED,
  params: freezeSchema,
  install(ctx, p) {
    const crane = ctx.crane(p.crane);
    const signal = ENCODER[p.signal];
    requireMapped(ctx.id, crane, signal);
    const t0 = ctx.startTs + p.start;
    crane.model.addSensorFault(ctx.id, signal, t0, t0 + p.duration, { kind: 'freeze' });
    return {
      hosts: { attackers: [], targets: [crane.plcAsset.ip] },
      craneIds: [crane.id],
      description: `${crane.id}'s ${signal} encoder freezes at its value at ${p.start} s for ${p.duration} s`,
      holds: [],
      maintenanceWindow: null,
    };
  },
};

const driftSchema = z.strictObject({
  ...baseParamsShape({ start: 600, duration: 600, crane: 'STS-01', intensity: 1 }),
  signal: encoderSignal,
  rate: z.coerce
    .number({ error: 'expected a drift rate in mm/s' })
    .min(-2000, { error: 'expected a drift rate ≥ -2000 mm/s' })
    .max(2000, { error: 'expected a drift rate ≤ 2000 mm/s' })
    .refine((v) => v !== 0, { error: 'expected a non-zero drift rate' })
    .default(40),
});

/** Parameters of `sensor-encoder-drift` (seconds, mm/s). */
export type EncoderDriftParams = z.infer<typeof driftSchema>;

/**
 * `sensor-encoder-drift` (fault): the crane's hoist or trolley encoder (`signal`) slips from `start`:
 * for `duration` seconds its PLC reports the true position plus `rate` × (t − start) mm (40 mm/s by
 * default: 24 m off after ten minutes), then the true position again (a re-referenced encoder).
 * `intensity` has no effect.
 * @throws CwError CW_ERR_CONFIG when the crane's map has no such position register.
 */
export const encoderDrift: ScenarioDefinition<EncoderDriftParams> = {
  name: 'sensor-encoder-drift',
  summary: 'A hoist or trolley encoder drifts: the PLC reports the position plus a growing offset',
  kind: 'fault',
  techniques: [],
  expected: EXPECTED,
  params: driftSchema,
  install(ctx, p) {
    const crane = ctx.crane(p.crane);
    const signal = ENCODER[p.signal];
    requireMapped(ctx.id, crane, signal);
    const t0 = ctx.startTs + p.start;
    crane.model.addSensorFault(ctx.id, signal, t0, t0 + p.duration, { kind: 'drift', ratePerSec: p.rate });
    return {
      hosts: { attackers: [], targets: [crane.plcAsset.ip] },
      craneIds: [crane.id],
      description: `${crane.id}'s ${signal} encoder drifts by ${p.rate} mm/s for ${p.duration} s`,
      holds: [],
      maintenanceWindow: null,
    };
  },
};

const loadSchema = z.strictObject({
  ...baseParamsShape({ start: 600, duration: 600, crane: 'STS-01', intensity: 1 }),
  value: z.coerce.number({ error: 'expected a load in kg' }).min(0, { error: 'expected a load ≥ 0 kg' }).max(200_000, { error: 'expected a load ≤ 200000 kg' }).default(SPREADER_KG),
});

/** Parameters of `sensor-load-stuck` (seconds, kg). */
export type LoadStuckParams = z.infer<typeof loadSchema>;

/**
 * `sensor-load-stuck` (fault): the crane's load cell sticks at `value` kg (by default the bare
 * spreader's 15 t) for `duration` seconds from `start`, whatever the crane lifts — boxes are locked and
 * hoisted with no weight on the cell. `intensity` has no effect.
 * @throws CwError CW_ERR_CONFIG when the crane's map has no `load_kg` register.
 */
export const loadStuck: ScenarioDefinition<LoadStuckParams> = {
  name: 'sensor-load-stuck',
  summary: 'The load cell sticks at one value while containers are lifted',
  kind: 'fault',
  techniques: [],
  expected: EXPECTED,
  params: loadSchema,
  install(ctx, p) {
    const crane = ctx.crane(p.crane);
    requireMapped(ctx.id, crane, 'load_kg');
    const t0 = ctx.startTs + p.start;
    crane.model.addSensorFault(ctx.id, 'load_kg', t0, t0 + p.duration, { kind: 'stuck', value: p.value });
    return {
      hosts: { attackers: [], targets: [crane.plcAsset.ip] },
      craneIds: [crane.id],
      description: `${crane.id}'s load cell is stuck at ${p.value} kg for ${p.duration} s`,
      holds: [],
      maintenanceWindow: null,
    };
  },
};

const twistlockSchema = z.strictObject({
  ...baseParamsShape({ start: 600, duration: 600, crane: 'STS-01', intensity: 1 }),
  variant: z.enum(['unlocked-under-load', 'locked-no-load'], { error: 'expected unlocked-under-load or locked-no-load' }).default('unlocked-under-load'),
});

/** Parameters of `sensor-twistlock-mismatch` (seconds). */
export type TwistlockMismatchParams = z.infer<typeof twistlockSchema>;

/**
 * `sensor-twistlock-mismatch` (fault): the spreader's twistlock signal disagrees with the load cell for
 * `duration` seconds from `start`: `unlocked-under-load` — it reads unlocked (0) throughout, so every box
 * hoisted meanwhile hangs from "unlocked" twistlocks; `locked-no-load` — it reads locked (1) throughout,
 * so the empty spreader travels "locked" with no box's weight. `intensity` has no effect.
 * @throws CwError CW_ERR_CONFIG when the crane's map has no `twistlock_locked` register.
 */
export const twistlockMismatch: ScenarioDefinition<TwistlockMismatchParams> = {
  name: 'sensor-twistlock-mismatch',
  summary: 'The twistlock signal contradicts the load: unlocked with a box hanging, or locked with none',
  kind: 'fault',
  techniques: [],
  expected: EXPECTED,
  params: twistlockSchema,
  install(ctx, p) {
    const crane = ctx.crane(p.crane);
    requireMapped(ctx.id, crane, 'twistlock_locked');
    const t0 = ctx.startTs + p.start;
    const value = p.variant === 'unlocked-under-load' ? 0 : 1;
    crane.model.addSensorFault(ctx.id, 'twistlock_locked', t0, t0 + p.duration, { kind: 'stuck', value });
    return {
      hosts: { attackers: [], targets: [crane.plcAsset.ip] },
      craneIds: [crane.id],
      description: `${crane.id}'s twistlock signal reads ${value === 0 ? 'unlocked' : 'locked'} whatever the spreader holds for ${p.duration} s`,
      holds: [],
      maintenanceWindow: null,
    };
  },
};
