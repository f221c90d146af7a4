import type { CaptureWarning, RawPacket } from '../capture/packet.js';
import type { CaptureReader } from '../capture/reader.js';
import { openCapture } from '../capture/open.js';
import { mergeByTime } from '../capture/merge.js';
import { DEFAULT_LIMITS, type Limits } from '../config/limits.js';
import type { ChecksumMode } from '../decode/checksum-policy.js';
import { Decoder, newDecodedPacket } from '../decode/decoder.js';
import { UndecodedReport } from './undecoded.js';
import type { ArpInfo, DecodedPacket } from '../decode/packet.js';
import type { LogSink } from '../events/record.js';
import type { AnalyzerSpec, ConnId, PayloadTap } from '../session/analyzer.js';
import { SessionTable } from '../session/flow-table.js';
import { makeWeird } from '../session/weird-log.js';
import { createProtocolAnalyzers } from '../protocols/registry.js';

/** Per-input-file figures of one run. */
export interface InputStat {
  path: string;
  format: string;
  /** Bytes of the file read (equals its size unless the run stopped early). */
  bytes: number;
  packets: number;
}

/** Counters of the decode stage for one run. */
export interface DecodeCounts {
  ok: number;
  held: number;
  malformed: number;
  unsupported: number;
}

/** What checksum verification did in one run (decode/checksum-policy.ts). */
export interface ChecksumStats {
  mode: ChecksumMode;
  /** Packets dropped for a failed IPv4 header or transport checksum. */
  dropped: number;
  /** Sending hosts judged to offload checksums and no longer verified (`auto`), sorted. */
  offloadingHosts: string[];
}

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
}

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
  /** Progress callback, called once per read batch with bytes read so far and the total size of all inputs. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** Bytes of read buffers shared by all inputs of a run; each input reads max(64 KiB, this / inputs), at most 1 MiB. */
const READ_BUDGET_BYTES = 32 << 20;
const MIN_CHUNK_BYTES = 64 << 10;
const MAX_CHUNK_BYTES = 1 << 20;

const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_ICMP = 1;
const PROTO_ICMP6 = 58;

/** Capture files opened and their headers checked (`openCaptures`), ready for `analyzeCaptures`. */
export interface OpenedCaptures {
  readonly readers: readonly CaptureReader[];
}

/**
 * Open every input and check its header, in command-line order, before anything is analyzed or
 * written — so a missing or unreadable input is reported before a run touches its outputs.
 * Merging holds a chunk (and its read-ahead) of every input at once, so the inputs share a fixed
 * read budget (READ_BUDGET_BYTES).
 * @throws CwError CW_ERR_NOT_FOUND, CW_ERR_READ, CW_ERR_EMPTY, CW_ERR_NOT_CAPTURE or
 *   CW_ERR_BAD_CAPTURE_HEADER for the first input that cannot be opened (the ones opened are closed).
 */
export async function openCaptures(paths: readonly string[]): Promise<OpenedCaptures> {
  const chunkBytes = Math.min(MAX_CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, Math.floor(READ_BUDGET_BYTES / Math.max(1, paths.length))));
  const readers: CaptureReader[] = [];
  try {
    for (let i = 0; i < paths.length; i++) readers.push(await openCapture(paths[i], i, { chunkBytes }));
  } catch (e) {
    for (const r of readers) await r.close();
    throw e;
  }
  return { readers };
}

/**
 * Read one or more capture files (merged in time order), decode every frame, track sessions,
 * run the protocol analyzers and write every log record to `opts.sink` (which it does not close).
 * Only frames that decode 'ok' reach the flows (malformed ones are reported as weirds and counted);
 * a packet whose transport checksum the policy drops reaches its flow as a checksum failure only.
 * `inputs`: file paths, or captures already opened with `openCaptures`.
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
  const decoder = new Decoder(limits, (name, pkt, addl) => sink.write('weird', makeWeird(name, 'weird', pkt, addl)), { checksums });
  const sessions = new SessionTable({ limits, analyzers: opts.analyzers ?? createProtocolAnalyzers(), sink, tap: opts.payloadTap, onFlowOpen: opts.onFlowOpen });
  const loop = new PacketLoop(decoder, sessions, readers.length, opts.onArp ?? null, new UndecodedReport(sink));

  for await (const batch of mergeByTime(readers)) {
    loop.run(batch);
    if (opts.onProgress) opts.onProgress(readers.reduce((s, r) => s + r.bytesRead, 0), totalBytes);
  }
  decoder.expire(Number.POSITIVE_INFINITY);
  const lastTs = loop.lastTs;
  const firstTs = loop.packets === 0 ? null : loop.firstTs;
  sessions.finish(lastTs);

  return {
    inputs: readers.map((r, i) => ({ path: r.name, format: r.format, bytes: r.bytesRead, packets: loop.perFile[i] })),
    packets: loop.packets,
    bytes: loop.bytes,
    firstTs,
    lastTs: firstTs === null ? null : lastTs,
    warnings: readers.flatMap((r) => r.warnings),
    decode: { ok: loop.ok, held: loop.held, malformed: loop.malformed, unsupported: loop.unsupported },
    checksums: {
      mode: checksums,
      dropped: decoder.checksums?.dropped ?? 0,
      offloadingHosts: decoder.checksums?.offloadingHosts() ?? [],
    },
  };
}

function isOpened(inputs: readonly string[] | OpenedCaptures): inputs is OpenedCaptures {
  return !Array.isArray(inputs);
}

/**
 * The per-packet loop: decode each frame into one reused DecodedPacket and hand IP transport
 * packets to the session table, ARP to the asset callback. Synchronous, with its counters in
 * fields, so the hot path stays out of the async function that reads the batches.
 */
class PacketLoop {
  private readonly pkt: DecodedPacket = newDecodedPacket();
  readonly perFile: number[];
  packets = 0;
  /** Captured bytes (sum of caplen). */
  bytes = 0;
  firstTs = 0;
  lastTs = 0;
  ok = 0;
  held = 0;
  malformed = 0;
  unsupported = 0;

  constructor(
    private readonly decoder: Decoder,
    private readonly sessions: SessionTable,
    inputs: number,
    private readonly onArp: ((arp: ArpInfo, ts: number) => void) | null,
    private readonly undecoded: UndecodedReport,
  ) {
    this.perFile = new Array<number>(inputs).fill(0);
  }

  run(batch: readonly RawPacket[]): void {
    const pkt = this.pkt;
    const decoder = this.decoder;
    for (let i = 0; i < batch.length; i++) {
      const raw = batch[i];
      if (this.packets === 0) this.firstTs = this.lastTs = raw.ts;
      this.packets++;
      this.bytes += raw.data.length;
      this.perFile[raw.source]++;
      if (raw.ts > this.lastTs) this.lastTs = raw.ts;
      const status = decoder.decode(raw, pkt);
      if (status !== 'ok') {
        if (status === 'held') this.held++;
        else if (status === 'malformed') this.malformed++;
        else {
          this.unsupported++;
          this.undecoded.frame(raw, pkt);
        }
        continue;
      }
      this.ok++;
      const p = pkt.ipProto;
      if (p === PROTO_TCP || p === PROTO_UDP || p === PROTO_ICMP || p === PROTO_ICMP6) {
        this.sessions.onPacket(pkt, decoder.badTransportChecksum);
      } else if (pkt.arp !== null) {
        if (this.onArp !== null) this.onArp(pkt.arp, pkt.ts);
      } else if (pkt.ipVersion !== 0) {
        this.undecoded.ipProtocol(pkt);
      }
    }
  }
}
