import type { Severity } from './api-types.js';

/**
 * The colour of each finding / incident severity, shared by the dashboard (web/: badges through the
 * `--low` … `--critical` variables of web/src/styles.css, which must hold the same values, and the
 * telemetry markers) and the report (badges and chart markers), so that one incident looks the same
 * in both. CSS hex colours.
 */
export const SEVERITY_COLOURS: Readonly<Record<Severity, string>> = {
  low: '#4b8bbe',
  medium: '#d4a017',
  high: '#e0691a',
  critical: '#c0262d',
};
