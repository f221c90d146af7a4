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

/**
 * The server (PLC) side of Modbus/TCP for the twin: turns one request ADU into one response ADU
 * over a `RegisterBank`, following the request processing diagrams of Modbus AP V1.1b3 §6:
 * unsupported function → exception 1; quantity or value outside the function's range (or a byte
 * count that does not match) → exception 3; address range outside the table → exception 2; else the
 * read or write is done and the normal response written. Supported: 1, 2, 3, 4, 5, 6, 15, 16 and
 * 43/14 (basic identification stream and individual access, conformity level 0x81).
 * Requests whose MBAP is invalid (protocol id ≠ 0, length field ≠ bytes present) get no response,
 * as a real server drops them (Modbus TCP guide V1.0b §4.4.1.2). All unit ids are served.
 */
export class ModbusServer {
  private readonly idObjects: readonly DeviceIdObjectValue[];
  /** Requests answered with a normal response / with an exception. */
  normalResponses = 0;
  exceptionResponses = 0;

  constructor(
    readonly bank: RegisterBank,
    identity: DeviceIdentity,
    private readonly image: ProcessImage | null,
  ) {
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
      default:
        return -ExceptionCode.ILLEGAL_FUNCTION;
    }
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
