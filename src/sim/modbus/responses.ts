import { FunctionCode, MBAP_LEN, MEI_READ_DEVICE_ID } from './constants.js';
import { writeFcTwoWords, writeMbap, writeU16 } from './mbap.js';
import { packBits } from './requests.js';

/**
 * Response ADU encoders for the twin's PLCs: MBAP header + response PDU as in MODBUS Application
 * Protocol V1.1b3 ("Modbus AP"). Each writes at `buf[off]` and returns the ADU length in bytes, or
 * -1 (nothing written) when it would not fit in `buf`, exceed 260 bytes, or overflow a byte count.
 * Write Single Coil / Register responses are echoes of the request: use `writeSingleWrite`.
 */

/**
 * Read Coils (1, §6.1) / Read Discrete Inputs (2, §6.2) response: function code, byte count
 * ⌈count/8⌉, then the states packed LSB-first. `bits[bOff + i]` non-zero = ON.
 */
export function writeReadBitsResponse(
  buf: Uint8Array,
  off: number,
  tid: number,
  unit: number,
  fc: number,
  bits: ArrayLike<number>,
  bOff: number,
  count: number,
): number {
  const bytes = (count + 7) >>> 3;
  if (bytes > 255) return -1;
  const n = writeMbap(buf, off, tid, unit, 2 + bytes);
  if (n < 0) return -1;
  const p = off + MBAP_LEN;
  buf[p] = fc;
  buf[p + 1] = bytes;
  packBits(buf, p + 2, bits, bOff, count);
  return n;
}

/**
 * Read Holding Registers (3, §6.3) / Read Input Registers (4, §6.4) response: function code,
 * byte count (2·count), then `regs[rOff, rOff+count)` as big-endian words.
 */
export function writeReadRegistersResponse(
  buf: Uint8Array,
  off: number,
  tid: number,
  unit: number,
  fc: number,
  regs: ArrayLike<number>,
  rOff: number,
  count: number,
): number {
  const bytes = 2 * count;
  if (bytes > 255) return -1;
  const n = writeMbap(buf, off, tid, unit, 2 + bytes);
  if (n < 0) return -1;
  const p = off + MBAP_LEN;
  buf[p] = fc;
  buf[p + 1] = bytes;
  for (let i = 0; i < count; i++) writeU16(buf, p + 2 + 2 * i, regs[rOff + i]);
  return n;
}

/**
 * Write Multiple Coils (15, §6.11) / Write Multiple Registers (16, §6.12) response: function code,
 * starting address, quantity written.
 */
export function writeWriteMultipleResponse(
  buf: Uint8Array,
  off: number,
  tid: number,
  unit: number,
  fc: number,
  address: number,
  quantity: number,
): number {
  return writeFcTwoWords(buf, off, tid, unit, fc, address, quantity);
}

/** One device identification object (Modbus AP §6.21): id and its value bytes (ASCII for 0x00–0x06). */
export interface DeviceIdObjectValue {
  readonly id: number;
  readonly value: Uint8Array;
}

/**
 * Read Device Identification response (43 / MEI 14, §6.21): function code 43, MEI type 14, Read
 * Device ID code, conformity level (0x01–0x03, +0x80 when individual access is supported),
 * More Follows (0x00 / 0xFF), Next Object Id, Number of objects, then each object as id, length,
 * value. Returns -1 when an object value exceeds 255 bytes or the PDU exceeds 253 bytes.
 */
export function writeDeviceIdResponse(
  buf: Uint8Array,
  off: number,
  tid: number,
  unit: number,
  code: number,
  conformity: number,
  moreFollows: boolean,
  nextObjectId: number,
  objects: readonly DeviceIdObjectValue[],
): number {
  let pduLen = 7;
  for (const o of objects) {
    if (o.value.length > 255) return -1;
    pduLen += 2 + o.value.length;
  }
  const n = writeMbap(buf, off, tid, unit, pduLen);
  if (n < 0) return -1;
  let p = off + MBAP_LEN;
  buf[p] = FunctionCode.ENCAPSULATED_INTERFACE_TRANSPORT;
  buf[p + 1] = MEI_READ_DEVICE_ID;
  buf[p + 2] = code;
  buf[p + 3] = conformity;
  buf[p + 4] = moreFollows ? 0xff : 0x00;
  buf[p + 5] = nextObjectId;
  buf[p + 6] = objects.length;
  p += 7;
  for (const o of objects) {
    buf[p] = o.id;
    buf[p + 1] = o.value.length;
    buf.set(o.value, p + 2);
    p += 2 + o.value.length;
  }
  return n;
}

/**
 * Exception response (Modbus AP §7): function code with the high bit set (`fc | 0x80`), then the
 * exception code (`ExceptionCode`).
 */
export function writeExceptionResponse(
  buf: Uint8Array,
  off: number,
  tid: number,
  unit: number,
  fc: number,
  exceptionCode: number,
): number {
  const n = writeMbap(buf, off, tid, unit, 2);
  if (n < 0) return -1;
  const p = off + MBAP_LEN;
  buf[p] = (fc | 0x80) & 0xff;
  buf[p + 1] = exceptionCode;
  return n;
}
