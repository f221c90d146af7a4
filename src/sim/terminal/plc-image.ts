import type { ProcessImage, RegisterBank } from '../modbus/register-bank.js';
import type { CraneModel } from './crane-model.js';
import { CRANE_SIGNALS } from './crane-model.js';
import type { CompiledRegisterMap } from './register-map.js';

/**
 * A crane PLC's process image: before each answer the PLC samples its crane (`CraneModel.sample`)
 * and stores the values where the site file's register map puts them. Allocation-free.
 */
export class CranePlcImage implements ProcessImage {
  /** The latest sample, indexed by `Sig` (engineering units). */
  readonly values = new Float64Array(CRANE_SIGNALS.length);

  constructor(
    private readonly crane: CraneModel,
    private readonly map: CompiledRegisterMap,
  ) {}

  update(ts: number, bank: RegisterBank): void {
    this.crane.sample(ts, this.values);
    this.map.store(this.values, bank);
  }
}
