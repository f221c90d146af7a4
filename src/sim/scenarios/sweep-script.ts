import { MBAP_LEN } from '../modbus/constants.js';
import { writeFcTwoWords, writeMbap, writeU16 } from '../modbus/mbap.js';
import { writeReadDeviceIdRequest, writeReadRequest } from '../modbus/requests.js';
import type { ModbusClientScript } from '../modbus/session.js';
import { UMAS_FUNCTION_CODE, UmasCode } from '../modbus/server.js';

/** What a Modbus sweep varies from one request to the next. */
export type SweepKind = 'unit-id' | 'function-code' | 'register';

/** Settings of a `SweepScript`. */
export interface SweepOptions {
  kind: SweepKind;
  /** Time of the first request, seconds since the epoch. */
  firstTs: number;
  /** Seconds between requests (a request never goes out before the previous answer). */
  intervalSec: number;
  /** No request at or after this time (seconds since the epoch). */
  stopTs: number;
  /** Unit id of the function-code and register sweeps. */
  unit: number;
  /** Unit-id sweep: first and last unit id (0–247, Modbus AP §4.1 / Modbus TCP guide §4.4.1.2). */
  firstUnit: number;
  lastUnit: number;
  /** Register sweep: registers per read (fc 3) and the last address to cover. */
  quantity: number;
  lastAddress: number;
}

/**
 * A scanner's Modbus requests, generated one at a time (constant memory, no allocation per request):
 * - `unit-id`: Read Device Identification (fc 43 / MEI 14, basic stream; Modbus AP V1.1b3 §6.21) to
 *   each unit id from `firstUnit` to `lastUnit`;
 * - `function-code`: every function code 1–127 once, each with a well-formed minimal PDU: reads of
 *   one item at 0 (fc 1–4), writes aimed at address 0xFFFF, which no map reaches (fc 5, 6, 15, 16 —
 *   answered with exception 2, nothing changes), mask write (22) and read/write (23) aimed at 0xFFFF
 *   too (§6.16, §6.17), identification (43/14), UMAS READ_ID (90), codes
 *   without request data (7, 11, 12, 17) bare, and any other code with four zero bytes (exception 1
 *   where unsupported);
 * - `register`: Read Holding Registers (fc 3) of `quantity` registers from 0 up to `lastAddress`
 *   (exception 2 beyond the PLC's tables).
 */
export class SweepScript implements ModbusClientScript {
  private i = 0;
  private readonly total: number;

  constructor(private readonly o: SweepOptions) {
    this.total = o.kind === 'unit-id' ? o.lastUnit - o.firstUnit + 1 : o.kind === 'function-code' ? 127 : Math.ceil((o.lastAddress + 1) / o.quantity);
  }

  nextRequestTs(afterTs: number): number {
    if (this.i >= this.total) return Infinity;
    const slot = this.o.firstTs + this.i * this.o.intervalSec;
    const ts = slot > afterTs ? slot : afterTs + 0.001;
    return ts < this.o.stopTs ? ts : Infinity;
  }

  writeRequest(_ts: number, tid: number, out: Uint8Array, off: number): number {
    const o = this.o;
    const k = this.i++;
    if (o.kind === 'unit-id') return writeReadDeviceIdRequest(out, off, tid, o.firstUnit + k, 1, 0);
    if (o.kind === 'register') return writeReadRequest(out, off, tid, o.unit, 3, k * o.quantity, o.quantity);
    return writeProbe(out, off, tid, o.unit, k + 1);
  }
}

/** The function-code sweep's request for `fc` (see `SweepScript`). */
function writeProbe(out: Uint8Array, off: number, tid: number, unit: number, fc: number): number {
  const p = off + MBAP_LEN;
  switch (fc) {
    case 1:
    case 2:
    case 3:
    case 4:
      return writeReadRequest(out, off, tid, unit, fc, 0, 1);
    case 5:
    case 6:
      return writeFcTwoWords(out, off, tid, unit, fc, 0xffff, 0);
    case 15:
    case 16: {
      // Starting address 0xFFFF, quantity 1, byte count, one coil byte / one register.
      const bytes = fc === 15 ? 1 : 2;
      const n = writeMbap(out, off, tid, unit, 6 + bytes);
      out[p] = fc;
      writeU16(out, p + 1, 0xffff);
      writeU16(out, p + 3, 1);
      out[p + 5] = bytes;
      for (let i = 0; i < bytes; i++) out[p + 6 + i] = 0;
      return n;
    }
    case 22: {
      // Mask Write Register (§6.16): reference 0xFFFF, AND mask 0xFFFF, OR mask 0 (would change nothing).
      const n = writeMbap(out, off, tid, unit, 7);
      out[p] = fc;
      writeU16(out, p + 1, 0xffff);
      writeU16(out, p + 3, 0xffff);
      writeU16(out, p + 5, 0);
      return n;
    }
    case 23: {
      // Read/Write Multiple Registers (§6.17): read 1 at 0, write 1 register at 0xFFFF.
      const n = writeMbap(out, off, tid, unit, 12);
      out[p] = fc;
      writeU16(out, p + 1, 0);
      writeU16(out, p + 3, 1);
      writeU16(out, p + 5, 0xffff);
      writeU16(out, p + 7, 1);
      out[p + 9] = 2;
      writeU16(out, p + 10, 0);
      return n;
    }
    case 7:
    case 11:
    case 12:
    case 17: {
      const n = writeMbap(out, off, tid, unit, 1);
      out[p] = fc;
      return n;
    }
    case 43:
      return writeReadDeviceIdRequest(out, off, tid, unit, 1, 0);
    case UMAS_FUNCTION_CODE: {
      const n = writeMbap(out, off, tid, unit, 3);
      out[p] = fc;
      out[p + 1] = 0;
      out[p + 2] = UmasCode.READ_ID;
      return n;
    }
    default: {
      const n = writeMbap(out, off, tid, unit, 5);
      out[p] = fc;
      out[p + 1] = 0;
      out[p + 2] = 0;
      out[p + 3] = 0;
      out[p + 4] = 0;
      return n;
    }
  }
}
