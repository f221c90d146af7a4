import { z } from 'zod';
import { CwError } from '../../errors.js';
import { formatIpv4 } from '../net/address.js';
import type { SimHost } from '../net/host.js';
import { Prng } from '../random.js';
import { baseParamsShape, intParam, type ScenarioDefinition } from './scenario.js';
import { intruderHost, scenarioSession } from './scenario-kit.js';
import { PortScanActor, type ScanProbe } from './port-scan.js';
import { SweepScript } from './sweep-script.js';
import { Technique } from '../../detect/attack.js';

/** Ports a scan of a crane subnet tries: IT services and the registered ICS ports (Modbus 502, S7 102, OPC UA 4840, EtherNet/IP 44818, DNP3 20000, IEC 104 2404, Fox 1911). */
export const SCAN_PORTS: readonly number[] = [21, 22, 23, 80, 102, 443, 502, 1911, 2404, 3389, 4840, 8080, 20000, 44818];

/** Ports the twin's crane hosts listen on, by asset role. */
const OPEN_PORTS: Readonly<Record<string, readonly number[]>> = { plc: [502], ocr: [80, 443], hmi: [3389] };

const paramsSchema = z.strictObject({
  ...baseParamsShape({ start: 300, duration: 600, crane: 'STS-01', intensity: 5 }),
  variant: z.enum(['unit-id-sweep', 'function-code-sweep', 'register-scan', 'port-scan'], { error: 'expected unit-id-sweep, function-code-sweep, register-scan or port-scan' }).default('unit-id-sweep'),
  from: z.enum(['enterprise', 'crane-subnet'], { error: 'expected enterprise or crane-subnet' }).default('enterprise'),
  quantity: intParam(10, 1, 125, 'registers per read'),
  lastAddress: intParam(1999, 0, 65_535, 'the last register address to scan'),
});

/** Parameters of `recon` (seconds; intensity 1–10 = 2–20 probes per second). */
export type ReconParams = z.infer<typeof paramsSchema>;

/**
 * `recon`: reconnaissance of one crane's network from a host the inventory lacks, at `2·intensity`
 * probes per second, stopping when done or at `start + duration`:
 * `unit-id-sweep` (fc 43/14 to unit ids 0–247 on one connection; the twin's PLCs, like Modicon M580
 * and S7-1500 MB_SERVER, answer every unit id), `function-code-sweep` (fc 1–127, unsupported ones
 * answered with exception 1), `register-scan` (fc 3 blocks of `quantity` registers over
 * 0…`lastAddress`, exception 2 beyond the map) — all over real Modbus/TCP sessions — or `port-scan`
 * (a TCP SYN scan of `SCAN_PORTS` on the crane's PLC, HMI and OCR: SYN/ACK from the open ports, RST
 * from the others). Address resolution (ARP) of a scanner on the crane subnet is not modelled.
 */
export const recon: ScenarioDefinition<ReconParams> = {
  name: 'recon',
  summary: 'Reconnaissance of a crane: unit-id sweep, function-code sweep, register scan or TCP SYN port scan',
  kind: 'attack',
  techniques: [Technique.REMOTE_SYSTEM_DISCOVERY, Technique.REMOTE_SYSTEM_INFO_DISCOVERY, Technique.POINT_TAG_IDENTIFICATION],
  expected: ['recon_scan', 'rogue_device'],
  params: paramsSchema,
  install(ctx, p) {
    const crane = ctx.crane(p.crane);
    const rng = Prng.derive(ctx.seed, `scenario/${ctx.id}`);
    const scanner = intruderHost(ctx, rng, p.from, crane, 'scanner');
    const t0 = ctx.startTs + p.start;
    const stopTs = t0 + p.duration;
    const interval = 0.5 / p.intensity;
    const hosts = { attackers: [formatIpv4(scanner.ip)], targets: [crane.plcAsset.ip] };
    const base = { hosts, craneIds: [crane.id], holds: [], maintenanceWindow: null };
    if (p.variant === 'port-scan') {
      const targets: Array<{ host: SimHost; role: string }> = [];
      for (const a of ctx.site.assets) {
        if (a.crane === crane.id) targets.push({ host: ctx.hosts.get(a.name) as SimHost, role: a.role });
      }
      const probes: ScanProbe[] = [];
      for (const t of targets) for (const port of SCAN_PORTS) probes.push({ target: t.host, port, open: (OPEN_PORTS[t.role] ?? []).includes(port) });
      for (let i = probes.length - 1; i > 0; i--) {
        const j = rng.int(0, i);
        const x = probes[i];
        probes[i] = probes[j];
        probes[j] = x;
      }
      ctx.add(new PortScanActor(ctx.fb, scanner, rng.int(40_000, 60_000), probes, t0, interval, stopTs, rng, () => ctx.count.tcpProbes++));
      hosts.targets = targets.map((t) => formatIpv4(t.host.ip));
      return {
        ...base,
        techniques: [Technique.REMOTE_SYSTEM_DISCOVERY],
        description: `${scanner.name} SYN-scans ${SCAN_PORTS.length} ports on ${targets.length} hosts of ${crane.id}`,
      };
    }
    const kind = p.variant === 'unit-id-sweep' ? 'unit-id' : p.variant === 'function-code-sweep' ? 'function-code' : 'register';
    if (kind === 'register' && p.lastAddress + 1 < p.quantity) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: lastAddress: expected at least quantity − 1 (${p.quantity - 1})`);
    const script = new SweepScript({ kind, firstTs: t0 + rng.range(0.05, 0.3), intervalSec: interval, stopTs, unit: crane.unitId, firstUnit: 0, lastUnit: 247, quantity: p.quantity, lastAddress: p.lastAddress });
    scenarioSession(ctx, scanner, crane, script, rng, { connectTs: t0, close: 'rst' });
    const techniques =
      kind === 'unit-id'
        ? [Technique.REMOTE_SYSTEM_DISCOVERY, Technique.REMOTE_SYSTEM_INFO_DISCOVERY]
        : kind === 'function-code'
          ? [Technique.REMOTE_SYSTEM_INFO_DISCOVERY]
          : [Technique.POINT_TAG_IDENTIFICATION];
    const what =
      kind === 'unit-id' ? 'reads the identification (fc 43/14) of unit ids 0–247' : kind === 'function-code' ? 'tries function codes 1–127' : `reads holding registers 0–${p.lastAddress} in blocks of ${p.quantity}`;
    return { ...base, techniques, description: `${scanner.name} ${what} on ${crane.id}'s PLC` };
  },
};
