/**
 * Bounds the capture readers enforce, so a damaged length or count never makes a reader
 * allocate without limit (DESIGN.md "Everything bounded").
 * - `minRecordBound`: a pcap record may always reach 262 144 bytes (libpcap's MAXIMUM_SNAPLEN),
 *   whatever the header's snap length says (draft-ietf-opsawg-pcap §4 SnapLen, §5 CapturedPacketLength).
 * - `maxBlockBytes`: the largest pcap record or pcapng block accepted (16 MiB, Wireshark's pcapng
 *   block size limit); a larger length is treated as damage.
 * - `maxExcessCapture`: a pcap record whose captured length exceeds its original length by more
 *   than this many bytes (more than any IP datagram) is treated as damage.
 * - `maxInterfaces`: pcapng interfaces described per section; later IDBs are ignored (with a warning),
 *   so their packets count as unknown-interface packets.
 * - `maxWarnings`: warnings kept per input; later ones are dropped (damage stops a file anyway,
 *   only per-packet problems such as unknown interfaces can repeat).
 */
export const CAPTURE_BOUNDS = Object.freeze({
  minRecordBound: 262_144,
  maxBlockBytes: 16 * 1024 * 1024,
  maxExcessCapture: 65_535,
  maxInterfaces: 4096,
  maxWarnings: 100,
});
