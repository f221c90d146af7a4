import { z } from 'zod';
import { CwError } from '../../errors.js';
import { UmasCode } from '../modbus/server.js';
import { formatIpv4 } from '../net/address.js';
import type { SimHost } from '../net/host.js';
import { Prng } from '../random.js';
import { MODE_OFF } from '../terminal/crane-model.js';
import type { ScenarioTruth, TruthTechnique } from '../terminal/truth.js';
import { baseParamsShape, intParam, type ScenarioContext, type ScenarioCrane, type ScenarioDefinition } from './scenario.js';
import { holdCrane, intruderHost, scenarioSession } from './scenario-kit.js';
import { UmasScript, type UmasStep } from './umas-script.js';
import { Technique } from '../../detect/attack.js';

/** Program bytes per UMAS transfer block (one block per Modbus/TCP ADU of at most 260 bytes). */
const BLOCK_BYTES = 200;

const paramsSchema = z.strictObject({
  ...baseParamsShape({ start: 600, duration: 900, crane: 'STS-01', intensity: 5 }),
  variant: z.enum(['stop', 'download'], { error: 'expected stop or download' }).default('stop'),
  from: z.enum(['enterprise', 'crane-subnet'], { error: 'expected enterprise or crane-subnet' }).default('enterprise'),
  blocks: intParam(24, 1, 500, 'program blocks to transfer'),
});

/** Parameters of `plc-stop` (seconds). */
export type PlcStopParams = z.infer<typeof paramsSchema>;

/** ASCII bytes of `text`. */
function ascii(text: string): Uint8Array {
  const b = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) b[i] = text.charCodeAt(i) & 0x7f;
  return b;
}

/** The request data of TAKE_PLC_RESERVATION: two zero bytes, then the tool's host name (length-prefixed). */
function reservationData(hostName: string): Uint8Array {
  const name = ascii(hostName);
  const d = new Uint8Array(3 + name.length);
  d[2] = name.length;
  d.set(name, 3);
  return d;
}

/** Open an engineering session's opening: INIT_COMM, READ_ID, READ_PLC_INFO, TAKE_PLC_RESERVATION from `at` on. */
function opening(rng: Prng, at: number, hostName: string): { steps: UmasStep[]; at: number } {
  const steps: UmasStep[] = [];
  const none = new Uint8Array(0);
  for (const code of [UmasCode.INIT_COMM, UmasCode.READ_ID, UmasCode.READ_PLC_INFO]) {
    steps.push({ ts: at, code, data: code === UmasCode.INIT_COMM ? new Uint8Array([0x00]) : none, keyed: false });
    at += rng.range(0.02, 0.15);
  }
  steps.push({ ts: at, code: UmasCode.TAKE_PLC_RESERVATION, data: reservationData(hostName), keyed: false });
  at += rng.range(0.05, 0.3);
  return { steps, at };
}

/** The UMAS-speaking crane `crane`, or a config error naming the scenario. */
function umasCrane(ctx: ScenarioContext, id: string): ScenarioCrane {
  const crane = ctx.crane(id);
  if (!crane.umas) {
    const umas = ctx.cranes.filter((c) => c.umas).map((c) => c.id);
    throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: crane: ${id}'s PLC (${crane.plcAsset.vendor}) does not speak UMAS; choose a Schneider Electric crane${umas.length > 0 ? ` (${umas.join(', ')})` : ''}`);
  }
  return crane;
}

/**
 * `plc-stop`: an engineering session from a host the inventory lacks stops a Schneider Electric crane
 * PLC over UMAS (Modbus function code 90): INIT_COMM, READ_ID, READ_PLC_INFO, TAKE_PLC_RESERVATION
 * (session key), STOP_PLC (0x41) — the crane stops at once — and, with `variant=download`, a program
 * transfer to the PLC (INITIALIZE_UPLOAD 0x30, `blocks` × UPLOAD_BLOCK 0x31 of 200 bytes,
 * END_STRATEGY_UPLOAD 0x32; "upload" is PC → PLC in UMAS terms, ATT&CK's Program Download), then
 * RELEASE_PLC_RESERVATION. With `download` the intruder comes back at `start + duration` and sends
 * START_PLC (0x40), running the altered program; with `stop` the crane stays stopped until then (a
 * restart at the cabinet, not on the wire). The PLC reports mode 0 (off) while stopped.
 * @throws CwError CW_ERR_CONFIG when the crane's PLC is not a Schneider Electric one.
 */
export const plcStop: ScenarioDefinition<PlcStopParams> = {
  name: 'plc-stop',
  summary: 'UMAS (Modbus fc 90) STOP_PLC, optionally a program download and START_PLC, on a Schneider crane PLC',
  kind: 'attack',
  techniques: [Technique.ROGUE_MASTER, Technique.CHANGE_OPERATING_MODE, Technique.PROGRAM_DOWNLOAD, Technique.MODIFY_CONTROLLER_TASKING, Technique.LOSS_OF_AVAILABILITY],
  expected: ['plc_command', 'rogue_device', 'unexpected_stop'],
  params: paramsSchema,
  install(ctx, p) {
    const crane = umasCrane(ctx, p.crane);
    const rng = Prng.derive(ctx.seed, `scenario/${ctx.id}`);
    const attacker = intruderHost(ctx, rng, p.from, crane, 'intruder');
    const hostName = `DESKTOP-${rng.int(0x100000, 0xffffff).toString(16).toUpperCase()}`;
    const t0 = ctx.startTs + p.start;
    const end = t0 + p.duration;
    const open = opening(rng, t0 + rng.range(0.1, 0.4), hostName);
    const steps = open.steps;
    let at = open.at;
    const stopTs = at;
    steps.push({ ts: stopTs, code: UmasCode.STOP_PLC, data: new Uint8Array(0), keyed: true });
    at += rng.range(0.5, 2);
    if (p.variant === 'download') {
      steps.push({ ts: at, code: UmasCode.INITIALIZE_UPLOAD, data: new Uint8Array([0x00, 0x01]), keyed: true });
      at += rng.range(0.1, 0.3);
      const gap = 0.5 / p.intensity;
      for (let b = 1; b <= p.blocks; b++) {
        const data = new Uint8Array(6 + BLOCK_BYTES);
        data[1] = 0x01;
        data[2] = b & 0xff;
        data[3] = b >>> 8;
        data[4] = BLOCK_BYTES & 0xff;
        data[5] = BLOCK_BYTES >>> 8;
        for (let i = 6; i < data.length; i++) data[i] = rng.int(0, 255);
        steps.push({ ts: at, code: UmasCode.UPLOAD_BLOCK, data, keyed: true });
        at += gap * rng.range(0.8, 1.2);
      }
      steps.push({ ts: at, code: UmasCode.END_STRATEGY_UPLOAD, data: new Uint8Array([0x00, 0x01, p.blocks & 0xff, p.blocks >>> 8]), keyed: true });
      at += rng.range(0.1, 0.5);
    }
    steps.push({ ts: at, code: UmasCode.RELEASE_PLC_RESERVATION, data: new Uint8Array(0), keyed: true });
    const need = at + (p.variant === 'download' ? 7 : 1);
    if (need >= end) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: duration ${p.duration} s is too short for the session; give at least ${Math.ceil(need + 1 - t0)} s`);
    session(ctx, attacker, crane, steps, rng, t0);
    let restartTs = end;
    if (p.variant === 'download') {
      const back = opening(rng, end - 5 + rng.range(0.1, 0.4), hostName);
      restartTs = back.at;
      back.steps.push({ ts: restartTs, code: UmasCode.START_PLC, data: new Uint8Array(0), keyed: true });
      back.steps.push({ ts: restartTs + rng.range(0.2, 0.6), code: UmasCode.RELEASE_PLC_RESERVATION, data: new Uint8Array(0), keyed: true });
      session(ctx, attacker, crane, back.steps, rng, end - 5);
    }
    const holds: ScenarioTruth['holds'] = [];
    holdCrane(holds, crane, stopTs + 0.01, restartTs + 0.01, MODE_OFF);
    const techniques: TruthTechnique[] = [Technique.ROGUE_MASTER, Technique.CHANGE_OPERATING_MODE, Technique.LOSS_OF_AVAILABILITY];
    if (p.variant === 'download') techniques.push(Technique.PROGRAM_DOWNLOAD, Technique.MODIFY_CONTROLLER_TASKING);
    return {
      hosts: { attackers: [formatIpv4(attacker.ip)], targets: [crane.plcAsset.ip] },
      craneIds: [crane.id],
      description:
        p.variant === 'download'
          ? `${attacker.name} stops ${crane.id}'s PLC over UMAS, downloads a ${p.blocks}-block program and restarts it ${p.duration} s later`
          : `${attacker.name} stops ${crane.id}'s PLC over UMAS (STOP_PLC); the crane stands still for ${p.duration} s`,
      holds,
      maintenanceWindow: null,
      techniques,
    };
  },
};

/** One UMAS engineering connection from `attacker` to `crane`'s PLC. */
function session(ctx: ScenarioContext, attacker: SimHost, crane: ScenarioCrane, steps: UmasStep[], rng: Prng, connectTs: number): void {
  const script = new UmasScript(steps);
  scenarioSession(ctx, attacker, crane, script, rng, { connectTs, responses: script.responses });
}
