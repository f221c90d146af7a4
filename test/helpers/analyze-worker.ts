/**
 * Child-process runner of `analyzeCaptures` for the robustness tests: analyses each file named in the
 * JSON array given as argv[2] (absolute paths), one run per file, and writes one JSON line per event to
 * stdout, so the parent sees which file was being read if the process dies:
 *   {"start": path}
 *   {"done": path, "ok": true, packets, warnings: [code…], decode, weird, heapMB, rssMB, maxRssMB}
 *   {"done": path, "ok": false, name, code, message, stack, heapMB, rssMB, maxRssMB}
 * Memory figures (MiB) are read after each run: V8 heap used after a full collection when the process
 * runs with --expose-gc, resident set size, and the peak resident set size of the process so far
 * (getrusage ru_maxrss). Run as `node --import tsx --expose-gc --max-old-space-size=N analyze-worker.ts '[…]'`.
 */
import { CwError } from '../../src/errors.js';
import type { LogRecord } from '../../src/events/record.js';
import { analyzeCaptures } from '../../src/pipeline/analyze.js';

const MIB = 1024 * 1024;

function memory(): { heapMB: number; rssMB: number; maxRssMB: number } {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) g();
  const m = process.memoryUsage();
  return {
    heapMB: Math.round((m.heapUsed / MIB) * 10) / 10,
    rssMB: Math.round((m.rss / MIB) * 10) / 10,
    maxRssMB: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
  };
}

function line(o: object): void {
  process.stdout.write(`${JSON.stringify(o)}\n`);
}

async function main(): Promise<void> {
  const files = JSON.parse(process.argv[2] ?? '[]') as string[];
  for (const file of files) {
    line({ start: file });
    let weird = 0;
    const sink = {
      write(stream: string, _record: LogRecord): void {
        if (stream === 'weird') weird++;
      },
      async close(): Promise<void> {},
    };
    try {
      const r = await analyzeCaptures([file], { sink });
      line({ done: file, ok: true, packets: r.packets, warnings: r.warnings.map((w) => w.code), decode: r.decode, weird, ...memory() });
    } catch (e) {
      const err = e as Error;
      line({
        done: file,
        ok: false,
        name: err?.name ?? typeof e,
        code: e instanceof CwError ? e.code : null,
        message: String(err?.message ?? e),
        stack: e instanceof CwError ? null : String(err?.stack ?? ''),
        ...memory(),
      });
    }
  }
}

await main();
