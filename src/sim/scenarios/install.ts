import { CwError } from '../../errors.js';
import type { Site } from '../../policy/site-schema.js';
import { formatIpv4, formatMac } from '../net/address.js';
import type { FrameBuilder } from '../net/frame-builder.js';
import { createHost, type SimHost } from '../net/host.js';
import { Prng } from '../random.js';
import type { Scheduler } from '../scheduler.js';
import { PortPool } from '../terminal/port-pool.js';
import type { ScenarioTruth, TruthHost, TruthModbusWrite } from '../terminal/truth.js';
import { resolveScenario, type ScenarioSpec } from './params.js';
import { ATTACK_ICS_VERSION } from '../../detect/attack.js';
import type { ScenarioContext, ScenarioCounters, ScenarioCrane, ScenarioDetail, ScenarioPlan } from './scenario.js';
import { addSiteAsset } from './site-asset.js';
import { us } from './scenario-kit.js';
import { type EmitSpan, TrackedActor } from './tracked-actor.js';

/** Most scenarios one run plays (each adds a few actors and at most a few hosts). */
export const MAX_SCENARIOS = 64;

/** What the terminal hands the scenarios (see `ScenarioContext`). */
export interface ScenarioEnvironment {
  fb: FrameBuilder;
  sched: Scheduler;
  seed: number;
  startTs: number;
  endTs: number;
  site: Site;
  /** The terminal's hosts by name; hosts the scenarios add are put here too. */
  hosts: Map<string, SimHost>;
  cranes: readonly ScenarioCrane[];
  writes: TruthModbusWrite[];
}

/** Scenarios installed on a terminal; read their truth once the run is over. */
export interface InstalledScenarios {
  /** Hosts the scenarios added (not in the inventory: `inventoried: false`). */
  readonly hosts: readonly TruthHost[];
  /** The scenarios' truth records, in the order given, with the span of what they emitted. */
  truths(): ScenarioTruth[];
}

/**
 * Resolve and install `specs` on a terminal before it runs: each spec's parameters are checked
 * (`resolveScenario`), its window [start, start + duration) must lie inside the run, and its
 * `install` schedules its actors (each wrapped to note the span it emits) and sets its crane holds.
 * Runs are numbered per scenario name (`recon#1`, `recon#2`). Client ports of scenario hosts come
 * from their own pool, so the terminal's normal traffic is the same with or without scenarios
 * (apart from the PLCs' IP identification counters and what the scenarios change physically).
 * @throws CwError CW_ERR_CONFIG naming the scenario: unknown name or parameter, a bad value, a window
 *   outside the run, more than `MAX_SCENARIOS`, or a parameter the terminal cannot honour.
 */
export function installScenarios(env: ScenarioEnvironment, specs: readonly ScenarioSpec[]): InstalledScenarios {
  if (specs.length > MAX_SCENARIOS) throw new CwError('CW_ERR_CONFIG', `scenarios: at most ${MAX_SCENARIOS} per run, got ${specs.length}`);
  const duration = env.endTs - env.startTs;
  const ports = new PortPool(Prng.derive(env.seed, 'ports/scenarios'));
  const added: TruthHost[] = [];
  const runs = new Map<string, number>();
  const records: Array<{ truth: ScenarioTruth; span: EmitSpan; count: ScenarioCounters; detail: ScenarioDetail }> = [];
  for (const spec of specs) {
    const { definition, params } = resolveScenario(spec);
    const n = (runs.get(definition.name) ?? 0) + 1;
    runs.set(definition.name, n);
    const id = `${definition.name}#${n}`;
    if (params.start >= duration) throw new CwError('CW_ERR_CONFIG', `scenario ${id}: start: ${params.start} s is not inside the run (${duration} s)`);
    if (params.start + params.duration > duration) {
      throw new CwError('CW_ERR_CONFIG', `scenario ${id}: start + duration = ${params.start + params.duration} s runs past the end of the run (${duration} s)`);
    }
    const span: EmitSpan = { first: Infinity, last: -Infinity };
    const count: ScenarioCounters = { modbusRequests: 0, modbusWrites: 0, tcpProbes: 0 };
    const ctx: ScenarioContext = {
      id,
      fb: env.fb,
      seed: env.seed,
      startTs: env.startTs,
      endTs: env.endTs,
      site: env.site,
      hosts: env.hosts,
      ports,
      cranes: env.cranes,
      writes: env.writes,
      count,
      addHost(h) {
        let name = h.name;
        for (let k = 2; env.hosts.has(name); k++) name = `${h.name}-${k}`;
        for (const other of env.hosts.values()) if (formatIpv4(other.ip) === h.ip) throw new CwError('CW_ERR_CONFIG', `scenario ${id}: address ${h.ip} is already in use`);
        const host = createHost({ name, mac: h.mac, ip: h.ip, stack: h.stack, ttl: h.ttl }, Prng.derive(env.seed, `host/${name}`));
        env.hosts.set(name, host);
        added.push({ name, role: 'unknown', ip: h.ip, mac: formatMac(host.mac), vendor: h.vendor, zone: h.zone, crane: null, inventoried: false });
        return host;
      },
      addAsset(asset, stack, client) {
        return addSiteAsset(env.hosts, env.site, env.seed, id, asset, stack, client);
      },
      add(actor) {
        env.sched.add(new TrackedActor(actor, env.fb, span));
      },
      crane(craneId) {
        const c = env.cranes.find((x) => x.id === craneId);
        if (c === undefined) throw new CwError('CW_ERR_CONFIG', `scenario ${id}: crane: no crane ${craneId} (cranes: ${env.cranes.map((x) => x.id).join(', ')})`);
        return c;
      },
    };
    const plan: ScenarioPlan = definition.install(ctx, params);
    const t0 = env.startTs + params.start;
    records.push({
      span,
      count,
      detail: plan.detail ?? {},
      truth: {
        id,
        scenario: definition.name,
        kind: definition.kind,
        benign: definition.kind === 'benign',
        params: { ...params },
        startTs: us(t0),
        endTs: us(t0 + params.duration),
        hosts: plan.hosts,
        craneIds: plan.craneIds,
        techniques: [...(plan.techniques ?? definition.techniques)],
        attackVersion: ATTACK_ICS_VERSION,
        expected: definition.kind === 'benign' ? [] : [...(plan.expected ?? definition.expected)],
        description: plan.description,
        holds: plan.holds,
        maintenanceWindow: plan.maintenanceWindow,
        modbusRequests: 0,
        modbusWrites: 0,
        tcpProbes: 0,
      },
    });
  }
  return {
    hosts: added,
    truths() {
      return records.map(({ truth, span, count, detail }) => {
        const t: ScenarioTruth = { ...truth, ...count, ...detail };
        if (span.first < Infinity) {
          t.startTs = us(span.first);
          t.endTs = us(span.last);
        } else if (truth.holds.length > 0) {
          t.startTs = Math.min(...truth.holds.map((h) => h.fromTs));
          t.endTs = Math.max(...truth.holds.map((h) => h.untilTs));
        }
        return t;
      });
    },
  };
}
