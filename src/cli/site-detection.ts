import { DEFAULT_LIMITS } from '../config/limits.js';
import { CraneTracker } from '../crane/state/crane-tracker.js';
import { ContainerLeakTap } from '../detect/content/leak-tap.js';
import { DetectionEngine } from '../detect/engine.js';
import { createDetectors } from '../detect/registry.js';
import { SinkFanout, type LogSink } from '../events/record.js';
import { readSiteFile } from '../policy/site-file.js';
import type { Site } from '../policy/site-schema.js';
import { SitePolicy } from '../policy/site-policy.js';

/** A site file read and checked (policy/site-file.ts), with its policy. */
export interface LoadedSite {
  readonly site: Site;
  readonly policy: SitePolicy;
}

/** What `analyze --site` adds to a run: the detectors, the container-number tap and the crane model. */
export interface SiteDetection {
  /** Reads every record (the assets too) and writes findings and incidents to the outputs. */
  readonly detection: DetectionEngine;
  /** Container numbers in flows to unapproved destinations: `container_data` records, and each flow's first find to the detectors at once. */
  readonly leakTap: ContainerLeakTap;
  /** The PLCs' Modbus values as `crane_state` and `container_move` records for the outputs and the detectors. */
  readonly cranes: CraneTracker;
}

/**
 * Reads the site file at `path`. Errors: CwError CW_ERR_NOT_FOUND / CW_ERR_READ / CW_ERR_CONFIG as
 * readSiteFile (a bad field is named with the reason).
 */
export function loadSite(path: string): LoadedSite {
  const site = readSiteFile(path);
  return { site, policy: new SitePolicy(site) };
}

/**
 * Builds the detection stage of `analyze --site` writing to `outputs` (the summary, logs, store):
 * the engine first, then the tap (which also reaches the engine), then the crane model (fed last,
 * so the detectors see each Modbus row before its crane records). Kept out of cli/analyze.ts so a
 * run without a site file loads none of it (nor the YAML and schema libraries the site file needs).
 */
export function buildSiteDetection(policy: SitePolicy, outputs: readonly LogSink[]): SiteDetection {
  const detection = new DetectionEngine(createDetectors(policy), policy, new SinkFanout([...outputs]));
  const leakTap = new ContainerLeakTap(policy, new SinkFanout([...outputs, detection]), DEFAULT_LIMITS, detection);
  const cranes = new CraneTracker(policy, new SinkFanout([...outputs, detection]));
  return { detection, leakTap, cranes };
}
