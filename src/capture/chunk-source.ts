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
  /**
   * Gives up the open file without closing it, once no read is in flight, so that it can be read
   * again from its start elsewhere (another thread); the source reads nothing more. Only sources over
   * a regular file have it.
   */
  handOver?(): Promise<FileHandle>;
}

/**
 * Reads a file (or FIFO, character device) through `FileHandle.read`, one read ahead: a regular file
 * from an explicit offset onward (so the handle can later be read again from its start, `handOver`),
 * other files at the handle's current position; while the caller parses a buffer, the next `chunkBytes` are already being read on
 * libuv's thread pool, so I/O overlaps parsing. Each buffer handed back is fresh memory
 * (`Buffer.allocUnsafeSlow`: unpooled, not zero-filled): the read-ahead chunk itself when nothing is
 * carried, else carry + chunk copied once. Memory: at most two chunks plus the carry.
 */
export class FileChunkSource implements ChunkSource {
  bytesRead = 0;
  private closed = false;
  /** The read in flight: a filled chunk (length = bytes read, 0 at end of input). */
  private ahead: Promise<Uint8Array> | null = null;

  /**
   * @param fh an open file handle, owned (closed) by this source
   * @param name the path, for error messages
   * @param chunkBytes bytes requested per read (≥ 1)
   * @param position file offset of the first read for a regular file (reads then advance it); null
   *   to read at the handle's current position (FIFOs, character devices)
   */
  constructor(
    private readonly fh: FileHandle,
    private readonly name: string,
    private readonly chunkBytes: number,
    private position: number | null = null,
  ) {}

  async handOver(): Promise<FileHandle> {
    this.closed = true;
    if (this.ahead !== null) await this.ahead.catch(() => undefined);
    this.ahead = null;
    return this.fh;
  }

  async next(carry: Uint8Array, need: number): Promise<Uint8Array | null> {
    if (this.closed) return null;
    const first = await (this.ahead ?? this.read(this.chunkBytes));
    this.ahead = null;
    let out: Uint8Array;
    if (carry.length === 0 && first.length >= need) {
      out = first;
    } else {
      // Join the carry, the chunk and, when a record is larger than both, more reads.
      const want = Math.max(need, carry.length + first.length);
      const buf = new Uint8Array(Buffer.allocUnsafeSlow(want).buffer, 0, want);
      buf.set(carry, 0);
      buf.set(first, carry.length);
      let filled = carry.length + first.length;
      while (filled < need && first.length > 0) {
        const more = await this.read(need - filled);
        if (more.length === 0) break;
        buf.set(more, filled);
        filled += more.length;
      }
      out = buf.subarray(0, filled);
    }
    if (out.length === carry.length) return null;
    if (first.length > 0) {
      const ahead = this.read(this.chunkBytes);
      // Handled now, awaited later: an I/O error surfaces from the next `next()`, not as an unhandled rejection.
      ahead.catch(() => undefined);
      this.ahead = ahead;
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Let a read in flight finish before the handle goes; its result is not needed.
    if (this.ahead !== null) await this.ahead.catch(() => undefined);
    this.ahead = null;
    await this.fh.close();
  }

  /** Up to `bytes` new bytes (fewer at end of input; a pipe may return less). */
  private async read(bytes: number): Promise<Uint8Array> {
    const buf = Buffer.allocUnsafeSlow(bytes);
    const at = this.position;
    if (at !== null) this.position = at + bytes;
    let n: number;
    try {
      ({ bytesRead: n } = await this.fh.read(buf, 0, bytes, at));
    } catch (e) {
      throw new CwError('CW_ERR_READ', `cannot read ${this.name}: ${(e as Error).message}`);
    }
    if (at !== null && n < bytes) this.position = at + n;
    this.bytesRead += n;
    return new Uint8Array(buf.buffer, buf.byteOffset, n);
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
