import type { SitePolicy } from '../policy/site-policy.js';
import type { Detector, DetectorFactory } from './detector.js';
import { baselineDeviationDetector } from './detectors/baseline-deviation.js';
import { conduitDetector } from './detectors/conduit.js';
import { containerExfilDetector } from './detectors/container-exfil.js';
import { covertModbusDetector } from './detectors/covert-modbus.js';
import { egressDetector } from './detectors/egress.js';
import { reconDetector } from './detectors/recon.js';
import { remoteAccessDetector } from './detectors/remote-access.js';
import { rogueDeviceDetector } from './detectors/rogue-device.js';
import { unauthorizedClientDetector } from './detectors/unauthorized-client.js';
import { unauthorizedWriteDetector } from './detectors/unauthorized-write.js';
import { sensorIntegrityDetector } from './detectors/sensor-integrity.js';
import { dnsTunnelDetector } from './detectors/dns-tunnel.js';
import { plcCommandDetector } from './detectors/plc-command.js';
import { modbusDeviationDetector } from './detectors/modbus-deviation.js';
import { deviceChangeDetector } from './detectors/device-change.js';
import { craneSilenceDetector, fleetStopDetector, unexpectedStopDetector } from './detectors/availability.js';

/** Every detector, in the order they see each record. */
const FACTORIES: readonly DetectorFactory[] = [
  unauthorizedWriteDetector,
  unauthorizedClientDetector,
  reconDetector,
  egressDetector,
  conduitDetector,
  remoteAccessDetector,
  rogueDeviceDetector,
  baselineDeviationDetector,
  modbusDeviationDetector,
  deviceChangeDetector,
  sensorIntegrityDetector,
  unexpectedStopDetector,
  fleetStopDetector,
  craneSilenceDetector,
  dnsTunnelDetector,
  plcCommandDetector,
  containerExfilDetector,
  covertModbusDetector,
];

/** The detectors for a site (a factory returning null is left out). */
export function createDetectors(policy: SitePolicy): Detector[] {
  const out: Detector[] = [];
  for (const f of FACTORIES) {
    const d = f(policy);
    if (d !== null) out.push(d);
  }
  return out;
}
