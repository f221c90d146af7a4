import {
  COIL_OFF,
  COIL_ON,
  DeviceIdObject,
  ExceptionCode,
  FunctionCode,
  MBAP_LEN,
  MEI_READ_DEVICE_ID,
  QuantityLimit,
  ReadDeviceIdCode,
} from './constants.js';
import { writeMbap } from './mbap.js';
import { writeSingleWrite } from './requests.js';
import {
  type DeviceIdObjectValue,
  writeDeviceIdResponse,
  writeExceptionResponse,
  writeReadBitsResponse,
  writeReadRegistersResponse,
  writeWriteMultipleResponse,
} from './responses.js';
import type { ProcessImage, RegisterBank } from './register-bank.js';

/** Basic device identification of a simulated PLC (Modbus AP §6.21 objects 0x00–0x02), ASCII. */
export interface DeviceIdentity {
  vendorName: string;
  productCode: string;
  revision: string;
}

/** Modbus function code 90 (0x5A) that carries Schneider Electric's UMAS engineering protocol. */
export const UMAS_FUNCTION_CODE = 0x5a;

/**
 * UMAS function codes (the byte after the session key in a function-90 PDU), as public analyses of
 * the Unity/EcoStruxure engineering protocol name them. Program transfer "upload" is PC → PLC.
 */
export const UmasCode = {
  INIT_COMM: 0x01,
  READ_ID: 0x02,
  READ_PROJECT_INFO: 0x03,
  READ_PLC_INFO: 0x04,
  TAKE_PLC_RESERVATION: 0x10,
  RELEASE_PLC_RESERVATION: 0x11,
  KEEP_ALIVE: 0x12,
  INITIALIZE_UPLOAD: 0x30,
  UPLOAD_BLOCK: 0x31,
  END_STRATEGY_UPLOAD: 0x32,
  START_PLC: 0x40,
  STOP_PLC: 0x41,
} as const;

/** UMAS response status bytes: 0xFE success, 0xFD error. */
export const UmasStatus = { OK: 0xfe, ERROR: 0xfd } as const;

/** Options of a `ModbusServer`. */
export interface ModbusServerOptions {
  /**
   * Answer UMAS over function code 90 as a Schneider Electric Modicon PLC does (reservation, program
   * transfer, start/stop; see `UmasCode`); default false: function 90 gets exception 1 like any
   * unsupported function.
   */
  umas?: boolean;
}

/**
 * The server (PLC) side of Modbus/TCP for the twin: turns one request ADU into one response ADU
 * over a `RegisterBank`, following the request processing diagrams of Modbus AP V1.1b3 §6:
 * unsupported function → exception 1; quantity or value outside the function's range (or a byte
 * count that does not match) → exception 3; address range outside the table → exception 2; else the
 * read or write is done and the normal response written. Supported: 1, 2, 3, 4, 5, 6, 15, 16 and
 * 43/14 (basic identification stream and individual access, conformity level 0x81), and with the
 * `umas` option function 90 (UMAS): requests that change the PLC (program transfer, start, stop) need
 * the session key of a reservation (TAKE_PLC_RESERVATION) and otherwise get status 0xFD.
 * Requests whose MBAP is invalid (protocol id ≠ 0, length field ≠ bytes present) get no response,
 * as a real server drops them (Modbus TCP guide V1.0b §4.4.1.2). All unit ids are served.
 */
export class ModbusServer {
  private readonly idObjects: readonly DeviceIdObjectValue[];
  /** Requests answered with a normal response / with an exception. */
  normalResponses = 0;
  exceptionResponses = 0;
  /** UMAS state: the PLC program runs; the session key of the current reservation (0 = none). */
  running = true;
  private umasKey = 0;
  private umasReservations = 0;
  private readonly umas: boolean;
  private readonly productCode: Uint8Array;

  constructor(
    readonly bank: RegisterBank,
    identity: DeviceIdentity,
    private readonly image: ProcessImage | null,
    opts: ModbusServerOptions = {},
  ) {
    this.umas = opts.umas ?? false;
    this.productCode = ascii(identity.productCode);
    this.idObjects = [
      { id: DeviceIdObject.VENDOR_NAME, value: ascii(identity.vendorName) },
      { id: DeviceIdObject.PRODUCT_CODE, value: ascii(identity.productCode) },
      { id: DeviceIdObject.MAJOR_MINOR_REVISION, value: ascii(identity.revision) },
    ];
  }

  /**
   * Answer the request ADU `req[off, off+len)` received at `ts`; the response ADU is written at
   * `out[outOff]` (needs 260 bytes of room).
   * @returns the response length in bytes, or 0 when the request gets no response.
   */
  handle(ts: number, req: Uint8Array, off: number, len: number, out: Uint8Array, outOff: number): number {
    if (len < MBAP_LEN + 1) return 0;
    if (req[off + 2] !== 0 || req[off + 3] !== 0) return 0;
    if (((req[off + 4] << 8) | req[off + 5]) !== len - 6) return 0;
    const tid = (req[off] << 8) | req[off + 1];
    const unit = req[off + 6];
    const p = off + MBAP_LEN;
    const pduLen = len - MBAP_LEN;
    const fc = req[p];
    if (this.image !== null) this.image.update(ts, this.bank);
    const r = this.answer(req, p, pduLen, fc, tid, unit, out, outOff);
    if (r > 0) {
      this.normalResponses++;
      return r;
    }
    this.exceptionResponses++;
    const e = writeExceptionResponse(out, outOff, tid, unit, fc, -r);
    return e < 0 ? 0 : e;
  }

  /** Normal response length (> 0), or minus the exception code. */
  private answer(
    req: Uint8Array,
    p: number,
    pduLen: number,
    fc: number,
    tid: number,
    unit: number,
    out: Uint8Array,
    outOff: number,
  ): number {
    const bank = this.bank;
    const a = pduLen >= 3 ? (req[p + 1] << 8) | req[p + 2] : 0;
    const q = pduLen >= 5 ? (req[p + 3] << 8) | req[p + 4] : 0;
    switch (fc) {
      case FunctionCode.READ_COILS:
      case FunctionCode.READ_DISCRETE_INPUTS: {
        if (pduLen !== 5 || q < 1 || q > QuantityLimit.READ_BITS) return -ExceptionCode.ILLEGAL_DATA_VALUE;
        const table = fc === FunctionCode.READ_COILS ? bank.coils : bank.discreteInputs;
        if (a + q > table.length) return -ExceptionCode.ILLEGAL_DATA_ADDRESS;
        return writeReadBitsResponse(out, outOff, tid, unit, fc, table, a, q);
      }
      case FunctionCode.READ_HOLDING_REGISTERS:
      case FunctionCode.READ_INPUT_REGISTERS: {
        if (pduLen !== 5 || q < 1 || q > QuantityLimit.READ_REGISTERS) return -ExceptionCode.ILLEGAL_DATA_VALUE;
        const table = fc === FunctionCode.READ_HOLDING_REGISTERS ? bank.holdingRegisters : bank.inputRegisters;
        if (a + q > table.length) return -ExceptionCode.ILLEGAL_DATA_ADDRESS;
        return writeReadRegistersResponse(out, outOff, tid, unit, fc, table, a, q);
      }
      case FunctionCode.WRITE_SINGLE_COIL: {
        if (pduLen !== 5 || (q !== COIL_ON && q !== COIL_OFF)) return -ExceptionCode.ILLEGAL_DATA_VALUE;
        if (a >= bank.coils.length) return -ExceptionCode.ILLEGAL_DATA_ADDRESS;
        bank.coils[a] = q === COIL_ON ? 1 : 0;
        return writeSingleWrite(out, outOff, tid, unit, fc, a, q);
      }
      case FunctionCode.WRITE_SINGLE_REGISTER: {
        if (pduLen !== 5) return -ExceptionCode.ILLEGAL_DATA_VALUE;
        if (a >= bank.holdingRegisters.length) return -ExceptionCode.ILLEGAL_DATA_ADDRESS;
        bank.holdingRegisters[a] = q;
        return writeSingleWrite(out, outOff, tid, unit, fc, a, q);
      }
      case FunctionCode.WRITE_MULTIPLE_COILS: {
        const bytes = (q + 7) >>> 3;
        if (pduLen < 6 || q < 1 || q > QuantityLimit.WRITE_COILS || req[p + 5] !== bytes || pduLen !== 6 + bytes) {
          return -ExceptionCode.ILLEGAL_DATA_VALUE;
        }
        if (a + q > bank.coils.length) return -ExceptionCode.ILLEGAL_DATA_ADDRESS;
        for (let i = 0; i < q; i++) bank.coils[a + i] = (req[p + 6 + (i >>> 3)] >>> (i & 7)) & 1;
        return writeWriteMultipleResponse(out, outOff, tid, unit, fc, a, q);
      }
      case FunctionCode.WRITE_MULTIPLE_REGISTERS: {
        if (pduLen < 6 || q < 1 || q > QuantityLimit.WRITE_REGISTERS || req[p + 5] !== 2 * q || pduLen !== 6 + 2 * q) {
          return -ExceptionCode.ILLEGAL_DATA_VALUE;
        }
        if (a + q > bank.holdingRegisters.length) return -ExceptionCode.ILLEGAL_DATA_ADDRESS;
        for (let i = 0; i < q; i++) bank.holdingRegisters[a + i] = (req[p + 6 + 2 * i] << 8) | req[p + 7 + 2 * i];
        return writeWriteMultipleResponse(out, outOff, tid, unit, fc, a, q);
      }
      case FunctionCode.ENCAPSULATED_INTERFACE_TRANSPORT:
        if (pduLen < 2 || req[p + 1] !== MEI_READ_DEVICE_ID) return -ExceptionCode.ILLEGAL_FUNCTION;
        return this.deviceId(req, p, pduLen, tid, unit, out, outOff);
      case UMAS_FUNCTION_CODE:
        if (!this.umas) return -ExceptionCode.ILLEGAL_FUNCTION;
        if (pduLen < 3) return -ExceptionCode.ILLEGAL_DATA_VALUE;
        return this.umasAnswer(req, p, tid, unit, out, outOff);
      default:
        return -ExceptionCode.ILLEGAL_FUNCTION;
    }
  }

  /**
   * One UMAS request (PDU: 0x5A, session key, UMAS code, data) → response PDU 0x5A, the request's
   * session key, status (0xFE / 0xFD), data: INIT_COMM → max frame size 1022 (u16 LE); READ_ID →
   * product code length + ASCII; TAKE_PLC_RESERVATION → the new key (one byte), refused while another
   * is held; RELEASE, program transfer, START and STOP → need the held key; KEEP_ALIVE, READ_* → OK.
   */
  private umasAnswer(req: Uint8Array, p: number, tid: number, unit: number, out: Uint8Array, outOff: number): number {
    const key = req[p + 1];
    const code = req[p + 2];
    const d = outOff + MBAP_LEN;
    let n = 3;
    let ok = true;
    switch (code) {
      case UmasCode.INIT_COMM:
        out[d + 3] = 0xfe;
        out[d + 4] = 0x03;
        n = 5;
        break;
      case UmasCode.READ_ID: {
        const pc = this.productCode;
        out[d + 3] = pc.length;
        for (let i = 0; i < pc.length; i++) out[d + 4 + i] = pc[i];
        n = 4 + pc.length;
        break;
      }
      case UmasCode.READ_PROJECT_INFO:
      case UmasCode.READ_PLC_INFO:
      case UmasCode.KEEP_ALIVE:
        break;
      case UmasCode.TAKE_PLC_RESERVATION:
        if (this.umasKey !== 0) ok = false;
        else {
          this.umasKey = 0x40 + (this.umasReservations++ % 0x3f) + 1;
          out[d + 3] = this.umasKey;
          n = 4;
        }
        break;
      case UmasCode.RELEASE_PLC_RESERVATION:
        ok = this.umasKey !== 0 && key === this.umasKey;
        if (ok) this.umasKey = 0;
        break;
      case UmasCode.INITIALIZE_UPLOAD:
      case UmasCode.UPLOAD_BLOCK:
      case UmasCode.END_STRATEGY_UPLOAD:
      case UmasCode.START_PLC:
      case UmasCode.STOP_PLC:
        ok = this.umasKey !== 0 && key === this.umasKey;
        if (ok && code === UmasCode.STOP_PLC) this.running = false;
        if (ok && code === UmasCode.START_PLC) this.running = true;
        break;
      default:
        ok = false;
    }
    out[d] = UMAS_FUNCTION_CODE;
    out[d + 1] = key;
    out[d + 2] = ok ? UmasStatus.OK : UmasStatus.ERROR;
    if (!ok) n = 3;
    return writeMbap(out, outOff, tid, unit, n);
  }

  /** Read Device Identification (§6.21) with basic conformity and individual access (0x81). */
  private deviceId(req: Uint8Array, p: number, pduLen: number, tid: number, unit: number, out: Uint8Array, outOff: number): number {
    if (pduLen !== 4) return -ExceptionCode.ILLEGAL_DATA_VALUE;
    const code = req[p + 2];
    const objectId = req[p + 3];
    const objs = this.idObjects;
    if (code === ReadDeviceIdCode.INDIVIDUAL) {
      if (objectId >= objs.length) return -ExceptionCode.ILLEGAL_DATA_ADDRESS;
      return writeDeviceIdResponse(out, outOff, tid, unit, code, 0x81, false, 0, [objs[objectId]]);
    }
    if (code < ReadDeviceIdCode.BASIC || code > ReadDeviceIdCode.EXTENDED) return -ExceptionCode.ILLEGAL_DATA_VALUE;
    // §6.21: a request for a higher category than the conformity level is answered at that level;
    // an object id the stream does not hold restarts the stream at object 0.
    const start = objectId < objs.length ? objectId : 0;
    return writeDeviceIdResponse(out, outOff, tid, unit, code, 0x81, false, 0, objs.slice(start));
  }
}

function ascii(text: string): Uint8Array {
  const b = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) b[i] = text.charCodeAt(i) & 0x7f;
  return b;
}
