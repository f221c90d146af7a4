import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { findCaptures } from './capture-files.js';
import { COMPARED_FIELDS, compareModbus, cranewatchModbus, type Agreement } from './modbus-tshark-compare.js';
import { tsharkModbus } from './tshark-modbus.js';
import { readZip } from './zip.js';

/**
 * Finds every capture of the shared data set that carries Modbus/TCP and compares CraneWatch with
 * tshark on each (modbus-tshark-compare.ts).
 *
 * Finding them: every capture file (by magic number) and, when asked, every capture inside a ZIP
 * archive (extracted to a temporary folder) is analyzed once by CraneWatch, which is cheap. A capture
 * is a candidate when CraneWatch logs Modbus in it (it detects by content, on any port) or when a TCP
 * flow in it uses port 502 (where tshark dissects Modbus/TCP by default). tshark then runs once per
 * candidate, told every other port CraneWatch found Modbus on (tshark-modbus.ts), up to
 * `concurrency` tshark processes beside the CraneWatch runs. A candidate where neither tool sees a
 * Modbus PDU is left out.
 */

/** The comparison of one capture. */
export interface CaptureResult {
  /** Path relative to the data root; `archive.zip:entry` for a capture inside an archive. */
  name: string;
  /** Non-502 ports passed to tshark as Modbus/TCP. */
  extraPorts: number[];
  agreement: Agreement;
}

/** What one conformance run did. */
export interface ConformanceRun {
  /** Captures analysed by CraneWatch while searching. */
  scanned: number;
  /** Captures tshark ran on. */
  candidates: number;
  /** Captures with Modbus, in name order. */
  results: CaptureResult[];
}

/** Options of `runModbusConformance`. */
export interface ConformanceOptions {
  /** Also read the captures inside ZIP archives (default false). */
  zips?: boolean;
  /** Parallel tshark processes (default 2). */
  concurrency?: number;
  /** Only captures whose name passes this test. */
  filter?: (name: string) => boolean;
}

/** Runs at most `n` tasks at a time. */
class Pool {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly n: number) {}
  run<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        this.active++;
        task()
          .then(resolve, reject)
          .finally(() => {
            this.active--;
            this.queue.shift()?.();
          });
      };
      if (this.active < this.n) start();
      else this.queue.push(start);
    });
  }
}

function zipArchives(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.toLowerCase().endsWith('.zip')) out.push(p);
    }
  };
  walk(root);
  return out;
}

const CAPTURE_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a]);

/**
 * Compare CraneWatch with tshark on every Modbus/TCP capture under `root`.
 * Errors: rejects when tshark fails on a capture or an archive cannot be read.
 */
export async function runModbusConformance(root: string, opts: ConformanceOptions = {}): Promise<ConformanceRun> {
  const pool = new Pool(opts.concurrency ?? 2);
  const keep = opts.filter ?? (() => true);
  const targets: { name: string; path: string }[] = findCaptures(root).map((rel) => ({ name: rel, path: join(root, rel) }));
  let tmp: string | null = null;
  if (opts.zips) {
    for (const zip of zipArchives(root)) {
      const rel = relative(root, zip);
      for (const e of readZip(zip)) {
        const name = `${rel}:${e.name}`;
        if (!keep(name) || e.data.length < 4) continue;
        if (!CAPTURE_MAGICS.has(new DataView(e.data.buffer, e.data.byteOffset, 4).getUint32(0))) continue;
        tmp ??= mkdtempSync(join(tmpdir(), 'cranewatch-conformance-'));
        const path = join(tmp, `${targets.length}-${e.name.replace(/[^\w.-]/g, '_')}`);
        writeFileSync(path, e.data);
        targets.push({ name, path });
      }
    }
  }
  try {
    let scanned = 0;
    const pending: Promise<CaptureResult | null>[] = [];
    const limit = opts.concurrency ?? 2;
    for (const t of targets) {
      if (!keep(t.name)) continue;
      scanned++;
      // Keep at most `limit` captures' rows waiting for tshark (memory stays that of a few captures).
      if (pending.length >= limit) await pending[pending.length - limit];
      const cw = await cranewatchModbus(t.path);
      if (cw.modbus.length === 0 && !cw.port502) continue;
      const extraPorts = cw.modbusPorts.filter((p) => p !== 502);
      pending.push(
        pool
          .run(() => tsharkModbus(t.path, { ports: extraPorts }))
          .then((pdus) => {
            if (pdus.length === 0 && cw.modbus.length === 0) return null;
            return { name: t.name, extraPorts, agreement: compareModbus(pdus, cw) };
          }),
      );
    }
    const results = (await Promise.all(pending)).filter((r): r is CaptureResult => r !== null);
    results.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { scanned, candidates: pending.length, results };
  } finally {
    if (tmp !== null) rmSync(tmp, { recursive: true, force: true });
  }
}

function pct(n: number, d: number): string {
  return d === 0 ? '—' : `${((100 * n) / d).toFixed(2)} %`;
}

/** One line per capture: records agreeing / compared and each compared field. */
export function agreementLine(r: CaptureResult): string {
  const a = r.agreement;
  const fields = COMPARED_FIELDS.filter((f) => a.perField[f].compared > 0)
    .map((f) => `${f} ${a.perField[f].equal}/${a.perField[f].compared}`)
    .join(', ');
  const ports = r.extraPorts.length > 0 ? ` (also ports ${r.extraPorts.join(',')})` : '';
  return `${r.name}${ports}: ${a.recordsAgreeing}/${a.recordsCompared} records agree (${pct(a.recordsAgreeing, a.recordsCompared)}); tshark ${a.tsharkPdus} PDUs, CraneWatch ${a.cranewatchRows} rows; ${fields}`;
}

/** Totals over all captures, and the overall lines to print. */
export function overall(results: readonly CaptureResult[]): { agreeing: number; compared: number; lines: string[] } {
  let agreeing = 0;
  let compared = 0;
  const fields = Object.fromEntries(COMPARED_FIELDS.map((f) => [f, { equal: 0, compared: 0 }]));
  for (const r of results) {
    agreeing += r.agreement.recordsAgreeing;
    compared += r.agreement.recordsCompared;
    for (const f of COMPARED_FIELDS) {
      fields[f].equal += r.agreement.perField[f].equal;
      fields[f].compared += r.agreement.perField[f].compared;
    }
  }
  const lines = [
    `overall: ${agreeing}/${compared} records agree (${pct(agreeing, compared)}) over ${results.length} captures`,
    ...COMPARED_FIELDS.map((f) => `  ${f}: ${fields[f].equal}/${fields[f].compared} (${pct(fields[f].equal, fields[f].compared)})`),
  ];
  return { agreeing, compared, lines };
}
