import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
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
const LOG = '.log';
/** Suffix of a log while its run writes it; renamed to `<stream>.log` when the run closes cleanly. */
const PARTIAL = '.partial';

/** `<stream>.log` of every registered stream whose name can be a file name. */
function registeredLogNames(): string[] {
  return allStreamSchemas()
    .map((s) => s.name)
    .filter((n) => STREAM_FILE_NAME.test(n))
    .map((n) => `${n}${LOG}`);
}

/**
 * A LogSink writing Zeek JSON logs (LogAscii::use_json=T): `<dir>/<stream>.log`, one JSON object
 * per line, fields in schema order (output/zeek-json.ts), no header lines. The directory is
 * created if missing. A stream is written to `<stream>.log.partial` from its first record; when the
 * run closes cleanly every partial file is renamed to `<stream>.log` and the logs of registered
 * streams this run wrote nothing to are removed, so the folder holds one run's logs, never a mix,
 * and streams without records leave no file. A run that fails (or dies) before `close` leaves the
 * earlier run's logs as they were. Lines are encoded at `write` (nothing of the record is kept) and
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
      // Leftovers of a run that died before `close`.
      for (const name of registeredLogNames()) rmSync(join(dir, `${name}${PARTIAL}`), { force: true });
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
    // The run's logs replace the earlier run's only now, whole: after a failure the earlier logs stay.
    try {
      for (const name of registeredLogNames()) {
        const final = join(this.dir, name);
        const partial = `${final}${PARTIAL}`;
        if (this.failure !== null) rmSync(partial, { force: true });
        else if (this.files.has(name.slice(0, -LOG.length))) renameSync(partial, final);
        else rmSync(final, { force: true });
      }
    } catch (err) {
      this.failure ??= writeError(this.dir, err);
    }
    this.files.clear();
    if (this.failure !== null) throw this.failure;
  }

  /**
   * Give up the run: close the files and remove this run's partial logs, leaving the earlier run's
   * logs as they were. Never throws; later calls do nothing.
   */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    for (const f of this.files.values()) {
      try {
        closeSync(f.fd);
      } catch {
        // the file is removed next
      }
      rmSync(f.path, { force: true });
    }
    this.files.clear();
  }

  private openFile(stream: string): LogFile {
    const schema = streamSchema(stream);
    if (schema === undefined) {
      throw new CwError('CW_ERR_CONFIG', `stream ${stream} has no registered schema (events/schema.ts defineStream); it cannot be logged`);
    }
    if (!STREAM_FILE_NAME.test(stream)) throw new CwError('CW_ERR_CONFIG', `stream name "${stream}" cannot be a file name`);
    const path = join(this.dir, `${stream}${LOG}${PARTIAL}`);
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
