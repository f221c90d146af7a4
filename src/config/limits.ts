/**
 * Every bound the analysis pipeline enforces, in one object (DESIGN.md "Everything bounded").
 * Crossing a bound raises a `weird` anomaly naming the bound; memory never grows past it.
 */
export interface Limits {
  /** Maximum live flows in the flow table; the least recently active flow is evicted (and logged) beyond it. */
  maxFlows: number;
  /** Seconds of inactivity after which a TCP flow is expired and its conn record written (Zeek tcp_inactivity_timeout: 300 s). */
  tcpInactivitySec: number;
  /** Seconds of inactivity after which a UDP flow is expired (Zeek udp_inactivity_timeout: 60 s). */
  udpInactivitySec: number;
  /** Seconds of inactivity after which an ICMP flow is expired (Zeek icmp_inactivity_timeout: 60 s). */
  icmpInactivitySec: number;
  /** Seconds after a FIN/RST exchange before a closed TCP flow is removed (Zeek tcp_close_delay: 5 s). */
  tcpCloseDelaySec: number;
  /** Bytes of out-of-order data buffered per TCP direction before the oldest gap is skipped. */
  maxReassemblyBytesPerDirection: number;
  /** Out-of-order segments buffered per TCP direction before the oldest gap is skipped. */
  maxReassemblySegmentsPerDirection: number;
  /** Bytes buffered across all TCP flows for reassembly before gaps are skipped in the largest buffers. */
  maxReassemblyBytesTotal: number;
  /** Bytes an application analyzer may hold to join a PDU across segments (Modbus ADU ≤ 260 bytes). */
  maxAnalyzerBufferBytes: number;
  /** Pending (unanswered) requests remembered per flow for request/response pairing. */
  maxPendingRequests: number;
  /** IPv4 fragment sets held at once (RFC 791 reassembly); beyond it the oldest set is dropped. */
  maxFragmentSets: number;
  /** Seconds a fragment set waits for its missing pieces (RFC 791 suggests 15 s; Linux uses 30 s). */
  fragmentTimeoutSec: number;
  /** Bytes one reassembled IPv4 datagram may reach (RFC 791: 65 535). */
  maxDatagramBytes: number;
  /** Characters kept of any string copied from the wire into a log (e.g. device identification objects). */
  maxStringLength: number;
  /** Values kept in any logged vector (register or coil values); the rest is counted, not kept. */
  maxVectorLength: number;
  /** Distinct hosts tracked in the asset inventory. */
  maxAssets: number;
  /** Weird records of one name logged per flow (Zeek logs each weird once per flow by default). */
  maxWeirdsPerFlowAndName: number;
}

/** The defaults: sized for a terminal of 100 cranes on a 2-core, 24 GiB machine; peak RSS stays well under 300 MB. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxFlows: 100_000,
  tcpInactivitySec: 300,
  udpInactivitySec: 60,
  icmpInactivitySec: 60,
  tcpCloseDelaySec: 5,
  maxReassemblyBytesPerDirection: 1 << 20,
  maxReassemblySegmentsPerDirection: 1024,
  maxReassemblyBytesTotal: 64 << 20,
  maxAnalyzerBufferBytes: 64 << 10,
  maxPendingRequests: 1024,
  maxFragmentSets: 4096,
  fragmentTimeoutSec: 30,
  maxDatagramBytes: 65_535,
  maxStringLength: 1024,
  maxVectorLength: 2048,
  maxAssets: 100_000,
  maxWeirdsPerFlowAndName: 1,
});
