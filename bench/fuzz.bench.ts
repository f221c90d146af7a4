/**
 * `npm run bench:fuzz`: the longer sibling of the CI robustness test (test/conformance/robustness.test.ts):
 * every capture of the shared data set up to FUZZ_MAX_BYTES (default 2 MiB) is mutated FUZZ_SEEDS times
 * (default 4) by every mutation kind of test/helpers/capture-mutate.ts, and each mutant is analysed in a
 * child process capped at a 256 MiB V8 heap (test/helpers/analyze-worker.ts), in batches so a crash is
 * pinned on one batch. Reports mutants run, exceptions (anything that is not a CwError about the capture),
 * crashed batches and the peak RSS of the analysis; writes the figures under "Mutation fuzzing" in
 * bench/FUZZ.md. Seeds are fixed (FUZZ_SEED, default 0xf22), so a finding can be replayed.
 *
 * Exit status: 0 when nothing threw and no batch died, else 1.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findCaptures } from '../test/helpers/capture-files.js';
import { mutate, MUTATIONS } from '../test/helpers/capture-mutate.js';
import { SHARED_DATA } from '../test/helpers/shared-data.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const worker = join(root, 'test', 'helpers', 'analyze-worker.ts');
const maxBytes = Number(process.env.FUZZ_MAX_BYTES ?? 2 * 1024 * 1024);
const seeds = Number(process.env.FUZZ_SEEDS ?? 4);
let seed = Number(process.env.FUZZ_SEED ?? 0xf22);
const BATCH = 200;
const HEAP_MB = 256;

interface Done {
  done: string;
  ok: boolean;
  code?: string | null;
  name?: string;
  message?: string;
  maxRssMB: number;
}

const captures = findCaptures(SHARED_DATA).filter((rel) => statSync(join(SHARED_DATA, rel)).size <= maxBytes);
const dir = mkdtempSync(join(tmpdir(), 'cranewatch-fuzz-bench-'));
const t0 = performance.now();
let mutants = 0;
let peakRss = 0;
const exceptions: string[] = [];
const crashed: string[] = [];
try {
  let batch: { path: string; what: string }[] = [];
  const run = (): void => {
    if (batch.length === 0) return;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', `--max-old-space-size=${HEAP_MB}`, worker, JSON.stringify(batch.map((b) => b.path))], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    });
    const done = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{"done"'))
      .map((l) => JSON.parse(l) as Done);
    for (const d of done) {
      peakRss = Math.max(peakRss, d.maxRssMB);
      if (!d.ok && d.code === null) exceptions.push(`${batch.find((b) => b.path === d.done)?.what}: ${d.name} ${d.message}`);
    }
    if (r.status !== 0 || done.length !== batch.length) crashed.push(`${batch[done.length]?.what ?? '?'}: exit ${r.status} ${r.signal ?? ''} ${r.stderr.slice(0, 300)}`);
    mutants += done.length;
    for (const b of batch) rmSync(b.path, { force: true });
    batch = [];
  };
  for (const rel of captures) {
    const original = new Uint8Array(readFileSync(join(SHARED_DATA, rel)));
    for (const kind of MUTATIONS) {
      for (let i = 0; i < seeds; i++) {
        const s = ++seed;
        const path = join(dir, `${mutants + batch.length}.cap`);
        writeFileSync(path, mutate(original, kind, s).bytes);
        batch.push({ path, what: `${rel} ${kind} seed ${s}` });
        if (batch.length >= BATCH) run();
      }
    }
  }
  run();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const minutes = (performance.now() - t0) / 60_000;
const report = [
  '# Mutation fuzzing',
  '',
  'Produced by `npm run bench:fuzz` (bench/fuzz.bench.ts); the last run replaces this file.',
  '',
  `- Date: ${new Date().toISOString().slice(0, 10)}`,
  `- Corpus: ${captures.length} captures of the shared data set up to ${Math.round(maxBytes / 1024)} KiB; ${MUTATIONS.length} mutation kinds × ${seeds} seeds each (first seed ${Number(process.env.FUZZ_SEED ?? 0xf22) + 1}).`,
  `- Mutants analysed: ${mutants} in ${minutes.toFixed(1)} min, V8 heap capped at ${HEAP_MB} MiB.`,
  `- Exceptions (not a capture error): ${exceptions.length}`,
  `- Crashed or killed batches: ${crashed.length}`,
  `- Peak RSS of one analysis process: ${peakRss.toFixed(0)} MiB`,
  ...[...exceptions, ...crashed].slice(0, 50).map((e) => `  - ${e}`),
  '',
].join('\n');
writeFileSync(join(here, 'FUZZ.md'), report);
process.stdout.write(report);
process.exitCode = exceptions.length === 0 && crashed.length === 0 ? 0 : 1;
