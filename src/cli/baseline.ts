import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { AssetBuilder } from '../assets/asset-builder.js';
import { canonicalPath } from '../files/canonical-path.js';
import { CwError } from '../errors.js';
import { SinkFanout } from '../events/record.js';
import { analyzeCaptures, openCaptures } from '../pipeline/analyze.js';
import { BaselineLearner } from '../policy/baseline.js';
import { validateSite, writeSiteFile } from '../policy/site-file.js';
import { ExitCode } from './exit-codes.js';
import { createProgress } from './progress.js';

/** Options of `cranewatch baseline`. */
export interface BaselineCommandOptions {
  /** Site file (YAML) to write. */
  out: string;
  /** The terminal's UN/LOCODE (e.g. NLRTM), which traffic cannot tell. */
  unlocode: string;
  /** Replace `out` when it exists. */
  force?: boolean;
  /** Draw a progress bar on stderr when it is a TTY (default true). */
  progress?: boolean;
  /** Print what was learned as JSON on stdout. */
  json?: boolean;
}

/**
 * `cranewatch baseline <capture...> --out site.yaml --unlocode CODE`: analyze clean captures (minutes
 * to hours of normal traffic) and write a draft site file learned from them (policy/baseline.ts):
 * zones per /24, the asset inventory, conduits, each Modbus server as a crane with its clients, the
 * functions they used and the registers they wrote, and the flows seen (for `baseline_deviation`).
 * The file is validated before it is written and is meant to be reviewed and edited.
 * Returns 0, or 4 when an input was truncated (what came before the damage was learned).
 * @throws CwError CW_ERR_USAGE when `out` exists without `force`; CW_ERR_CONFIG for a bad UN/LOCODE;
 *   the input errors of `analyze`; CW_ERR_WRITE when the file cannot be written.
 */
export async function runBaseline(paths: readonly string[], opts: BaselineCommandOptions): Promise<number> {
  if (opts.out === '') throw new CwError('CW_ERR_USAGE', '--out: expected the path of the site file to write');
  for (const p of paths) {
    if (canonicalPath(p) === canonicalPath(opts.out)) throw new CwError('CW_ERR_USAGE', `--out ${opts.out} is also an input capture; it would be overwritten`);
  }
  if (existsSync(opts.out) && opts.force !== true) throw new CwError('CW_ERR_USAGE', `--out ${opts.out} already exists; give --force to replace it`);
  const captures = await openCaptures(paths);
  const learner = new BaselineLearner();
  const assets = new AssetBuilder();
  const progress = createProgress('learning', opts.progress !== false);
  let warnings: readonly { message: string; code: string }[];
  try {
    const result = await analyzeCaptures(captures, {
      sink: new SinkFanout([learner, assets]),
      payloadTap: learner.tap(),
      onArp: (arp, ts) => assets.observeArp(arp, ts),
      onProgress: (done, total) => progress.update(done, total),
    });
    warnings = result.warnings;
  } finally {
    progress.stop();
  }
  for (const rec of assets.records()) learner.write('assets', rec);
  const { site, stats } = learner.site(paths.map((p) => basename(p)), opts.unlocode);
  const valid = validateSite(site, '--unlocode / learned site');
  writeSiteFile(opts.out, valid);
  if (opts.json) process.stdout.write(`${JSON.stringify({ out: opts.out, ...stats })}\n`);
  else
    process.stdout.write(
      `Learned ${stats.hosts} assets (${stats.plcs} Modbus servers as cranes, ${stats.modbusClients} Modbus clients), ` +
        `${site.zones.length} zones, ${site.conduits?.length ?? 0} conduits and ${stats.flows} flows -> ${opts.out}\n` +
        (stats.hostsWithoutMac > 0 ? `${stats.hostsWithoutMac} hosts without a MAC were left out of the inventory.\n` : '') +
        (stats.flowsDropped > 0 ? `${stats.flowsDropped} further flows were not kept (bound reached).\n` : '') +
        `Container data went to: ${site.container_data?.approved_destinations?.assets?.join(', ') || 'no inventoried host'} (container_data.approved_destinations).\n` +
        'Review it: name the zones, assets and cranes, give the registers their signal names, check where container data may go, and delete what should not be allowed.\n',
    );
  for (const w of warnings) process.stderr.write(`cranewatch: warning: ${w.message} (${w.code})\n`);
  return warnings.length > 0 ? ExitCode.DAMAGED_INPUT : ExitCode.OK;
}
