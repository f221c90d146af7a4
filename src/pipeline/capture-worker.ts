import type { FileHandle } from 'node:fs/promises';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Limits } from '../config/limits.js';
import type { ChecksumMode } from '../decode/checksum-policy.js';
import { CwError } from '../errors.js';
import type { AnalyzerSpec } from '../session/analyzer.js';
import { SessionTable } from '../session/flow-table.js';
import { runDecodeStage } from './decode-stage.js';
import { FlowRingWriter, type FlowRingFailure } from './flow-ring.js';
import { readCaptureHandles } from './inputs.js';
import type { RingMemory } from './ring-slots.js';

/** Marks the workerData of a capture worker (other workers load this module too). */
const CAPTURE_WORKER_KIND = 'cranewatch.capture-worker';

/**
 * URL of this module, the script a capture worker runs (pipeline/threaded-run.ts). In the bundle it
 * is the URL of the chunk holding this module; the build names this module as an entry point of its
 * own so that the chunk holds only what a worker needs (capture, decode, session), not the analyzers.
 */
export const CAPTURE_WORKER_URL = new URL(import.meta.url);

/** What the analysis thread gives a capture worker (structured-clonable). */
export interface CaptureWorkerData {
  readonly kind: typeof CAPTURE_WORKER_KIND;
  /**
   * Capture files, command-line order: the handles the analysis thread opened and checked, handed
   * over (CaptureReader.handOver) and transferred here, read again from their start.
   */
  readonly inputs: readonly { readonly handle: FileHandle; readonly name: string }[];
  readonly limits: Readonly<Limits>;
  readonly checksums: ChecksumMode;
  /** Transport and ports of the analyzers the analysis thread runs (likely server ports, session/server-ports.ts). */
  readonly serverPorts: readonly Pick<AnalyzerSpec, 'transport' | 'ports'>[];
  readonly ring: RingMemory;
}


/** The workerData of a capture worker. */
export function captureWorkerData(
  inputs: readonly { handle: FileHandle; name: string }[],
  limits: Readonly<Limits>,
  checksums: ChecksumMode,
  analyzers: readonly AnalyzerSpec[],
  ring: RingMemory,
): CaptureWorkerData {
  const serverPorts = analyzers.map((a) => ({ transport: a.transport, ports: [...a.ports] }));
  return { kind: CAPTURE_WORKER_KIND, inputs, limits, checksums, serverPorts, ring };
}

/**
 * The capture worker: reads and decodes the inputs (pipeline/decode-stage.ts) and tracks their
 * sessions (session/flow-table.ts); every call of the flow table to its analysis, every record of
 * its own and every ARP packet goes to the flow ring (pipeline/flow-ring.ts), and the decode stage's
 * result ends it. A failure ends it instead, in its place among the messages (FlowRingWriter.fail);
 * should writing that fail too, the failure is posted to the parent (a FlowRingFailure).
 */
async function runWorker(data: CaptureWorkerData): Promise<void> {
  const ring = new FlowRingWriter(data.ring);
  try {
    const { readers } = await readCaptureHandles(data.inputs);
    const sessions = new SessionTable({ limits: data.limits, analyzers: data.serverPorts, sink: ring, analysis: ring });
    const result = await runDecodeStage(
      readers,
      { packet: (pkt, bad) => sessions.onPacket(pkt, bad), arp: (arp, ts) => ring.arp(arp, ts) },
      {
        limits: data.limits,
        checksums: data.checksums,
        records: ring,
        onBatch: (bytesRead) => {
          ring.bytesRead = bytesRead;
        },
      },
    );
    sessions.finish(result.loop.lastTs);
    ring.finish(result);
  } catch (e) {
    const failure: FlowRingFailure = { code: e instanceof CwError ? e.code : null, message: e instanceof Error ? e.message : String(e) };
    try {
      ring.fail(failure);
    } catch {
      parentPort?.postMessage(failure);
    }
  }
}

if (!isMainThread && (workerData as Partial<CaptureWorkerData> | null)?.kind === CAPTURE_WORKER_KIND) void runWorker(workerData as CaptureWorkerData);
