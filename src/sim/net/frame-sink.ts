/**
 * Where simulated frames go: a capture writer (the project's `PcapWriter` has this shape), a
 * counter, a test recorder.
 * Lifetime rule (DESIGN.md "Zero-copy with a lifetime rule"): `data` is a view into the frame
 * builder's reusable buffer and is valid only during the call; a sink that keeps frames copies them.
 */
export interface FrameSink {
  /**
   * @param ts      capture timestamp, seconds since the Unix epoch (float).
   * @param data    the whole link-layer frame (Ethernet II, LINKTYPE_ETHERNET = 1), without FCS.
   * @param origLen length on the wire in bytes; omitted means `data.length`.
   */
  writePacket(ts: number, data: Uint8Array, origLen?: number): void;
}
