import { rmSync } from 'node:fs';
import { ensureDir } from '../files/ensure-dir.js';
import { join } from 'node:path';
import { CwError } from '../errors.js';
import { writeDemoCapture } from '../sim/demo.js';
import { runAnalyze } from './analyze.js';

/** Options of `cranewatch demo`. */
export interface DemoCommandOptions {
  /** Folder receiving `demo.pcap`, `logs/` and `cranewatch.sqlite` (replaced on each run). */
  dir: string;
  json?: boolean;
}

/**
 * `cranewatch demo` (what `npm start` runs): write the embedded, deterministic demo capture of a crane
 * network (sim/demo.ts: a crane management server polling two crane PLCs over Modbus/TCP, an HMI
 * setpoint write, one write from an unexpected host, a modem talking to an outside address),
 * analyze it like `cranewatch analyze --out DIR/logs --db DIR/cranewatch.sqlite` and print the summary.
 * Returns the analyze exit code. Throws CwError CW_ERR_WRITE when the folder cannot be written.
 */
export async function runDemo(opts: DemoCommandOptions): Promise<number> {
  const dir = opts.dir;
  const pcap = join(dir, 'demo.pcap');
  const logs = join(dir, 'logs');
  const db = join(dir, 'cranewatch.sqlite');
  try {
    ensureDir(dir);
    rmSync(logs, { recursive: true, force: true });
    rmSync(db, { force: true });
  } catch (e) {
    throw new CwError('CW_ERR_WRITE', `cannot prepare demo folder ${dir}: ${(e as Error).message}`);
  }
  const demo = writeDemoCapture(pcap);
  if (!opts.json) process.stdout.write(`Demo capture: ${pcap} (${demo.packets} packets, ${demo.bytes} bytes)\n\n`);
  const r = await runAnalyze([pcap], { out: logs, db, json: opts.json, progress: false });
  if (!opts.json) process.stdout.write(`\nLogs: ${logs}/  Database: ${db}\nNext: cranewatch analyze <your.pcap> --out <dir> --db <file>\n`);
  return r.exitCode;
}
