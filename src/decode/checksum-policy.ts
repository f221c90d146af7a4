import type { AnomalyCallback } from './layer.js';
import type { DecodedPacket } from './packet.js';

/**
 * What to do with IPv4 header, TCP, UDP, ICMP and ICMPv6 checksums (decode/checksum.ts):
 * - `verify`: Zeek's default (`zeek -r`): a packet whose IPv4 header checksum fails is dropped before
 *   any flow sees it; a transport checksum failure drops the packet after its flow is found or created
 *   (session layer: history `C`/`c`, weird `tcp.bad_checksum` …);
 * - `ignore`: Zeek's `-C` (`ignore_checksums`): nothing is verified;
 * - `auto` (the default of the pipeline): verify, except for sending hosts that look like checksum
 *   offloading (see ChecksumPolicy) — Zeek's `ignore_checksums_nets`, filled in as the capture shows them.
 */
export type ChecksumMode = 'verify' | 'ignore' | 'auto';

/** The accepted `ChecksumMode` values, in the order help texts list them. */
export const CHECKSUM_MODES: readonly ChecksumMode[] = Object.freeze(['auto', 'verify', 'ignore']);

/** `auto`: failed, non-signature checksums a host must reach (while outnumbering its good ones) to be judged offloading. */
export const AUTO_MIN_BAD_PACKETS = 8;

/** Checksum bookkeeping of one sending host (`auto` mode). Counts saturate far beyond any threshold. */
export interface HostChecksums {
  /** Source address as the decoder writes it (dotted quad / RFC 5952). */
  readonly host: string;
  /** Packets whose every verifiable checksum held. */
  good: number;
  /** Packets with a failed checksum. */
  bad: number;
  /** True once the host is judged to offload checksums: it is no longer verified. */
  offloading: boolean;
}

/** The shared record `verify` mode judges with: no per-host state, never offloading. */
const VERIFY_ALL: HostChecksums = { host: '', good: 0, bad: 0, offloading: false };

/**
 * Decides, packet by packet, whether a failed checksum drops the packet. One instance per decoder;
 * deterministic (depends only on the packets in order).
 *
 * Rule of `auto`, per sending host (IPv4 or IPv6 source address), in packet order:
 * 1. Offload signature: a failed check whose field holds what a sending stack leaves for
 *    checksum-offloading hardware to complete — an IPv4 header checksum of 0x0000 (or an IPv4 total
 *    length of 0, as segmentation offload leaves it), or a TCP/UDP checksum equal to the folded
 *    pseudo-header sum (Linux and Windows partial checksums) — marks the host as offloading at once.
 * 2. Count: otherwise the host is marked offloading when its failed packets reach
 *    AUTO_MIN_BAD_PACKETS (8) and outnumber its verified ones (bad ≥ 8 and bad > good).
 * 3. A marked host is never verified again; its packets pass as under `ignore`. The marking is
 *    reported once, as anomaly `checksum.offload_suspected` with the packet that decided it and
 *    `addl` = `host=<address> rule=<signature|count> bad=<n> good=<n>`.
 * 4. Before that, a failed packet from a host that has already sent a verified packet is dropped,
 *    as under `verify` (isolated corruption, a fuzzed frame); from a host none of whose packets has
 *    verified yet it is kept — such a host cannot be told from an offloading one yet, and its first
 *    packets are not thrown away while rule 2 gathers evidence.
 * A packet counts once: bad when any of its checks failed, good when every verifiable check held.
 *
 * Bound: at most `maxHosts` hosts are tracked; packets of further hosts are judged as under `verify`,
 * and anomaly `checksum.host_table_full` (addl `max_hosts=<n>`) is reported once.
 */
export class ChecksumPolicy {
  private readonly hosts = new Map<string, HostChecksums>();
  /** The two hosts judged last (request and response usually alternate): checked before the map. */
  private key0 = '';
  private host0: HostChecksums = VERIFY_ALL;
  private key1 = '';
  private host1: HostChecksums = VERIFY_ALL;
  private full = false;
  private drops = 0;

  /**
   * @param mode the ChecksumMode
   * @param maxHosts hosts tracked at most in `auto` mode (e.g. `limits.maxAssets`)
   * @param onAnomaly receives `checksum.offload_suspected` and `checksum.host_table_full`
   */
  constructor(
    readonly mode: ChecksumMode,
    private readonly maxHosts: number,
    private readonly onAnomaly: AnomalyCallback,
  ) {}

  /** Packets dropped for a failed checksum so far. */
  get dropped(): number {
    return this.drops;
  }

  /** Hosts judged to offload checksums (`auto`), sorted. */
  offloadingHosts(): string[] {
    const out: string[] = [];
    for (const h of this.hosts.values()) if (h.offloading) out.push(h.host);
    return out.sort();
  }

  /**
   * The bookkeeping record to judge packet `pkt` with (its source is `pkt.src`, the decoder's address
   * text), or null when its checksums are not to be verified (`ignore`, or a host judged offloading).
   */
  begin(pkt: DecodedPacket): HostChecksums | null {
    if (this.mode === 'verify') return VERIFY_ALL;
    if (this.mode === 'ignore') return null;
    const src = pkt.src;
    let h: HostChecksums | undefined;
    if (src === this.key0) h = this.host0;
    else if (src === this.key1) h = this.host1;
    else {
      h = this.hosts.get(src);
      if (h === undefined) {
        if (this.hosts.size >= this.maxHosts) {
          if (!this.full) {
            this.full = true;
            this.onAnomaly('checksum.host_table_full', pkt, `max_hosts=${this.maxHosts}`);
          }
          return VERIFY_ALL;
        }
        h = { host: src, good: 0, bad: 0, offloading: false };
        this.hosts.set(src, h);
      }
      this.key1 = this.key0;
      this.host1 = this.host0;
      this.key0 = src;
      this.host0 = h;
    }
    return h.offloading ? null : h;
  }

  /** Counts a packet of `h` whose verifiable checksums all held. */
  good(h: HostChecksums): void {
    if (h !== VERIFY_ALL && h.good < 0x7fffffff) h.good++;
  }

  /**
   * Counts a packet of `h` with a failed checksum and decides: true = drop it.
   * `signature` tells whether the failed field holds an offload signature (rule 1); `pkt` is the
   * packet as decoded so far, passed with `checksum.offload_suspected`.
   */
  failed(h: HostChecksums, signature: boolean, pkt: DecodedPacket): boolean {
    if (h === VERIFY_ALL) {
      this.drops++;
      return true;
    }
    if (h.bad < 0x7fffffff) h.bad++;
    if (signature || (h.bad >= AUTO_MIN_BAD_PACKETS && h.bad > h.good)) {
      h.offloading = true;
      this.onAnomaly('checksum.offload_suspected', pkt, `host=${h.host} rule=${signature ? 'signature' : 'count'} bad=${h.bad} good=${h.good}`);
      return false;
    }
    if (h.good === 0) return false;
    this.drops++;
    return true;
  }
}
