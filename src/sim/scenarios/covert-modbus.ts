import { z } from 'zod';
import { CwError } from '../../errors.js';
import { Technique } from '../../detect/attack.js';
import { RequestListScript } from '../modbus/request-list-script.js';
import { ModbusTcpSession } from '../modbus/session.js';
import { formatIpv4 } from '../net/address.js';
import type { SimHost } from '../net/host.js';
import { Prng } from '../random.js';
import { ActorChain } from '../terminal/actor-chain.js';
import type { TruthCovertModbus, TruthTechnique } from '../terminal/truth.js';
import { ContainerDropScript, DROP_SLOT_WORDS, DROP_SLOTS } from './covert-drop-script.js';
import { MoveTap } from './move-tap.js';
import { baseParamsShape, intParam, type ScenarioCrane, type ScenarioDefinition } from './scenario.js';
import { intruderHost, scenarioObserver, scenarioSession } from './scenario-kit.js';

/** Most pickups (reader connections) one run of the scenario makes. */
export const MAX_DROP_READS = 2000;

const paramsSchema = z.strictObject({
  ...baseParamsShape({ start: 600, duration: 1800, crane: 'STS-01', intensity: 1 }),
  from: z.enum(['ocr', 'rogue'], { error: 'expected ocr or rogue' }).default('ocr'),
  reader: z.enum(['enterprise', 'crane-subnet'], { error: 'expected enterprise or crane-subnet' }).default('enterprise'),
  rate: intParam(300, 10, 86_400, 'seconds between pickups'),
});

/** Parameters of `covert-modbus` (seconds). */
export type CovertModbusParams = z.infer<typeof paramsSchema>;

/**
 * First address of the dead drop: the longest run of holding registers inside the PLC's table that
 * the register map leaves unmapped (a spare area the CMS never polls), aligned up to a multiple of 10
 * when that still fits `DROP_SLOTS × DROP_SLOT_WORDS` registers.
 * @throws CwError CW_ERR_CONFIG when no run is long enough.
 */
function dropAddress(id: string, crane: ScenarioCrane): number {
  const size = crane.map.sizes.holdingRegisters;
  const need = DROP_SLOTS * DROP_SLOT_WORDS;
  let best = -1;
  let bestLen = 0;
  let run = -1;
  for (let a = 0; a <= size; a++) {
    const free = a < size && crane.map.signalAt('holding', a) === '';
    if (free && run < 0) run = a;
    if (!free && run >= 0) {
      if (a - run > bestLen) {
        best = run;
        bestLen = a - run;
      }
      run = -1;
    }
  }
  if (bestLen < need) throw new CwError('CW_ERR_CONFIG', `scenario ${id}: crane ${crane.id}'s PLC has no run of ${need} unmapped holding registers for the drop`);
  const aligned = Math.ceil(best / 10) * 10;
  return aligned + need <= best + bestLen ? aligned : best;
}

/**
 * `covert-modbus`: the crane's PLC used as a dead drop. A compromised crane-side host (`from`: the
 * crane's OCR controller, which reads every container, or a rogue device planted on the crane's
 * control subnet) keeps a Modbus/TCP connection to the PLC and, after each move, writes the container
 * number as ASCII into holding registers the register map leaves unmapped (fc 16, 6 registers per
 * number, 8 slots round-robin; see `ContainerDropScript`). A host the inventory lacks (`reader`: an
 * enterprise-zone laptop or a device on the crane subnet) collects them every `rate` seconds with Read
 * Holding Registers (fc 3) over the whole drop, one connection per pickup. The values never reach the
 * CMS (it polls only mapped blocks). Truth: the writes (`modbusWrites`, signal '') and `covert`.
 */
export const covertModbus: ScenarioDefinition<CovertModbusParams> = {
  name: 'covert-modbus',
  summary: 'Container numbers hidden in unmapped PLC holding registers by a crane-side host and collected by an uninventoried reader',
  kind: 'attack',
  techniques: [Technique.UNAUTHORIZED_COMMAND, Technique.STANDARD_APPLICATION_LAYER_PROTOCOL, Technique.THEFT_OF_OPERATIONAL_INFORMATION, Technique.ROGUE_MASTER],
  expected: ['covert_channel_modbus', 'unauthorized_write', 'rogue_device'],
  params: paramsSchema,
  install(ctx, p) {
    const crane = ctx.crane(p.crane);
    const rng = Prng.derive(ctx.seed, `scenario/${ctx.id}`);
    const address = dropAddress(ctx.id, crane);
    const quantity = DROP_SLOTS * DROP_SLOT_WORDS;
    let writer: SimHost;
    if (p.from === 'rogue') writer = intruderHost(ctx, rng, 'crane-subnet', crane, 'covert');
    else {
      const asset = ctx.site.assets.find((a) => a.role === 'ocr' && a.crane === crane.id);
      const host = asset === undefined ? undefined : ctx.hosts.get(asset.name);
      if (host === undefined) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: from: the site has no OCR controller on ${crane.id}`);
      writer = host;
    }
    const reader = intruderHost(ctx, rng, p.reader, crane, 'drop-reader');
    const t0 = ctx.startTs + p.start;
    const end = t0 + p.duration;
    const reads = Math.floor((p.duration - 1) / p.rate);
    if (reads < 1) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: duration ${p.duration} s leaves no pickup at rate ${p.rate} s`);
    if (reads > MAX_DROP_READS) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: ${reads} pickups; at most ${MAX_DROP_READS} (raise rate)`);
    const covert: TruthCovertModbus = { craneId: crane.id, writer: formatIpv4(writer.ip), reader: formatIpv4(reader.ip), address, quantity, containers: [] };
    const tap = new MoveTap(ctx, crane, t0, end);
    ctx.add(tap);
    scenarioSession(ctx, writer, crane, new ContainerDropScript(tap, crane.unitId, covert, rng, end), rng, { connectTs: t0 + rng.range(0.1, 2) });
    let k = 0;
    ctx.add(
      new ActorChain(() => {
        if (k >= reads) return null;
        const at = t0 + (++k) * p.rate + rng.range(-2, 2);
        return new ModbusTcpSession(ctx.fb, reader, crane.plc, crane.server, new RequestListScript([{ ts: at + 0.01, request: { fc: 3, unit: crane.unitId, address, quantity } }]), rng, {
          connectTs: at,
          clientPort: ctx.ports.take(reader),
          firstTid: rng.int(0, 0xffff),
          close: 'fin',
          closeDelaySec: rng.range(0.05, 0.3),
          observer: scenarioObserver(ctx, crane, reader, null),
        });
      }),
    );
    const techniques: TruthTechnique[] = [Technique.UNAUTHORIZED_COMMAND, Technique.STANDARD_APPLICATION_LAYER_PROTOCOL, Technique.THEFT_OF_OPERATIONAL_INFORMATION, Technique.ROGUE_MASTER];
    const expected = ['covert_channel_modbus', 'unauthorized_write', 'rogue_device'];
    if (p.reader === 'enterprise') expected.push('conduit_violation');
    return {
      hosts: { attackers: [formatIpv4(writer.ip), formatIpv4(reader.ip)], targets: [crane.plcAsset.ip] },
      craneIds: [crane.id],
      description: `${writer.name} hides each container ${crane.id} moves in unmapped holding registers ${address}–${address + quantity - 1} of its PLC (fc 16); ${reader.name} reads them (fc 3) every ${p.rate} s`,
      holds: [],
      maintenanceWindow: null,
      techniques,
      expected,
      detail: { covert },
    };
  },
};
