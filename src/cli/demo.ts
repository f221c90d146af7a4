import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { ensureDir } from '../files/ensure-dir.js';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CwError } from '../errors.js';
import { writeSiteFile } from '../policy/site-file.js';
import { writeDemoCapture } from '../sim/demo.js';
import { demoSiteFile } from '../sim/demo-site-file.js';
import { runAnalyze } from './analyze.js';

/** Options of `cranewatch demo`. */
export interface DemoCommandOptions {
  /** Folder receiving `demo.pcap`, `logs/` and `cranewatch.sqlite` (replaced on each run). */
  dir: string;
  json?: boolean;
  /** Then serve the demo's database in the console (as `cranewatch serve`) until interrupted. */
  serve?: boolean;
  /** Port of the console with `serve` (default 8080). */
  port?: string;
}

/**
 * `cranewatch demo` (what `npm start` runs): write the embedded, deterministic demo capture of a crane
 * network (sim/demo.ts: a crane management server polling two crane PLCs over Modbus/TCP, an HMI
 * setpoint write, one write from an unexpected host, a modem talking to an outside address),
 * write the demo terminal's site file (sim/demo-site-file.ts) to DIR/site.yaml, analyze the capture like
 * `cranewatch analyze --site DIR/site.yaml --out DIR/logs --db DIR/cranewatch.sqlite` and print the summary
 * with its incidents. With `serve`, then add a console user `demo` (admin) with a random password,
 * print it, and serve the database like `cranewatch serve --db DIR/cranewatch.sqlite --site DIR/site.yaml`
 * until SIGINT / SIGTERM.
 * Returns the analyze exit code (with `serve`, the server's). Throws CwError CW_ERR_WRITE when the folder
 * cannot be written, CW_ERR_USAGE when the console's port is in use.
 */
export async function runDemo(opts: DemoCommandOptions): Promise<number> {
  const dir = opts.dir;
  const pcap = join(dir, 'demo.pcap');
  const logs = join(dir, 'logs');
  const db = join(dir, 'cranewatch.sqlite');
  const site = join(dir, 'site.yaml');
  try {
    ensureDir(dir);
    rmSync(logs, { recursive: true, force: true });
    rmSync(db, { force: true });
  } catch (e) {
    throw new CwError('CW_ERR_WRITE', `cannot prepare demo folder ${dir}: ${(e as Error).message}`);
  }
  const demo = writeDemoCapture(pcap);
  writeSiteFile(site, demoSiteFile());
  if (!opts.json) process.stdout.write(`Demo capture: ${pcap} (${demo.packets} packets, ${demo.bytes} bytes)\nSite file: ${site}\n\n`);
  const r = await runAnalyze([pcap], { out: logs, db, site, json: opts.json, progress: false });
  if (!opts.json) process.stdout.write(`\nLogs: ${logs}/  Database: ${db}\nNext: npx cranewatch analyze <your.pcap> --site <site.yaml> --out <dir> --db <file>\n`);
  if (opts.serve !== true) return r.exitCode;
  const password = randomBytes(12).toString('base64url');
  const { runUserAdd } = await import('./user.js');
  await runUserAdd('demo', { role: 'admin', db }, Readable.from([`${password}\n`]));
  process.stdout.write(`\nConsole sign-in for this demo database: user demo, password ${password}\n`);
  const { runServe } = await import('./serve.js');
  return runServe({ db, site, port: opts.port ?? '8080' });
}
