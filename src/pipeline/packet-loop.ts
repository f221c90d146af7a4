import type { RawPacket } from '../capture/packet.js';
import type { Decoder } from '../decode/decoder.js';
import { newDecodedPacket } from '../decode/decoder.js';
import type { ArpInfo, DecodedPacket } from '../decode/packet.js';
import type { UndecodedReport } from './undecoded.js';

const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_ICMP = 1;
const PROTO_ICMP6 = 58;

/**
 * Where the packet loop hands what it decoded: the flow table and the ARP callback, in the analysis
 * thread (one thread) or in the capture worker (pipeline/capture-worker.ts), which sends ARP on.
 */
export interface DecodedConsumer {
  /**
   * A TCP, UDP, ICMP or ICMPv6 packet that decoded 'ok' (`pkt` is reused: valid during the call).
   * `badTransportChecksum`: the checksum policy drops it (decode/decoder.ts).
   */
  packet(pkt: DecodedPacket, badTransportChecksum: boolean): void;
  /** An ARP packet (`ts` seconds since the epoch). */
  arp(arp: ArpInfo, ts: number): void;
}

/** Counters of the decode stage for one run. */
export interface DecodeCounts {
  ok: number;
  held: number;
  malformed: number;
  unsupported: number;
}

/** The packet loop's figures of one run: what `AnalyzeResult` reports besides the readers'. */
export interface LoopFigures {
  packets: number;
  /** Captured bytes (sum of caplen). */
  bytes: number;
  /** Packets per input file (command-line order). */
  perFile: number[];
  /** First and last packet time, seconds since the epoch (0 when there were no packets). */
  firstTs: number;
  lastTs: number;
  decode: DecodeCounts;
}

/**
 * The per-packet loop: decode each frame into one reused DecodedPacket and hand IP transport
 * packets and ARP to the consumer; frames and IP protocols without a decoder go to the undecoded
 * report. Synchronous, with its counters in fields, so the hot path stays out of the async
 * function that reads the batches.
 */
export class PacketLoop {
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

  /**
   * @param decoder the run's decoder (its anomalies go where its callback says)
   * @param consumer receives the decoded packets
   * @param inputs number of input files (for the per-file counts)
   * @param undecoded reports frames and protocols not decoded
   */
  constructor(
    private readonly decoder: Decoder,
    private readonly consumer: DecodedConsumer,
    inputs: number,
    private readonly undecoded: UndecodedReport,
  ) {
    this.perFile = new Array<number>(inputs).fill(0);
  }

  /** The loop's figures so far. */
  figures(): LoopFigures {
    return {
      packets: this.packets,
      bytes: this.bytes,
      perFile: [...this.perFile],
      firstTs: this.firstTs,
      lastTs: this.lastTs,
      decode: { ok: this.ok, held: this.held, malformed: this.malformed, unsupported: this.unsupported },
    };
  }

  /** Decode and hand over one batch of frames (time order). */
  run(batch: readonly RawPacket[]): void {
    const pkt = this.pkt;
    const decoder = this.decoder;
    const consumer = this.consumer;
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
        consumer.packet(pkt, decoder.badTransportChecksum);
      } else if (pkt.arp !== null) {
        consumer.arp(pkt.arp, pkt.ts);
      } else if (pkt.ipVersion !== 0) {
        this.undecoded.ipProtocol(pkt);
      }
    }
  }
}
