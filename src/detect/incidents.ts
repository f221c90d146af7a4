import { defineStream, type StreamSchema } from '../events/schema.js';
import { hashId } from '../session/uid.js';
import type { IcsTechnique } from './attack.js';
import type { Finding } from './engine.js';
import { type Severity, severityRank } from './finding.js';

/** Findings further apart than this (seconds of capture time) start separate incidents. */
export const INCIDENT_GAP_SEC = 900;

/**
 * How well a detector's finding tells an incident's story, for choosing its title among findings of
 * equal severity: the whole fleet stopped (4) before what was done to one crane or its data (3)
 * before what the actor did on the network (2) before the network context (1: a new flow, a
 * missing conduit, an unknown device or client).
 */
const LEAD_WEIGHT: Readonly<Record<string, number>> = {
  plc_command: 3,
  unauthorized_write: 3,
  fleet_stop: 4,
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

/** One incident: findings that tell one story (the same actor, actors talking to each other, or actor-less findings on its cranes; close in time). */
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

/** Findings in time order: first time, then id (ids are unique). */
function byTime(a: Finding, b: Finding): number {
  return a.firstTs - b.firstTs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Seconds between two findings' [first, last] intervals (0 when they overlap). */
function distance(a: Finding, b: Finding): number {
  return Math.max(0, a.firstTs - b.lastTs, b.firstTs - a.lastTs);
}

/**
 * Disjoint sets of finding positions (union-find with path halving). The root of a set is its
 * smallest position, so over time-ordered findings it is the set's earliest finding.
 */
class Components {
  private readonly parent: Int32Array;

  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }

  root(i: number): number {
    const p = this.parent;
    while (p[i] !== i) {
      p[i] = p[p[i]];
      i = p[i];
    }
    return i;
  }

  union(a: number, b: number): void {
    const ra = this.root(a);
    const rb = this.root(b);
    if (ra < rb) this.parent[rb] = ra;
    else if (rb < ra) this.parent[ra] = rb;
  }
}

/** A run of one key's findings (one actor's, or one crane's actor-less ones) with no gap over INCIDENT_GAP_SEC. */
interface Chain {
  readonly firstTs: number;
  lastTs: number;
  /** Position of one member (any member: the chain is one set). */
  readonly member: number;
}

/**
 * Joins each key's findings (positions in time order) into chains: a finding starting at most
 * INCIDENT_GAP_SEC after the latest end so far of its key's previous findings joins their chain.
 */
function chainByKey(list: readonly Finding[], byKey: ReadonlyMap<string, number[]>, sets: Components): Map<string, Chain[]> {
  const chains = new Map<string, Chain[]>();
  for (const [key, positions] of byKey) {
    const out: Chain[] = [];
    let chain: Chain | null = null;
    for (const i of positions) {
      const f = list[i];
      if (chain !== null && f.firstTs - chain.lastTs <= INCIDENT_GAP_SEC) {
        sets.union(chain.member, i);
        if (f.lastTs > chain.lastTs) chain.lastTs = f.lastTs;
      } else {
        chain = { firstTs: f.firstTs, lastTs: f.lastTs, member: i };
        out.push(chain);
      }
    }
    chains.set(key, out);
  }
  return chains;
}

/** Appends `i` to the list of `key`. */
function push(map: Map<string, number[]>, key: string, i: number): void {
  const a = map.get(key);
  if (a === undefined) map.set(key, [i]);
  else a.push(i);
}

/** The set a finding is closest to and the seconds between them. */
interface Closest {
  readonly root: number;
  readonly gap: number;
}

/**
 * Among the findings listed in `onCrane` under one of finding `i`'s cranes and at most
 * INCIDENT_GAP_SEC from it, the set of the closest in time (ties: the set whose earliest finding is
 * earliest); null when there is none.
 */
function closest(list: readonly Finding[], i: number, onCrane: ReadonlyMap<string, number[]>, sets: Components): Closest | null {
  const f = list[i];
  let out: Closest | null = null;
  for (const c of f.cranes) {
    for (const j of onCrane.get(c) ?? []) {
      const gap = distance(f, list[j]);
      if (gap > INCIDENT_GAP_SEC) continue;
      const root = sets.root(j);
      if (out === null || gap < out.gap || (gap === out.gap && root < out.root)) out = { root, gap };
    }
  }
  return out;
}

/** A finding's actor (see groupIncidents), '' for none. */
function actorOf(f: Finding): string {
  return f.hosts.length === 1 && f.cranes.length > 0 ? '' : (f.hosts[0] ?? '');
}

/**
 * Groups findings into incidents, one story each; the result does not depend on the order of
 * `findings`. A finding's actor is its first host, except for a finding naming one host and a crane:
that host is the crane's own device (its PLC stopped, went silent or reports a bad value), so the
finding is about the crane and has no actor (else two strangers writing to one PLC would merge
through it). Within INCIDENT_GAP_SEC (a finding starting at
 * most that many seconds after the end of another):
 * 1. findings of the same actor are one incident, transitively (a chain of findings each close to
 *    the previous is one incident however long it runs);
 * 2. a finding naming another actor among its other hosts (one actor talking to the other) merges
 *    its incident with the incident of that actor's findings close to it;
 * 3. a finding without a host (crane-only, such as a sensor reading gone wrong) joins the one
 *    incident with a finding that has an actor on one of its cranes closest in time to it (ties: the
 *    incident whose earliest finding is earliest); crane-only findings with no such incident join each
 *    other by crane (as in 1), and such a group joins the incident of the closest crane-only finding
 *    on its cranes that found one. A crane shared by two actors' findings never merges their
 *    incidents: a modem and a laptop on one crane are two stories unless a finding names both.
 * A finding with neither host nor crane is an incident alone.
 * Each incident's id is 'I' + hashId of its earliest finding's id (first time, then id), so the same
 * findings give the same ids; its title and action come from its lead finding (betterLead: the most
 * severe, then LEAD_WEIGHT, then the earliest); `hosts` lists actors first, then the other hosts, in
 * order of first appearance. Each finding's `incidentId` is set. Incidents are returned in order of
 * their first time, then id. `zoneOf` names a host's zone. Cost: O(n log n) plus, per actor-less
 * finding, the findings on its cranes, and per finding naming other hosts, those hosts' chains; n is
 * bounded by the engine's MAX_FINDINGS.
 */
export function groupIncidents(findings: readonly Finding[], zoneOf: (ip: string) => string): Incident[] {
  const list = [...findings].sort(byTime);
  const n = list.length;
  const sets = new Components(n);

  const byActor = new Map<string, number[]>();
  const craneOnly = new Map<string, number[]>();
  const actorsOnCrane = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const f = list[i];
    const actor = actorOf(f);
    if (actor !== '') push(byActor, actor, i);
    for (const c of f.cranes) push(actor === '' ? craneOnly : actorsOnCrane, c, i);
  }

  // 1. The same actor, close in time.
  const actorChains = chainByKey(list, byActor, sets);
  // 2. A finding naming another actor's address joins that actor's findings close to it.
  for (let i = 0; i < n; i++) {
    const f = list[i];
    for (let k = 1; k < f.hosts.length; k++) {
      const h = f.hosts[k];
      if (h === f.hosts[0]) continue;
      for (const c of actorChains.get(h) ?? []) {
        if (c.firstTs - f.lastTs <= INCIDENT_GAP_SEC && f.firstTs - c.lastTs <= INCIDENT_GAP_SEC) sets.union(i, c.member);
      }
    }
  }
  // 3. Actor-less findings: to the closest incident with an actor on their cranes; the rest by crane among
  //    themselves, then to the closest actor-less finding that found an incident.
  const attached = new Uint8Array(n);
  const joins: [number, number][] = [];
  for (const positions of craneOnly.values()) {
    for (const i of positions) {
      if (attached[i] === 1) continue;
      const to = closest(list, i, actorsOnCrane, sets);
      if (to === null) continue;
      attached[i] = 1;
      joins.push([i, to.root]);
    }
  }
  for (const [i, root] of joins) sets.union(i, root);
  const alone = new Map<string, number[]>();
  const joined = new Map<string, number[]>();
  for (const [crane, positions] of craneOnly) {
    for (const i of positions) push(attached[i] === 1 ? joined : alone, crane, i);
  }
  chainByKey(list, alone, sets);
  const best = new Map<number, Closest>();
  for (const positions of alone.values()) {
    for (const i of positions) {
      const to = closest(list, i, joined, sets);
      if (to === null) continue;
      const own = sets.root(i);
      const b = best.get(own);
      if (b === undefined || to.gap < b.gap || (to.gap === b.gap && to.root < b.root)) best.set(own, to);
    }
  }
  for (const [own, to] of best) sets.union(own, to.root);

  const incidents: Incident[] = [];
  const at = new Map<number, number>();
  const leads: Finding[] = [];
  const others: string[][] = [];
  for (let i = 0; i < n; i++) {
    const f = list[i];
    const root = sets.root(i);
    let k = at.get(root);
    if (k === undefined) {
      k = incidents.length;
      at.set(root, k);
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
      leads.push(f);
      others.push([]);
    }
    const inc = incidents[k];
    inc.findingIds.push(f.id);
    f.incidentId = inc.id;
    if (f.lastTs > inc.lastTs) inc.lastTs = f.lastTs;
    if (severityRank(f.severity) > severityRank(inc.severity)) inc.severity = f.severity;
    if (f.id !== inc.leadId && betterLead(f, leads[k])) {
      leads[k] = f;
      inc.title = f.title;
      inc.action = f.action;
      inc.leadId = f.id;
    }
    if (!inc.detectors.includes(f.detector)) inc.detectors.push(f.detector);
    for (const t of f.techniques) if (!inc.techniques.some((x) => x.id === t.id)) inc.techniques.push(t);
    const actor = actorOf(f);
    if (actor !== '' && !inc.hosts.includes(actor)) inc.hosts.push(actor);
    for (let h = actor === '' ? 0 : 1; h < f.hosts.length; h++) if (!others[k].includes(f.hosts[h])) others[k].push(f.hosts[h]);
    for (const c of f.cranes) if (!inc.cranes.includes(c)) inc.cranes.push(c);
  }
  const byId = new Map(list.map((f) => [f.id, f]));
  incidents.forEach((inc, k) => {
    for (const h of others[k]) if (!inc.hosts.includes(h)) inc.hosts.push(h);
    inc.zones = inc.hosts.map(zoneOf);
    const lead = byId.get(inc.leadId) as Finding;
    const rest = inc.findingIds.filter((id) => id !== inc.leadId);
    inc.summary =
      rest.length === 0 ? lead.explanation : `${lead.explanation} ${rest.length} related finding${rest.length === 1 ? '' : 's'}: ${rest.map((id) => byId.get(id)?.title ?? id).join('; ')}.`;
  });
  return incidents;
}
