import { Worker } from 'node:worker_threads';
import { CAPTURE_BOUNDS } from '../capture/bounds.js';
import type { Limits } from '../config/limits.js';
import type { ChecksumMode } from '../decode/checksum-policy.js';
import type { ArpInfo } from '../decode/packet.js';
import { CwError, type CwErrorCode } from '../errors.js';
import type { LogSink } from '../events/record.js';
import type { AnalyzerSpec } from '../session/analyzer.js';
import type { FlowAnalysis } from '../session/flow-analysis.js';
import { CAPTURE_WORKER_URL, captureWorkerData, type CaptureWorkerFailure } from './capture-worker.js';
import type { DecodeStageResult } from './decode-stage.js';
import { FLOW_RING_MESSAGE_OVERHEAD_BYTES, FlowRingReader } from './flow-ring.js';
import { newRingMemory } from './ring-slots.js';

/**
 * Node options a capture worker inherits: module loaders, import hooks and the CPU / heap profiler
 * flags (a test runner's or inspector's flags are not valid in a worker).
 */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--import' || a === '--require' || a === '-r' || a === '--loader' || a === '--experimental-loader') {
      if (i + 1 < argv.length) out.push(a, argv[++i]);
    } else if (/^--(import|require|loader|experimental-loader)=/.test(a) || /^--(cpu|heap)-prof/.test(a)) {
      out.push(a);
    }
  }
  return out;
}

/** What a two-thread run needs besides the inputs. */
export interface ThreadedRunOptions {
  limits: Readonly<Limits>;
  checksums: ChecksumMode;
  /** The analyzers `analysis` runs (their ports go to the worker's flow table). */
  analyzers: readonly AnalyzerSpec[];
  /** The flows' analysis in this thread (session/flow-analysis.ts LocalFlowAnalysis). */
  analysis: FlowAnalysis;
  /** Receives the worker's own records (decoder and flow-table weirds) in their place among the analysis's. */
  sink: LogSink;
  onArp: ((arp: ArpInfo, ts: number) => void) | null;
  onProgress: ((bytesRead: number) => void) | null;
  /** Bytes per ring slot before it is handed over (tests make it small). */
  fillBytes?: number;
}

/**
 * Reading, decoding and session tracking in a worker thread (pipeline/capture-worker.ts), the
 * flows' analysis in this one: the worker's flow table sends its calls through the flow ring
 * (pipeline/flow-ring.ts), which replays them here in order. Records, their order and the result
 * are those of a one-thread run; errors are the same too (a CwError keeps its code). The worker is
 * stopped whatever happens.
 */
export async function runThreaded(paths: readonly string[], opts: ThreadedRunOptions): Promise<DecodeStageResult> {
  const ring = newRingMemory(Math.max(CAPTURE_BOUNDS.maxBlockBytes, opts.limits.maxDatagramBytes) + FLOW_RING_MESSAGE_OVERHEAD_BYTES, opts.fillBytes);
  const workerData = captureWorkerData(paths, opts.limits, opts.checksums, opts.analyzers, ring);
  const worker = CAPTURE_WORKER_URL.pathname.endsWith('.ts')
    ? // Run from the TypeScript sources (tests): Node 20 does not apply `--import tsx` to a worker's own
      // script, so the worker registers tsx's loader before it imports the module.
      new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(CAPTURE_WORKER_URL.href)}); });`, {
        eval: true,
        workerData,
        execArgv: workerExecArgv(),
      })
    : new Worker(CAPTURE_WORKER_URL, { workerData, execArgv: workerExecArgv() });
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  const failed = new Promise<never>((_, reject) => {
    worker.on('message', (m: CaptureWorkerFailure) => reject(m.error.code === null ? new Error(m.error.message) : new CwError(m.error.code as CwErrorCode, m.error.message)));
    worker.on('error', reject);
    void exited.then((code) => reject(new Error(`the capture worker stopped (exit code ${code}) before the end of the input`)));
  });
  failed.catch(() => undefined);
  const sink = opts.sink;
  const onArp = opts.onArp;
  const onProgress = opts.onProgress;
  const reader = new FlowRingReader(
    ring,
    {
      analysis: opts.analysis,
      record: (stream, record) => sink.write(stream, record),
      arp: (arp, ts) => onArp?.(arp, ts),
      progress: (bytesRead) => onProgress?.(bytesRead),
    },
    opts.limits.maxStringLength,
  );
  let got: { done: unknown } | undefined;
  try {
    while (got === undefined) got = await reader.next(failed);
  } finally {
    // After the end of the run the worker has nothing left to do and exits by itself; otherwise stop it.
    if (got === undefined) await worker.terminate();
    else await exited;
  }
  return got.done as DecodeStageResult;
}
