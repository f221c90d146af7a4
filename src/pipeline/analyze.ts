import type { FileHandle } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { CaptureWarning } from '../capture/packet.js';
import { DEFAULT_LIMITS, type Limits } from '../config/limits.js';
import type { ChecksumMode } from '../decode/checksum-policy.js';
import type { ArpInfo } from '../decode/packet.js';
import type { LogSink } from '../events/record.js';
import type { AnalyzerSpec, ConnId, PayloadTap } from '../session/analyzer.js';
import { SessionTable } from '../session/flow-table.js';
import { createProtocolAnalyzers } from '../protocols/registry.js';
import { LocalFlowAnalysis } from '../session/flow-analysis.js';
import { runDecodeStage, type ChecksumStats, type DecodeStageResult, type ReadInput } from './decode-stage.js';
import { openCaptures, type OpenedCaptures } from './inputs.js';
import type { DecodeCounts } from './packet-loop.js';
import { runThreaded } from './threaded-run.js';

/** Per-input-file figures of one run: what the decode stage read, and the packets. */
export interface InputStat extends ReadInput {
  packets: number;
}

export type { ChecksumStats } from './decode-stage.js';
export type { DecodeCounts } from './packet-loop.js';
export { openCaptures, type OpenedCaptures } from './inputs.js';

/** What one analysis run saw: inputs, packet and byte totals, time span and capture warnings. */
export interface AnalyzeResult {
  inputs: InputStat[];
  packets: number;
  /** Captured bytes of all packets (sum of caplen). */
  bytes: number;
  /** Timestamp of the first and last packet (seconds since the epoch); null when there were none. */
  firstTs: number | null;
  lastTs: number | null;
  warnings: CaptureWarning[];
  decode: DecodeCounts;
  checksums: ChecksumStats;
  /** Threads the run used: 1, or 2 when the decode stage ran in a worker thread. */
  threads: 1 | 2;
}

/**
 * Threads of a run: 1 does everything in the calling thread; 2 reads, decodes and tracks sessions in
 * a worker thread (pipeline/threaded-run.ts) while the calling thread runs the protocol analyzers,
 * taps and sinks; 'auto' (default) takes 2 when the machine has at least two CPUs, every input is a
 * regular file (the worker reopens them) and the inputs hold at least THREADS_AUTO_MIN_BYTES.
 */
export type ThreadsOption = 'auto' | 1 | 2;

/** Input size from which 'auto' uses the decode worker (below it, starting the worker costs more than it saves). */
export const THREADS_AUTO_MIN_BYTES = 32 << 20;

/** Options of `analyzeCaptures`. */
export interface AnalyzeOptions {
  /** Where every log record goes (JSONL, SQLite, summary, assets …). */
  sink: LogSink;
  limits?: Readonly<Limits>;
  analyzers?: readonly AnalyzerSpec[];
  /**
   * Checksum verification (decode/checksum-policy.ts): 'auto' (default) verifies like Zeek but stops
   * verifying hosts that look like checksum offloading; 'verify' is Zeek's default, 'ignore' its `-C`.
   */
  checksums?: ChecksumMode;
  /** Content inspection of chosen flows (session/analyzer.ts PayloadTap), e.g. container numbers leaving. */
  payloadTap?: PayloadTap;
  /** Called at each flow's first packet (session/flow-table.ts SessionTableOptions.onFlowOpen). */
  onFlowOpen?: (uid: string, id: ConnId, ts: number, origMac: number, respMac: number) => void;
  /** Called for every ARP packet (the asset inventory learns ARP-only hosts from it). */
  onArp?: (arp: ArpInfo, ts: number) => void;
  /**
   * Progress callback with bytes read so far and the total size of all inputs: once per read batch,
   * or once per flow-ring slot (up to 1 MiB of the worker's messages) with two threads.
   */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Threads of the run (ThreadsOption; default 'auto'). */
  threads?: ThreadsOption;
}

/**
 * Read one or more capture files (merged in time order), decode every frame, track sessions,
 * run the protocol analyzers and write every log record to `opts.sink` (which it does not close).
 * Only frames that decode 'ok' reach the flows (malformed ones are reported as weirds and counted);
 * a packet whose transport checksum the policy drops reaches its flow as a checksum failure only.
 * `inputs`: file paths, or captures already opened with `openCaptures`. With `opts.threads` 2 (or
 * 'auto' on a large input) the decode stage runs in a worker thread; records, their order and the
 * result are the same as with 1.
 *
 * Errors: given paths, throws what `openCaptures` throws before any packet is processed.
 * Damage inside a capture never throws: the packets before it are analyzed and a warning is returned.
 */
export async function analyzeCaptures(inputs: readonly string[] | OpenedCaptures, opts: AnalyzeOptions): Promise<AnalyzeResult> {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const readers = isOpened(inputs) ? inputs.readers : (await openCaptures(inputs)).readers;
  const totalBytes = readers.reduce((s, r) => s + (r.sizeBytes ?? 0), 0);
  const sink = opts.sink;
  const checksums = opts.checksums ?? 'auto';
  const analyzers = opts.analyzers ?? createProtocolAnalyzers();
  const analysis = new LocalFlowAnalysis({ limits, analyzers, sink, tap: opts.payloadTap, onFlowOpen: opts.onFlowOpen });
  const onArp = opts.onArp ?? null;
  const onProgress = opts.onProgress;
  const progress = onProgress ? (bytesRead: number) => onProgress(bytesRead, totalBytes) : null;
  const threads = threadsFor(opts.threads ?? 'auto', readers.every((r) => r.sizeBytes !== null), totalBytes);
  let r: DecodeStageResult;
  if (threads === 2) {
    const files: { handle: FileHandle; name: string }[] = [];
    for (const reader of readers) {
      const handle = await reader.handOver();
      if (handle === null) throw new Error(`${reader.name}: a regular file's reader did not hand its file over`);
      files.push({ handle, name: reader.name });
    }
    r = await runThreaded(files, { limits, checksums, analyzers, analysis, sink, onArp, onProgress: progress });
  } else {
    const sessions = new SessionTable({ limits, analyzers, sink, analysis });
    r = await runDecodeStage(
      readers,
      { packet: (pkt, bad) => sessions.onPacket(pkt, bad), arp: (arp, ts) => onArp?.(arp, ts) },
      { limits, checksums, records: sink, onBatch: progress ?? undefined },
    );
    sessions.finish(r.loop.lastTs);
  }
  const loop = r.loop;
  const firstTs = loop.packets === 0 ? null : loop.firstTs;
  return {
    inputs: r.inputs.map((x, i) => ({ ...x, packets: loop.perFile[i] })),
    packets: loop.packets,
    bytes: loop.bytes,
    firstTs,
    lastTs: firstTs === null ? null : loop.lastTs,
    warnings: r.warnings,
    decode: loop.decode,
    checksums: r.checksums,
    threads,
  };
}

/**
 * The threads of a run for ThreadsOption `option`: 1 unless the inputs are all regular files
 * (`allFiles`; the worker takes their handles over) and either 2 is asked for, or 'auto' on a machine
 * with `cpus` ≥ 2 for inputs of THREADS_AUTO_MIN_BYTES or more in all (`totalBytes`).
 */
export function threadsFor(option: ThreadsOption, allFiles: boolean, totalBytes: number, cpus = availableParallelism()): 1 | 2 {
  if (option === 1 || !allFiles) return 1;
  if (option === 2) return 2;
  return cpus >= 2 && totalBytes >= THREADS_AUTO_MIN_BYTES ? 2 : 1;
}

function isOpened(inputs: readonly string[] | OpenedCaptures): inputs is OpenedCaptures {
  return !Array.isArray(inputs);
}
