import { MBAP_LEN } from '../modbus/constants.js';
import { writeMbap } from '../modbus/mbap.js';
import type { ModbusAduObserver, ModbusClientScript } from '../modbus/session.js';
import { UMAS_FUNCTION_CODE, UmasCode, UmasStatus } from '../modbus/server.js';

/** One UMAS request of an engineering session: when, which UMAS code, its data, and whether it carries the session key. */
export interface UmasStep {
  ts: number;
  code: number;
  data: Uint8Array;
  keyed: boolean;
}

/**
 * An engineering tool's UMAS session (Schneider Electric's protocol inside Modbus function code 90:
 * PDU = 0x5A, session key, UMAS code, data) played as a Modbus/TCP client script. The key the PLC
 * returns to TAKE_PLC_RESERVATION (status 0xFE, key in the byte after the status) is read from the
 * response (`responses` observer) and sent with every later `keyed` step, as the tool does. Each step
 * goes out at its `ts`, or 1 ms after the previous answer when that came later, to unit id 0 (the
 * PLC itself, as engineering tools address it). Steps are prepared up front (a few dozen).
 */
export class UmasScript implements ModbusClientScript {
  private next = 0;
  private current = 0;
  private key = 0;
  /** Reads the session key from the PLC's answer to TAKE_PLC_RESERVATION. */
  readonly responses: ModbusAduObserver;

  constructor(private readonly steps: readonly UmasStep[]) {
    this.responses = {
      adu: (_frame, _ts, adu, off, len) => {
        if (len >= MBAP_LEN + 4 && adu[off + 7] === UMAS_FUNCTION_CODE && adu[off + 9] === UmasStatus.OK && this.steps[this.current].code === UmasCode.TAKE_PLC_RESERVATION) {
          this.key = adu[off + 10];
        }
      },
    };
  }

  nextRequestTs(afterTs: number): number {
    if (this.next >= this.steps.length) return Infinity;
    const s = this.steps[this.next];
    this.current = this.next++;
    return s.ts > afterTs ? s.ts : afterTs + 0.001;
  }

  writeRequest(_ts: number, tid: number, out: Uint8Array, off: number): number {
    const s = this.steps[this.current];
    const n = writeMbap(out, off, tid, 0, 3 + s.data.length);
    if (n < 0) return -1;
    const p = off + MBAP_LEN;
    out[p] = UMAS_FUNCTION_CODE;
    out[p + 1] = s.keyed ? this.key : 0;
    out[p + 2] = s.code;
    out.set(s.data, p + 3);
    return n;
  }
}
