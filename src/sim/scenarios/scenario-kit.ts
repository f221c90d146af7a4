import { CwError } from '../../errors.js';
import type { ModbusClientScript, ModbusAduObserver } from '../modbus/session.js';
import { ModbusTcpSession } from '../modbus/session.js';
import { formatIpv4 } from '../net/address.js';
import type { SimHost } from '../net/host.js';
import type { Prng } from '../random.js';
import type { ScenarioTruth } from '../terminal/truth.js';
import type { RogueHostSpec, ScenarioContext, ScenarioCrane } from './scenario.js';

/** Round seconds since the epoch to microseconds (the capture's resolution). */
export function us(ts: number): number {
  return Math.round(ts * 1e6) / 1e6;
}

/**
 * An observer for a scenario's Modbus/TCP session with `crane`: passes responses on to `responses`
 * (a client that reads its answers, e.g. a UMAS session key), counts the requests and adds every
 * write request (fc 5, 6, 15, 16; Modbus AP V1.1b3 §6.5, §6.6, §6.11, §6.12) to `ctx.writes` with the
 * scenario id, values decoded as the request carries them (coils 0/1).
 */
export function scenarioObserver(ctx: ScenarioContext, crane: ScenarioCrane, client: SimHost, responses: ModbusAduObserver | null): ModbusAduObserver {
  const src = formatIpv4(client.ip);
  const dst = formatIpv4(crane.plc.ip);
  return {
    adu(frame, ts, adu, off, len, fromClient) {
      if (!fromClient) {
        if (responses !== null) responses.adu(frame, ts, adu, off, len, false);
        return;
      }
      ctx.count.modbusRequests++;
      if (len < 12) return;
      const fc = adu[off + 7];
      if (fc !== 5 && fc !== 6 && fc !== 15 && fc !== 16) return;
      ctx.count.modbusWrites++;
      const address = (adu[off + 8] << 8) | adu[off + 9];
      const values: number[] = [];
      if (fc === 5) values.push(adu[off + 10] === 0xff ? 1 : 0);
      else if (fc === 6) values.push((adu[off + 10] << 8) | adu[off + 11]);
      else if (len > 13) {
        const q = (adu[off + 10] << 8) | adu[off + 11];
        if (fc === 16) for (let p = off + 13; p + 1 < off + len; p += 2) values.push((adu[p] << 8) | adu[p + 1]);
        else for (let i = 0; i < q && off + 13 + (i >>> 3) < off + len; i++) values.push((adu[off + 13 + (i >>> 3)] >>> (i & 7)) & 1);
      }
      ctx.writes.push({
        frame,
        ts: us(ts),
        src,
        dst,
        craneId: crane.id,
        unitId: adu[off + 6],
        transId: (adu[off] << 8) | adu[off + 1],
        functionCode: fc,
        address,
        values,
        signal: crane.map.signalAt(fc === 5 || fc === 15 ? 'coil' : 'holding', address),
        scenario: ctx.id,
      });
    },
  };
}

/**
 * Address and scale of the 16-bit holding register `name` of `crane`'s map.
 * @throws CwError CW_ERR_CONFIG naming the scenario `id` when the map has no such register.
 */
export function holdingRegister(id: string, crane: ScenarioCrane, name: string): { address: number; scale: number } {
  const r = crane.map.crane.registers[name];
  if (r === undefined || r.table !== 'holding' || (r.type !== 'u16' && r.type !== 'i16')) {
    throw new CwError('CW_ERR_CONFIG', `scenario ${id}: crane ${crane.id}'s register map has no 16-bit holding register ${name}`);
  }
  return { address: r.address, scale: r.scale };
}

/** Timing of a scenario's Modbus/TCP session. */
export interface ScenarioSessionOptions {
  /** When the client sends its SYN, seconds since the epoch. */
  connectTs: number;
  /** How the client ends: FIN (default) or RST (scanners). */
  close?: 'fin' | 'rst';
  /** Sees the PLC's responses (the client's own reading of its answers). */
  responses?: ModbusAduObserver;
}

/**
 * Open one Modbus/TCP connection from `client` to `crane`'s PLC (real handshake, the PLC's own
 * `ModbusServer` answering, RFC 9293 close) playing `script`, and schedule it for the scenario.
 */
export function scenarioSession(ctx: ScenarioContext, client: SimHost, crane: ScenarioCrane, script: ModbusClientScript, rng: Prng, opts: ScenarioSessionOptions): ModbusTcpSession {
  const session = new ModbusTcpSession(ctx.fb, client, crane.plc, crane.server, script, rng, {
    connectTs: opts.connectTs,
    clientPort: ctx.ports.take(client),
    firstTid: rng.int(0, 0xffff),
    close: opts.close ?? 'fin',
    closeDelaySec: rng.range(0.05, 0.3),
    observer: scenarioObserver(ctx, crane, client, opts.responses ?? null),
  });
  ctx.add(session);
  return session;
}

/**
 * Hold `crane` still over [fromTs, untilTs) (`CraneModel.holdUntil`) and list the hold in `holds`.
 * @param mode  `operating_mode` the PLC reports meanwhile; `estop` 1 when the e-stop shows pressed.
 */
export function holdCrane(holds: ScenarioTruth['holds'], crane: ScenarioCrane, fromTs: number, untilTs: number, mode: number, estop = 0): void {
  crane.model.holdUntil(fromTs, untilTs, mode, estop);
  holds.push({ craneId: crane.id, fromTs: us(fromTs), untilTs: us(untilTs), mode });
}

/** Where an intruder's host sits: a laptop in the enterprise zone, or a device planted on a crane's control subnet. */
export type IntruderPlace = 'enterprise' | 'crane-subnet';

/** IEEE registry names and OUIs of the intruder hosts (oui-data): a laptop NIC and a single-board computer. */
const LAPTOP = { oui: '10:51:07', vendor: 'Intel Corporate' };
const PLANTED = { oui: '28:cd:c1', vendor: 'Raspberry Pi Trading Ltd' };

/**
 * Add an intruder host the inventory lacks: `enterprise` — a Windows laptop in the first address block
 * of the site's enterprise zone (host part .1–30.10–250 of a /16; any free host address of a longer
 * prefix); `crane-subnet` — a Linux single-board computer on the /24 of `crane`'s PLC, at an
 * address no asset uses. Address and MAC drawn from `rng`; `label` names it in the truth.
 */
export function intruderHost(ctx: ScenarioContext, rng: Prng, place: IntruderPlace, crane: ScenarioCrane, label: string): SimHost {
  const used = new Set<string>();
  for (const host of ctx.hosts.values()) used.add(formatIpv4(host.ip));
  const h = (n: number): string => n.toString(16).padStart(2, '0');
  const macTail = `${h(rng.int(0, 255))}:${h(rng.int(0, 255))}:${h(rng.int(0, 255))}`;
  let spec: RogueHostSpec;
  if (place === 'enterprise') {
    const block = ctx.site.zones.find((x) => x.kind === 'enterprise')?.cidrs[0];
    if (block === undefined) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: from: the site has no enterprise zone with an address block`);
    let ip = '';
    for (let tries = 0; tries < 256 && (ip === '' || used.has(ip)); tries++) ip = hostInBlock(block, rng.int(1, 30) * 256 + rng.int(10, 250) - 1);
    if (used.has(ip)) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: no free address for a laptop in ${block}`);
    spec = { name: `${label}-laptop`, ip, mac: `${LAPTOP.oui}:${macTail}`, vendor: LAPTOP.vendor, stack: 'windows', zone: zoneOf(ctx, 'enterprise') };
  } else {
    const net = crane.plcAsset.ip.split('.').slice(0, 3).join('.');
    let ip = '';
    for (let tries = 0; tries < 64 && (ip === '' || used.has(ip)); tries++) ip = `${net}.${rng.int(150, 250)}`;
    if (used.has(ip)) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: no free address for a planted device on ${net}.0/24`);
    spec = { name: `${label}-implant`, ip, mac: `${PLANTED.oui}:${macTail}`, vendor: PLANTED.vendor, stack: 'linux', zone: crane.plcAsset.zone };
  }
  return ctx.addHost(spec);
}

/**
 * The address `offset` hosts into an IPv4 CIDR block (`10.40.0.0/16`, 300 → `10.40.1.44`), wrapped
 * into the block's host range when the block is smaller (never the network or broadcast address of
 * a block of /30 or wider).
 */
export function hostInBlock(cidr: string, offset: number): string {
  const [addr, len] = cidr.split('/');
  const bits = Number(len);
  const size = bits >= 32 ? 1 : 2 ** (32 - bits);
  const base = addr.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const host = size > 2 ? 1 + (offset % (size - 2)) : offset % size;
  const n = base + host;
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');
}

/** Id of the site zone of `kind`, or '' when the site has none. */
function zoneOf(ctx: ScenarioContext, kind: string): string {
  const z = ctx.site.zones.find((x) => x.kind === kind);
  return z === undefined ? '' : z.id;
}
