import { z } from 'zod';
import { CwError } from '../../errors.js';
import { Technique } from '../../detect/attack.js';
import type { ModbusRequest } from '../modbus/requests.js';
import { RequestListScript, type TimedRequest } from '../modbus/request-list-script.js';
import { ArpExchange } from '../net/arp-exchange.js';
import { formatIpv4 } from '../net/address.js';
import { Prng } from '../random.js';
import type { Actor } from '../scheduler.js';
import { TlsSession, type TlsExchange } from '../tls/session.js';
import { ActorChain } from '../terminal/actor-chain.js';
import type { TruthTechnique } from '../terminal/truth.js';
import { ANNOUNCE_INTERVAL_SEC, ANNOUNCE_NUM, ArpAnnounce } from './arp-announce.js';
import { outsidePeer, requireOutside } from './outside-peer.js';
import { baseParamsShape, intParam, type ScenarioDefinition } from './scenario.js';
import { holdingRegister, scenarioSession } from './scenario-kit.js';

const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** Most heartbeat exchanges of one management session. */
export const MAX_HEARTBEATS = 10_080;

/**
 * Cellular router makers: an IEEE MA-L assignment of theirs (oui-data organization name as the truth
 * lists it) and the host name their device-management agent's TLS connection names (SNI).
 */
export const CELLULAR_MODEMS = {
  teltonika: { oui: '00:1e:42', vendor: 'Teltonika', sni: 'rms.teltonika-networks.com' },
  sierra: { oui: '00:a0:d5', vendor: 'Sierra Wireless, ULC', sni: 'na.airvantage.net' },
  cradlepoint: { oui: '00:30:44', vendor: 'CradlePoint, Inc', sni: 'stream.cradlepointecm.com' },
  robustel: { oui: '34:fa:40', vendor: 'Guangzhou Robustel Technologies Co., Limited', sni: 'rcms.robustel.com' },
} as const;

const paramsSchema = z.strictObject({
  ...baseParamsShape({ start: 300, duration: 1800, crane: 'STS-01', intensity: 3 }),
  vendor: z.enum(['teltonika', 'sierra', 'cradlepoint', 'robustel'], { error: 'expected teltonika, sierra, cradlepoint or robustel' }).default('teltonika'),
  relay: z.enum(['none', 'read', 'write'], { error: 'expected none, read or write' }).default('read'),
  heartbeat: intParam(60, 5, 3600, 'seconds between management heartbeats'),
  cloud: z.string({ error: 'expected an IPv4 address' }).regex(IPV4_RE, { error: 'expected an IPv4 address in dotted-quad form' }).default('198.51.100.20'),
});

/** Parameters of `cellular-modem` (seconds). */
export type CellularModemParams = z.infer<typeof paramsSchema>;

/**
 * `cellular-modem`: a cellular router nobody ordered (`vendor`: its MAC carries that maker's IEEE OUI)
 * is plugged into the crane's control subnet with a static address (no DHCP): it announces the address
 * with ARP Announcements (RFC 5227 §2.3), resolves the subnet's gateway by ARP when the site file lists
 * a `gateway` asset on that /24, and its management agent keeps a TLS 1.3 session to the maker's cloud at `cloud` (an
 * outside address; SNI per maker) with a heartbeat every `heartbeat` seconds, over the LAN route (the
 * WAN-failover path such routers take when their LAN side has a default gateway). With `relay` read or
 * write, a remote user reaches the PLC through the modem from 40 % of the window on: Modbus/TCP from
 * the modem's address — identification (fc 43/14), `intensity` reads of every CMS poll block (fc 1–4),
 * and for `write` one Write Single Register of `hoist_speed_limit_pct` := 100 (its normal value: an
 * unauthorized write without a physical effect).
 */
export const cellularModem: ScenarioDefinition<CellularModemParams> = {
  name: 'cellular-modem',
  summary: 'A cellular router appears on a crane control subnet, talks to its cloud and optionally relays Modbus into the PLC',
  kind: 'attack',
  techniques: [Technique.TRANSIENT_CYBER_ASSET, Technique.INTERNET_ACCESSIBLE_DEVICE, Technique.EXTERNAL_REMOTE_SERVICES, Technique.CONNECTION_PROXY],
  expected: ['rogue_device', 'egress_violation'],
  params: paramsSchema,
  install(ctx, p) {
    const crane = ctx.crane(p.crane);
    requireOutside(ctx, 'cloud', p.cloud);
    const model = CELLULAR_MODEMS[p.vendor];
    const rng = Prng.derive(ctx.seed, `scenario/${ctx.id}`);
    const net = crane.plcAsset.ip.split('.').slice(0, 3).join('.');
    const used = new Set<string>();
    for (const h of ctx.hosts.values()) used.add(formatIpv4(h.ip));
    let ip = '';
    for (let tries = 0; tries < 64 && (ip === '' || used.has(ip)); tries++) ip = `${net}.${rng.int(200, 250)}`;
    if (used.has(ip)) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: no free address for the modem on ${net}.0/24`);
    const h = (): string => rng.int(0, 255).toString(16).padStart(2, '0');
    const modem = ctx.addHost({ name: `cellular-${p.vendor}`, ip, mac: `${model.oui}:${h()}:${h()}:${h()}`, vendor: model.vendor, stack: 'linux', zone: crane.plcAsset.zone });
    const cloud = outsidePeer(ctx, `${p.vendor}-cloud`, p.cloud);
    const t0 = ctx.startTs + p.start;
    const end = t0 + p.duration;
    const steps: Actor[] = [new ArpAnnounce(ctx.fb, modem, t0)];
    let at = t0 + ANNOUNCE_NUM * ANNOUNCE_INTERVAL_SEC + rng.range(0.2, 1);
    const gatewayAsset = ctx.site.assets.find((a) => a.role === 'gateway' && a.ip.startsWith(`${net}.`));
    const gateway = gatewayAsset === undefined ? undefined : ctx.hosts.get(gatewayAsset.name);
    if (gateway !== undefined) {
      steps.push(new ArpExchange(ctx.fb, modem, gateway, at, rng.range(0.0003, 0.002)));
      at += rng.range(0.05, 0.3);
    }
    const beats = Math.min(MAX_HEARTBEATS, Math.floor((end - at - 5) / p.heartbeat));
    if (beats < 1) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: duration ${p.duration} s is too short for a ${p.heartbeat} s heartbeat`);
    const exchanges: TlsExchange[] = [{ gapSec: 0.05, requestBytes: rng.int(900, 1600), responseBytes: rng.int(400, 1200) }];
    for (let i = 1; i < beats; i++) exchanges.push({ gapSec: p.heartbeat * rng.range(0.97, 1.03), requestBytes: rng.int(250, 700), responseBytes: rng.int(90, 300) });
    steps.push(
      new TlsSession(ctx.fb, modem, cloud, rng, {
        connectTs: at,
        clientPort: ctx.ports.take(modem),
        serverName: model.sni,
        alpn: ['http/1.1'],
        rttSec: rng.range(0.08, 0.2),
        exchanges,
      }),
    );
    let i = 0;
    ctx.add(new ActorChain(() => (i < steps.length ? steps[i++] : null)));

    const techniques: TruthTechnique[] = [Technique.TRANSIENT_CYBER_ASSET, Technique.INTERNET_ACCESSIBLE_DEVICE, Technique.EXTERNAL_REMOTE_SERVICES];
    const expected = ['rogue_device', 'egress_violation'];
    let what = 'no relay';
    if (p.relay !== 'none') {
      const unit = crane.unitId;
      const items: TimedRequest[] = [];
      let ts = t0 + 0.4 * p.duration + rng.range(0, 5);
      const connectTs = ts - 0.2;
      items.push({ ts, request: { fc: 43, unit, code: 1, objectId: 0 } });
      for (let r = 0; r < p.intensity; r++) {
        for (const b of crane.map.pollBlocks) {
          ts += rng.range(0.3, 1.5);
          items.push({ ts, request: { fc: b.fc as 1 | 2 | 3 | 4, unit, address: b.address, quantity: b.quantity } });
        }
      }
      techniques.push(Technique.CONNECTION_PROXY, Technique.REMOTE_SYSTEM_INFO_DISCOVERY, Technique.MONITOR_PROCESS_STATE);
      expected.push('unauthorized_client', 'recon_scan');
      what = `a Modbus relay into ${crane.id}'s PLC (${p.intensity}× its poll blocks`;
      if (p.relay === 'write') {
        const target = holdingRegister(ctx.id, crane, 'hoist_speed_limit_pct');
        ts += rng.range(1, 3);
        const write: ModbusRequest = { fc: 6, unit, address: target.address, value: 100 };
        items.push({ ts, request: write });
        techniques.push(Technique.UNAUTHORIZED_COMMAND);
        expected.push('unauthorized_write');
        what += ', one write of hoist_speed_limit_pct := 100';
      }
      what += ')';
      if (ts >= end) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: duration ${p.duration} s is too short for the relay`);
      scenarioSession(ctx, modem, crane, new RequestListScript(items), rng, { connectTs });
    }
    return {
      hosts: { attackers: [ip], targets: p.relay === 'none' ? [p.cloud] : [p.cloud, crane.plcAsset.ip] },
      craneIds: [crane.id],
      description: `${model.vendor} cellular router ${ip} appears on ${crane.id}'s control subnet, keeps TLS to ${model.sni} (${p.cloud}) every ${p.heartbeat} s; ${what}`,
      holds: [],
      maintenanceWindow: null,
      techniques,
      expected,
    };
  },
};
