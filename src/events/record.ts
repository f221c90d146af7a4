/**
 * Log records: flat objects whose keys are the Zeek / ICSNPP field names of their stream
 * (`ts`, `uid`, `id.orig_h`, …). Unset fields are absent or `null`; vectors are arrays.
 * `ts` is seconds since the epoch (float), durations are seconds, sizes are bytes.
 */
export type LogValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];
export type LogRecord = { readonly [field: string]: LogValue };

/** Names of the log streams the foundation writes (Zeek / ICSNPP names). */
export type StreamName = 'conn' | 'weird' | 'modbus' | 'modbus_detailed' | 'assets' | (string & {});

/**
 * Where log records go: JSON-lines files, the SQLite store, the summary, the asset builder.
 * `write` must not keep the record past the call unless it copies it; records are immutable.
 * `close` flushes and may be awaited once; errors thrown are I/O errors with a `CW_ERR_*` code.
 */
export interface LogSink {
  write(stream: StreamName, record: LogRecord): void;
  close(): Promise<void>;
}

/**
 * Fans each record out to several sinks, in order. Up to four sinks are called from call sites of
 * their own (one `write` per sink count), so that each site sees one sink class and V8 can inline
 * it: a loop's single call site sees every class and dispatches each record by lookup.
 */
export class SinkFanout implements LogSink {
  readonly write: (stream: StreamName, record: LogRecord) => void;

  constructor(private readonly sinks: LogSink[]) {
    const [a, b, c, d] = sinks;
    switch (sinks.length) {
      case 0:
        this.write = () => undefined;
        break;
      case 1:
        this.write = (stream, record) => a.write(stream, record);
        break;
      case 2:
        this.write = (stream, record) => {
          a.write(stream, record);
          b.write(stream, record);
        };
        break;
      case 3:
        this.write = (stream, record) => {
          a.write(stream, record);
          b.write(stream, record);
          c.write(stream, record);
        };
        break;
      case 4:
        this.write = (stream, record) => {
          a.write(stream, record);
          b.write(stream, record);
          c.write(stream, record);
          d.write(stream, record);
        };
        break;
      default:
        this.write = (stream, record) => {
          for (const s of sinks) s.write(stream, record);
        };
    }
  }

  async close(): Promise<void> {
    for (const s of this.sinks) await s.close();
  }
}
