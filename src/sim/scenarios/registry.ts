import { craneIdle, maintenanceWrite } from './benign.js';
import { benignGust } from './benign-gust.js';
import { benignNewHmi } from './benign-new-hmi.js';
import { cellularModem } from './cellular-modem.js';
import { containerExfil } from './container-exfil.js';
import { covertModbus } from './covert-modbus.js';
import { fleetStop } from './fleet-stop.js';
import { plcStop } from './plc-stop.js';
import { recon } from './recon.js';
import type { ScenarioDefinition } from './scenario.js';
import { encoderDrift, encoderFreeze, loadStuck, twistlockMismatch } from './sensor-faults.js';
import { windSpoof } from './sensor-wind-spoof.js';
import { unauthorizedWrite } from './unauthorized-write.js';
import { vendorVpnOffHours } from './vendor-vpn.js';

/** Every scenario the twin can play, by name. */
const SCENARIOS: readonly ScenarioDefinition[] = [unauthorizedWrite, recon, plcStop, fleetStop, containerExfil, covertModbus, cellularModem, windSpoof, vendorVpnOffHours, encoderFreeze, encoderDrift, loadStuck, twistlockMismatch, maintenanceWrite, craneIdle, benignGust, benignNewHmi] as readonly ScenarioDefinition[];

/** All scenario definitions, in a stable order (attacks first, then faults, then benign). */
export function listScenarios(): readonly ScenarioDefinition[] {
  return SCENARIOS;
}

/** The scenario named `name`, or undefined. */
export function findScenario(name: string): ScenarioDefinition | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
