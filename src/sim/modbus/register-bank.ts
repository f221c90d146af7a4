/**
 * The four Modbus data tables of a simulated PLC (Modbus AP V1.1b3 §4.3 "MODBUS Data model"):
 * coils and discrete inputs (one byte per bit, 0 / 1), input and holding registers (16-bit words).
 * Addresses are the 0-based protocol addresses of the PDU (holding register 0 is "40001" in the
 * traditional 1-based notation).
 */
export class RegisterBank {
  readonly coils: Uint8Array;
  readonly discreteInputs: Uint8Array;
  readonly inputRegisters: Uint16Array;
  readonly holdingRegisters: Uint16Array;

  /** Sizes are item counts per table (each 0–65 536). */
  constructor(sizes: { coils: number; discreteInputs: number; inputRegisters: number; holdingRegisters: number }) {
    this.coils = new Uint8Array(sizes.coils);
    this.discreteInputs = new Uint8Array(sizes.discreteInputs);
    this.inputRegisters = new Uint16Array(sizes.inputRegisters);
    this.holdingRegisters = new Uint16Array(sizes.holdingRegisters);
  }

  /**
   * Store a 32-bit value in two consecutive registers of `table`, high word first (the common
   * "big-endian word order" of PLCs; Modbus AP §4.2 defines only the byte order inside a word).
   * Negative values are stored in two's complement.
   */
  static putU32(table: Uint16Array, address: number, value: number): void {
    const v = value >>> 0;
    table[address] = v >>> 16;
    table[address + 1] = v & 0xffff;
  }
}

/**
 * The process behind a PLC's registers (a crane's drives and sensors): refreshed right before the
 * PLC answers a request at time `ts` (seconds since the epoch), so reads see the state of that moment.
 */
export interface ProcessImage {
  update(ts: number, bank: RegisterBank): void;
}
