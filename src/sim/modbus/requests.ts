import { FunctionCode, MBAP_LEN, MEI_READ_DEVICE_ID } from './constants.js';
import { writeFcTwoWords, writeMbap, writeU16 } from './mbap.js';

/**
 * Request ADU encoders for the twin's Modbus/TCP clients (CMS, HMI, attackers): MBAP header +
 * PDU as in MODBUS Application Protocol V1.1b3 ("Modbus AP"). Each writes at `buf[off]` and returns
 * the ADU length in bytes, or -1 (nothing written) when the ADU would not fit in `buf`, exceed
 * 260 bytes, or a byte-count field could not hold the data. Quantities are written as given:
 * the documented ranges are what a conforming client sends, and the twin may send others on
 * purpose (scans, attacks) — a server answers those with exception 3.
 */

/**
 * Read Coils (1, §6.1: quantity 1–2000), Read Discrete Inputs (2, §6.2: 1–2000), Read Holding
 * Registers (3, §6.3: 1–125) or Read Input Registers (4, §6.4: 1–125).
 * PDU: function code, starting address (0-based), quantity.
 */
export function writeReadRequest(
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

/**
 * Write Single Coil (5, §6.5: value 0xFF00 ON or 0x0000 OFF) or Write Single Register (6, §6.6).
 * PDU: function code, address, value. The normal response is an echo of the request, so this also
 * encodes the server's response.
 */
export function writeSingleWrite(
  buf: Uint8Array,
  off: number,
  tid: number,
  unit: number,
  fc: number,
  address: number,
  value: number,
): number {
  return writeFcTwoWords(buf, off, tid, unit, fc, address, value);
}

/**
 * Write Multiple Registers (16, §6.12: quantity 1–123). PDU: function code, starting address,
 * quantity (`count`), byte count (2·count), then `values[vOff, vOff+count)` as big-endian words.
 */
export function writeMultipleRegistersRequest(
  buf: Uint8Array,
  off: number,
  tid: number,
  unit: number,
  address: number,
  values: ArrayLike<number>,
  vOff: number,
  count: number,
): number {
  const bytes = 2 * count;
  if (bytes > 255) return -1;
  const n = writeMbap(buf, off, tid, unit, 6 + bytes);
  if (n < 0) return -1;
  const p = off + MBAP_LEN;
  buf[p] = FunctionCode.WRITE_MULTIPLE_REGISTERS;
  writeU16(buf, p + 1, address);
  writeU16(buf, p + 3, count);
  buf[p + 5] = bytes;
  for (let i = 0; i < count; i++) writeU16(buf, p + 6 + 2 * i, values[vOff + i]);
  return n;
}

/**
 * Write Multiple Coils (15, §6.11: quantity 1–1968). PDU: function code, starting address,
 * quantity (`count`), byte count ⌈count/8⌉, then the coil states packed LSB-first (coil `address`
 * in bit 0 of the first byte), unused high bits of the last byte zero. `bits[bOff + i]` non-zero = ON.
 */
export function writeMultipleCoilsRequest(
  buf: Uint8Array,
  off: number,
  tid: number,
  unit: number,
  address: number,
  bits: ArrayLike<number>,
  bOff: number,
  count: number,
): number {
  const bytes = (count + 7) >>> 3;
  if (bytes > 255) return -1;
  const n = writeMbap(buf, off, tid, unit, 6 + bytes);
  if (n < 0) return -1;
  const p = off + MBAP_LEN;
  buf[p] = FunctionCode.WRITE_MULTIPLE_COILS;
  writeU16(buf, p + 1, address);
  writeU16(buf, p + 3, count);
  buf[p + 5] = bytes;
  packBits(buf, p + 6, bits, bOff, count);
  return n;
}

/**
 * Read Device Identification (43 / MEI 14, §6.21). PDU: function code 43, MEI type 14,
 * Read Device ID code (1 basic, 2 regular, 3 extended stream, 4 one object), Object Id to start at.
 */
export function writeReadDeviceIdRequest(
  buf: Uint8Array,
  off: number,
  tid: number,
  unit: number,
  code: number,
  objectId: number,
): number {
  const n = writeMbap(buf, off, tid, unit, 4);
  if (n < 0) return -1;
  const p = off + MBAP_LEN;
  buf[p] = FunctionCode.ENCAPSULATED_INTERFACE_TRANSPORT;
  buf[p + 1] = MEI_READ_DEVICE_ID;
  buf[p + 2] = code;
  buf[p + 3] = objectId;
  return n;
}

/**
 * Pack `count` bit states LSB-first into bytes at `buf[off]` (Modbus AP §6.1 / §6.11 bit order),
 * zeroing unused high bits of the last byte.
 */
export function packBits(buf: Uint8Array, off: number, bits: ArrayLike<number>, bOff: number, count: number): void {
  const bytes = (count + 7) >>> 3;
  for (let i = 0; i < bytes; i++) buf[off + i] = 0;
  for (let i = 0; i < count; i++) {
    if (bits[bOff + i] !== 0) buf[off + (i >>> 3)] |= 1 << (i & 7);
  }
}

/** A Modbus request as data, for scripted clients (`encodeRequest`). */
export type ModbusRequest =
  | { readonly fc: 1 | 2 | 3 | 4; readonly unit: number; readonly address: number; readonly quantity: number }
  | { readonly fc: 5 | 6; readonly unit: number; readonly address: number; readonly value: number }
  | { readonly fc: 15 | 16; readonly unit: number; readonly address: number; readonly values: readonly number[] }
  | { readonly fc: 43; readonly unit: number; readonly code: number; readonly objectId: number };

/**
 * Encode `req` with transaction id `tid` at `buf[off]` using the encoders above.
 * @returns the ADU length in bytes, or -1 when it does not fit (see the encoders).
 */
export function encodeRequest(req: ModbusRequest, tid: number, buf: Uint8Array, off: number): number {
  switch (req.fc) {
    case 1:
    case 2:
    case 3:
    case 4:
      return writeReadRequest(buf, off, tid, req.unit, req.fc, req.address, req.quantity);
    case 5:
    case 6:
      return writeSingleWrite(buf, off, tid, req.unit, req.fc, req.address, req.value);
    case 15:
      return writeMultipleCoilsRequest(buf, off, tid, req.unit, req.address, req.values, 0, req.values.length);
    case 16:
      return writeMultipleRegistersRequest(buf, off, tid, req.unit, req.address, req.values, 0, req.values.length);
    case 43:
      return writeReadDeviceIdRequest(buf, off, tid, req.unit, req.code, req.objectId);
  }
}
