import { defineStream, type StreamSchema } from '../events/schema.js';
import type { IcsTechnique } from './attack.js';

/** Finding severities, least to most urgent. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
/** One severity. */
export type Severity = (typeof SEVERITIES)[number];

/** Rank of a severity (0 = low … 3 = critical), for comparisons. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/**
 * What a detector reports about one occurrence of something the cranes must not do. Reports with
 * the same `detector` and `key` are one finding: the engine merges them (first/last time, count,
 * evidence), so `key` names the thing found (`10.40.7.23→sts01-plc:fc6`), not the occurrence.
 */
export interface FindingReport {
  /** Identity of the finding within its detector. */
  readonly key: string;
  /** Time of this occurrence, seconds since the epoch. */
  readonly ts: number;
  readonly severity: Severity;
  /** A short title (`Unauthorized Modbus write to STS-01`). */
  readonly title: string;
  /** One sentence a port analyst understands: who did what to which crane, and why it is wrong. */
  readonly explanation: string;
  readonly techniques: readonly IcsTechnique[];
  /** Addresses involved, the actor first. */
  readonly hosts: readonly string[];
  /** Crane ids involved. */
  readonly cranes?: readonly string[];
  /** The log record that proves this occurrence: its stream and uid (flow uid or record id). */
  readonly evidence?: { readonly stream: string; readonly uid: string };
  /** What the port should do about it. */
  readonly action: string;
}

/** Where detectors send reports. */
export interface FindingWriter {
  report(f: FindingReport): void;
}

/** Evidence references kept per finding (the first ones: they show how it started). */
export const MAX_EVIDENCE = 32;

/**
 * The `findings` log (one record per finding, written when the input ends). Field names follow
 * Zeek's notice.log where one exists (`ts`, `msg`, `actions` → `action`), the rest are CraneWatch's.
 */
export const FINDINGS_SCHEMA: StreamSchema = defineStream({
  name: 'findings',
  doc: 'What the detectors found: one record per finding, occurrences merged.',
  key: ['finding_id'],
  fields: [
    { name: 'ts', type: 'time', doc: 'first occurrence, seconds since the epoch' },
    { name: 'finding_id', type: 'string', doc: "deterministic id ('F' + base62 of SHA-1 over detector, key and first time)" },
    { name: 'incident_id', type: 'string', doc: 'the incident the finding belongs to' },
    { name: 'last_ts', type: 'time', doc: 'last occurrence' },
    {
      name: 'detected_ts',
      type: 'time',
      doc: 'capture time at which the finding was first reported: the latest record time the detectors had seen then (flows count at their end)',
    },
    { name: 'detector', type: 'string', doc: 'detector name' },
    { name: 'severity', type: 'enum', doc: 'low, medium, high or critical' },
    { name: 'title', type: 'string', doc: 'short title' },
    { name: 'msg', type: 'string', doc: 'one-sentence explanation for a port analyst' },
    { name: 'count', type: 'count', doc: 'occurrences merged into this finding' },
    { name: 'techniques', type: 'vector[string]', doc: 'MITRE ATT&CK for ICS technique ids' },
    { name: 'technique_names', type: 'vector[string]', doc: 'their names, same order' },
    { name: 'attack_version', type: 'string', doc: 'ATT&CK for ICS version of the ids' },
    { name: 'hosts', type: 'vector[string]', doc: 'addresses involved, the actor first' },
    { name: 'zones', type: 'vector[string]', doc: 'IEC 62443 zones of those hosts (site file ids; "-" when unknown)' },
    { name: 'cranes', type: 'vector[string]', doc: 'crane ids involved' },
    { name: 'evidence_streams', type: 'vector[string]', doc: 'log streams of the evidence records' },
    { name: 'evidence_uids', type: 'vector[string]', doc: 'uids of the evidence records, same order (first 32)' },
    { name: 'action', type: 'string', doc: 'recommended action' },
  ],
});
