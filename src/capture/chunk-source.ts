import type { FileHandle } from 'node:fs/promises';
import { CwError } from '../errors.js';

/**
 * Where a capture reader's bytes come from. Each call hands back a fresh buffer (never reused, so
 * packet views into earlier buffers stay valid) that starts with the carried-over bytes. Buffers
 * are plain `Uint8Array` views (not `Buffer`): their `subarray` is markedly cheaper per packet.
 */
export interface ChunkSource {
  /**
   * The next buffer: a copy of `carry` followed by at least one new byte, holding at least `need`
   * bytes unless the input ended first. Returns null at end of input when no new byte came.
   * @throws CwError CW_ERR_READ on an I/O failure
   */
  next(carry: Uint8Array, need: number): Promise<Uint8Array | null>;
  /** Total bytes taken from the input so far. */
  readonly bytesRead: number;
  /** Releases the input (closes the file). Safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Reads a file (or FIFO, character device) through `FileHandle.read` at the current position into
 * fresh memory per call (`Buffer.allocUnsafeSlow`: unpooled, not zero-filled), sized carry + max(chunkBytes, need − carry). Memory per call is that
 * one buffer; the caller drops earlier ones.
 */
export class FileChunkSource implements ChunkSource {
  bytesRead = 0;
  private closed = false;

  /**
   * @param fh an open file handle, owned (closed) by this source
   * @param name the path, for error messages
   * @param chunkBytes bytes requested per read (≥ 1)
   */
  constructor(
    private readonly fh: FileHandle,
    private readonly name: string,
    private readonly chunkBytes: number,
  ) {}

  async next(carry: Uint8Array, need: number): Promise<Uint8Array | null> {
    if (this.closed) return null;
    const want = Math.max(this.chunkBytes, need - carry.length);
    const buf = Buffer.allocUnsafeSlow(carry.length + want);
    buf.set(carry, 0);
    let filled = carry.length;
    // A regular file fills the buffer in one read; a pipe may need several to reach `need`.
    do {
      let n: number;
      try {
        ({ bytesRead: n } = await this.fh.read(buf, filled, buf.length - filled, null));
      } catch (e) {
        throw new CwError('CW_ERR_READ', `cannot read ${this.name}: ${(e as Error).message}`);
      }
      if (n === 0) break;
      filled += n;
      this.bytesRead += n;
    } while (filled < need);
    if (filled === carry.length) return null;
    return new Uint8Array(buf.buffer, buf.byteOffset, filled);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.fh.close();
  }
}

/**
 * Feeds a reader from an async iterable of byte chunks (a child process's stdout from
 * `dumpcap -w -` or `tcpdump -U -w -`, `process.stdin`, a test's array). The producer must hand
 * over fresh chunks (Node streams do); a chunk is used in place when nothing is carried, otherwise
 * chunks are gathered until `need` bytes are there and copied once into a fresh buffer.
 */
export class IterableChunkSource implements ChunkSource {
  bytesRead = 0;
  private readonly it: AsyncIterator<Uint8Array>;
  private done = false;

  /**
   * @param chunks the byte chunks, in order
   * @param name stream name, for error messages
   */
  constructor(
    chunks: AsyncIterable<Uint8Array>,
    private readonly name: string,
  ) {
    this.it = chunks[Symbol.asyncIterator]();
  }

  async next(carry: Uint8Array, need: number): Promise<Uint8Array | null> {
    const parts: Uint8Array[] = [];
    let total = carry.length;
    while (!this.done && (parts.length === 0 || total < need)) {
      let r: IteratorResult<Uint8Array>;
      try {
        r = await this.it.next();
      } catch (e) {
        throw new CwError('CW_ERR_READ', `cannot read ${this.name}: ${(e as Error).message}`);
      }
      if (r.done) {
        this.done = true;
        break;
      }
      if (r.value.length === 0) continue;
      parts.push(r.value);
      total += r.value.length;
      this.bytesRead += r.value.length;
    }
    if (parts.length === 0) return null;
    if (carry.length === 0 && parts.length === 1) {
      const only = parts[0];
      return new Uint8Array(only.buffer, only.byteOffset, only.length);
    }
    const buf = new Uint8Array(Buffer.allocUnsafeSlow(total).buffer, 0, total);
    buf.set(carry, 0);
    let o = carry.length;
    for (const p of parts) {
      buf.set(p, o);
      o += p.length;
    }
    return buf;
  }

  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.it.return?.();
  }
}
