import { randomUUID } from 'node:crypto';
import { basename, dirname } from 'node:path';
import { canonicalPath } from '../files/canonical-path.js';
import { AssetBuilder } from '../assets/asset-builder.js';
import { CwError } from '../errors.js';
import { streamSchema } from '../events/schema.js';
import type { ChecksumMode } from '../decode/checksum-policy.js';
import { SinkFanout, type LogSink } from '../events/record.js';
import { JsonlSink } from '../output/jsonl-sink.js';
import { StoreSink } from '../output/store-sink.js';
import { SummaryCollector, type SummaryJson } from '../output/summary.js';
import { FINDINGS_SCHEMA } from '../detect/finding.js';
import { INCIDENTS_SCHEMA } from '../detect/incidents.js';
// The detection stage's other streams, registered so that --out replaces their logs of an earlier
// run even when this run has no site file (the detectors themselves load only with --site).
import '../crane/state/streams.js';
import '../detect/content/log.js';
import { analyzeCaptures, openCaptures, type AnalyzeResult, type ThreadsOption } from '../pipeline/analyze.js';
import type { Site } from '../policy/site-schema.js';
import type { SqliteStore } from '../store/sqlite.js';
import { ExitCode } from './exit-codes.js';
import { createProgress } from './progress.js';

/** Options of `cranewatch analyze` (command-line flags, see main.ts). */
export interface AnalyzeCommandOptions {
  /** Directory for one Zeek-JSON log file per stream (`conn.log`, `modbus.log`, …); none when absent. */
  out?: string;
  /** SQLite database file receiving the same records; none when absent. */
  db?: string;
  /** Site file (policy/site-schema.ts) turning on the detectors (detect/registry.ts); none when absent. */
  site?: string;
  /** Print the summary as JSON on stdout instead of the text tables. */
  json?: boolean;
  /** Print no summary (for commands that run an analysis and report something else). */
  quiet?: boolean;
  /** Draw a progress bar on stderr when it is a TTY (default true). */
  progress?: boolean;
  /** Use ANSI colours in the text summary (default: when stdout is a TTY and NO_COLOR is unset). */
  color?: boolean;
  /** Checksum verification (decode/checksum-policy.ts); default 'auto'. */
  checksums?: ChecksumMode;
  /** Threads of the run (pipeline/analyze.ts ThreadsOption); default 'auto'. */
  threads?: ThreadsOption;
  /** Called once per read batch with the bytes read so far and the total input size (bytes), besides the progress bar. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** What `runAnalyze` returns: the exit code and the summary (for `demo` and tests). */
export interface AnalyzeOutcome {
  exitCode: number;
  summary: SummaryJson;
  result: AnalyzeResult;
}

/**
 * `cranewatch analyze <capture...>`: analyze the captures, write the requested outputs, print the summary.
 * Exit code 0, or 4 (ExitCode.DAMAGED_INPUT) when a capture was truncated or corrupt (its warnings go to
 * stderr; everything before the damage is analyzed and written). Throws CwError for input/output failures.
 */
export async function runAnalyze(paths: readonly string[], opts: AnalyzeCommandOptions): Promise<AnalyzeOutcome> {
  checkOutputs(paths, opts);
  const siteStage = opts.site !== undefined ? await import('./site-detection.js') : null;
  const loaded = opts.site !== undefined && siteStage !== null ? siteStage.loadSite(opts.site) : null;
  const site = loaded?.site ?? null;
  const policy = loaded?.policy ?? null;
  // Inputs first: a missing or unreadable capture must not cost the logs of an earlier run.
  const captures = await openCaptures(paths);
  const summary = new SummaryCollector();
  summary.setDetection(policy !== null);
  const assets = new AssetBuilder();
  const outputs: LogSink[] = [summary];
  let logs: JsonlSink | null = null;
  let store: SqliteStore | null = null;
  try {
    if (opts.out) outputs.push((logs = new JsonlSink(opts.out)));
    if (opts.db) {
      const { SqliteStore } = await import('../store/sqlite.js');
      store = new SqliteStore(opts.db);
      await store.open();
      // One transaction from here to the end: a run that fails leaves the earlier results in place.
      await store.begin();
      await store.clear();
      // With a site, the findings and incidents tables exist even when nothing was found (0 rows, not "no table").
      if (policy !== null) for (const stream of [FINDINGS_SCHEMA.name, INCIDENTS_SCHEMA.name]) await store.insertBatch(stream, []);
      outputs.push(new StoreSink(store));
    }
  } catch (e) {
    for (const r of captures.readers) await r.close();
    throw e;
  }
  // With a site: the detectors (reading every record, the assets too), the container-number tap and the
  // crane model (site-detection.ts), writing to the outputs.
  const stage = policy !== null && siteStage !== null ? siteStage.buildSiteDetection(policy, outputs) : null;
  const detection = stage?.detection ?? null;
  const leakTap = stage?.leakTap ?? null;
  const cranes = stage?.cranes ?? null;
  if (detection !== null) outputs.push(detection);
  const toOutputs = new SinkFanout(outputs);
  const progress = createProgress('analyzing', opts.progress !== false);
  let result: AnalyzeResult;
  try {
    try {
      result = await analyzeCaptures(captures, {
        // One flat fan-out (not a fan-out of fan-outs) keeps the per-record dispatch monomorphic per sink.
        sink: new SinkFanout(cranes !== null ? [...outputs, assets, cranes] : [...outputs, assets]),
        checksums: opts.checksums ?? 'auto',
        threads: opts.threads ?? 'auto',
        payloadTap: leakTap ?? undefined,
        onArp: (arp, ts) => assets.observeArp(arp, ts),
        onFlowOpen: detection !== null ? (uid, id, ts, origMac, respMac) => detection.flowOpened(uid, id, ts, origMac, respMac) : undefined,
        onProgress: (done, total) => {
          progress.update(done, total);
          opts.onProgress?.(done, total);
        },
      });
    } finally {
      progress.stop();
    }
    leakTap?.finish();
    for (const rec of assets.records()) toOutputs.write('assets', rec);
    cranes?.finish();
    detection?.finish();
    summary.setInputs(result);
    await store?.setMeta(runMeta(paths, result, site));
    await toOutputs.close();
  } catch (e) {
    // A failed run leaves the earlier run's results as they were, and no partial files behind.
    logs?.abort();
    await store?.rollback().catch(() => undefined);
    await store?.close().catch(() => undefined);
    throw e;
  }

  const json = summary.toJSON();
  if (opts.quiet !== true) {
    if (opts.json) process.stdout.write(JSON.stringify(json, null, 2) + '\n');
    else process.stdout.write(summary.render({ color: opts.color ?? (process.stdout.isTTY === true && process.env.NO_COLOR === undefined), width: terminalWidth() }));
  }
  for (const w of result.warnings) process.stderr.write(`cranewatch: warning: ${w.message} (${w.code})\n`);
  return { exitCode: result.warnings.length > 0 ? ExitCode.DAMAGED_INPUT : ExitCode.OK, summary: json, result };
}

/**
 * Refuses output paths that are empty or would replace an input: `--out DIR` rewrites the
 * `<stream>.log` files in DIR and `--db FILE` rewrites FILE, so neither may name a capture being read.
 * @throws CwError CW_ERR_USAGE naming the option and the reason
 */
function checkOutputs(paths: readonly string[], opts: AnalyzeCommandOptions): void {
  // Paths are compared after symbolic links are resolved: a link must not let an output name an input.
  if (opts.out === '') throw new CwError('CW_ERR_USAGE', '--out: expected a folder path, got an empty string');
  if (opts.db === '') throw new CwError('CW_ERR_USAGE', '--db: expected a file path, got an empty string');
  for (const p of paths) {
    if (p === '') throw new CwError('CW_ERR_USAGE', 'capture: expected a file path, got an empty string');
    const input = canonicalPath(p);
    if (opts.db !== undefined && canonicalPath(opts.db) === input) {
      throw new CwError('CW_ERR_USAGE', `--db ${opts.db} is also an input capture; it would be overwritten`);
    }
    const logName = /^(.+)\.log(\.partial)?$/.exec(basename(input));
    if (opts.out !== undefined && dirname(input) === canonicalPath(opts.out) && logName !== null && streamSchema(logName[1]) !== undefined) {
      throw new CwError('CW_ERR_USAGE', `--out ${opts.out} would replace the input capture ${p} (a log file of that name is written there)`);
    }
  }
}

/**
 * Run information kept in the store's meta table for the console (server/queries/run-meta.ts reads it):
 * `run.id` (a random UUID: the console keeps its cached answers while it stays the same), `run.captures` (JSON array of capture base names), `run.first_ts` / `run.last_ts` (seconds, '' when no
 * packet), `run.detection` ('true' / 'false'), `site.unlocode`, `site.terminal` (site name) and `site.inventory`
 * (JSON `{zones:[{id,name,kind,cidrs}],assets:[{name,ip,mac,vendor,role,zone,crane}],cranes:[{id,plc}]}`),
 * the last three '' without a site file. Every key is always written, so a run replaces all of an earlier run's values.
 */
function runMeta(paths: readonly string[], result: AnalyzeResult, site: Site | null): Record<string, string> {
  const inventory =
    site === null
      ? ''
      : JSON.stringify({
          zones: site.zones.map((z) => ({ id: z.id, name: z.name, kind: z.kind, cidrs: z.cidrs })),
          assets: site.assets.map((a) => ({ name: a.name, ip: a.ip, mac: a.mac, vendor: a.vendor, role: a.role, zone: a.zone, crane: a.crane ?? null })),
          cranes: site.cranes.map((c) => ({ id: c.id, plc: c.plc })),
        });
  return {
    'run.id': randomUUID(),
    'run.captures': JSON.stringify(paths.map((p) => basename(p))),
    'run.first_ts': result.firstTs === null ? '' : String(result.firstTs),
    'run.last_ts': result.lastTs === null ? '' : String(result.lastTs),
    'run.detection': site === null ? 'false' : 'true',
    'site.unlocode': site === null ? '' : site.site.unlocode,
    'site.terminal': site === null ? '' : site.site.name,
    'site.inventory': inventory,
  };
}

/**
 * Columns the text summary may use: the terminal's, else $COLUMNS, else wide enough not to cut titles
 * (a file, a pipe, or a terminal that reports no size, such as `script`'s).
 */
function terminalWidth(): number {
  const columns = process.stdout.isTTY === true ? process.stdout.columns : undefined;
  if (columns !== undefined && columns > 0) return columns;
  const env = Number(process.env.COLUMNS);
  return Number.isInteger(env) && env > 0 ? env : 200;
}
