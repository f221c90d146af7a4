import { MAX_PDU_LEN, MBAP_LEN } from './constants.js';

/**
 * Write an MBAP header (Modbus TCP guide V1.0b §3.1.3) at `buf[off]`: Transaction Identifier
 * (`tid`, 16 bits), Protocol Identifier 0, Length = unit id + PDU bytes (`pduLen + 1`), Unit
 * Identifier (`unit`, 8 bits). The PDU follows at `off + 7`.
 * @returns the ADU length (7 + pduLen), or -1 (nothing written) when the PDU exceeds 253 bytes
 *          (Modbus AP §4.1) or the ADU does not fit in `buf`.
 */
export function writeMbap(buf: Uint8Array, off: number, tid: number, unit: number, pduLen: number): number {
  if (pduLen < 1 || pduLen > MAX_PDU_LEN || off + MBAP_LEN + pduLen > buf.length) return -1;
  const len = pduLen + 1;
  buf[off] = (tid >>> 8) & 0xff;
  buf[off + 1] = tid & 0xff;
  buf[off + 2] = 0;
  buf[off + 3] = 0;
  buf[off + 4] = len >>> 8;
  buf[off + 5] = len & 0xff;
  buf[off + 6] = unit & 0xff;
  return MBAP_LEN + pduLen;
}

/** Write a big-endian 16-bit value (Modbus AP §4.2: "big-Endian representation") at `buf[off]`. */
export function writeU16(buf: Uint8Array, off: number, v: number): void {
  buf[off] = (v >>> 8) & 0xff;
  buf[off + 1] = v & 0xff;
}

/**
 * Write a whole ADU whose PDU is a function code and two big-endian words (5 bytes): the shape of
 * read requests (fc 1–4: address, quantity), single writes and their echo (fc 5/6: address, value)
 * and write-multiple responses (fc 15/16: address, quantity) — Modbus AP §6.1–§6.6, §6.11–§6.12.
 * @returns the ADU length (12), or -1 when it does not fit in `buf`.
 */
export function writeFcTwoWords(buf: Uint8Array, off: number, tid: number, unit: number, fc: number, first: number, second: number): number {
  const n = writeMbap(buf, off, tid, unit, 5);
  if (n < 0) return -1;
  const p = off + MBAP_LEN;
  buf[p] = fc;
  writeU16(buf, p + 1, first);
  writeU16(buf, p + 3, second);
  return n;
}
