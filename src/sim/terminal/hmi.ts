import { formatIpv4 } from '../net/address.js';
import type { FrameBuilder } from '../net/frame-builder.js';
import type { SimHost } from '../net/host.js';
import type { ModbusRequest } from '../modbus/requests.js';
import { RequestListScript } from '../modbus/request-list-script.js';
import type { ModbusServer } from '../modbus/server.js';
import { type ModbusAduObserver, ModbusTcpSession } from '../modbus/session.js';
import { Prng } from '../random.js';
import { ActorChain } from './actor-chain.js';
import type { PortPool } from './port-pool.js';
import type { CompiledRegisterMap } from './register-map.js';
import type { TruthModbusWrite } from './truth.js';

/** Hoist speed limits (percent of rated speed) an operator switches between. */
const HOIST_LIMITS = [100, 90, 80];
/** Wind-stop thresholds (m/s) the cab HMI confirms. */
const WIND_STOPS = [20, 22, 18];

/** What the HMI chains share. */
export interface HmiContext {
  fb: FrameBuilder;
  ports: PortPool;
  seed: number;
  startTs: number;
  endTs: number;
  writes: TruthModbusWrite[];
}

/**
 * The operator-cab HMI of one crane writing setpoints to its PLC: a first command 30–400 s into the
 * run, then one every 20–60 minutes, each on its own Modbus/TCP connection (connect, write, FIN). It
 * writes the crane map's `read_write` setpoints in turn — a 16-bit register with Write Single
 * Register (6), a 32-bit one with Write Multiple Registers (16), a coil with Write Single Coil (5)
 * (Modbus AP V1.1b3 §6.5, §6.6, §6.12) — with values from a short list of plausible settings.
 * Every write request is added to `ctx.writes`. A crane map without setpoints gives an idle HMI.
 */
export function hmiChain(ctx: HmiContext, craneId: string, unit: number, hmi: SimHost, plc: SimHost, server: ModbusServer, map: CompiledRegisterMap): ActorChain {
  const rng = Prng.derive(ctx.seed, `hmi/${craneId}`);
  const setpoints = map.setpoints();
  let at = ctx.startTs + rng.range(30, 400);
  let n = 0;
  const src = formatIpv4(hmi.ip);
  const dst = formatIpv4(plc.ip);
  const observer: ModbusAduObserver = {
    adu(frame, ts, adu, off, len, fromClient) {
      if (!fromClient) return;
      const fc = adu[off + 7];
      if (fc !== 5 && fc !== 6 && fc !== 15 && fc !== 16) return;
      const address = (adu[off + 8] << 8) | adu[off + 9];
      const values: number[] = [];
      if (fc === 5) values.push(adu[off + 10] === 0xff ? 1 : 0);
      else if (fc === 6) values.push((adu[off + 10] << 8) | adu[off + 11]);
      else if (fc === 16) for (let p = off + 13; p + 1 < off + len; p += 2) values.push((adu[p] << 8) | adu[p + 1]);
      ctx.writes.push({
        frame,
        ts: Math.round(ts * 1e6) / 1e6,
        src,
        dst,
        craneId,
        unitId: adu[off + 6],
        transId: (adu[off] << 8) | adu[off + 1],
        functionCode: fc,
        address,
        values,
        signal: map.signalAt(fc === 5 ? 'coil' : 'holding', address),
      });
    },
  };
  return new ActorChain(() => {
    if (setpoints.length === 0 || !(at < ctx.endTs)) return null;
    const sp = setpoints[n % setpoints.length];
    const choice = n % 3;
    n++;
    const eng = sp.name.startsWith('wind') ? WIND_STOPS[choice] : HOIST_LIMITS[choice];
    const raw = Math.round(eng / sp.scale);
    let request: ModbusRequest;
    if (sp.table === 'coil') request = { fc: 5, unit, address: sp.address, value: raw !== 0 ? 0xff00 : 0 };
    else if (sp.type === 'u32' || sp.type === 'i32') {
      const hi = (raw >>> 16) & 0xffff;
      const lo = raw & 0xffff;
      request = { fc: 16, unit, address: sp.address, values: map.crane.word_order === 'low_first' ? [lo, hi] : [hi, lo] };
    } else request = { fc: 6, unit, address: sp.address, value: raw & 0xffff };
    const connectTs = at;
    at += rng.range(1200, 3600);
    return new ModbusTcpSession(ctx.fb, hmi, plc, server, new RequestListScript([{ ts: connectTs + rng.range(0.02, 0.2), request }]), rng, {
      connectTs,
      clientPort: ctx.ports.take(hmi),
      firstTid: rng.int(0, 0xffff),
      close: 'fin',
      closeDelaySec: rng.range(0.05, 0.5),
      observer,
    });
  });
}
