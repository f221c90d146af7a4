import { MODE_SEMI_AUTOMATIC } from '../terminal/crane-model.js';
import type { ScenarioTruth } from '../terminal/truth.js';
import type { ScenarioCrane } from './scenario.js';
import { holdCrane } from './scenario-kit.js';

/** How far below the threshold the wind must fall before the interlock may release, m/s. */
export const WIND_RESUME_HYSTERESIS_MS = 2;
/** Seconds the wind must stay below (threshold − hysteresis) before the crane resumes. */
export const WIND_RESUME_CALM_SEC = 30;
/** Scan period of the interlock, seconds. */
const SCAN_SEC = 0.1;

/** One span a wind interlock held a crane: [fromTs, untilTs), seconds since the epoch. */
export interface WindStopSpan {
  fromTs: number;
  untilTs: number;
}

/**
 * The spans over which a crane PLC's wind interlock stops the crane, given the anemometer reading
 * `reading(ts)` (m/s; what the PLC reads, forged or not): scanning every 0.1 s over [fromTs, toTs), it
 * trips at the end of the first scan whose reading is ≥ `thresholdMs` (the `wind_stop_threshold_ms` setpoint) and
 * releases once the reading has stayed below `thresholdMs` − 2 m/s for 30 s (the hysteresis and calm
 * time of an STS crane's wind-stop logic). A span still tripped at `toTs` ends there.
 * At most (toTs − fromTs) / 0.1 readings; no spans when the reading never reaches the threshold.
 */
export function windStopSpans(reading: (ts: number) => number, fromTs: number, toTs: number, thresholdMs: number): WindStopSpan[] {
  const spans: WindStopSpan[] = [];
  const steps = Math.max(0, Math.ceil((toTs - fromTs) / SCAN_SEC));
  let trippedAt = NaN;
  let calmSince = NaN;
  for (let k = 0; k < steps; k++) {
    const t = fromTs + k * SCAN_SEC;
    const w = reading(t);
    if (Number.isNaN(trippedAt)) {
      if (w >= thresholdMs) {
        trippedAt = t + SCAN_SEC;
        calmSince = NaN;
      }
    } else if (w < thresholdMs - WIND_RESUME_HYSTERESIS_MS) {
      if (Number.isNaN(calmSince)) calmSince = t;
      else if (t - calmSince >= WIND_RESUME_CALM_SEC) {
        spans.push({ fromTs: trippedAt, untilTs: t });
        trippedAt = NaN;
      }
    } else calmSince = NaN;
  }
  if (!Number.isNaN(trippedAt)) spans.push({ fromTs: trippedAt, untilTs: toTs });
  return spans;
}

/**
 * Hold `crane` still over each of `spans` (`holdCrane`), its PLC still reporting semi-automatic mode
 * (the wind interlock stops the drives; nobody changed the mode), and list the holds in `holds`.
 */
export function holdForWind(holds: ScenarioTruth['holds'], crane: ScenarioCrane, spans: readonly WindStopSpan[]): void {
  for (const s of spans) holdCrane(holds, crane, s.fromTs, s.untilTs, MODE_SEMI_AUTOMATIC);
}
