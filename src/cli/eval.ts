import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CwError } from '../errors.js';
import type { LogRecord } from '../events/record.js';
import { scoreFindings, type ScoringTruth, type TruthScore } from '../eval/truth-score.js';
import { renderTable, type TableColumn } from '../output/text-table.js';
import { runAnalyze } from './analyze.js';
import { ExitCode } from './exit-codes.js';

/** Options of `cranewatch eval`. */
export interface EvalCommandOptions {
  /** Ground-truth JSON (`cranewatch simulate --truth`). */
  truth: string;
  /** Site file the captures are analyzed against (needed with captures). */
  site?: string;
  /** A `findings.log` of an earlier `analyze --site --out` run, scored instead of analyzing captures. */
  findings?: string;
  /** Print the score as JSON on stdout. */
  json?: boolean;
}

/** Reads a JSON file. @throws CwError CW_ERR_NOT_FOUND / CW_ERR_READ / CW_ERR_CONFIG naming the file */
function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CwError(code === 'ENOENT' ? 'CW_ERR_NOT_FOUND' : 'CW_ERR_READ', `${what} ${path}: ${code === 'ENOENT' ? 'does not exist' : (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CwError('CW_ERR_CONFIG', `${what} ${path}: not JSON (${(e as Error).message})`);
  }
}

/** Checks the truth's shape. @throws CwError CW_ERR_CONFIG naming the field */
function asTruth(v: unknown, path: string): ScoringTruth {
  const t = v as Partial<ScoringTruth> | null;
  if (t === null || typeof t !== 'object') throw new CwError('CW_ERR_CONFIG', `--truth ${path}: expected a JSON object`);
  if (typeof t.startTs !== 'number' || typeof t.endTs !== 'number' || !Number.isFinite(t.startTs) || !Number.isFinite(t.endTs) || t.endTs < t.startTs) {
    throw new CwError('CW_ERR_CONFIG', `--truth ${path}: startTs, endTs: expected seconds since the epoch, end not before start`);
  }
  if (!Array.isArray(t.scenarios)) throw new CwError('CW_ERR_CONFIG', `--truth ${path}: scenarios: expected a list (write the truth with cranewatch simulate --truth)`);
  t.scenarios.forEach((s, i) => {
    if (typeof s?.id !== 'string' || typeof s.startTs !== 'number' || typeof s.endTs !== 'number' || !Array.isArray(s.expected) || typeof s.hosts !== 'object') {
      throw new CwError('CW_ERR_CONFIG', `--truth ${path}: scenarios[${i}]: expected id, startTs, endTs, hosts and expected`);
    }
  });
  return t as ScoringTruth;
}

/**
 * Reads a `findings` log (Zeek JSON lines). `missingIsEmpty`: a missing file means no findings (the
 * log of a run that found nothing); otherwise it is an error.
 * @throws CwError CW_ERR_NOT_FOUND / CW_ERR_READ, or CW_ERR_CONFIG naming the line that is not a finding
 */
function readFindings(path: string, missingIsEmpty: boolean): LogRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && missingIsEmpty) return [];
    throw new CwError(code === 'ENOENT' ? 'CW_ERR_NOT_FOUND' : 'CW_ERR_READ', `--findings ${path}: ${code === 'ENOENT' ? 'does not exist' : (e as Error).message}`);
  }
  const out: LogRecord[] = [];
  text.split('\n').forEach((l, i) => {
    if (l.trim() === '') return;
    let r: LogRecord;
    try {
      r = JSON.parse(l) as LogRecord;
    } catch {
      throw new CwError('CW_ERR_CONFIG', `--findings ${path}:${i + 1}: not a JSON log line`);
    }
    if (r === null || typeof r !== 'object' || typeof r.finding_id !== 'string' || typeof r.detector !== 'string' || typeof r.ts !== 'number') {
      throw new CwError('CW_ERR_CONFIG', `--findings ${path}:${i + 1}: not a findings record (finding_id, detector, ts expected; is this findings.log?)`);
    }
    out.push(r);
  });
  return out;
}

/**
 * `cranewatch eval --truth truth.json (--site site.yaml capture... | --findings findings.log)`: scores
 * findings against the twin's ground truth (eval/truth-score.ts): per scenario detected or not, time
 * to detect, the expected detections raised and missed; false positives (findings of no attack or
 * fault, those on benign surprises named) per hour; recall and median time to detect. With captures
 * it first analyzes them against the site (as `analyze --site`, no outputs kept); the exit code is
 * then analyze's (4 when a capture was damaged; its warning is printed).
 * @throws CwError for unreadable or invalid inputs (the analyze errors included)
 */
export async function runEval(captures: readonly string[], opts: EvalCommandOptions): Promise<number> {
  const truth = asTruth(readJson(opts.truth, '--truth'), opts.truth);
  let findings: LogRecord[];
  let exitCode: number = ExitCode.OK;
  if (opts.findings !== undefined) {
    if (captures.length > 0) throw new CwError('CW_ERR_USAGE', 'give either captures (with --site) or --findings, not both');
    findings = readFindings(opts.findings, false);
  } else {
    if (captures.length === 0) throw new CwError('CW_ERR_USAGE', 'expected captures to analyze (with --site) or --findings FILE');
    if (opts.site === undefined) throw new CwError('CW_ERR_USAGE', '--site: the site file is needed to analyze the captures');
    const dir = mkdtempSync(join(tmpdir(), 'cranewatch-eval-'));
    try {
      exitCode = (await runAnalyze(captures, { site: opts.site, out: dir, quiet: true, progress: false })).exitCode;
      findings = readFindings(join(dir, 'findings.log'), true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const score = scoreFindings(truth, findings);
  process.stdout.write(opts.json ? `${JSON.stringify(score, null, 2)}\n` : renderScore(score));
  return exitCode;
}

/** The score as text tables. */
function renderScore(s: TruthScore): string {
  const L = (header: string): TableColumn => ({ header, align: 'left' });
  const R = (header: string): TableColumn => ({ header, align: 'right' });
  const rows = s.scenarios.map((x) => [
    x.id,
    x.kind,
    x.kind === 'benign' ? (x.findings.length === 0 ? 'quiet' : `${x.findings.length} FP`) : x.detected ? 'detected' : 'MISSED',
    x.timeToDetectSec === null ? '-' : `${x.timeToDetectSec.toFixed(1)} s`,
    x.raised.join(' ') || '-',
    x.missed.join(' ') || '-',
  ]);
  const out = [
    ...renderTable([L('scenario'), L('kind'), L('result'), R('time to detect'), L('raised'), L('missed')], rows, 160),
    '',
    `recall ${s.recall === null ? '-' : `${(100 * s.recall).toFixed(1)} %`}, median time to detect ${s.medianTimeToDetectSec === null ? '-' : `${s.medianTimeToDetectSec.toFixed(1)} s`}, ` +
      `false positives ${s.falsePositives.length} (${s.falsePositivesPerHour.toFixed(2)} per hour over ${s.hours.toFixed(2)} h)`,
  ];
  for (const f of s.falsePositives) out.push(`  false positive: ${f.detector} ${f.title}${f.benignScenario !== null ? ` (during ${f.benignScenario})` : ''}`);
  return `${out.join('\n')}\n`;
}
