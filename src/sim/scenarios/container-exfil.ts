import { z } from 'zod';
import { CwError } from '../../errors.js';
import { Technique } from '../../detect/attack.js';
import { formatIpv4 } from '../net/address.js';
import type { SimHost } from '../net/host.js';
import { Prng } from '../random.js';
import type { TruthExfil, TruthTechnique } from '../terminal/truth.js';
import { LEAK_CHANNELS, LEAK_PORTS, type LeakRoute, openLeak } from './leak-channels.js';
import { LEAK_ENCODINGS, LEAK_FORMATS } from './leak-format.js';
import { LeakSender } from './leak-sender.js';
import { MoveTap } from './move-tap.js';
import { outsidePeer, requireOutside } from './outside-peer.js';
import { baseParamsShape, intParam, type ScenarioDefinition } from './scenario.js';
import { intruderHost } from './scenario-kit.js';

const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** Outside name the uploads go to (RFC 2606 `.example`, never a real domain). */
export const EXFIL_DOMAIN = 'boxsync.example';

const paramsSchema = z.strictObject({
  ...baseParamsShape({ start: 600, duration: 1800, crane: 'STS-01', intensity: 1 }),
  from: z.enum(['ocr', 'cms', 'rogue'], { error: 'expected ocr, cms or rogue' }).default('ocr'),
  channel: z.enum(LEAK_CHANNELS, { error: 'expected http, https, dns or mqtt' }).default('http'),
  encoding: z.enum(LEAK_ENCODINGS, { error: 'expected plain, base64, hex or gzip' }).default('plain'),
  format: z.enum(LEAK_FORMATS, { error: 'expected json or csv' }).default('json'),
  rate: intParam(120, 0, 86_400, 'seconds between drip messages (0 = one burst)'),
  dest: z.string({ error: 'expected an IPv4 address' }).regex(IPV4_RE, { error: 'expected an IPv4 address in dotted-quad form' }).default('203.0.113.57'),
});

/** Parameters of `container-exfil` (seconds; `rate` 0 = burst; `intensity` = records per drip message). */
export type ContainerExfilParams = z.infer<typeof paramsSchema>;

/** Where the data goes, per channel: HTTP Host / TLS SNI, DNS tunnel domain, MQTT topic. */
function destinationName(channel: LeakRoute['channel'], clientId: string): string {
  switch (channel) {
    case 'http':
    case 'https':
      return `ingest.${EXFIL_DOMAIN}`;
    case 'dns':
      return `t.${EXFIL_DOMAIN}`;
    case 'mqtt':
      return `devices/${clientId}/moves`;
  }
}

/**
 * `container-exfil`: a compromised crane-side host (`from`: the crane's OCR controller, the CMS, or a
 * rogue single-board computer planted on the crane's control subnet) sends the container data the
 * crane really handled — each move's record (container number, ISO type, kind, from/to position,
 * ports of loading and discharge, gross weight, vessel, voyage, unlock time), taken as the twistlocks
 * unlock (`MoveTap`, the same records as the truth's `moves`) — to the outside address `dest`
 * (RFC 5737 by default) over `channel`: plain HTTP POST, HTTPS (TLS 1.3, SNI ingest.boxsync.example),
 * a DNS tunnel straight to the outside server (TXT queries under t.boxsync.example; the site's resolver
 * is not used), or MQTT PUBLISH to an outside broker. Records are laid out as `format` (JSON or CSV)
 * and sent `encoding` (plain, base64, hex, gzip). `rate` > 0: a slow drip, every `rate` seconds the
 * oldest `intensity` records not yet sent; `rate` 0: one burst at `start` of every move since the run
 * began. The truth's `exfil` lists every message (frame, containers, bytes).
 */
export const containerExfil: ScenarioDefinition<ContainerExfilParams> = {
  name: 'container-exfil',
  summary: 'Container move records leave a crane-side host for an outside address (HTTP, HTTPS, DNS tunnel or MQTT; plain, base64, hex or gzip)',
  kind: 'attack',
  techniques: [Technique.AUTOMATED_COLLECTION, Technique.THEFT_OF_OPERATIONAL_INFORMATION, Technique.STANDARD_APPLICATION_LAYER_PROTOCOL, Technique.COMMONLY_USED_PORT],
  expected: ['container_data_exfil', 'egress_violation'],
  params: paramsSchema,
  install(ctx, p) {
    const crane = ctx.crane(p.crane);
    if (!Number.isInteger(p.intensity)) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: intensity: expected a whole number of records per message`);
    requireOutside(ctx, 'dest', p.dest);
    const rng = Prng.derive(ctx.seed, `scenario/${ctx.id}`);
    let from: SimHost;
    if (p.from === 'rogue') from = intruderHost(ctx, rng, 'crane-subnet', crane, 'exfil');
    else {
      const asset = p.from === 'cms' ? ctx.site.assets.find((a) => a.role === 'cms') : ctx.site.assets.find((a) => a.role === 'ocr' && a.crane === crane.id);
      const host = asset === undefined ? undefined : ctx.hosts.get(asset.name);
      if (host === undefined) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: from: the site has no ${p.from === 'cms' ? 'CMS' : `OCR controller on ${crane.id}`}`);
      from = host;
    }
    const sink = outsidePeer(ctx, `exfil-${p.channel}-sink`, p.dest);
    const t0 = ctx.startTs + p.start;
    const end = t0 + p.duration;
    const clientId = `ocr-agent-${rng.int(0x1000, 0xffff).toString(16)}`;
    const name = destinationName(p.channel, clientId);
    const exfil: TruthExfil = {
      channel: p.channel,
      encoding: p.encoding,
      format: p.format,
      src: formatIpv4(from.ip),
      dst: p.dest,
      dstPort: LEAK_PORTS[p.channel],
      name,
      messages: [],
      containers: [],
      bytes: 0,
    };
    const route: LeakRoute = { ctx, from, sink, channel: p.channel, name, clientId, rttSec: rng.range(0.02, 0.09), rng, exfil, seen: new Set() };
    const tap = new MoveTap(ctx, crane, ctx.startTs, end);
    ctx.add(tap);
    ctx.add(new LeakSender(tap, (ts, records, n) => openLeak(route, ts, records, n), { firstTs: t0 + rng.range(0.5, 5), rateSec: p.rate, perMessage: p.intensity, endTs: end }));
    const techniques: TruthTechnique[] = [Technique.AUTOMATED_COLLECTION, Technique.THEFT_OF_OPERATIONAL_INFORMATION, Technique.STANDARD_APPLICATION_LAYER_PROTOCOL, Technique.COMMONLY_USED_PORT];
    // Over HTTPS the records are not visible on the wire: only the egress (and its volume) is.
    const expected = p.channel === 'https' ? ['egress_violation'] : ['container_data_exfil', 'egress_violation'];
    if (p.channel === 'dns') expected.push('dns_tunnel');
    if (p.from === 'rogue') {
      techniques.unshift(Technique.TRANSIENT_CYBER_ASSET);
      expected.push('rogue_device');
    }
    const how = p.rate > 0 ? `a drip of ${p.intensity} record(s) every ${p.rate} s` : 'one burst';
    return {
      hosts: { attackers: [formatIpv4(from.ip)], targets: [p.dest] },
      craneIds: [crane.id],
      description: `${from.name} sends ${crane.id}'s container move records (${p.format}, ${p.encoding}) to ${p.dest} over ${p.channel} (${name}), ${how}`,
      holds: [],
      maintenanceWindow: null,
      techniques,
      expected,
      detail: { exfil },
    };
  },
};
