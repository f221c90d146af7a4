import { writeReadRequest } from '../modbus/requests.js';
import type { ModbusClientScript } from '../modbus/session.js';
import type { Prng } from '../random.js';
import type { PollBlock } from './register-map.js';

/** Gap between the response to one block's read and the request for the next block of a slot, seconds. */
const NEXT_BLOCK_GAP_SEC = 0.0008;

/**
 * The CMS's cyclic scan of one PLC: every `intervalSec` (100–500 ms) it reads each block of the
 * crane's register map in turn (Read Coils / Discrete Inputs / Holding / Input Registers, Modbus AP
 * V1.1b3 §6.1–§6.4), one request after the previous response; a slot already past when the scan
 * ended is skipped, as a master's cyclic timer does. Each slot starts up to `jitterSec` late.
 * Allocation-free.
 */
export class BlockPollScript implements ModbusClientScript {
  private slot = 0;
  private block: number;

  constructor(
    private readonly blocks: readonly PollBlock[],
    private readonly unit: number,
    private readonly startTs: number,
    private readonly intervalSec: number,
    private readonly jitterSec: number,
    private readonly rng: Prng,
  ) {
    this.block = blocks.length;
  }

  nextRequestTs(afterTs: number): number {
    if (this.blocks.length === 0) return Infinity;
    if (this.block < this.blocks.length) return afterTs + NEXT_BLOCK_GAP_SEC;
    let ts = this.startTs + this.slot * this.intervalSec;
    while (ts <= afterTs) {
      this.slot++;
      ts = this.startTs + this.slot * this.intervalSec;
    }
    this.slot++;
    this.block = 0;
    return ts + this.rng.float() * this.jitterSec;
  }

  writeRequest(_ts: number, tid: number, out: Uint8Array, off: number): number {
    const b = this.blocks[this.block++];
    return writeReadRequest(out, off, tid, this.unit, b.fc, b.address, b.quantity);
  }
}
