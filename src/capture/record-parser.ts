import type { CaptureWarning, RawPacket } from './packet.js';

/**
 * An incremental parser of one capture format. The stream driver (capture/stream-reader.ts) hands
 * it buffers that start at a record boundary; the parser appends every complete packet to `out`
 * and returns how many bytes it consumed. What it leaves is carried into the next buffer.
 * Results, not exceptions: damage is a warning plus `stopped`.
 */
export interface RecordParser {
  /**
   * Parses complete records of `buf` (starting at index 0, which is file offset `fileOffset`) and
   * pushes packets into `out`. Returns the bytes consumed (a record boundary).
   */
  parse(buf: Uint8Array, fileOffset: number, out: RawPacket[]): number;
  /** Bytes, counted from the first unconsumed byte, that the next record needs to be complete (≥ 1). */
  readonly need: number;
  /** True once damage ended the file: the driver must stop reading. */
  readonly stopped: boolean;
  /** Warnings found so far (shared with the reader). */
  readonly warnings: CaptureWarning[];
}
