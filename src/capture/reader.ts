import type { FileHandle } from 'node:fs/promises';
import type { CaptureFormat, CaptureWarning, RawPacket } from './packet.js';

/**
 * A streaming reader over one capture (file or byte stream), pcap or pcapng by magic number.
 * Made by `openCapture` / `readCaptureStream` (capture/open.ts).
 *
 * Formats: pcap (draft-ietf-opsawg-pcap §4–5) and pcapng (draft-ietf-opsawg-pcapng §3–4).
 * Memory stays bounded whatever the input size: one input buffer (chunk size, 1 MiB by default, or one
 * record when a record is larger) plus the carry-over of a record cut by a chunk boundary.
 */
export interface CaptureReader {
  /** The path (or stream name) given when the reader was made; used in warnings and messages. */
  readonly name: string;
  /**
   * Format found from the magic number. For a file reader it is known when `openCapture` resolves;
   * for a stream reader, once `batches()` has produced its first result (reading it before that
   * throws `CwError` `CW_ERR_USAGE`).
   */
  readonly format: CaptureFormat;
  /**
   * The packets, in file order, as batches: each batch holds every complete packet of one input
   * buffer (never empty). Packet `data` views stay valid after the batch is handed over (each
   * buffer is fresh). Iterate once. Running it to the end, or returning early, closes the input.
   * Damage after the header ends the stream early with a `warnings` entry; I/O failures throw
   * `CwError` `CW_ERR_READ`; a stream reader throws the header errors of `openCapture` on its first step.
   */
  batches(): AsyncGenerator<RawPacket[]>;
  /** Problems found so far (`capture.truncated_record`, `capture.bad_block_length`, …); grows while reading. */
  readonly warnings: CaptureWarning[];
  /** Bytes taken from the input so far (equals `sizeBytes` once a whole file is read), for progress display. */
  readonly bytesRead: number;
  /** Size of the input in bytes when known (regular files), otherwise null (pipes, streams). */
  readonly sizeBytes: number | null;
  /** Release the input without reading further (closes the file); safe to call more than once. */
  close(): Promise<void>;
  /**
   * Give up the input without closing it, before `batches()` started: the open file, for another
   * reader (capture/open.ts readCaptureHandle) to read again from its start, e.g. in a worker thread
   * (a FileHandle is transferable). Null, and the input left as it is, for a reader that cannot
   * (a byte stream, a FIFO). This reader reads nothing afterwards.
   */
  handOver(): Promise<FileHandle | null>;
}
