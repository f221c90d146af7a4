import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { ensureDir } from '../files/ensure-dir.js';
import { join } from 'node:path';
import { CwError } from '../errors.js';
import type { LogRecord, LogSink, StreamName } from '../events/record.js';
import { allStreamSchemas, streamSchema } from '../events/schema.js';
import { writeError } from './write-error.js';
import { JsonBytes } from './json-bytes.js';
import { type ZeekJsonEncoder, zeekJsonEncoder } from './zeek-json.js';

/** Bytes of encoded lines held per stream before they are written. */
export const DEFAULT_FLUSH_BYTES = 256 * 1024;

/** One open log file: its encoder, descriptor and the lines not yet written. */
interface LogFile {
  readonly path: string;
  readonly encode: ZeekJsonEncoder;
  readonly fd: number;
  readonly pending: JsonBytes;
}

const STREAM_FILE_NAME = /^[A-Za-z0-9_]+$/;

/**
 * A LogSink writing Zeek JSON logs (LogAscii::use_json=T): `<dir>/<stream>.log`, one JSON object
 * per line, fields in schema order (output/zeek-json.ts), no header lines. The directory is
 * created if missing and the files of every registered stream in it are removed (one run's logs,
 * never an earlier run's); a stream's file is created at its first record, so streams
 * without records leave no file. Lines are encoded at `write` (nothing of the record is kept) and
 * written synchronously once `flushBytes` bytes are pending: memory per stream is bounded by
 * `flushBytes` plus one line (rounded up to a power of two).
 *
 * Errors (`CwError`): `CW_ERR_WRITE` naming the path (unwritable directory, disk full …) from the
 * constructor, `write` or `close`; after one, every later call throws it again.
 * `CW_ERR_CONFIG` from `write` when a stream has no registered schema or its name is not a file name.
 */
export class JsonlSink implements LogSink {
  private readonly files = new Map<string, LogFile>();
  private failure: CwError | null = null;
  private closed = false;

  constructor(
    readonly dir: string,
    private readonly flushBytes: number = DEFAULT_FLUSH_BYTES,
  ) {
    try {
      ensureDir(dir);
      // The folder holds one run's logs: a stream this run writes no record to must not keep an
      // earlier run's file. Only files named after registered streams are removed.
      for (const schema of allStreamSchemas()) {
        if (STREAM_FILE_NAME.test(schema.name)) rmSync(join(dir, `${schema.name}.log`), { force: true });
      }
    } catch (err) {
      throw writeError(dir, err);
    }
  }

  write(stream: StreamName, record: LogRecord): void {
    if (this.failure !== null) throw this.failure;
    const f = this.files.get(stream) ?? this.openFile(stream);
    f.encode(record, f.pending);
    if (f.pending.len >= this.flushBytes) this.flush(f);
  }

  async close(): Promise<void> {
    if (this.closed) {
      if (this.failure !== null) throw this.failure;
      return;
    }
    this.closed = true;
    for (const f of this.files.values()) {
      if (this.failure === null) this.flushQuietly(f);
      try {
        closeSync(f.fd);
      } catch (err) {
        this.failure ??= writeError(f.path, err);
      }
    }
    this.files.clear();
    if (this.failure !== null) throw this.failure;
  }

  private openFile(stream: string): LogFile {
    const schema = streamSchema(stream);
    if (schema === undefined) {
      throw new CwError('CW_ERR_CONFIG', `stream ${stream} has no registered schema (events/schema.ts defineStream); it cannot be logged`);
    }
    if (!STREAM_FILE_NAME.test(stream)) throw new CwError('CW_ERR_CONFIG', `stream name "${stream}" cannot be a file name`);
    const path = join(this.dir, `${stream}.log`);
    let fd: number;
    try {
      fd = openSync(path, 'w');
    } catch (err) {
      throw this.fail(path, err);
    }
    const f: LogFile = { path, encode: zeekJsonEncoder(schema), fd, pending: new JsonBytes(this.flushBytes + 1024) };
    this.files.set(stream, f);
    return f;
  }

  private flush(f: LogFile): void {
    this.flushQuietly(f);
    if (this.failure !== null) throw this.failure;
  }

  /** Writes the pending lines of one file in full; a failure is recorded, not thrown. */
  private flushQuietly(f: LogFile): void {
    const pending = f.pending;
    if (pending.len === 0) return;
    const bytes = pending.buf;
    const len = pending.len;
    pending.reset();
    try {
      let off = 0;
      while (off < len) off += writeSync(f.fd, bytes, off, len - off);
    } catch (err) {
      this.fail(f.path, err);
    }
  }

  private fail(path: string, err: unknown): CwError {
    this.failure ??= writeError(path, err);
    return this.failure;
  }
}
