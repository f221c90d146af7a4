import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalPath } from '../files/canonical-path.js';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { LinkType } from '../capture/packet.js';
import { PcapWriter } from '../capture/pcap-writer.js';
import { PcapngWriter } from '../capture/pcapng-writer.js';
import { CwError } from '../errors.js';
import { readSiteFile, writeSiteFile } from '../policy/site-file.js';
import type { FrameSink } from '../sim/net/frame-sink.js';
import { parseScenarioSpec } from '../sim/scenarios/params.js';
import { listScenarios } from '../sim/scenarios/registry.js';
import { ATTACK_ICS_VERSION } from '../detect/attack.js';
import { baplieFileName } from '../sim/terminal/baplie-link.js';
import { generateTerminal, TERMINAL_DEFAULT_CRANES, TERMINAL_MAX_DURATION_SEC } from '../sim/terminal/terminal.js';
import { maxCallsWithin } from '../sim/terminal/berth.js';
import { CRANES_PER_VESSEL, vesselCall } from '../sim/terminal/vessel.js';
import { PacedFrameSink } from '../sim/net/paced-sink.js';
import { MAX_CRANES } from '../sim/terminal/terminal-site.js';
import { ExitCode } from './exit-codes.js';

/** Options of `cranewatch simulate` (strings as the command line gives them, or numbers). */
export interface SimulateOptions {
  /** Number of STS cranes, 1–100; default 4. Must be omitted or agree with `site` when that is given. */
  cranes?: number | string;
  /** Run length: seconds as a number, or text `90`, `90s`, `30m`, `2h`, `1d` (≤ 7 days). Default 1 h. */
  durationSec?: number | string;
  /** PRNG seed, integer 0 … 2^32 − 1; default 1. */
  seed?: number | string;
  /** Capture file to write (LINKTYPE_ETHERNET, microseconds): pcapng when `format` says so or the name ends in .pcapng, else classic pcap. */
  out: string;
  /** Capture format: 'pcap' or 'pcapng'; default from the file name. */
  format?: string;
  /** Ground-truth JSON file to write (sim/terminal/truth.ts `TerminalTruth`). */
  truth?: string;
  /** Where to write the simulated terminal's site file (YAML). */
  siteOut?: string;
  /** Site file to simulate instead of the generated terminal. */
  site?: string;
  /** Draw a progress bar on stderr when it is a TTY. */
  progress?: boolean;
  /** Print the summary as JSON on stdout. */
  json?: boolean;
  /** Scenario specs `name` or `name:key=value,…` (src/sim/scenarios), played in this order. */
  scenarios?: string[];
  /**
   * Directory for the EDI the twin writes: each vessel call's arrival bay plan as
   * `<vessel>-<voyage>.baplie.edi` (UN/EDIFACT D.95B BAPLIE, one segment a line). Created if missing.
   */
  ediOut?: string;
  /** Replace output files that already exist (without it, an existing output is refused). */
  force?: boolean;
  /**
   * Emit frames in step with their capture time, `speed` capture seconds per wall-clock second (1 real
   * time; sim/net/paced-sink.ts), flushing the file as it goes so a live reader can follow it. Absent:
   * as fast as possible.
   */
  speed?: number | string;
}

const UNIT_SEC: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * Parse a run length: a number of seconds, or text of a positive number with an optional unit
 * s, m, h or d ("90", "1.5h", "30m", "1d").
 * @returns seconds.
 * @throws CwError CW_ERR_CONFIG naming the option when the text is not such a length or is not in (0 s, 7 d].
 */
export function parseDuration(value: number | string): number {
  let sec: number;
  if (typeof value === 'number') sec = value;
  else {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$/.exec(value);
    if (m === null) throw new CwError('CW_ERR_CONFIG', `--duration: expected a length such as 90s, 30m, 2h or 1d, got "${value}"`);
    sec = Number(m[1]) * UNIT_SEC[m[2] === '' ? 's' : m[2]];
  }
  if (!Number.isFinite(sec) || sec <= 0 || sec > TERMINAL_MAX_DURATION_SEC) {
    throw new CwError('CW_ERR_CONFIG', `--duration: expected more than 0 s and at most 7 days, got ${String(value)}`);
  }
  return sec;
}

/** A speed factor: a positive number of capture seconds per wall-clock second, at most 10 000. */
function speedOption(value: number | string): number {
  const n = typeof value === 'number' ? value : /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!(n > 0 && n <= 10_000)) throw new CwError('CW_ERR_CONFIG', `--speed: expected a number > 0 and ≤ 10000 (1 = real time), got ${String(value)}`);
  return n;
}

/** An integer option within [min, max]. */
function intOption(name: string, value: number | string, min: number, max: number): number {
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new CwError('CW_ERR_CONFIG', `${name}: expected an integer ${min}–${max}, got ${String(value)}`);
  return n;
}

/**
 * Refuses outputs that already exist unless `force`: a simulated capture written over a real one
 * would destroy evidence.
 * @throws CwError CW_ERR_USAGE naming the option and the path
 */
function refuseExisting(outputs: ReadonlyArray<[string, string | undefined]>, force: boolean, inputs: ReadonlyArray<[string, string | undefined]>): void {
  const seen = new Map<string, string>();
  for (const [option, path] of outputs) {
    if (path === undefined || path === '') continue;
    const real = canonicalPath(path);
    const other = seen.get(real);
    if (other !== undefined) throw new CwError('CW_ERR_USAGE', `${option} ${path} is also ${other}'s file; give each output its own path`);
    seen.set(real, option);
    for (const [inOption, input] of inputs) {
      if (input !== undefined && canonicalPath(input) === real) throw new CwError('CW_ERR_USAGE', `${option} ${path} is the ${inOption} input; it would be overwritten`);
    }
    if (!force && existsSync(path)) throw new CwError('CW_ERR_USAGE', `${option} ${path} already exists; give --force to replace it`);
  }
}

/**
 * `cranewatch simulate`: run the terminal twin (sim/terminal/terminal.ts) and stream its traffic to
 * `out` as pcap or pcapng (`captureFormat`), playing the `scenarios` given; optionally write the ground truth JSON and the site file. Prints a one-line summary
 * (or JSON with `json`) on stdout.
 * @returns ExitCode.OK.
 * @throws CwError CW_ERR_CONFIG on invalid options or site file, CW_ERR_NOT_FOUND / CW_ERR_READ when the
 *   site file cannot be read, CW_ERR_WRITE when an output cannot be written.
 */
export async function runSimulate(opts: SimulateOptions): Promise<number> {
  if (typeof opts.out !== 'string' || opts.out === '') throw new CwError('CW_ERR_CONFIG', '--out: expected the path of the capture file to write');
  refuseExisting([['--out', opts.out], ['--truth', opts.truth], ['--site-out', opts.siteOut]], opts.force === true, [['--site', opts.site]]);
  const durationSec = parseDuration(opts.durationSec ?? 3600);
  const seed = intOption('--seed', opts.seed ?? 1, 0, 0xffffffff);
  const speed = opts.speed === undefined ? undefined : speedOption(opts.speed);
  const scenarios = (opts.scenarios ?? []).map(parseScenarioSpec);
  const site = opts.site !== undefined ? readSiteFile(opts.site) : undefined;
  let cranes = TERMINAL_DEFAULT_CRANES;
  if (opts.cranes !== undefined) cranes = intOption('--cranes', opts.cranes, 1, MAX_CRANES);
  if (site !== undefined) {
    if (opts.cranes !== undefined && cranes !== site.cranes.length) {
      throw new CwError('CW_ERR_CONFIG', `--cranes: ${cranes} disagrees with the ${site.cranes.length} cranes of site file ${opts.site}`);
    }
    if (site.cranes.length === 0) throw new CwError('CW_ERR_CONFIG', `${opts.site}: cranes: expected at least one crane to simulate`);
  }
  // The bay plans' names follow from the seed, the berth (three cranes each) and the call number, so
  // an existing file is refused before the run: every call that could arrive within the run is checked.
  const ediFiles: string[] = [];
  if (opts.ediOut !== undefined) {
    const berths = Math.ceil((site !== undefined ? site.cranes.length : cranes) / CRANES_PER_VESSEL);
    const calls = maxCallsWithin(durationSec);
    for (let berth = 1; berth <= berths; berth++) for (let call = 1; call <= calls; call++) ediFiles.push(join(opts.ediOut, baplieFileName(vesselCall(seed, berth, call))));
    refuseExisting(ediFiles.map((f) => ['--edi-out', f] as [string, string]), opts.force === true, [['--site', opts.site]]);
  }

  const bar = opts.progress && process.stderr.isTTY ? new cliProgress.SingleBar({ stream: process.stderr, format: 'simulate [{bar}] {percentage}% | {value}/{total} s simulated | {eta_formatted}', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic) : null;
  const format = captureFormat(opts.out, opts.format);
  const writer = format === 'pcapng' ? new PcapngFrameSink(PcapngWriter.toFile(opts.out, { linkType: LinkType.ETHERNET })) : PcapWriter.toFile(opts.out, { linkType: LinkType.ETHERNET });
  const sink = speed === undefined ? writer : new PacedFrameSink(writer, speed);
  const t0 = performance.now();
  let result: ReturnType<typeof generateTerminal>;
  let done = false;
  try {
    if (bar !== null) bar.start(Math.round(durationSec), 0);
    result = generateTerminal(sink, {
      cranes,
      site,
      seed,
      durationSec,
      scenarios,
      onProgress: bar === null ? undefined : (sec) => bar.update(Math.round(sec)),
    });
    done = true;
  } finally {
    if (bar !== null) bar.stop();
    writer.close();
    // A run refused part-way (a scenario that does not fit) leaves no stub behind.
    if (!done) rmSync(opts.out, { force: true });
  }
  const elapsed = (performance.now() - t0) / 1000;
  const fileBytes = writer instanceof PcapngFrameSink ? writer.fileBytes : 24 + 16 * result.packets + result.frameBytes;
  if (opts.truth !== undefined) writeJson(opts.truth, result.truth);
  if (opts.siteOut !== undefined) writeSiteFile(opts.siteOut, result.site);
  if (opts.ediOut !== undefined) writeBaplies(opts.ediOut, result.baplies.map((b) => [join(opts.ediOut as string, baplieFileName(b.vessel)), b.text]));

  const summary = {
    out: opts.out,
    format,
    cranes: result.site.cranes.length,
    durationSec,
    seed,
    packets: result.packets,
    bytes: fileBytes,
    moves: result.truth.moves.length,
    modbusWrites: result.truth.modbusWrites.length,
    httpRequests: result.truth.httpRequests.length,
    dnsQueries: result.truth.dnsQueries.length,
    scenarios: result.truth.scenarios.map((x) => x.id),
    seconds: Math.round(elapsed * 1000) / 1000,
  };
  if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    process.stdout.write(
      `Simulated ${summary.cranes} cranes for ${durationSec} s (seed ${seed}): ${summary.packets} packets, ` +
        `${(fileBytes / 1e6).toFixed(1)} MB, ${summary.moves} container moves -> ${opts.out}\n`,
    );
  }
  return ExitCode.OK;
}

/**
 * The capture format: `format` when given ('pcap' or 'pcapng'), else pcapng for a file name ending in
 * `.pcapng` (any case) and pcap otherwise.
 * @throws CwError CW_ERR_CONFIG on another format name.
 */
export function captureFormat(out: string, format?: string): 'pcap' | 'pcapng' {
  if (format === undefined) return /\.pcapng$/i.test(out) ? 'pcapng' : 'pcap';
  if (format === 'pcap' || format === 'pcapng') return format;
  throw new CwError('CW_ERR_CONFIG', `--format: expected pcap or pcapng, got "${format}"`);
}

/**
 * The twin's frames into a pcapng file (draft-ietf-opsawg-pcapng §4.3 Enhanced Packet Blocks on
 * interface 0, described when the writer was made) and the count of file bytes written: section
 * header 28 + interface description 32, then 32 + the frame padded to 4 bytes per packet.
 */
class PcapngFrameSink implements FrameSink {
  /** File bytes written so far. */
  fileBytes = 28 + 32;

  constructor(private readonly w: PcapngWriter) {}

  writePacket(ts: number, data: Uint8Array, origLen?: number): void {
    this.w.writePacket(0, ts, data, origLen);
    this.fileBytes += 32 + ((data.length + 3) & ~3);
  }

  flush(): void {
    this.w.flush();
  }

  close(): void {
    this.w.close();
  }
}

/**
 * `cranewatch simulate --list-scenarios`: print every scenario (name, kind, summary, ATT&CK for ICS
 * techniques with the ATT&CK version, parameters with their defaults and choices) on stdout, as text
 * or, with `json`, one JSON document.
 * @returns ExitCode.OK.
 */
export function runListScenarios(json = false): number {
  const list = listScenarios().map((d) => {
    const schema = z.toJSONSchema(d.params, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, { default?: unknown; enum?: unknown[]; minimum?: number; maximum?: number }> };
    const params = Object.entries(schema.properties ?? {}).map(([key, p]) => ({ key, default: p.default, choices: p.enum ?? null, min: p.minimum ?? null, max: p.maximum ?? null }));
    return { name: d.name, kind: d.kind, summary: d.summary, techniques: d.techniques, expected: d.expected, params };
  });
  if (json) {
    process.stdout.write(`${JSON.stringify({ attackVersion: ATTACK_ICS_VERSION, scenarios: list })}\n`);
    return ExitCode.OK;
  }
  let text = `Scenarios (ATT&CK for ICS ${ATTACK_ICS_VERSION}); use --scenario name or name:key=value,...\n`;
  for (const d of list) {
    text += `\n${d.name} (${d.kind})\n  ${d.summary}\n`;
    text += `  techniques: ${d.techniques.length > 0 ? d.techniques.map((t) => `${t.id} ${t.name}`).join(', ') : d.kind === 'fault' ? 'none (a failure, no adversary)' : 'none (must raise nothing)'}\n`;
    text += `  params: ${d.params.map((p) => `${p.key}=${String(p.default)}${p.choices !== null ? ` (${p.choices.join('|')})` : ''}`).join(' ')}\n`;
  }
  process.stdout.write(text);
  return ExitCode.OK;
}

/** Create `dir` if needed and write each [path, EDIFACT text] (latin1, ISO 9735 level C text). @throws CwError CW_ERR_WRITE. */
function writeBaplies(dir: string, files: ReadonlyArray<readonly [string, string]>): void {
  try {
    mkdirSync(dir, { recursive: true });
    for (const [path, text] of files) writeFileSync(path, text, 'latin1');
  } catch (e) {
    throw new CwError('CW_ERR_WRITE', `cannot write the bay plans to ${dir}: ${(e as Error).message}`);
  }
}

/** Write `value` as JSON text. @throws CwError CW_ERR_WRITE. */
function writeJson(path: string, value: unknown): void {
  try {
    writeFileSync(path, `${JSON.stringify(value, null, 1)}\n`);
  } catch (e) {
    throw new CwError('CW_ERR_WRITE', `cannot write ${path}: ${(e as Error).message}`);
  }
}
