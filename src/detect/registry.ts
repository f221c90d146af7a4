import type { SitePolicy } from '../policy/site-policy.js';
import type { Detector, DetectorFactory } from './detector.js';
import { conduitDetector } from './detectors/conduit.js';
import { egressDetector } from './detectors/egress.js';
import { reconDetector } from './detectors/recon.js';
import { remoteAccessDetector } from './detectors/remote-access.js';
import { rogueDeviceDetector } from './detectors/rogue-device.js';
import { unauthorizedWriteDetector } from './detectors/unauthorized-write.js';

/** Every detector, in the order they see each record. */
const FACTORIES: readonly DetectorFactory[] = [
  unauthorizedWriteDetector,
  reconDetector,
  egressDetector,
  conduitDetector,
  remoteAccessDetector,
  rogueDeviceDetector,
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
