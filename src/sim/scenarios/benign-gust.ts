import { z } from 'zod';
import { CwError } from '../../errors.js';
import { WIND_STOP_DEFAULT_MS } from '../terminal/crane-model.js';
import type { ScenarioTruth } from '../terminal/truth.js';
import { baseParamsShape, type ScenarioDefinition } from './scenario.js';
import { holdForWind, WIND_RESUME_CALM_SEC, windStopSpans } from './wind-stop.js';

const paramsSchema = z.strictObject({
  ...baseParamsShape({ start: 600, duration: 60, crane: 'STS-01', intensity: 1 }),
  peak: z.coerce.number({ error: 'expected a wind speed in m/s' }).min(10, { error: 'expected a peak ≥ 10 m/s' }).max(60, { error: 'expected a peak ≤ 60 m/s' }).default(28),
});

/** Parameters of `benign-gust` (seconds; `duration` 30–120; `peak` m/s). */
export type GustParams = z.infer<typeof paramsSchema>;

/**
 * `benign-gust` (benign): a real gust front sweeps the quay: for `duration` seconds (30–120) from
 * `start` every crane's anemometer reads the quay wind plus a smooth sin² bump up to `peak` − mean
 * wind m/s (QuayWind.addGust; peak 28 m/s by default). Each crane whose reading reaches the wind-stop
 * threshold (20 m/s) is stopped by its own wind interlock and resumes 30 s after the wind has dropped
 * (wind-stop.ts). All cranes read the same gust, so it is neither a sensor fault nor an attack; it must
 * raise nothing. `crane` and `intensity` have no effect.
 * @throws CwError CW_ERR_CONFIG when `duration` is outside 30–120 s.
 */
export const benignGust: ScenarioDefinition<GustParams> = {
  name: 'benign-gust',
  summary: 'A real gust reaches every crane alike; their wind interlocks stop them and they resume',
  kind: 'benign',
  techniques: [],
  expected: [],
  params: paramsSchema,
  install(ctx, p) {
    if (p.duration < 30 || p.duration > 120) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: duration: expected 30–120 s (a gust), got ${p.duration}`);
    const t0 = ctx.startTs + p.start;
    const wind = ctx.cranes[0].model.wind;
    wind.addGust(t0, p.duration, Math.max(0, p.peak - wind.meanMs));
    const holds: ScenarioTruth['holds'] = [];
    const scanEnd = Math.min(ctx.endTs, t0 + p.duration + 10 * WIND_RESUME_CALM_SEC);
    for (const crane of ctx.cranes) holdForWind(holds, crane, windStopSpans((ts) => crane.model.windMs(ts), t0, scanEnd, WIND_STOP_DEFAULT_MS));
    return {
      hosts: { attackers: [], targets: ctx.cranes.map((c) => c.plcAsset.ip) },
      craneIds: ctx.cranes.map((c) => c.id),
      description: `a gust of up to ${p.peak} m/s sweeps the quay for ${p.duration} s; ${new Set(holds.map((h) => h.craneId)).size} of ${ctx.cranes.length} cranes stop on wind and resume`,
      holds,
      maintenanceWindow: null,
    };
  },
};
