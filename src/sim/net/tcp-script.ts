import type { Actor } from '../scheduler.js';
import type { TcpConnection, TcpSide } from './tcp-connection.js';

/** What one scripted step does on the connection. */
export type TcpStepOp = 'syn' | 'synack' | 'ack' | 'data' | 'fin' | 'rst';

/** One step of a scripted TCP conversation. */
export interface TcpStep {
  /** Seconds after the script's start; steps must be in non-decreasing order. */
  readonly at: number;
  /** Which side acts (`ack`, `data`, `fin`, `rst`); ignored for `syn` (client) and `synack` (server). */
  readonly side: TcpSide;
  readonly op: TcpStepOp;
  /** Payload of a `data` step (segmented by the connection's MSS). */
  readonly data?: Uint8Array;
}

/**
 * An `Actor` that plays a fixed list of TCP steps on one `TcpConnection` at given offsets from
 * `startTs` (seconds since the epoch) — for short conversations with a fixed shape (a TLS check-in,
 * a vendor login) where a dedicated state machine would add nothing. Steps the connection refuses
 * (e.g. an `ack` with nothing to acknowledge) emit nothing. Not for per-packet hot paths: payloads
 * are prepared up front.
 */
export class TcpScriptSession implements Actor {
  nextTs: number;
  private i = 0;

  constructor(
    readonly conn: TcpConnection,
    readonly startTs: number,
    private readonly steps: readonly TcpStep[],
  ) {
    this.nextTs = steps.length > 0 ? startTs + steps[0].at : Infinity;
  }

  step(): void {
    const s = this.steps[this.i];
    const ts = this.nextTs;
    const conn = this.conn;
    switch (s.op) {
      case 'syn':
        conn.syn(ts);
        break;
      case 'synack':
        conn.synAck(ts);
        break;
      case 'ack':
        conn.ack(s.side, ts);
        break;
      case 'data':
        if (s.data !== undefined) conn.send(s.side, ts, s.data, 0, s.data.length);
        break;
      case 'fin':
        conn.fin(s.side, ts);
        break;
      case 'rst':
        conn.rst(s.side, ts);
        break;
    }
    this.i++;
    this.nextTs = this.i < this.steps.length ? Math.max(ts, this.startTs + this.steps[this.i].at) : Infinity;
  }
}
