import type { FileHandle } from 'node:fs/promises';
import { openCapture, readCaptureHandle } from '../capture/open.js';
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
  const chunkBytes = chunkBytesFor(paths.length);
  const readers: CaptureReader[] = [];
  try {
    for (let i = 0; i < paths.length; i++) readers.push(await openCapture(paths[i], i, { chunkBytes }));
  } catch (e) {
    for (const r of readers) await r.close();
    throw e;
  }
  return { readers };
}

/**
 * `openCaptures` on files already open and handed over by their first readers
 * (CaptureReader.handOver): each is read again from its start. The readers own the handles (all
 * are closed when this throws).
 * @param inputs each file's handle and path, command-line order
 * @throws CwError as `openCaptures`, except CW_ERR_NOT_FOUND
 */
export async function readCaptureHandles(inputs: readonly { handle: FileHandle; name: string }[]): Promise<OpenedCaptures> {
  const chunkBytes = chunkBytesFor(inputs.length);
  const readers: CaptureReader[] = [];
  try {
    for (let i = 0; i < inputs.length; i++) readers.push(await readCaptureHandle(inputs[i].handle, inputs[i].name, i, { chunkBytes }));
  } catch (e) {
    for (const r of readers) await r.close();
    for (const x of inputs.slice(readers.length + 1)) await x.handle.close();
    throw e;
  }
  return { readers };
}

/** Bytes per read of each of `inputs` files (READ_BUDGET_BYTES shared, within MIN/MAX_CHUNK_BYTES). */
function chunkBytesFor(inputs: number): number {
  return Math.min(MAX_CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, Math.floor(READ_BUDGET_BYTES / Math.max(1, inputs))));
}
