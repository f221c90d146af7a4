import type { Prng } from '../random.js';
import { writeReadRequest } from './requests.js';
import type { ModbusClientScript } from './session.js';

/** Settings of a cyclic read poll (a CMS or SCADA master scanning a PLC). */
export interface PollScriptOptions {
  /** Time of the first poll slot, seconds since the epoch. */
  startTs: number;
  /** Poll period, seconds (e.g. 0.25). */
  intervalSec: number;
  /** Each request is sent up to this many seconds after its slot (uniform), modelling timer jitter. */
  jitterSec: number;
  /** No request is sent at or after this time (seconds since the epoch); default never stops. */
  endTs?: number;
  unit: number;
  /** Read function: 1, 2, 3 or 4 (Modbus AP V1.1b3 §6.1–§6.4). */
  fc: 1 | 2 | 3 | 4;
  /** First item (0-based protocol address) and item count. */
  address: number;
  quantity: number;
}

/**
 * A fixed-rate read poll: slot k is at `startTs + k·intervalSec`, the request goes out at the slot
 * plus a drawn jitter; a slot already past when the previous exchange ended is skipped, as a
 * master's cyclic timer does. Allocation-free.
 */
export class PollScript implements ModbusClientScript {
  private slot = 0;
  private readonly endTs: number;

  constructor(
    private readonly opts: PollScriptOptions,
    private readonly rng: Prng,
  ) {
    this.endTs = opts.endTs ?? Infinity;
  }

  nextRequestTs(afterTs: number): number {
    const o = this.opts;
    let ts = o.startTs + this.slot * o.intervalSec;
    while (ts <= afterTs) {
      this.slot++;
      ts = o.startTs + this.slot * o.intervalSec;
    }
    this.slot++;
    const at = ts + this.rng.float() * o.jitterSec;
    return at < this.endTs ? at : Infinity;
  }

  writeRequest(_ts: number, tid: number, out: Uint8Array, off: number): number {
    const o = this.opts;
    return writeReadRequest(out, off, tid, o.unit, o.fc, o.address, o.quantity);
  }
}
