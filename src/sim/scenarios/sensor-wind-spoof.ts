import { z } from 'zod';
import { Technique } from '../../detect/attack.js';
import { Prng } from '../random.js';
import { WIND_STOP_DEFAULT_MS } from '../terminal/crane-model.js';
import type { ScenarioTruth, TruthTechnique } from '../terminal/truth.js';
import { baseParamsShape, type ScenarioDefinition } from './scenario.js';
import { requireMapped } from './sensor-kit.js';
import { holdForWind, WIND_RESUME_CALM_SEC, windStopSpans } from './wind-stop.js';

const paramsSchema = z.strictObject({
  ...baseParamsShape({ start: 600, duration: 600, crane: 'STS-02', intensity: 1 }),
  level: z.coerce.number({ error: 'expected a wind speed in m/s' }).min(0, { error: 'expected a wind speed ≥ 0 m/s' }).max(60, { error: 'expected a wind speed ≤ 60 m/s' }).default(28),
});

/** Parameters of `sensor-wind-spoof` (seconds, m/s). */
export type WindSpoofParams = z.infer<typeof paramsSchema>;

/** Wobble of the forged reading: amplitudes (m/s) and periods (s) of two sinusoids, so it looks alive. */
const WOBBLE = [0.6, 11, 0.3, 4.3] as const;

/**
 * `sensor-wind-spoof` (attack): the anemometer of one crane (`crane`) is made to report `level` m/s
 * (28 by default, with a ±0.9 m/s live wobble) for `duration` seconds from `start` — a forged sensor
 * line or transmitter — while its neighbours keep reading the real, smooth quay wind. The crane's PLC
 * acts on what it reads, like a real one: once the reading reaches the wind-stop threshold (the PLC's
 * initial `wind_stop_threshold_ms`, 20 m/s) its wind interlock stops the crane (drives held, mode
 * unchanged) until the reading has been calm again for 30 s (wind-stop.ts): a forged sensor takes the
 * crane out of service. A `level` below the threshold gives a spoof without the stop (no
 * `unexpected_stop` expected then). `intensity` has no effect.
 * @throws CwError CW_ERR_CONFIG when the crane's map has no `wind_speed_ms` register.
 */
export const windSpoof: ScenarioDefinition<WindSpoofParams> = {
  name: 'sensor-wind-spoof',
  summary: "One crane's anemometer is forged high; its wind interlock stops the crane while its neighbours read calm air",
  kind: 'attack',
  techniques: [Technique.SPOOF_REPORTING_MESSAGE, Technique.MANIPULATION_OF_VIEW, Technique.LOSS_OF_AVAILABILITY],
  expected: ['sensor_integrity', 'unexpected_stop'],
  params: paramsSchema,
  install(ctx, p) {
    const crane = ctx.crane(p.crane);
    requireMapped(ctx.id, crane, 'wind_speed_ms');
    const rng = Prng.derive(ctx.seed, `scenario/${ctx.id}`);
    const phase = rng.range(0, 2 * Math.PI);
    const vary = (ts: number): number =>
      WOBBLE[0] * Math.sin((2 * Math.PI * ts) / WOBBLE[1] + phase) + WOBBLE[2] * Math.sin((2 * Math.PI * ts) / WOBBLE[3] + 2 * phase);
    const t0 = ctx.startTs + p.start;
    const end = t0 + p.duration;
    crane.model.addSensorFault(ctx.id, 'wind_speed_ms', t0, end, { kind: 'spoof', value: p.level, vary });
    const reading = (ts: number): number => (ts >= t0 && ts < end ? p.level + vary(ts) : crane.model.windMs(ts));
    const spans = windStopSpans(reading, t0, Math.min(ctx.endTs, end + 10 * WIND_RESUME_CALM_SEC), WIND_STOP_DEFAULT_MS);
    const holds: ScenarioTruth['holds'] = [];
    holdForWind(holds, crane, spans);
    const techniques: TruthTechnique[] = [Technique.SPOOF_REPORTING_MESSAGE, Technique.MANIPULATION_OF_VIEW];
    const expected = ['sensor_integrity'];
    if (spans.length > 0) {
      techniques.push(Technique.LOSS_OF_AVAILABILITY);
      expected.push('unexpected_stop');
    }
    return {
      hosts: { attackers: [], targets: [crane.plcAsset.ip] },
      craneIds: [crane.id],
      description:
        `${crane.id}'s anemometer reports ${p.level} m/s for ${p.duration} s while its neighbours read the real wind` +
        (spans.length > 0 ? `; its wind interlock (${WIND_STOP_DEFAULT_MS} m/s) stops the crane` : ''),
      holds,
      maintenanceWindow: null,
      techniques,
      expected,
    };
  },
};
