import { CwError } from '../errors.js';
import type { LogRecord, LogSink, StreamName } from '../events/record.js';
import { streamSchema } from '../events/schema.js';
import { DEFAULT_BATCH_ROWS, type Store } from '../store/store.js';
import { writeError } from './write-error.js';

/**
 * A LogSink that keeps records in a Store (SQLite by default, PostgreSQL later). Records are
 * copied (shallow) and buffered per stream; each full buffer of `batchRows` records becomes one
 * `store.insertBatch` call. Batches reach the store in the order they filled, one at a time.
 *
 * The sink owns the store it is given (already opened): `close` inserts what is buffered, then
 * closes the store.
 *
 * Errors (`CwError`): `CW_ERR_CONFIG` from `write` when a stream has no registered schema (its
 * first record); `CW_ERR_WRITE` naming `store.location` when the store cannot be written. A store
 * failure is thrown by the next `write` after it is known, and by `close`.
 * Memory: at most `batchRows` records per stream plus the batches handed to the store.
 */
export class StoreSink implements LogSink {
  private readonly buffers = new Map<string, LogRecord[]>();
  private tail: Promise<void> = Promise.resolve();
  private failure: CwError | null = null;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly batchRows: number = DEFAULT_BATCH_ROWS,
  ) {
    if (!Number.isInteger(batchRows) || batchRows < 1) throw new CwError('CW_ERR_CONFIG', `batchRows must be a positive integer, got ${batchRows}`);
  }

  write(stream: StreamName, record: LogRecord): void {
    if (this.failure !== null) throw this.failure;
    let buf = this.buffers.get(stream);
    if (buf === undefined) {
      if (streamSchema(stream) === undefined) {
        throw new CwError('CW_ERR_CONFIG', `stream ${stream} has no registered schema (events/schema.ts defineStream); its records cannot be stored`);
      }
      buf = [];
      this.buffers.set(stream, buf);
    }
    buf.push({ ...record });
    if (buf.length >= this.batchRows) {
      this.buffers.set(stream, []);
      this.submit(stream, buf);
    }
  }

  close(): Promise<void> {
    this.closing ??= this.finish();
    return this.closing;
  }

  private async finish(): Promise<void> {
    for (const [stream, buf] of this.buffers) if (buf.length > 0) this.submit(stream, buf);
    this.buffers.clear();
    await this.tail;
    try {
      // A failed run must not replace the results of the earlier one (Store.begin).
      if (this.failure !== null) await this.store.rollback();
      await this.store.close();
    } catch (err) {
      this.failure ??= writeError(this.store.location, err);
    }
    if (this.failure !== null) throw this.failure;
  }

  private submit(stream: string, batch: readonly LogRecord[]): void {
    this.tail = this.tail
      .then(() => (this.failure === null ? this.store.insertBatch(stream, batch) : undefined))
      .catch((err: unknown) => {
        this.failure ??= writeError(this.store.location, err);
      });
  }
}
