import { z } from 'zod';
import { CwError } from '../../errors.js';
import type { ModbusRequest } from '../modbus/requests.js';
import { RequestListScript } from '../modbus/request-list-script.js';
import { formatIpv4 } from '../net/address.js';
import { Prng } from '../random.js';
import { baseParamsShape, type ScenarioDefinition } from './scenario.js';
import { scenarioSession } from './scenario-kit.js';

const paramsSchema = z.strictObject({
  ...baseParamsShape({ start: 300, duration: 1200, crane: 'STS-01', intensity: 3 }),
});

/** Parameters of `benign-new-hmi` (seconds; `intensity` = setpoint writes). */
export type NewHmiParams = z.infer<typeof paramsSchema>;

/** Plausible settings an operator confirms: hoist speed limit %, wind-stop threshold m/s. */
const HOIST_LIMITS = [100, 90, 80];
const WIND_STOPS = [20, 22, 18];
/** The cab HMIs' IEEE OUI (Siemens AG) and the host numbers a second panel may take on the crane's /24. */
const HMI_OUI = '00:1b:1b';
const HOST_NUMBERS = [21, 29];

/**
 * `benign-new-hmi` (benign): a second operator panel is installed on `crane` and announced in the site
 * file the twin writes (asset `<crane>-hmi2`, role hmi, the crane's control zone, an address .21–.29 of
 * the PLC's /24 that no asset uses, a Siemens MAC; added to the crane's PLC `clients` when the site lists
 * them). From `start` it writes the crane's `read_write` setpoints in turn like the cab HMI does —
 * `intensity` writes spread over `duration`, each on its own Modbus/TCP connection (fc 6 for a 16-bit
 * register, 16 for a 32-bit one, 5 for a coil; Modbus AP V1.1b3 §6.5, §6.6, §6.12) with values from the
 * operators' usual settings. Inventoried and authorised by role, it must raise nothing.
 * @throws CwError CW_ERR_CONFIG when the crane's map has no setpoints or no address is free.
 */
export const benignNewHmi: ScenarioDefinition<NewHmiParams> = {
  name: 'benign-new-hmi',
  summary: 'A new operator HMI, announced in the site file, starts writing its crane’s setpoints',
  kind: 'benign',
  techniques: [],
  expected: [],
  params: paramsSchema,
  install(ctx, p) {
    const crane = ctx.crane(p.crane);
    const setpoints = crane.map.setpoints();
    if (setpoints.length === 0) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: crane ${crane.id}'s register map has no read_write setpoints for an HMI to write`);
    const rng = Prng.derive(ctx.seed, `scenario/${ctx.id}`);
    const net = crane.plcAsset.ip.split('.').slice(0, 3).join('.');
    const used = new Set<string>();
    for (const h of ctx.hosts.values()) used.add(formatIpv4(h.ip));
    let ip = '';
    for (let n = HOST_NUMBERS[0]; n <= HOST_NUMBERS[1] && ip === ''; n++) if (!used.has(`${net}.${n}`)) ip = `${net}.${n}`;
    if (ip === '') throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: no free address ${net}.${HOST_NUMBERS[0]}–${HOST_NUMBERS[1]} for the new HMI`);
    const h = (n: number): string => n.toString(16).padStart(2, '0');
    const existing = ctx.site.assets.find((a) => a.role === 'hmi' && a.crane === crane.id);
    const name = `${crane.id.toLowerCase()}-hmi2`;
    const hmi = ctx.addAsset(
      {
        name,
        ip,
        mac: `${HMI_OUI}:${h(rng.int(0x50, 0x5f))}:${h(rng.int(0, 255))}:${h(rng.int(0, 255))}`,
        vendor: existing?.vendor ?? 'Siemens AG',
        role: 'hmi',
        zone: crane.plcAsset.zone,
        crane: crane.id,
      },
      'windows',
      { asset: name, functions: [3, 5, 6, 16], writes: setpoints.map((s) => s.name), description: 'second operator panel' },
    );
    const unit = crane.unitId;
    const t0 = ctx.startTs + p.start;
    const slot = p.duration / p.intensity;
    for (let k = 0; k < p.intensity; k++) {
      const sp = setpoints[k % setpoints.length];
      const eng = sp.name.startsWith('wind') ? WIND_STOPS[k % 3] : HOIST_LIMITS[k % 3];
      const raw = Math.round(eng / sp.scale);
      let request: ModbusRequest;
      if (sp.table === 'coil') request = { fc: 5, unit, address: sp.address, value: raw !== 0 ? 0xff00 : 0 };
      else if (sp.type === 'u32' || sp.type === 'i32') {
        const hi = (raw >>> 16) & 0xffff;
        const lo = raw & 0xffff;
        request = { fc: 16, unit, address: sp.address, values: crane.map.crane.word_order === 'low_first' ? [lo, hi] : [hi, lo] };
      } else request = { fc: 6, unit, address: sp.address, value: raw & 0xffff };
      const connectTs = t0 + k * slot + rng.range(0.05, 0.6) * Math.min(slot, 60);
      scenarioSession(ctx, hmi, crane, new RequestListScript([{ ts: connectTs + rng.range(0.02, 0.2), request }]), rng, { connectTs });
    }
    return {
      hosts: { attackers: [ip], targets: [crane.plcAsset.ip] },
      craneIds: [crane.id],
      description: `new HMI ${name} (${ip}), announced in the site file, writes ${crane.id}'s setpoints ${p.intensity}×`,
      holds: [],
      maintenanceWindow: null,
    };
  },
};
