import { closeSync, openSync, writeSync } from 'node:fs';
import { CwError } from '../errors.js';

/** Bytes gathered before they are written out (1 MiB). */
export const OUTPUT_BUFFER_BYTES = 1 << 20;

/** Where a capture writer's bytes go once its buffer is full or it is closed. */
interface OutputTarget {
  /** Takes `chunk` (a view of a buffer that is reused afterwards: copy to keep). */
  write(chunk: Uint8Array): void;
  close(): void;
}

/** Writes to a file descriptor with `fs.writeSync`, looping over partial writes. */
class FileTarget implements OutputTarget {
  constructor(
    private readonly fd: number,
    private readonly path: string,
  ) {}

  write(chunk: Uint8Array): void {
    let off = 0;
    try {
      while (off < chunk.length) off += writeSync(this.fd, chunk, off, chunk.length - off);
    } catch (e) {
      throw new CwError('CW_ERR_WRITE', `cannot write ${this.path}: ${(e as Error).message}`);
    }
  }

  close(): void {
    try {
      closeSync(this.fd);
    } catch (e) {
      throw new CwError('CW_ERR_WRITE', `cannot close ${this.path}: ${(e as Error).message}`);
    }
  }
}

/** Keeps copies of every chunk in memory. */
class MemoryTarget implements OutputTarget {
  readonly chunks: Uint8Array[] = [];
  write(chunk: Uint8Array): void {
    this.chunks.push(chunk.slice());
  }
  close(): void {}
}

/**
 * A 1 MiB output buffer in front of a file descriptor or memory, shared by the capture writers.
 * File output: constant memory however much is written (the buffer is written with `fs.writeSync`
 * whenever the next piece does not fit). Memory output: every byte is kept until `bytes()`.
 * Little-endian field writes go through `view` at the offset `reserve` returns.
 */
export class BufferedOutput {
  private readonly buf = new Uint8Array(OUTPUT_BUFFER_BYTES);
  /** DataView over the whole buffer, for the caller's field writes at `reserve`d offsets. */
  readonly view = new DataView(this.buf.buffer);
  private pos = 0;
  private closed = false;

  private constructor(
    private readonly target: OutputTarget,
    private readonly name: string,
  ) {}

  /**
   * Creates (truncates) the file at `path`.
   * @throws CwError CW_ERR_WRITE when it cannot be created
   */
  static toFile(path: string): BufferedOutput {
    let fd: number;
    try {
      fd = openSync(path, 'w');
    } catch (e) {
      throw new CwError('CW_ERR_WRITE', `cannot create ${path}: ${(e as Error).message}`);
    }
    return new BufferedOutput(new FileTarget(fd, path), path);
  }

  /** Output kept in memory; read it with `bytes()`. */
  static toMemory(): BufferedOutput {
    return new BufferedOutput(new MemoryTarget(), 'memory');
  }

  /**
   * Makes room for `n` bytes (n ≤ 1 MiB) and returns the offset in `view` where they go.
   * The caller must fill all `n` bytes. Zero-filled when `zero` is set (padding).
   * @throws CwError CW_ERR_WRITE when closed or the file write fails
   */
  reserve(n: number, zero = false): number {
    if (this.closed) throw new CwError('CW_ERR_WRITE', `${this.name}: write after close`);
    if (this.pos + n > this.buf.length) this.flush();
    const at = this.pos;
    this.pos += n;
    if (zero) this.buf.fill(0, at, at + n);
    return at;
  }

  /** Appends `data` (copied; written straight through when larger than the buffer). */
  append(data: Uint8Array): void {
    if (this.closed) throw new CwError('CW_ERR_WRITE', `${this.name}: write after close`);
    if (this.pos + data.length > this.buf.length) {
      this.flush();
      if (data.length > this.buf.length) {
        this.target.write(data);
        return;
      }
    }
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  /** Writes out what is buffered. */
  flush(): void {
    if (this.pos === 0) return;
    this.target.write(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }

  /** Flushes and closes the file. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.target.close();
  }

  /**
   * Every byte written so far, as one array (memory output only).
   * @throws CwError CW_ERR_USAGE for file output
   */
  bytes(): Uint8Array {
    if (!(this.target instanceof MemoryTarget)) {
      throw new CwError('CW_ERR_USAGE', `bytes() is only available on memory output, not ${this.name}`);
    }
    if (!this.closed) this.flush();
    const chunks = this.target.chunks;
    let total = 0;
    for (const c of chunks) total += c.length;
    const out = new Uint8Array(total);
    let o = 0;
    for (const c of chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}
