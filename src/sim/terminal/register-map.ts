import { RegisterBank } from '../modbus/register-bank.js';
import { registerWords, type SiteCrane, type SiteRegister } from '../../policy/site-schema.js';
import { CRANE_SIGNALS } from './crane-model.js';

/** Modbus read function for each table (Modbus AP V1.1b3 §6.1–§6.4). */
const READ_FC: Readonly<Record<SiteRegister['table'], 1 | 2 | 3 | 4>> = { coil: 1, discrete: 2, holding: 3, input: 4 };

/** A contiguous block a CMS reads with one request. */
export interface PollBlock {
  fc: 1 | 2 | 3 | 4;
  address: number;
  quantity: number;
}

/** A signal placed in a table, resolved once. */
interface Placement {
  /** Index into the crane's value array (`Sig`), or -1 for a setpoint nobody but clients writes. */
  source: number;
  name: string;
  table: SiteRegister['table'];
  address: number;
  type: SiteRegister['type'];
  scale: number;
  access: SiteRegister['access'];
}

/**
 * A crane's register map from the site file, compiled for the twin: where each process value goes
 * (`store`), which blocks the CMS polls (`pollBlocks`: per table, from the lowest to the highest
 * read-only signal, at most 125 registers / 2000 bits per request, Modbus AP §6.1–§6.4), which
 * addresses are writable setpoints, and table sizes for the PLC's `RegisterBank`.
 * Raw value = round(engineering value / scale), clamped to the type's range; 32-bit values use the
 * crane's word order. Allocation-free per `store`.
 */
export class CompiledRegisterMap {
  private readonly placed: Placement[] = [];
  private readonly lowFirst: boolean;
  readonly pollBlocks: readonly PollBlock[];
  /** Table sizes covering every mapped item (at least 1 each). */
  readonly sizes: { coils: number; discreteInputs: number; inputRegisters: number; holdingRegisters: number };

  constructor(readonly crane: SiteCrane) {
    this.lowFirst = crane.word_order === 'low_first';
    const sizes = { coils: 1, discreteInputs: 1, inputRegisters: 1, holdingRegisters: 1 };
    const ranges = new Map<SiteRegister['table'], [number, number]>();
    for (const [name, r] of Object.entries(crane.registers)) {
      const source = (CRANE_SIGNALS as readonly string[]).indexOf(name);
      this.placed.push({ source, name, table: r.table, address: r.address, type: r.type, scale: r.scale, access: r.access });
      const end = r.address + registerWords(r.type);
      if (r.table === 'coil') sizes.coils = Math.max(sizes.coils, end);
      else if (r.table === 'discrete') sizes.discreteInputs = Math.max(sizes.discreteInputs, end);
      else if (r.table === 'input') sizes.inputRegisters = Math.max(sizes.inputRegisters, end);
      else sizes.holdingRegisters = Math.max(sizes.holdingRegisters, end);
      if (r.access === 'read' && source >= 0) {
        const cur = ranges.get(r.table);
        ranges.set(r.table, cur === undefined ? [r.address, end] : [Math.min(cur[0], r.address), Math.max(cur[1], end)]);
      }
    }
    this.sizes = sizes;
    const blocks: PollBlock[] = [];
    for (const table of ['holding', 'input', 'coil', 'discrete'] as const) {
      const rg = ranges.get(table);
      if (rg === undefined) continue;
      const max = table === 'coil' || table === 'discrete' ? 2000 : 125;
      for (let a = rg[0]; a < rg[1]; a += max) blocks.push({ fc: READ_FC[table], address: a, quantity: Math.min(max, rg[1] - a) });
    }
    this.pollBlocks = blocks;
  }

  /** A fresh register bank sized for this map. */
  newBank(): RegisterBank {
    return new RegisterBank(this.sizes);
  }

  /** Signal name mapped at holding/coil `address` of `table`, or '' when unmapped. */
  signalAt(table: SiteRegister['table'], address: number): string {
    for (const p of this.placed) {
      if (p.table === table && address >= p.address && address < p.address + registerWords(p.type)) return p.name;
    }
    return '';
  }

  /** Mapped writable setpoints (`access: read_write`) in holding registers or coils. */
  setpoints(): Array<{ name: string; table: 'holding' | 'coil'; address: number; type: SiteRegister['type']; scale: number }> {
    const out: Array<{ name: string; table: 'holding' | 'coil'; address: number; type: SiteRegister['type']; scale: number }> = [];
    for (const p of this.placed) {
      if (p.access === 'read_write' && (p.table === 'holding' || p.table === 'coil')) {
        out.push({ name: p.name, table: p.table, address: p.address, type: p.type, scale: p.scale });
      }
    }
    return out;
  }

  /** Write a setpoint's initial engineering value into `bank`. Unknown names are ignored. */
  initSetpoint(bank: RegisterBank, name: string, value: number): void {
    for (const p of this.placed) if (p.name === name) this.put(bank, p, value);
  }

  /** Store the crane's values (indexed by `Sig`) into `bank` per the map. */
  store(values: Float64Array, bank: RegisterBank): void {
    const placed = this.placed;
    for (let i = 0; i < placed.length; i++) {
      const p = placed[i];
      if (p.source >= 0 && p.access === 'read') this.put(bank, p, values[p.source]);
    }
  }

  private put(bank: RegisterBank, p: Placement, value: number): void {
    const raw = Math.round(value / p.scale);
    switch (p.table) {
      case 'coil':
        bank.coils[p.address] = raw !== 0 ? 1 : 0;
        return;
      case 'discrete':
        bank.discreteInputs[p.address] = raw !== 0 ? 1 : 0;
        return;
      default: {
        const t = p.table === 'holding' ? bank.holdingRegisters : bank.inputRegisters;
        switch (p.type) {
          case 'u16':
          case 'bool':
            t[p.address] = clamp(raw, 0, 0xffff);
            return;
          case 'i16':
            t[p.address] = clamp(raw, -0x8000, 0x7fff) & 0xffff;
            return;
          default: {
            const v = (p.type === 'u32' ? clamp(raw, 0, 0xffffffff) : clamp(raw, -0x80000000, 0x7fffffff)) >>> 0;
            t[p.address + (this.lowFirst ? 1 : 0)] = v >>> 16;
            t[p.address + (this.lowFirst ? 0 : 1)] = v & 0xffff;
          }
        }
      }
    }
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
