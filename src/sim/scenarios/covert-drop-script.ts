import type { ModbusClientScript } from '../modbus/session.js';
import { writeMultipleRegistersRequest } from '../modbus/requests.js';
import type { Prng } from '../random.js';
import type { TruthCovertModbus } from '../terminal/truth.js';
import type { MoveTap } from './move-tap.js';

/** Registers one container number takes: 11 ASCII characters, two per register, the last low byte 0. */
export const DROP_SLOT_WORDS = 6;
/** Slots of the dead drop, written round-robin. */
export const DROP_SLOTS = 8;

/**
 * The 6 register values of an ISO 6346 container number: characters 2k and 2k+1 in the high and low
 * byte of register k (Modbus AP V1.1b3 §4.2: big-endian within a register), 0 after the 11th.
 */
export function containerRegisters(container: string): number[] {
  const out: number[] = [];
  for (let k = 0; k < DROP_SLOT_WORDS; k++) {
    const hi = 2 * k < container.length ? container.charCodeAt(2 * k) & 0xff : 0;
    const lo = 2 * k + 1 < container.length ? container.charCodeAt(2 * k + 1) & 0xff : 0;
    out.push((hi << 8) | lo);
  }
  return out;
}

/**
 * A compromised host's Modbus client hiding each container the crane handles in its PLC: 0.3–2 s after
 * a move's twistlocks unlock (`MoveTap`), Write Multiple Registers (fc 16, Modbus AP V1.1b3 §6.12) of
 * the container number (`containerRegisters`) into slot n mod `DROP_SLOTS` of the drop at holding
 * register `drop.address`; closes once no move unlocks before `endTs`. Notes each number in
 * `drop.containers`.
 */
export class ContainerDropScript implements ModbusClientScript {
  private written = 0;

  constructor(
    private readonly tap: MoveTap,
    private readonly unit: number,
    private readonly drop: TruthCovertModbus,
    private readonly rng: Prng,
    private readonly endTs: number,
  ) {}

  nextRequestTs(afterTs: number): number {
    const base = this.tap.pending > 0 || this.tap.nextTs < afterTs ? afterTs : this.tap.nextTs;
    const due = base + this.rng.range(0.3, 2);
    return due < this.endTs ? due : Infinity;
  }

  writeRequest(_ts: number, tid: number, out: Uint8Array, off: number): number {
    const records = this.tap.take(1);
    if (records.length === 0) return -1;
    const c = records[0].container;
    const values = containerRegisters(c);
    const slot = this.written++ % DROP_SLOTS;
    this.drop.containers.push(c);
    return writeMultipleRegistersRequest(out, off, tid, this.unit, this.drop.address + slot * DROP_SLOT_WORDS, values, 0, values.length);
  }
}
