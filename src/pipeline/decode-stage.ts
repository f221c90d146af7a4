import type { CaptureWarning } from '../capture/packet.js';
import type { CaptureReader } from '../capture/reader.js';
import { mergeByTime } from '../capture/merge.js';
import type { Limits } from '../config/limits.js';
import type { ChecksumMode } from '../decode/checksum-policy.js';
import { Decoder } from '../decode/decoder.js';
import type { LogSink } from '../events/record.js';
import { makeWeird } from '../session/weird-log.js';
import { PacketLoop, type DecodedConsumer, type LoopFigures } from './packet-loop.js';
import { UndecodedReport } from './undecoded.js';

/** What checksum verification did in one run (decode/checksum-policy.ts). */
export interface ChecksumStats {
  mode: ChecksumMode;
  /** Packets dropped for a failed IPv4 header or transport checksum. */
  dropped: number;
  /** Sending hosts judged to offload checksums and no longer verified (`auto`), sorted. */
  offloadingHosts: string[];
}

/** One input as the decode stage read it. */
export interface ReadInput {
  path: string;
  format: string;
  /** Bytes of the file read (equals its size unless the run stopped early). */
  bytes: number;
}

/** What the decode stage reports at the end of a run (plain data: it may cross threads). */
export interface DecodeStageResult {
  loop: LoopFigures;
  inputs: ReadInput[];
  warnings: CaptureWarning[];
  checksums: ChecksumStats;
}

/** Settings of one decode stage run. */
export interface DecodeStageOptions {
  limits: Readonly<Limits>;
  checksums: ChecksumMode;
  /** Receives decoder anomalies and the undecoded report as `weird` records. */
  records: LogSink;
  /** Called after each read batch with the bytes read so far from all inputs. */
  onBatch?: (bytesRead: number) => void;
}

/**
 * The front of the pipeline: read the inputs merged in time order (capture/merge.ts), decode every
 * frame (decode/decoder.ts) and hand transport and ARP packets to `consumer`; at the end, expire the
 * IPv4 fragment sets still held. Runs in the analysis thread or in the decode worker
 * (pipeline/capture-worker.ts) alike. Damage inside a capture ends that input with a warning; I/O
 * errors throw what the readers throw (CwError CW_ERR_READ).
 */
export async function runDecodeStage(readers: readonly CaptureReader[], consumer: DecodedConsumer, opts: DecodeStageOptions): Promise<DecodeStageResult> {
  const sink = opts.records;
  const decoder = new Decoder(opts.limits, (name, pkt, addl) => sink.write('weird', makeWeird(name, 'weird', pkt, addl)), { checksums: opts.checksums });
  const loop = new PacketLoop(decoder, consumer, readers.length, new UndecodedReport(sink));
  for await (const batch of mergeByTime(readers)) {
    loop.run(batch);
    if (opts.onBatch) opts.onBatch(readers.reduce((s, r) => s + r.bytesRead, 0));
  }
  decoder.expire(Number.POSITIVE_INFINITY);
  return {
    loop: loop.figures(),
    inputs: readers.map((r) => ({ path: r.name, format: r.format, bytes: r.bytesRead })),
    warnings: readers.flatMap((r) => r.warnings),
    checksums: {
      mode: opts.checksums,
      dropped: decoder.checksums?.dropped ?? 0,
      offloadingHosts: decoder.checksums?.offloadingHosts() ?? [],
    },
  };
}
