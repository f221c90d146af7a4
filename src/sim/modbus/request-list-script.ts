import { encodeRequest, type ModbusRequest } from './requests.js';
import type { ModbusClientScript } from './session.js';

/** One scripted request: what to send and the earliest time to send it (seconds since the epoch). */
export interface TimedRequest {
  readonly ts: number;
  readonly request: ModbusRequest;
}

/**
 * A client that sends a fixed list of requests in order (an operator's HMI write, an intruder's
 * identification read and write). Each goes out at its `ts`, or just after the previous exchange
 * when that ended later; after the last one the session closes.
 */
export class RequestListScript implements ModbusClientScript {
  private next = 0;
  private current = 0;

  /** @param items requests in the order to send them. */
  constructor(private readonly items: readonly TimedRequest[]) {}

  nextRequestTs(afterTs: number): number {
    if (this.next >= this.items.length) return Infinity;
    const it = this.items[this.next];
    this.current = this.next++;
    return it.ts > afterTs ? it.ts : afterTs + 0.001;
  }

  writeRequest(_ts: number, tid: number, out: Uint8Array, off: number): number {
    return encodeRequest(this.items[this.current].request, tid, out, off);
  }
}
