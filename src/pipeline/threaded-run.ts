import type { FileHandle } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { CAPTURE_BOUNDS } from '../capture/bounds.js';
import type { Limits } from '../config/limits.js';
import type { ChecksumMode } from '../decode/checksum-policy.js';
import type { ArpInfo } from '../decode/packet.js';
import type { LogSink } from '../events/record.js';
import type { AnalyzerSpec } from '../session/analyzer.js';
import type { FlowAnalysis } from '../session/flow-analysis.js';
import { CAPTURE_WORKER_URL, captureWorkerData } from './capture-worker.js';
import type { DecodeStageResult } from './decode-stage.js';
import { failureError, FlowRingReader, newFlowRingMemory, type FlowRingFailure } from './flow-ring.js';

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
 * flows' analysis in this one. `inputs` are the open capture files, handed over by their first
 * readers (CaptureReader.handOver) and transferred to the worker, which reads them from the start: the worker's flow table sends its calls through the flow ring
 * (pipeline/flow-ring.ts), which replays them here in order. Records, their order and the result
 * are those of a one-thread run; errors are the same too (a CwError keeps its code). The worker is
 * stopped whatever happens.
 */
export async function runThreaded(inputs: readonly { handle: FileHandle; name: string }[], opts: ThreadedRunOptions): Promise<DecodeStageResult> {
  const ring = newFlowRingMemory(Math.max(CAPTURE_BOUNDS.maxBlockBytes, opts.limits.maxDatagramBytes), opts.fillBytes);
  const workerData = captureWorkerData(inputs, opts.limits, opts.checksums, opts.analyzers, ring);
  const transferList = inputs.map((x) => x.handle);
  let worker: Worker;
  try {
    worker = CAPTURE_WORKER_URL.pathname.endsWith('.ts')
      ? // Run from the TypeScript sources (tests): Node 20 does not apply `--import tsx` to a worker's own
        // script, so the worker registers tsx's loader before it imports the module.
        new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(CAPTURE_WORKER_URL.href)}); });`, {
          eval: true,
          workerData,
          transferList,
          execArgv: workerExecArgv(),
        })
      : new Worker(CAPTURE_WORKER_URL, { workerData, transferList, execArgv: workerExecArgv() });
  } catch (e) {
    for (const h of transferList) await h.close();
    throw e;
  }
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  // Settles when the worker can write no more: rejects on a failure outside the ring (an uncaught
  // error, an abnormal exit, a failure it could not write), resolves on a normal exit, after which
  // the reader still drains every slot the worker handed over.
  const ended = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: FlowRingFailure) => reject(failureError(m)));
    worker.on('error', reject);
    void exited.then((code) => (code === 0 ? resolve() : reject(new Error(`the capture worker stopped (exit code ${code}) before the end of the input`))));
  });
  ended.catch(() => undefined);
  const sink = opts.sink;
  const onArp = opts.onArp;
  const onProgress = opts.onProgress;
  let reported = 0;
  const reader = new FlowRingReader(
    ring,
    {
      analysis: opts.analysis,
      record: (stream, record) => sink.write(stream, record),
      arp: (arp, ts) => onArp?.(arp, ts),
      // Slots filled before the worker's first read batch ends carry 0: report only progress made.
      progress: (bytesRead) => {
        if (bytesRead <= reported) return;
        reported = bytesRead;
        onProgress?.(bytesRead);
      },
    },
    opts.limits.maxStringLength,
  );
  let got: { done: DecodeStageResult } | undefined;
  try {
    while (got === undefined) got = await reader.next(ended);
  } finally {
    // After the end of the run the worker has nothing left to do and exits by itself; otherwise stop it.
    if (got === undefined) await worker.terminate();
    else await exited;
  }
  return got.done;
}
