import { z } from 'zod';
import type { Site, SiteAsset, SitePlcClient } from '../../policy/site-schema.js';
import type { ModbusServer } from '../modbus/server.js';
import type { FrameBuilder } from '../net/frame-builder.js';
import type { SimHost, StackKind } from '../net/host.js';
import type { Actor } from '../scheduler.js';
import type { CraneModel } from '../terminal/crane-model.js';
import type { PortPool } from '../terminal/port-pool.js';
import type { CompiledRegisterMap } from '../terminal/register-map.js';
import type { ScenarioTruth, TruthModbusWrite, TruthTechnique } from '../terminal/truth.js';

/** Whether a scenario is an attack, a fault (no adversary) or benign traffic that must not alert. */
export type ScenarioKind = 'attack' | 'fault' | 'benign';

/** One crane of the running terminal, as a scenario sees it. */
export interface ScenarioCrane {
  /** Crane id from the site file, e.g. "STS-02". */
  id: string;
  /** 0-based position of the crane in the site file. */
  index: number;
  /** Modbus unit identifier its PLC is addressed with. */
  unitId: number;
  plcAsset: SiteAsset;
  plc: SimHost;
  server: ModbusServer;
  map: CompiledRegisterMap;
  model: CraneModel;
  /** True when the PLC answers UMAS (function 90): a Schneider Electric Modicon. */
  umas: boolean;
}

/** A host a scenario brings that the site inventory does not list (an intruder's laptop, a rogue modem). */
export interface RogueHostSpec {
  name: string;
  /** IPv4 dotted quad. */
  ip: string;
  /** MAC its frames carry on the captured link (a routed host carries its gateway's MAC). */
  mac: string;
  /** IEEE registry name of the MAC's OUI, as the truth lists it. */
  vendor: string;
  stack: StackKind;
  /** Zone id of the site the address lies in ('' when none). */
  zone: string;
  /** TTL as captured (initial TTL minus routed hops); default from `stack`. */
  ttl?: number;
}

/**
 * What a scenario gets from the running terminal (src/sim/terminal/terminal.ts) when it is installed,
 * before the simulation runs. Times are seconds since the epoch.
 */
export interface ScenarioContext {
  /** This run of the scenario: `<name>#<n>`. */
  id: string;
  fb: FrameBuilder;
  /** PRNG seed of the run; scenarios derive their own streams (`Prng.derive(seed, id)`). */
  seed: number;
  /** The run's span [startTs, endTs). */
  startTs: number;
  endTs: number;
  site: Site;
  /** Inventoried hosts by asset name. */
  hosts: ReadonlyMap<string, SimHost>;
  /** Client ports of the scenario hosts: a pool of their own, so scenarios never shift the terminal's ports. */
  ports: PortPool;
  cranes: readonly ScenarioCrane[];
  /** The run's Modbus write list (truth.modbusWrites); scenarios add theirs with `scenario` set. */
  writes: TruthModbusWrite[];
  /** Add a host the inventory lacks; it is listed in the truth's hosts with `inventoried: false`. */
  addHost(spec: RogueHostSpec): SimHost;
  /**
   * Announce a new inventoried asset in the run's site file (the copy `generateTerminal` returns and
   * `simulate --site-out` writes) and bring its host up (stream `Prng.derive(seed, "host/<name>")`, as
   * for every site asset): `asset` is appended to `site.assets`; when it belongs to a crane whose entry
   * lists its PLC's `clients` explicitly, `client` is appended there too (sites without such lists
   * derive the rights from roles, policy/site-policy.ts). The host joins `hosts`, and the truth lists it
   * with the site's assets (inventoried).
   * @throws CwError CW_ERR_CONFIG naming the scenario when the name or address is taken, or the zone or
   *   crane is not in the site file.
   */
  addAsset(asset: SiteAsset, stack: StackKind, client: SitePlcClient | null): SimHost;
  /** Schedule one of the scenario's actors; the frames it emits bound the truth's `startTs`/`endTs`. */
  add(actor: Actor): void;
  /** Counters the scenario's actors keep up to date (copied into the truth after the run). */
  readonly count: ScenarioCounters;
  /** The crane with id `id`. @throws CwError CW_ERR_CONFIG naming the scenario when there is none. */
  crane(id: string): ScenarioCrane;
}

/** Counters of what a scenario's actors sent (fields of `ScenarioTruth` of the same names). */
export interface ScenarioCounters {
  modbusRequests: number;
  modbusWrites: number;
  tcpProbes: number;
}

/**
 * Detail records a scenario adds to its truth (the `ScenarioTruth` fields `exfil`, `covert`); the
 * objects may keep filling during the run, their state after the run is what the truth holds.
 */
export type ScenarioDetail = Pick<ScenarioTruth, 'exfil' | 'covert'>;

/** What `install` reports; the installer adds id, timing, technique list and counters. */
export interface ScenarioPlan {
  hosts: { attackers: string[]; targets: string[] };
  craneIds: string[];
  description: string;
  holds: ScenarioTruth['holds'];
  maintenanceWindow: ScenarioTruth['maintenanceWindow'];
  /** The techniques and detections of this variant when they differ from the definition's. */
  techniques?: readonly TruthTechnique[];
  expected?: readonly string[];
  /** Detail records of this run, listed after the counters in its truth. */
  detail?: ScenarioDetail;
}

/** Parameters every scenario has (seconds; `crane` a site crane id; `intensity` 1 slow … 10 noisy). */
export interface BaseParams {
  start: number;
  duration: number;
  crane: string;
  intensity: number;
}

/**
 * One attack, fault or benign scenario of the twin: a kebab-case name, its ATT&CK for ICS techniques
 * (detect/attack.ts `ATTACK_ICS_VERSION`), the detections it should raise, a zod v4 schema of its parameters (with
 * defaults; values may arrive as text from the command line) and `install`, which schedules the
 * scenario's actors on the terminal and returns its plan. `install` throws `CwError` CW_ERR_CONFIG for
 * parameters the terminal cannot honour (unknown crane, a PLC family the scenario does not apply to).
 */
export interface ScenarioDefinition<P extends BaseParams = BaseParams> {
  name: string;
  summary: string;
  kind: ScenarioKind;
  techniques: readonly TruthTechnique[];
  expected: readonly string[];
  params: z.ZodType<P>;
  install(ctx: ScenarioContext, params: P): ScenarioPlan;
}

/** Number parameter read from text or a number. */
function num(def: number, min: number, max: number, what: string): z.ZodDefault<z.ZodCoercedNumber<unknown>> {
  return z.coerce
    .number({ error: `expected ${what}` })
    .min(min, { error: `expected ${what} ≥ ${min}` })
    .max(max, { error: `expected ${what} ≤ ${max}` })
    .default(def);
}

/**
 * The shape of the parameters every scenario has, with the scenario's defaults: `start` (seconds
 * after the run's start), `duration` (seconds the activity, or its effect, lasts), `crane` (target
 * crane id), `intensity` (1–10: request rate, from slow and stealthy to fast and noisy).
 */
export function baseParamsShape(defaults: BaseParams) {
  return {
    start: num(defaults.start, 0, 7 * 86_400, 'seconds after the run start'),
    duration: num(defaults.duration, 1, 7 * 86_400, 'a duration in seconds'),
    crane: z.string({ error: 'expected a crane id' }).regex(/^[A-Za-z0-9_-]+$/, { error: 'expected a crane id such as STS-02' }).default(defaults.crane),
    intensity: num(defaults.intensity, 1, 10, 'an intensity 1–10'),
  };
}

/** Integer parameter from text or a number, within [min, max]. */
export function intParam(def: number, min: number, max: number, what: string): z.ZodDefault<z.ZodCoercedNumber<unknown>> {
  return z.coerce
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what} (an integer)` })
    .min(min, { error: `expected ${what} ≥ ${min}` })
    .max(max, { error: `expected ${what} ≤ ${max}` })
    .default(def);
}
