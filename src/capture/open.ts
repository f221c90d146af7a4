import { open, type FileHandle } from 'node:fs/promises';
import { CwError } from '../errors.js';
import { FileChunkSource, IterableChunkSource } from './chunk-source.js';
import type { CaptureReader } from './reader.js';
import { CaptureStreamReader } from './stream-reader.js';

/** Default bytes per file read (1 MiB). */
export const DEFAULT_CHUNK_BYTES = 1 << 20;

/** Options of `openCapture`. */
export interface OpenCaptureOptions {
  /** Bytes per read (default 1 MiB, minimum 1). A record larger than this is read whole. */
  chunkBytes?: number;
}

/**
 * Opens a capture file and checks its header; the format (pcap, draft-ietf-opsawg-pcap, or pcapng,
 * draft-ietf-opsawg-pcapng) comes from the magic number, never the file name. The returned reader
 * streams the file in chunks (`batches()`), keeping memory constant for files of any size, and
 * closes the file when its batches end (or are returned early). Works on FIFOs and /dev/stdin too.
 * @param path file path
 * @param source input index (0-based, command-line order) copied into every RawPacket.source
 * @param opts chunk size
 * @throws CwError CW_ERR_NOT_FOUND (no such file), CW_ERR_READ (unreadable, a directory, I/O error),
 *   CW_ERR_EMPTY (0 bytes), CW_ERR_NOT_CAPTURE (another magic; the message shows the first four bytes),
 *   CW_ERR_BAD_CAPTURE_HEADER (file header cut short or damaged before any packet)
 */
export async function openCapture(path: string, source: number, opts?: OpenCaptureOptions): Promise<CaptureReader> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CwError('CW_ERR_NOT_FOUND', `${path} does not exist`);
    throw new CwError('CW_ERR_READ', `cannot open ${path}: ${(e as Error).message}`);
  }
  return readCaptureHandle(fh, path, source, opts);
}

/**
 * `openCapture` on a file already open: a regular file is read from its start whatever the handle's
 * position (so a handle another reader handed over, CaptureReader.handOver, is read again whole).
 * The reader owns `fh` from here on (closes it; also when this throws).
 * @param name the file's path, for messages and warnings
 * @throws CwError as `openCapture`, except CW_ERR_NOT_FOUND
 */
export async function readCaptureHandle(fh: FileHandle, name: string, source: number, opts?: OpenCaptureOptions): Promise<CaptureReader> {
  const chunkBytes = Math.max(1, Math.floor(opts?.chunkBytes ?? DEFAULT_CHUNK_BYTES));
  let sizeBytes: number | null;
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new CwError('CW_ERR_READ', `${name} is a directory, not a capture file`);
    sizeBytes = st.isFile() ? st.size : null;
  } catch (e) {
    await fh.close();
    if (e instanceof CwError) throw e;
    throw new CwError('CW_ERR_READ', `cannot read ${name}: ${(e as Error).message}`);
  }
  const reader = new CaptureStreamReader(new FileChunkSource(fh, name, chunkBytes, sizeBytes === null ? null : 0), name, source, sizeBytes);
  await reader.detect();
  return reader;
}

/**
 * A capture reader over a byte stream — the stdout of `dumpcap -w -` or `tcpdump -U -w -`, or
 * `process.stdin` — running the same parsers as `openCapture`. The format is chosen from the first
 * bytes when `batches()` starts; its first step throws what `openCapture` would for a bad header
 * (CW_ERR_EMPTY, CW_ERR_NOT_CAPTURE, CW_ERR_BAD_CAPTURE_HEADER) and CW_ERR_READ when the stream fails.
 * @param chunks fresh byte chunks in order (not reused by the producer)
 * @param name a name for messages and warnings (e.g. `dumpcap:eth0`, `-`)
 * @param source input index copied into every RawPacket.source
 */
export function readCaptureStream(chunks: AsyncIterable<Uint8Array>, name: string, source: number): CaptureReader {
  return new CaptureStreamReader(new IterableChunkSource(chunks, name), name, source, null);
}
