import { openCapture } from '../capture/open.js';
import type { CaptureReader } from '../capture/reader.js';

/** Bytes of read buffers shared by all inputs of a run; each input reads max(64 KiB, this / inputs), at most 1 MiB. */
const READ_BUDGET_BYTES = 32 << 20;
const MIN_CHUNK_BYTES = 64 << 10;
const MAX_CHUNK_BYTES = 1 << 20;

/** Capture files opened and their headers checked (`openCaptures`), ready for `analyzeCaptures`. */
export interface OpenedCaptures {
  readonly readers: readonly CaptureReader[];
}

/**
 * Open every input and check its header, in command-line order, before anything is analyzed or
 * written — so a missing or unreadable input is reported before a run touches its outputs.
 * Merging holds a chunk (and its read-ahead) of every input at once, so the inputs share a fixed
 * read budget (READ_BUDGET_BYTES).
 * @throws CwError CW_ERR_NOT_FOUND, CW_ERR_READ, CW_ERR_EMPTY, CW_ERR_NOT_CAPTURE or
 *   CW_ERR_BAD_CAPTURE_HEADER for the first input that cannot be opened (the ones opened are closed).
 */
export async function openCaptures(paths: readonly string[]): Promise<OpenedCaptures> {
  const chunkBytes = Math.min(MAX_CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, Math.floor(READ_BUDGET_BYTES / Math.max(1, paths.length))));
  const readers: CaptureReader[] = [];
  try {
    for (let i = 0; i < paths.length; i++) readers.push(await openCapture(paths[i], i, { chunkBytes }));
  } catch (e) {
    for (const r of readers) await r.close();
    throw e;
  }
  return { readers };
}
