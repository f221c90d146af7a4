import { defineStream, type StreamSchema } from '../events/schema.js';
import { hashId } from '../session/uid.js';
import type { IcsTechnique } from './attack.js';
import type { Finding } from './engine.js';
import { type Severity, severityRank } from './finding.js';

/** Findings further apart than this (seconds of capture time) start separate incidents. */
export const INCIDENT_GAP_SEC = 900;

/**
 * How well a detector's finding tells an incident's story, for choosing its title among findings of
 * equal severity: what was done to the cranes or their data (3) before what the actor did on the
 * network (2) before the network context (1: a new flow, a missing conduit, an unknown device or
 * client).
 */
const LEAD_WEIGHT: Readonly<Record<string, number>> = {
  plc_command: 3,
  unauthorized_write: 3,
  fleet_stop: 3,
  unexpected_stop: 3,
  container_data_exfil: 3,
  covert_channel_modbus: 3,
  sensor_integrity: 3,
  device_change: 3,
  external_remote_access: 2,
  dns_tunnel: 2,
  recon_scan: 2,
  unauthorized_client: 1,
  egress_violation: 2,
  modbus_deviation: 2,
  crane_silence: 2,
  rogue_device: 1,
  conduit_violation: 1,
  baseline_deviation: 1,
};

/** True when `f` makes a better incident title than the current lead `lead`. */
function betterLead(f: Finding, lead: Finding): boolean {
  const bySeverity = severityRank(f.severity) - severityRank(lead.severity);
  if (bySeverity !== 0) return bySeverity > 0;
  return (LEAD_WEIGHT[f.detector] ?? 2) > (LEAD_WEIGHT[lead.detector] ?? 2);
}

/** One incident: findings that tell one story (the same actor or the same cranes, close in time). */
export interface Incident {
  readonly id: string;
  readonly firstTs: number;
  lastTs: number;
  severity: Severity;
  title: string;
  summary: string;
  action: string;
  findingIds: string[];
  /**
   * The finding the title and action come from: the most severe; among equals the one that says what
   * was done to the cranes before network context (LEAD_WEIGHT); then the earliest.
   */
  leadId: string;
  detectors: string[];
  techniques: IcsTechnique[];
  hosts: string[];
  zones: string[];
  cranes: string[];
}

/** The `incidents` log: one record per incident, written when the input ends. */
export const INCIDENTS_SCHEMA: StreamSchema = defineStream({
  name: 'incidents',
  doc: 'Findings grouped into incidents: one attack or fault is one incident.',
  key: ['incident_id'],
  fields: [
    { name: 'ts', type: 'time', doc: 'first finding, seconds since the epoch' },
    { name: 'incident_id', type: 'string', doc: "deterministic id ('I' + base62 of SHA-1 over its first finding id)" },
    { name: 'last_ts', type: 'time', doc: 'last occurrence of any of its findings' },
    { name: 'severity', type: 'enum', doc: 'highest severity of its findings' },
    { name: 'title', type: 'string', doc: 'title of its lead finding: the most severe, then the one telling what was done to the cranes over network context, then the first' },
    { name: 'msg', type: 'string', doc: 'the explanation of the finding the title comes from, then the titles of the related findings' },
    { name: 'findings', type: 'count', doc: 'number of findings' },
    { name: 'finding_ids', type: 'vector[string]', doc: 'its findings, in time order' },
    { name: 'detectors', type: 'vector[string]', doc: 'detectors that contributed' },
    { name: 'techniques', type: 'vector[string]', doc: 'ATT&CK for ICS technique ids of its findings' },
    { name: 'attack_version', type: 'string', doc: 'ATT&CK for ICS version of the ids' },
    { name: 'hosts', type: 'vector[string]', doc: 'addresses involved, actors first' },
    { name: 'zones', type: 'vector[string]', doc: 'IEC 62443 zones of those hosts' },
    { name: 'cranes', type: 'vector[string]', doc: 'crane ids involved' },
    { name: 'action', type: 'string', doc: 'recommended action (of the most severe finding)' },
  ],
});

/**
 * Groups findings (sorted by first time) into incidents: a finding joins the earliest open incident
 * that shares its actor (first host) or one of its cranes and whose last occurrence is at most
 * INCIDENT_GAP_SEC before the finding's first; otherwise it opens a new one. Each finding's
 * `incidentId` is set. Deterministic for the same findings. `zoneOf` names a host's zone.
 */
export function groupIncidents(findings: readonly Finding[], zoneOf: (ip: string) => string): Incident[] {
  const incidents: Incident[] = [];
  const actors: Set<string>[] = [];
  const leads: Finding[] = [];
  for (const f of findings) {
    const actor = f.hosts[0] ?? '';
    let at = -1;
    for (let i = 0; i < incidents.length && at < 0; i++) {
      const inc = incidents[i];
      if (f.firstTs - inc.lastTs > INCIDENT_GAP_SEC) continue;
      if ((actor !== '' && actors[i].has(actor)) || f.cranes.some((c) => inc.cranes.includes(c))) at = i;
    }
    if (at < 0) {
      incidents.push({
        id: hashId('I', f.id),
        firstTs: f.firstTs,
        lastTs: f.lastTs,
        severity: f.severity,
        title: f.title,
        summary: '',
        action: f.action,
        findingIds: [],
        leadId: f.id,
        detectors: [],
        techniques: [],
        hosts: [],
        zones: [],
        cranes: [],
      });
      actors.push(new Set());
      leads.push(f);
      at = incidents.length - 1;
    }
    const inc = incidents[at];
    if (actor !== '') actors[at].add(actor);
    inc.findingIds.push(f.id);
    f.incidentId = inc.id;
    if (f.lastTs > inc.lastTs) inc.lastTs = f.lastTs;
    if (severityRank(f.severity) > severityRank(inc.severity)) inc.severity = f.severity;
    if (f.id !== inc.leadId && betterLead(f, leads[at])) {
      leads[at] = f;
      inc.title = f.title;
      inc.action = f.action;
      inc.leadId = f.id;
    }
    if (!inc.detectors.includes(f.detector)) inc.detectors.push(f.detector);
    for (const t of f.techniques) if (!inc.techniques.some((x) => x.id === t.id)) inc.techniques.push(t);
    for (const h of f.hosts) if (!inc.hosts.includes(h)) inc.hosts.push(h);
    for (const c of f.cranes) if (!inc.cranes.includes(c)) inc.cranes.push(c);
  }
  const byId = new Map(findings.map((f) => [f.id, f]));
  for (const inc of incidents) {
    inc.zones = inc.hosts.map(zoneOf);
    const lead = byId.get(inc.leadId) as Finding;
    const others = inc.findingIds.filter((id) => id !== inc.leadId);
    inc.summary =
      others.length === 0 ? lead.explanation : `${lead.explanation} ${others.length} related finding${others.length === 1 ? '' : 's'}: ${others.map((id) => byId.get(id)?.title ?? id).join('; ')}.`;
  }
  return incidents;
}
