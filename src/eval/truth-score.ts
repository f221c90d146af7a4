import { fieldNumber, fieldString, fieldStrings } from '../events/fields.js';
import type { LogRecord } from '../events/record.js';

/** Seconds after a scenario's end during which a finding still counts for it (slow detectors, flow ends). */
export const DETECTION_GRACE_SEC = 120;
/** Timestamps of truth and logs are rounded independently (µs): spans closer than this touch. */
const TIME_SLACK_SEC = 0.001;

/** The ground-truth facts `scoreFindings` reads: the twin's `TerminalTruth` (sim/terminal/truth.ts) or any JSON of this shape. */
export interface ScoringTruth {
  startTs: number;
  endTs: number;
  scenarios: ReadonlyArray<{
    id: string;
    scenario: string;
    kind: 'attack' | 'fault' | 'benign';
    startTs: number;
    endTs: number;
    hosts: { attackers: readonly string[]; targets: readonly string[] };
    craneIds: readonly string[];
    expected: readonly string[];
  }>;
}

/** How one scenario was scored. */
export interface ScenarioScore {
  id: string;
  scenario: string;
  kind: 'attack' | 'fault' | 'benign';
  /** Attack or fault: at least one finding of an expected detector matched it. */
  detected: boolean;
  /** Seconds from the scenario's start to the first matching finding's first occurrence (null when not detected). */
  timeToDetectSec: number | null;
  /** Seconds from the scenario's start to each expected detector's first matching report. */
  timeToDetectByDetector: Record<string, number>;
  /** Expected detector names that raised a matching finding, and those that did not. */
  raised: string[];
  missed: string[];
  /** Ids of all findings matched to it (any detector). */
  findings: string[];
}

/** The whole score. */
export interface TruthScore {
  scenarios: ScenarioScore[];
  /** Attack and fault scenarios detected / all of them. */
  recall: number | null;
  /** Findings matched to no attack or fault scenario (benign-scenario findings included). */
  falsePositives: Array<{ finding_id: string; detector: string; title: string; ts: number; benignScenario: string | null }>;
  /** Capture hours scored (truth end − start). */
  hours: number;
  falsePositivesPerHour: number;
  /** Median time to detect (seconds) over the detected attack and fault scenarios. */
  medianTimeToDetectSec: number | null;
}

/**
 * Scores `findings` records (the `findings` log) against ground truth (DESIGN.md "measured detection
 * quality", issue: `cranewatch eval --truth`). A finding matches a scenario when its time span
 * [ts, last_ts] overlaps [startTs, endTs + DETECTION_GRACE_SEC] and it names one of the scenario's
 * hosts (attackers or targets) or cranes. An attack or fault scenario is detected when a matching
 * finding comes from one of its expected detectors; its time to detect is the earliest `detected_ts`
 * of those findings (capture time when a finding was reported; `ts` for logs without it) minus the
 * scenario's start (0 when earlier). Every finding that matches no attack or
 * fault scenario is a false positive — those matching a benign scenario are named with it.
 */
export function scoreFindings(truth: ScoringTruth, findings: readonly LogRecord[]): TruthScore {
  const used = new Set<string>();
  const scored: ScenarioScore[] = [];
  const matches = (f: LogRecord, s: ScoringTruth['scenarios'][number]): boolean => {
    const ts = fieldNumber(f, 'ts');
    const last = Math.max(ts, fieldNumber(f, 'last_ts', ts));
    if (last < s.startTs - TIME_SLACK_SEC || ts > s.endTs + DETECTION_GRACE_SEC) return false;
    const hosts = new Set([...s.hosts.attackers, ...s.hosts.targets]);
    return fieldStrings(f, 'hosts').some((h) => hosts.has(h)) || fieldStrings(f, 'cranes').some((c) => s.craneIds.includes(c));
  };
  for (const s of truth.scenarios) {
    if (s.kind === 'benign') continue;
    const hit = findings.filter((f) => matches(f, s));
    for (const f of hit) used.add(fieldString(f, 'finding_id'));
    const expectedHits = hit.filter((f) => s.expected.includes(fieldString(f, 'detector'))).sort((a, b) => fieldNumber(a, 'ts') - fieldNumber(b, 'ts'));
    const raised = s.expected.filter((d) => expectedHits.some((f) => fieldString(f, 'detector') === d));
    const byDetector: Record<string, number> = {};
    for (const d of raised) {
      byDetector[d] = Math.max(0, Math.min(...expectedHits.filter((f) => fieldString(f, 'detector') === d).map(detectedAt)) - s.startTs);
    }
    scored.push({
      id: s.id,
      scenario: s.scenario,
      kind: s.kind,
      detected: expectedHits.length > 0,
      timeToDetectSec: expectedHits.length > 0 ? Math.max(0, Math.min(...expectedHits.map(detectedAt)) - s.startTs) : null,
      timeToDetectByDetector: byDetector,
      raised,
      missed: s.expected.filter((d) => !raised.includes(d)),
      findings: hit.map((f) => fieldString(f, 'finding_id')),
    });
  }
  const falsePositives: TruthScore['falsePositives'] = [];
  for (const f of findings) {
    const id = fieldString(f, 'finding_id');
    if (used.has(id)) continue;
    const benign = truth.scenarios.find((s) => s.kind === 'benign' && matches(f, s));
    falsePositives.push({ finding_id: id, detector: fieldString(f, 'detector'), title: fieldString(f, 'title'), ts: fieldNumber(f, 'ts'), benignScenario: benign?.id ?? null });
  }
  for (const s of truth.scenarios) {
    if (s.kind !== 'benign') continue;
    scored.push({
      id: s.id,
      scenario: s.scenario,
      kind: s.kind,
      detected: false,
      timeToDetectSec: null,
      timeToDetectByDetector: {},
      raised: [],
      missed: [],
      findings: falsePositives.filter((p) => p.benignScenario === s.id).map((p) => p.finding_id),
    });
  }
  const graded = scored.filter((s) => s.kind !== 'benign');
  const times = graded.filter((s) => s.timeToDetectSec !== null).map((s) => s.timeToDetectSec as number).sort((a, b) => a - b);
  const hours = Math.max(0, truth.endTs - truth.startTs) / 3600;
  return {
    scenarios: scored,
    recall: graded.length === 0 ? null : graded.filter((s) => s.detected).length / graded.length,
    falsePositives,
    hours,
    falsePositivesPerHour: hours > 0 ? falsePositives.length / hours : 0,
    medianTimeToDetectSec: times.length === 0 ? null : times.length % 2 === 1 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2,
  };
}

/** Capture time a finding was reported: `detected_ts`, else its first occurrence `ts`. */
function detectedAt(f: LogRecord): number {
  return fieldNumber(f, 'detected_ts', fieldNumber(f, 'ts'));
}
