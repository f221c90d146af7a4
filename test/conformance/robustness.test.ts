/**
 * Robustness: every capture of the shared data set, and fixed-seed mutations of 20 of them, go
 * through `analyzeCaptures` without an exception, in bounded memory.
 *
 * The analysis runs in a child process (test/helpers/analyze-worker.ts) started with
 * `--max-old-space-size=256` and `--expose-gc`, so a crash, an out-of-memory abort or a hang is caught
 * and pinned on the file being read, and the peak resident set size (getrusage ru_maxrss, tsx and
 * esbuild included) is that of the analysis alone. The bound is 300 MiB.
 * Captures are found by magic number (pcap, pcapng), never by extension.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { findCaptures } from '../helpers/capture-files.js';
import { mutate, MUTATIONS, type Mutant } from '../helpers/capture-mutate.js';
import { REPO_ROOT, SHARED_DATA, sharedFile } from '../helpers/shared-data.js';

const PEAK_RSS_MB = 300;
const HEAP_MB = 256;
const WORKER = resolve(REPO_ROOT, 'test', 'helpers', 'analyze-worker.ts');

/** One line of the worker's output (see analyze-worker.ts). */
interface Done {
  done: string;
  ok: boolean;
  packets?: number;
  warnings?: string[];
  decode?: Record<string, number>;
  weird?: number;
  name?: string;
  code?: string | null;
  message?: string;
  stack?: string | null;
  heapMB: number;
  rssMB: number;
  maxRssMB: number;
}

/** Analyze `files` in a memory-capped child; fails the test if the child dies or overruns `timeoutMs`. */
function analyzeInChild(files: readonly string[], timeoutMs: number): Done[] {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', `--max-old-space-size=${HEAP_MB}`, WORKER, JSON.stringify(files)], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 << 20,
  });
  const lines = r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { start?: string } & Partial<Done>);
  const started = lines.filter((l) => l.start !== undefined).map((l) => l.start!);
  const done = lines.filter((l): l is Done => l.done !== undefined);
  const last = started[started.length - 1] ?? '(none)';
  assert.equal(r.error, undefined, `worker failed (${String(r.error)}) while reading ${last}`);
  assert.equal(r.status, 0, `worker exited with ${r.status} / ${r.signal} while reading ${last}:\n${r.stderr.slice(0, 4000)}`);
  assert.equal(done.length, files.length, `every file analyzed (stopped at ${last})`);
  return done;
}

function peak(done: readonly Done[]): { rss: number; heap: number } {
  return { rss: Math.max(...done.map((d) => d.maxRssMB)), heap: Math.max(...done.map((d) => d.heapMB)) };
}

function tally(done: readonly Done[]): string {
  const w = new Map<string, number>();
  for (const d of done) for (const c of d.warnings ?? []) w.set(c, (w.get(c) ?? 0) + 1);
  return [...w].map(([c, n]) => `${c} ×${n}`).join(', ') || 'none';
}

test('every capture of the shared data is analyzed without an exception, under 300 MiB', (t) => {
  if (sharedFile(t, '.') === null) return;
  const files = findCaptures(SHARED_DATA).map((rel) => join(SHARED_DATA, rel));
  assert.ok(files.length >= 300, `${files.length} captures found by magic number`);
  const done = analyzeInChild(files, 240_000);
  const failed = done.filter((d) => !d.ok).map((d) => `${d.done}: ${d.name} ${d.code ?? ''} ${d.message}\n${d.stack ?? ''}`);
  assert.deepEqual(failed, []);
  const p = peak(done);
  const packets = done.reduce((s, d) => s + (d.packets ?? 0), 0);
  const weird = done.reduce((s, d) => s + (d.weird ?? 0), 0);
  t.diagnostic(`${done.length} captures, ${packets} packets, ${weird} weird records; capture warnings: ${tally(done)}`);
  t.diagnostic(`peak RSS ${p.rss} MiB (bound ${PEAK_RSS_MB}), largest heap after a run ${p.heap} MiB`);
  assert.ok(p.rss < PEAK_RSS_MB, `peak RSS ${p.rss} MiB`);
  // No growth from file to file: the heap after the last run is close to the heap after the first.
  assert.ok(done[done.length - 1].heapMB - done[0].heapMB < 64, `heap ${done[0].heapMB} → ${done[done.length - 1].heapMB} MiB`);
});

const CAPTURES = 20;
const SEEDS_PER_KIND = 3;
const MIN_BYTES = 1024;
const MAX_BYTES = 512 * 1024;

/**
 * 20 captures of 1 KiB – 512 KiB, spread over the data set's collections: taken in turn from each
 * collection (the first two path components), in path order.
 */
function fuzzCorpus(): string[] {
  const groups = new Map<string, string[]>();
  for (const rel of findCaptures(SHARED_DATA)) {
    const size = statSync(join(SHARED_DATA, rel)).size;
    if (size < MIN_BYTES || size > MAX_BYTES) continue;
    const g = rel.split('/').slice(0, 2).join('/');
    groups.set(g, [...(groups.get(g) ?? []), rel]);
  }
  const lists = [...groups.values()];
  const out: string[] = [];
  for (let i = 0; out.length < CAPTURES && lists.some((l) => i < l.length); i++) {
    for (const l of lists) if (i < l.length && out.length < CAPTURES) out.push(l[i]);
  }
  return out;
}

test('fixed-seed mutations of 20 captures: damage gives warnings and weird records, never exceptions', (t) => {
  if (sharedFile(t, '.') === null) return;
  const corpus = fuzzCorpus();
  assert.equal(corpus.length, CAPTURES);
  t.diagnostic(`corpus: ${corpus.join(' ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'cranewatch-fuzz-'));
  try {
    const jobs: { path: string; source: string; seed: number; m: Mutant }[] = [];
    let seed = 0x5eed;
    for (const rel of corpus) {
      const original = new Uint8Array(readFileSync(join(SHARED_DATA, rel)));
      for (const kind of MUTATIONS) {
        for (let i = 0; i < SEEDS_PER_KIND; i++) {
          const m = mutate(original, kind, ++seed);
          const path = join(dir, `${jobs.length}-${kind}.cap`);
          writeFileSync(path, m.bytes);
          jobs.push({ path, source: rel, seed, m });
        }
      }
    }
    const done = analyzeInChild(
      jobs.map((j) => j.path),
      120_000,
    );
    const problems: string[] = [];
    let rejected = 0;
    let warned = 0;
    for (let i = 0; i < jobs.length; i++) {
      const { source, seed: s, m } = jobs[i];
      const d = done[i];
      const what = `${source} ${m.kind} seed ${s} (${m.note})`;
      if (!d.ok) {
        // Only a damaged file header may stop a run, and only with the documented CwError codes.
        const allowed = m.kind === 'header' && (d.code === 'CW_ERR_BAD_CAPTURE_HEADER' || d.code === 'CW_ERR_NOT_CAPTURE');
        if (allowed) rejected++;
        else problems.push(`${what}: ${d.name} ${d.code ?? ''} ${d.message}\n${d.stack ?? ''}`);
        continue;
      }
      if ((d.warnings ?? []).length > 0) warned++;
      // A file cut inside a record keeps the records before it and says so.
      if (m.cutMidRecord && (d.warnings ?? []).length === 0) problems.push(`${what}: cut mid-record without a warning`);
    }
    const p = peak(done);
    t.diagnostic(`${jobs.length} mutants (${MUTATIONS.length} kinds × ${SEEDS_PER_KIND} seeds × ${CAPTURES} captures)`);
    t.diagnostic(`${rejected} damaged headers refused with CwError, ${warned} runs with capture warnings: ${tally(done)}`);
    t.diagnostic(`peak RSS ${p.rss} MiB (bound ${PEAK_RSS_MB}), largest heap after a run ${p.heap} MiB`);
    assert.deepEqual(problems, []);
    assert.ok(jobs.some((j) => j.m.cutMidRecord), 'some truncations end inside a record');
    assert.ok(p.rss < PEAK_RSS_MB, `peak RSS ${p.rss} MiB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
