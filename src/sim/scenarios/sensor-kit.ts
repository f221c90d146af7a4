import { CwError } from '../../errors.js';
import type { CraneSignalName } from '../terminal/crane-model.js';
import type { ScenarioCrane } from './scenario.js';

/**
 * Check that `crane`'s register map exposes `signal`, so a fault of that sensor shows in what the PLC
 * answers.
 * @throws CwError CW_ERR_CONFIG naming the scenario `id` when the map has no such register.
 */
export function requireMapped(id: string, crane: ScenarioCrane, signal: CraneSignalName): void {
  if (crane.map.crane.registers[signal] === undefined) {
    throw new CwError('CW_ERR_CONFIG', `scenario ${id}: crane ${crane.id}'s register map has no ${signal}, so its PLC cannot report the fault`);
  }
}
