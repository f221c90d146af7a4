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
  /**
   * Bytes of out-of-order data buffered per TCP direction before the oldest gap is skipped; each buffered
   * segment is charged its payload plus session/tcp-reassembly.ts SEGMENT_OVERHEAD_BYTES.
   */
  maxReassemblyBytesPerDirection: number;
  /** Out-of-order segments buffered per TCP direction before the oldest gap is skipped. */
  maxReassemblySegmentsPerDirection: number;
  /**
   * Bytes buffered across all TCP flows for reassembly (charged like maxReassemblyBytesPerDirection)
   * before gaps are skipped in the largest buffers, down to 7/8 of this bound. Garbage from skipped
   * buffers lifts peak RSS by about 2.5× this bound (Node 20, 1000 flows of one-byte segments at the
   * default: ≈ 285 MB peak RSS; at 64 MiB it passed 300 MB).
   */
  maxReassemblyBytesTotal: number;
  /** Bytes an application analyzer may hold to join a PDU across segments (Modbus ADU ≤ 260 bytes). */
  maxAnalyzerBufferBytes: number;
  /** Pending (unanswered) requests remembered per flow for request/response pairing. */
  maxPendingRequests: number;
  /**
   * Units of Modbus pairing state waiting for a partner across all flows of a run: each waiting
   * `modbus_detailed` row counts 32 units plus one per register or coil value it holds (a unit is
   * about 8 bytes, so the default holds ≈ 16 MB). Beyond it the adding flow's oldest waiting rows,
   * or the new row itself, are logged unmatched (weird `modbus.pending_budget_exhausted`).
   */
  maxPendingModbusValues: number;
  /** IPv4 fragment sets held at once (RFC 791 reassembly); beyond it the oldest set is dropped. */
  maxFragmentSets: number;
  /** Seconds a fragment set waits for its missing pieces (RFC 791 suggests 15 s; Linux uses 30 s). */
  fragmentTimeoutSec: number;
  /** Bytes one reassembled IPv4 datagram may reach (RFC 791: 65 535). */
  maxDatagramBytes: number;
  /**
   * Bytes all IPv4 fragment sets may hold together: bytes received plus a fixed per-piece overhead
   * (decode/ipv4-defrag.ts FRAGMENT_PIECE_OVERHEAD_BYTES); beyond it the oldest sets are dropped.
   */
  maxFragmentBytesTotal: number;
  /** Characters kept of any string copied from the wire into a log (e.g. device identification objects). */
  maxStringLength: number;
  /** Values kept in any logged vector (register or coil values); the rest is counted, not kept. */
  maxVectorLength: number;
  /** Distinct hosts tracked in the asset inventory. */
  maxAssets: number;
  /** Weird records of one name logged per flow (Zeek logs each weird once per flow by default). */
  maxWeirdsPerFlowAndName: number;
  /**
   * Modbus items (registers, coils, discrete inputs) remembered per PLC (server address + unit id) in the
   * crane model's register image (crane/state/register-image.ts); items beyond it are not stored and counted.
   */
  maxRegisterImageItems: number;
  /** Bytes of each direction of a flow the container-data tap (detect/content) scans; the rest is counted, not read. */
  maxContainerScanBytesPerDirection: number;
  /**
   * Bytes the container-data tap holds per flow direction to decode an encoded run (base64, hex) or a gzip
   * member split across deliveries, and per DNS tunnel (client, domain) of decoded query data.
   */
  maxContainerCarryBytesPerDirection: number;
  /** Bytes the container-data tap holds across all flows and DNS tunnels; beyond it runs are decoded as far as they came. */
  maxContainerCarryBytesTotal: number;
  /** Bytes one gzip member may inflate to in the container-data tap (RFC 1952; a larger output is cut, never grown). */
  maxContainerInflateBytes: number;
  /** Distinct container numbers counted per flow, direction and encoding (the `container_data` record lists 16). */
  maxContainerNumbersPerRecord: number;
  /** DNS (client, server, registered domain) tunnels whose query names the container-data tap collects at once. */
  maxDnsTunnels: number;
  /**
   * Bytes of each HTTP message body (after transfer decoding) the HTTP analyzer keeps for the `http_body`
   * excerpt (protocols/http); the rest is counted in the body length, not kept.
   */
  maxHttpBodyBytes: number;
}

/**
 * The defaults: sized for a terminal of 100 cranes on a 2-core, 24 GiB machine; peak RSS stays under 300 MB
 * whatever the input. Live heap per bound unit (Node 20, x64, measured): a TCP flow about 1.4 kB (Flow, two
 * Sides, two reassemblers, uid, index slot; UDP 1.2 kB), a host about 1.5 kB in the asset inventory plus its
 * summary and checksum-table entries, and up to 2 MACs per host at about 0.6 kB (assets/asset-builder.ts
 * MACS_PER_ASSET): 10 000 flows ≈ 14 MB and 10 000 hosts ≈ 30 MB live. V8 lets the heap grow to about four
 * times the live size between full collections, which is what the 300 MB budget has to cover.
 */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxFlows: 10_000,
  tcpInactivitySec: 300,
  udpInactivitySec: 60,
  icmpInactivitySec: 60,
  tcpCloseDelaySec: 5,
  maxReassemblyBytesPerDirection: 1 << 20,
  maxReassemblySegmentsPerDirection: 1024,
  maxReassemblyBytesTotal: 32 << 20,
  maxAnalyzerBufferBytes: 64 << 10,
  maxPendingRequests: 256,
  maxPendingModbusValues: 2_000_000,
  maxFragmentSets: 4096,
  fragmentTimeoutSec: 30,
  maxDatagramBytes: 65_535,
  maxFragmentBytesTotal: 8 << 20,
  maxStringLength: 1024,
  maxVectorLength: 2048,
  maxAssets: 10_000,
  maxWeirdsPerFlowAndName: 1,
  maxRegisterImageItems: 4096,
  maxContainerScanBytesPerDirection: 1 << 20,
  maxContainerCarryBytesPerDirection: 256 << 10,
  maxContainerCarryBytesTotal: 16 << 20,
  maxContainerInflateBytes: 1 << 20,
  maxContainerNumbersPerRecord: 4096,
  maxDnsTunnels: 4096,
  maxHttpBodyBytes: 64 << 10,
});
