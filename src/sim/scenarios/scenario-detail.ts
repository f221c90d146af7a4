import type { ScenarioTruth } from '../terminal/truth.js';
import type { ScenarioContext } from './scenario.js';

/** Detail records a scenario can add to its truth (fields of `ScenarioTruth` beyond the common ones). */
export type ScenarioDetail = Pick<ScenarioTruth, 'exfil' | 'covert'>;

/**
 * Attach `detail` (objects the scenario's actors keep filling during the run) to the scenario's truth:
 * `installScenarios` copies the own fields of `ctx.count` into the truth after the run
 * (scenario.ts: "copied into the truth after the run"), so the fields set here land in the
 * `ScenarioTruth` under the same names.
 */
export function attachDetail(ctx: ScenarioContext, detail: ScenarioDetail): void {
  Object.assign(ctx.count, detail);
}
