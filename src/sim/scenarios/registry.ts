import { craneIdle, maintenanceWrite } from './benign.js';
import { fleetStop } from './fleet-stop.js';
import { plcStop } from './plc-stop.js';
import { recon } from './recon.js';
import type { ScenarioDefinition } from './scenario.js';
import { unauthorizedWrite } from './unauthorized-write.js';

/** Every scenario the twin can play, by name. */
const SCENARIOS: readonly ScenarioDefinition[] = [unauthorizedWrite, recon, plcStop, fleetStop, maintenanceWrite, craneIdle] as readonly ScenarioDefinition[];

/** All scenario definitions, in a stable order (attacks first, then benign). */
export function listScenarios(): readonly ScenarioDefinition[] {
  return SCENARIOS;
}

/** The scenario named `name`, or undefined. */
export function findScenario(name: string): ScenarioDefinition | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
