/**
 * What a capture reader hands to the decoder: one captured frame, undecoded.
 * Source: pcap (draft-ietf-opsawg-pcap §4–5) and pcapng (draft-ietf-opsawg-pcapng §4.3 EPB, §4.4 SPB, §4.5 OPB).
 */
export interface RawPacket {
  /** Capture timestamp, seconds since the Unix epoch (float; sub-microsecond digits are not guaranteed). */
  ts: number;
  /** LINKTYPE_* value of the interface the frame was captured on (tcpdump.org link-layer header types). */
  linkType: number;
  /**
   * The captured bytes (caplen of them). A view into a reader chunk: it stays valid after the call,
   * but must not be mutated; copy it only to keep it beyond the packet's processing if memory matters.
   */
  data: Uint8Array;
  /** Length of the frame on the wire in bytes (≥ data.length when the snap length cut it). */
  origLen: number;
  /** Index of the input file in the run (0-based, command-line order). */
  source: number;
  /** 1-based frame number inside its file, as Wireshark/tshark counts it (`frame.number`). */
  frame: number;
}

/** LINKTYPE_* values this project decodes (https://www.tcpdump.org/linktypes.html). */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** A problem a reader found in a capture file: the reader keeps every packet before it. */
export interface CaptureWarning {
  /** Path of the file. */
  file: string;
  /** Byte offset in the file where the damage starts. */
  offset: number;
  /** Stable code, e.g. `capture.truncated_record`, `capture.bad_block_length`, `capture.unknown_interface`. */
  code: string;
  /** One sentence a person understands. */
  message: string;
}

/** Capture file format, chosen by magic number (never by file extension). */
export type CaptureFormat = 'pcap' | 'pcapng';
