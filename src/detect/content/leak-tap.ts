import { DEFAULT_LIMITS, type Limits } from '../../config/limits.js';
import type { LogRecord, LogSink } from '../../events/record.js';
import type { SitePolicy } from '../../policy/site-policy.js';
import type { ConnId, PayloadObserver, PayloadTap } from '../../session/analyzer.js';
import { CarryBudget } from './carry-budget.js';
import { DNS_PORT, guessChannel, type LeakChannelGuess } from './channel.js';
import { ContentDecoder } from './content-decoder.js';
import { type DirectionBounds, DirectionScanner } from './direction-scanner.js';
import { MAX_QNAME_LABELS, readQueryName } from './dns-qname.js';
import { type DnsTunnel, DnsTunnels } from './dns-tunnels.js';
import type { EncodingHits, LeakHits } from './leak-hits.js';
import { CONTAINER_DATA_FOUND_STREAM, CONTAINER_DATA_LISTED, CONTAINER_DATA_SCHEMA } from './log.js';

/** A `container_data` record (log.ts fields) of one encoding's finds in one flow direction. */
function containerRecord(uid: string, id: ConnId, isOrig: boolean, channel: LeakChannelGuess, encoding: string, h: EncodingHits, bytes: number): LogRecord {
  return {
    ts: h.firstTs,
    uid,
    'id.orig_h': id.orig_h,
    'id.orig_p': id.orig_p,
    'id.resp_h': id.resp_h,
    'id.resp_p': id.resp_p,
    proto: id.proto,
    direction: isOrig ? 'orig' : 'resp',
    encoding,
    channel,
    count: h.numbers.length,
    numbers: h.numbers.slice(0, CONTAINER_DATA_LISTED),
    bytes_scanned: bytes,
  };
}

/**
 * Content inspection for container data leaving the terminal (DESIGN.md "What it detects": container
 * numbers in any flow that is not an approved conduit, in clear, encoded or tunnelled). A PayloadTap
 * (session/analyzer.ts) built from the site policy: it opens TCP and UDP flows whose responder is not
 * an approved container-data destination (site `container_data.approved_destinations`), not in a
 * `crane_control` zone (writes to PLCs are the Modbus detectors' business) and not a group address;
 * every other flow costs one policy lookup. Per tapped flow and direction a `DirectionScanner` finds
 * ISO 6346 numbers (clear, base64, hex, gzip, one level nested); DNS queries (UDP or TCP port 53)
 * also feed `DnsTunnels`. Records of the `container_data` stream (log.ts) go to `sink`: one per flow,
 * direction and encoding with finds when the flow ends, and the DNS tunnels' at `finish`. The first
 * find of each flow, direction and encoding also goes at once to `early` (the detection engine) as a
 * record of the internal stream `container_data_found`, so a leak over a long-lived flow is reported
 * while it runs.
 * Bounds: Limits.maxContainer* and maxDnsTunnels. Deterministic: records follow flow end order and
 * first-seen order of encodings.
 */
export class ContainerLeakTap implements PayloadTap {
  private readonly decoder: ContentDecoder;
  private readonly budget: CarryBudget;
  private readonly dns: DnsTunnels;
  /** Per-direction bounds shared by all scanners. */
  readonly bounds: DirectionBounds;
  private readonly starts = new Int32Array(MAX_QNAME_LABELS);
  private readonly lens = new Int32Array(MAX_QNAME_LABELS);
  /** Flows opened for inspection. */
  tapped = 0;

  /**
   * @param policy the site (approved destinations, zones)
   * @param sink where `container_data` records go (the run's outputs and detection engine)
   * @param limits bounds (Limits.maxContainer*, maxDnsTunnels)
   * @param early where `container_data_found` records go (the detection engine); null: none are made
   */
  constructor(
    private readonly policy: SitePolicy,
    private readonly sink: LogSink,
    limits: Readonly<Limits> = DEFAULT_LIMITS,
    private readonly early: LogSink | null = null,
  ) {
    this.decoder = new ContentDecoder(limits.maxContainerInflateBytes);
    this.budget = new CarryBudget(limits.maxContainerCarryBytesTotal);
    this.bounds = { scanBytes: limits.maxContainerScanBytesPerDirection, carryBytes: limits.maxContainerCarryBytesPerDirection, numbersPerEncoding: limits.maxContainerNumbersPerRecord };
    this.dns = new DnsTunnels(this.decoder, this.budget, limits.maxDnsTunnels, limits.maxContainerCarryBytesPerDirection, limits.maxContainerNumbersPerRecord);
  }

  /** Bytes held for split runs, gzip members and DNS tunnels right now (for tests and stats). */
  get heldBytes(): number {
    return this.budget.used;
  }

  open(uid: string, id: ConnId, _ts: number): PayloadObserver | null {
    if (id.proto === 'icmp') return null;
    const resp = id.resp_h;
    if (this.policy.isGroupAddress(resp) || this.policy.isApprovedContainerDestination(resp)) return null;
    if (this.policy.zoneOf(resp)?.kind === 'crane_control') return null;
    this.tapped++;
    return new LeakObserver(this, uid, id);
  }

  /** The run is over (after the pipeline ended every flow): write the DNS tunnels' records. */
  finish(): void {
    this.dns.finish((t) => this.emitTunnel(t));
  }

  /** A new direction scanner for a tapped flow. */
  scanner(): DirectionScanner {
    return new DirectionScanner(this.bounds, this.decoder, this.budget);
  }

  /**
   * DNS message(s) a client sent: UDP one per datagram, TCP each after a 2-byte length (RFC 1035 §4.2.2,
   * read only when a delivery starts on a message).
   */
  dnsFromClient(uid: string, id: ConnId, data: Uint8Array, ts: number): void {
    if (id.proto === 'udp') {
      this.dnsQuery(uid, id, data, ts);
      return;
    }
    let p = 0;
    while (p + 2 <= data.length) {
      const len = (data[p] << 8) | data[p + 1];
      if (len === 0 || p + 2 + len > data.length) return;
      this.dnsQuery(uid, id, data.subarray(p + 2, p + 2 + len), ts);
      p += 2 + len;
    }
  }

  private dnsQuery(uid: string, id: ConnId, msg: Uint8Array, ts: number): void {
    const n = readQueryName(msg, this.starts, this.lens);
    if (n >= 3) this.dns.add(id.orig_h, uid, id, msg, n, this.starts, this.lens, ts);
  }

  /** Write one `container_data` record per encoding of `hits`. */
  emit(uid: string, id: ConnId, isOrig: boolean, channel: LeakChannelGuess, hits: LeakHits, bytes: number): void {
    for (const [encoding, h] of hits.entries()) this.sink.write(CONTAINER_DATA_SCHEMA.name, containerRecord(uid, id, isOrig, channel, encoding, h, bytes));
  }

  /**
   * Hand the finds of the encodings first seen since `known` labels (LeakHits.labels before the last
   * delivery) to `early` as `container_data_found` records; nothing without an `early` sink.
   */
  signal(uid: string, id: ConnId, isOrig: boolean, channel: LeakChannelGuess, hits: LeakHits, bytes: number, known: number): void {
    if (this.early === null) return;
    let i = 0;
    for (const [encoding, h] of hits.entries()) if (i++ >= known) this.early.write(CONTAINER_DATA_FOUND_STREAM, containerRecord(uid, id, isOrig, channel, encoding, h, bytes));
  }

  private emitTunnel(t: DnsTunnel): void {
    this.emit(t.uid, t.id, true, 'dns', t.hits, t.bytes);
  }
}

/** One tapped flow: a scanner per direction (made on its first byte) and the channel guess. */
class LeakObserver implements PayloadObserver {
  private orig: DirectionScanner | null = null;
  private resp: DirectionScanner | null = null;
  private channel: LeakChannelGuess | null = null;
  private readonly dns: boolean;

  constructor(
    private readonly tap: ContainerLeakTap,
    private readonly uid: string,
    private readonly id: ConnId,
  ) {
    this.dns = id.resp_p === DNS_PORT;
  }

  payload(isOrig: boolean, data: Uint8Array, ts: number): void {
    if (this.channel === null) this.channel = guessChannel(data, this.id.resp_p);
    let s = isOrig ? this.orig : this.resp;
    if (s === null) {
      s = this.tap.scanner();
      if (isOrig) this.orig = s;
      else this.resp = s;
    }
    const known = s.hits.labels;
    s.payload(data, ts);
    if (s.hits.labels > known) this.tap.signal(this.uid, this.id, isOrig, this.channel, s.hits, s.scanned, known);
    if (this.dns && isOrig) this.tap.dnsFromClient(this.uid, this.id, data, ts);
  }

  end(_ts: number): void {
    const channel = this.channel ?? 'unknown';
    if (this.orig !== null) this.close(this.orig, true, channel);
    if (this.resp !== null) this.close(this.resp, false, channel);
    this.orig = this.resp = null;
  }

  private close(s: DirectionScanner, isOrig: boolean, channel: LeakChannelGuess): void {
    s.end();
    if (!s.hits.empty) this.tap.emit(this.uid, this.id, isOrig, channel, s.hits, s.scanned);
  }
}
