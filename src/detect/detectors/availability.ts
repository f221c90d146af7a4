import { fieldNumber, fieldString } from '../../events/fields.js';
import type { LogRecord } from '../../events/record.js';
import type { SitePolicy } from '../../policy/site-policy.js';
import { type IcsTechnique, Technique } from '../attack.js';
import type { Detector } from '../detector.js';
import type { FindingWriter } from '../finding.js';
import { medianOf, newCraneStateView, readCraneState } from './crane-state-view.js';

/**
 * Availability of the cranes (DESIGN.md "What it detects": unexpected stops, fleet-wide simultaneous
 * stops, silence of a crane that should talk). Three detectors whose names are the detections the
 * twin's scenarios expect (sim/scenarios `expected`): `unexpected_stop`, `fleet_stop` and
 * `crane_silence`. They read `crane_state` (crane/state/streams.ts) and `modbus_detailed` (ICSNPP).
 *
 * What is a stop: the operating mode going to 0 (off) or the emergency stop becoming active, outside
 * a maintenance window of the crane; or a crane that was cycling (a twistlock change in the 10 minutes
 * before) standing still (no axis moving 50 mm) for more than the site's `standstill_sec` (default 120 s)
 * while its wind interlock holds it (the PLC's wind-stop signal, else the crane's `wind_stop_ms`)
 * (its wind reading at or above its wind-stop setpoint, 20 m/s when the map has none) and the other
 * cranes' readings are below that setpoint — a stop on a wind no one else feels. A crane standing
 * still in semi-automatic or manual mode with no emergency stop and no such wind is idle (a shift
 * change, a wait for a truck): not a stop. A stop within 30 s after a Modbus write or a UMAS
 * (function 90) request to the crane's PLC is caused by that command.
 * ATT&CK for ICS: T0826 Loss of Availability always; T0881 Service Stop and T0813 Denial of Control
 * when a command caused it; silence adds T0829 Loss of View (the CMS no longer sees the crane).
 */

/** Seconds a command may precede the stop it caused. */
export const COMMAND_CAUSE_SEC = 30;
/** A crane that changed its twistlocks this long before its standstill was cycling, s. */
const CYCLING_SEC = 600;
/** Axis travel between samples that counts as moving, mm. */
const MOVING_MM = 50;
/** Neighbour wind readings older than this are not compared, s. */
const WIND_FRESH_SEC = 5;
/** Window of a fleet-wide stop, s. */
export const FLEET_WINDOW_SEC = 60;
/** A PLC polled at least this many times with a mean interval of at most POLL_REGULAR_SEC is polled regularly. */
const POLL_MIN_RESPONSES = 10;
const POLL_REGULAR_SEC = 10;
/** Modbus functions that command a PLC: writes (Modbus AP V1.1b3 §6.5, 6.6, 6.11, 6.12, 6.16, 6.17) and UMAS (90). */
const COMMAND_FUNCTIONS: ReadonlySet<number> = new Set([5, 6, 15, 16, 22, 23, 90]);

/** The last command sent to each PLC (by crane index). */
class CommandLog {
  readonly ts: Float64Array;
  readonly src: string[];
  readonly uid: string[];
  private readonly byPlc = new Map<string, number>();

  constructor(policy: SitePolicy) {
    const n = policy.site.cranes.length;
    this.ts = new Float64Array(n).fill(Number.NaN);
    this.src = new Array<string>(n).fill('');
    this.uid = new Array<string>(n).fill('');
    policy.site.cranes.forEach((c, i) => {
      const ip = policy.assetByName(c.plc)?.ip;
      if (ip !== undefined) this.byPlc.set(ip, i);
    });
  }

  /** Crane index of a PLC address, or -1. */
  craneOf(ip: string): number {
    return this.byPlc.get(ip) ?? -1;
  }

  /** Note a `modbus_detailed` row when it commands a crane's PLC. */
  observe(r: LogRecord): void {
    const fc = fieldNumber(r, 'function_code', -1);
    if (!COMMAND_FUNCTIONS.has(fc)) return;
    const i = this.craneOf(fieldString(r, 'destination_h'));
    if (i < 0) return;
    this.ts[i] = fieldNumber(r, 'ts');
    this.src[i] = fieldString(r, 'source_h');
    this.uid[i] = fieldString(r, 'uid');
  }

  /** True when a command reached crane `i` within COMMAND_CAUSE_SEC before `ts`. */
  causes(i: number, ts: number): boolean {
    const t = this.ts[i];
    return t <= ts && ts - t <= COMMAND_CAUSE_SEC;
  }
}

/** Mode/e-stop transitions of one crane: previous values and whether this sample starts a stop. */
class StopEdges {
  private readonly mode: Float64Array;
  private readonly estop: Float64Array;

  constructor(n: number) {
    this.mode = new Float64Array(n).fill(Number.NaN);
    this.estop = new Float64Array(n).fill(Number.NaN);
  }

  /** 'mode' when the mode just went to 0, 'estop' when the emergency stop just became active, else ''. */
  step(i: number, mode: number, estop: number): '' | 'mode' | 'estop' {
    const pm = this.mode[i];
    const pe = this.estop[i];
    if (!Number.isNaN(mode)) this.mode[i] = mode;
    if (!Number.isNaN(estop)) this.estop[i] = estop;
    if (!Number.isNaN(pm) && pm !== 0 && mode === 0) return 'mode';
    if (pe === 0 && estop === 1) return 'estop';
    return '';
  }
}

function stopTechniques(commanded: boolean): IcsTechnique[] {
  return commanded ? [Technique.LOSS_OF_AVAILABILITY, Technique.SERVICE_STOP, Technique.DENIAL_OF_CONTROL] : [Technique.LOSS_OF_AVAILABILITY];
}

/** `unexpected_stop`: one crane stops (mode off, emergency stop, or a wind stop its neighbours do not share). See the module note. */
export function unexpectedStopDetector(policy: SitePolicy): Detector | null {
  const cranes = policy.site.cranes;
  if (cranes.length === 0) return null;
  const n = cranes.length;
  const index = new Map<string, number>();
  cranes.forEach((c, i) => index.set(c.id, i));
  const commands = new CommandLog(policy);
  const edges = new StopEdges(n);
  const prevHoist = new Float64Array(n).fill(Number.NaN);
  const prevTrolley = new Float64Array(n).fill(Number.NaN);
  const prevGantry = new Float64Array(n).fill(Number.NaN);
  const prevLocked = new Float64Array(n).fill(Number.NaN);
  const lastMoveTs = new Float64Array(n).fill(Number.NaN);
  const lastCycleTs = new Float64Array(n).fill(Number.NaN);
  const standstillReported = new Uint8Array(n);
  const standstillSec = policy.site.thresholds.standstill_sec;
  const windStopMs = Float64Array.from(cranes, (c) => policy.thresholdsOf(c.id).wind_stop_ms);
  const windNow = new Float64Array(n).fill(Number.NaN);
  const windTs = new Float64Array(n).fill(Number.NaN);
  const scratch = new Float64Array(n);
  const v = newCraneStateView();

  const moved = (prev: number, cur: number): boolean => !Number.isNaN(prev) && !Number.isNaN(cur) && Math.abs(cur - prev) >= MOVING_MM;

  return {
    name: 'unexpected_stop',
    streams: ['modbus_detailed', 'crane_state'],
    observe(stream: string, r: LogRecord, out: FindingWriter): void {
      if (stream === 'modbus_detailed') {
        commands.observe(r);
        return;
      }
      const s = readCraneState(r, v);
      const i = index.get(s.crane);
      if (i === undefined || Number.isNaN(s.ts)) return;
      const id = s.crane;
      const edge = edges.step(i, s.mode, s.estop);
      if (!Number.isNaN(s.wind)) {
        windNow[i] = s.wind;
        windTs[i] = s.ts;
      }
      if (prevLocked[i] !== s.locked && !Number.isNaN(s.locked) && !Number.isNaN(prevLocked[i])) lastCycleTs[i] = s.ts;
      if (!Number.isNaN(s.locked)) prevLocked[i] = s.locked;
      if (Number.isNaN(lastMoveTs[i]) || moved(prevHoist[i], s.hoist) || moved(prevTrolley[i], s.trolley) || moved(prevGantry[i], s.gantry)) {
        lastMoveTs[i] = s.ts;
        standstillReported[i] = 0;
      }
      if (!Number.isNaN(s.hoist)) prevHoist[i] = s.hoist;
      if (!Number.isNaN(s.trolley)) prevTrolley[i] = s.trolley;
      if (!Number.isNaN(s.gantry)) prevGantry[i] = s.gantry;
      if (policy.inMaintenance(id, s.ts)) return;

      if (edge !== '') {
        const commanded = commands.causes(i, s.ts);
        const cmdSrc = commands.src[i];
        const what = edge === 'mode' ? 'switched to mode 0 (off)' : 'reported its emergency stop active';
        out.report({
          // One finding per stop: a later stop of the same crane is another event, with its own cause.
          key: `${id}:stop:${Math.round(s.ts)}`,
          ts: s.ts,
          severity: commanded ? 'critical' : 'high',
          title: `${id} stopped${commanded ? ' by a network command' : ''}`,
          explanation: commanded
            ? `${id} ${what} ${(s.ts - commands.ts[i]).toFixed(1)} s after ${cmdSrc} sent a command to its PLC ${s.plc}, outside any maintenance window: the crane was stopped over the network.`
            : `${id} ${what} outside any maintenance window, with no command seen on the network: the crane is out of service.`,
          techniques: stopTechniques(commanded),
          hosts: commanded && cmdSrc !== '' ? [cmdSrc, s.plc] : [s.plc],
          cranes: [id],
          evidence: commanded ? { stream: 'modbus_detailed', uid: commands.uid[i] } : { stream: 'modbus_detailed', uid: s.uid },
          action: commanded
            ? `Make ${id} safe, confirm with the crane operator that nobody on site ordered the stop, and block ${cmdSrc} from the crane-control network.`
            : `Ask ${id}'s operator why the crane stopped and check the PLC and its drives before restarting.`,
        });
        return;
      }

      // A standstill held by the wind interlock on a wind the other cranes do not feel.
      const still = s.ts - lastMoveTs[i];
      if (standstillReported[i] === 1 || still <= standstillSec || !(lastCycleTs[i] >= lastMoveTs[i] - CYCLING_SEC)) return;
      if (s.mode === 0 || s.estop === 1) return;
      const limit = Number.isNaN(s.windStop) ? windStopMs[i] : s.windStop;
      if (!(s.wind >= limit)) return;
      let k = 0;
      for (let j = 0; j < n; j++) if (j !== i && Math.abs(s.ts - windTs[j]) <= WIND_FRESH_SEC) scratch[k++] = windNow[j];
      const others = medianOf(scratch, k);
      if (!(others < limit)) return;
      standstillReported[i] = 1;
      out.report({
        key: `${id}:wind-standstill:${Math.round(lastMoveTs[i])}`,
        ts: s.ts,
        severity: 'high',
        title: `${id} stopped by a wind reading no other crane shares`,
        explanation: `${id} has stood still for ${Math.round(still)} s, held by its wind interlock on a ${s.wind} m/s reading (stop at ${limit} m/s) while the other cranes read ${others.toFixed(1)} m/s: a false wind reading is keeping the crane out of service.`,
        techniques: stopTechniques(false),
        hosts: [s.plc],
        cranes: [id],
        evidence: { stream: 'modbus_detailed', uid: s.uid },
        action: `Check ${id}'s anemometer against its neighbours and the local display; if the reading is false, repair or isolate the sensor under the terminal's wind procedure and restart the crane.`,
      });
    },
    finish(): void {},
  };
}

/**
 * `fleet_stop`: at least two thirds of the site's cranes (and at least two) stopped by mode 0 or an
 * emergency stop within FLEET_WINDOW_SEC, outside their maintenance windows — one finding per episode
 * (stops within the window of the episode's last one join it). Severity critical. Null for sites with
 * fewer than two cranes.
 */
export function fleetStopDetector(policy: SitePolicy): Detector | null {
  const cranes = policy.site.cranes;
  if (cranes.length < 2) return null;
  const n = cranes.length;
  const needed = Math.max(2, Math.ceil((2 * n) / 3));
  const index = new Map<string, number>();
  cranes.forEach((c, i) => index.set(c.id, i));
  const commands = new CommandLog(policy);
  const edges = new StopEdges(n);
  const stopTs = new Float64Array(n).fill(Number.NaN);
  const commanded = new Uint8Array(n);
  let episodeKey = '';
  let episodeLastTs = Number.NaN;
  const v = newCraneStateView();

  return {
    name: 'fleet_stop',
    streams: ['modbus_detailed', 'crane_state'],
    observe(stream: string, r: LogRecord, out: FindingWriter): void {
      if (stream === 'modbus_detailed') {
        commands.observe(r);
        return;
      }
      const s = readCraneState(r, v);
      const i = index.get(s.crane);
      if (i === undefined || Number.isNaN(s.ts)) return;
      if (edges.step(i, s.mode, s.estop) === '' || policy.inMaintenance(s.crane, s.ts)) return;
      stopTs[i] = s.ts;
      commanded[i] = commands.causes(i, s.ts) ? 1 : 0;
      let count = 0;
      let first = s.ts;
      let anyCommand = false;
      const ids: string[] = [];
      const hosts: string[] = [];
      for (let j = 0; j < n; j++) {
        if (!(s.ts - stopTs[j] <= FLEET_WINDOW_SEC)) continue;
        count++;
        ids.push(cranes[j].id);
        if (stopTs[j] < first) first = stopTs[j];
        if (commanded[j] === 1) {
          anyCommand = true;
          const src = commands.src[j];
          if (src !== '' && !hosts.includes(src)) hosts.unshift(src);
        }
        const plc = policy.assetByName(cranes[j].plc)?.ip;
        if (plc !== undefined) hosts.push(plc);
      }
      if (count < needed) return;
      if (episodeKey === '' || !(s.ts - episodeLastTs <= FLEET_WINDOW_SEC)) episodeKey = `fleet@${Math.floor(first)}`;
      episodeLastTs = s.ts;
      out.report({
        key: episodeKey,
        ts: s.ts,
        severity: 'critical',
        title: `Fleet-wide stop: ${count} of ${n} cranes stopped within ${Math.ceil(s.ts - first)} s`,
        explanation: `${ids.join(', ')} stopped (mode off or emergency stop) within ${Math.ceil(s.ts - first)} s of each other, outside any maintenance window${anyCommand ? ', each right after a network command to its PLC' : ''}: the terminal's quay cranes are out of service together.`,
        techniques: stopTechniques(anyCommand),
        hosts,
        cranes: ids,
        evidence: { stream: 'modbus_detailed', uid: commanded[i] === 1 ? commands.uid[i] : s.uid },
        action: 'Declare a terminal-wide incident: make every crane safe, isolate the crane-control network from the other zones, and find the host that sent the stop commands before restarting.',
      });
    },
    finish(): void {},
  };
}

/**
 * `crane_silence`: a crane's PLC that answered regularly (at least 10 matched Modbus transactions,
 * a mean interval of at most 10 s) gives no answer for longer than max(the site's `crane_silence_sec`
 * (default 30 s), 5 × its mean interval)
 * of capture time (the clock is the latest `modbus_detailed` or `conn` time seen), outside its
 * maintenance windows — its CMS flow ended or its answers stopped. Checked at most once per second of
 * capture time and at the end of input; one report per silence. Severity high.
 */
export function craneSilenceDetector(policy: SitePolicy): Detector | null {
  const cranes = policy.site.cranes;
  if (cranes.length === 0) return null;
  const n = cranes.length;
  const commands = new CommandLog(policy);
  const count = new Float64Array(n);
  const firstTs = new Float64Array(n).fill(Number.NaN);
  const lastTs = new Float64Array(n).fill(Number.NaN);
  const lastUid = new Array<string>(n).fill('');
  const reported = new Uint8Array(n);
  const plcs = cranes.map((c) => policy.assetByName(c.plc)?.ip ?? '');
  const silenceSec = policy.site.thresholds.crane_silence_sec;
  let clock = Number.NEGATIVE_INFINITY;
  let checkedAt = Number.NEGATIVE_INFINITY;

  function check(out: FindingWriter): void {
    checkedAt = clock;
    for (let i = 0; i < n; i++) {
      if (reported[i] === 1 || count[i] < POLL_MIN_RESPONSES) continue;
      const mean = (lastTs[i] - firstTs[i]) / (count[i] - 1);
      if (mean > POLL_REGULAR_SEC) continue;
      const limit = Math.max(silenceSec, 5 * mean);
      const quiet = clock - lastTs[i];
      if (quiet <= limit) continue;
      const id = cranes[i].id;
      const at = lastTs[i] + limit;
      if (policy.inMaintenance(id, at)) continue;
      reported[i] = 1;
      out.report({
        key: `${id}:silent`,
        ts: at,
        severity: 'high',
        title: `${id}'s PLC fell silent`,
        explanation: `${id}'s PLC ${plcs[i]} answered Modbus polls every ${mean.toFixed(1)} s and then nothing for ${Math.round(quiet)} s: the crane management system has lost sight of the crane.`,
        techniques: [Technique.LOSS_OF_VIEW, Technique.LOSS_OF_AVAILABILITY],
        hosts: [plcs[i]],
        cranes: [id],
        evidence: { stream: 'modbus_detailed', uid: lastUid[i] },
        action: `Check ${id}'s PLC, its network link and the CMS connection to it; treat a PLC that stops answering without a planned outage as a possible attack.`,
      });
    }
  }

  return {
    name: 'crane_silence',
    streams: ['modbus_detailed', 'conn'],
    observe(stream: string, r: LogRecord, out: FindingWriter): void {
      const ts = fieldNumber(r, 'ts', Number.NaN);
      if (Number.isNaN(ts)) return;
      if (stream === 'conn') {
        const end = ts + fieldNumber(r, 'duration');
        if (end > clock) clock = end;
      } else {
        if (ts > clock) clock = ts;
        if (r.matched === true) {
          let i = commands.craneOf(fieldString(r, 'destination_h'));
          if (i < 0) i = commands.craneOf(fieldString(r, 'source_h'));
          if (i >= 0 && !(ts <= lastTs[i])) {
            if (count[i] === 0) firstTs[i] = ts;
            count[i]++;
            lastTs[i] = ts;
            lastUid[i] = fieldString(r, 'uid');
            reported[i] = 0;
          }
        }
      }
      if (clock - checkedAt >= 1) check(out);
    },
    finish(out: FindingWriter): void {
      check(out);
    },
  };
}
