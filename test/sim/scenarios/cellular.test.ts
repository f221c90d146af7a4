import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openCapture } from '../../../src/capture/open.js';
import { LinkType } from '../../../src/capture/packet.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import { CELLULAR_MODEMS } from '../../../src/sim/scenarios/cellular-modem.js';
import { generateTerminal } from '../../../src/sim/terminal/terminal.js';
import { buildTerminalSite } from '../../../src/sim/terminal/terminal-site.js';
import { haveTshark } from '../../helpers/shared-data.js';
import { tsharkFields, tsharkProblems } from '../tshark.js';
import { type ParsedFrame, parseFrame } from '../wire.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-cellular-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Every maker once: with a writing relay, a reading relay and without. */
const SCENARIOS = [
  { name: 'cellular-modem', params: { vendor: 'teltonika', relay: 'write', crane: 'STS-01', start: 100, duration: 900, cloud: '198.51.100.20' } },
  { name: 'cellular-modem', params: { vendor: 'sierra', relay: 'none', crane: 'STS-02', start: 150, duration: 600, heartbeat: 30, cloud: '198.51.100.21' } },
  { name: 'cellular-modem', params: { vendor: 'cradlepoint', relay: 'read', crane: 'STS-02', start: 200, duration: 800, intensity: 2, cloud: '198.51.100.22' } },
  { name: 'cellular-modem', params: { vendor: 'robustel', relay: 'none', crane: 'STS-01', start: 250, duration: 700, cloud: '203.0.113.200' } },
];

/** The twin's site with a router on STS-01's control subnet (STS-02's has none listed). */
const GATEWAY = { name: 'sts-01-gw', ip: '10.20.1.1', mac: '00:1b:54:20:01:01', vendor: 'Cisco Systems, Inc', role: 'gateway' as const, zone: 'crane-control' };
const site = buildTerminalSite(2);
site.assets.push(GATEWAY);

function simulate(file: string) {
  const w = PcapWriter.toFile(file, { linkType: LinkType.ETHERNET });
  const r = generateTerminal(w, { seed: 11, durationSec: 1200, site, scenarios: SCENARIOS });
  w.close();
  return r;
}
const file = join(dir, 'cellular.pcap');
const { truth } = simulate(file);

async function readFrames(path: string): Promise<Array<{ ts: number; f: ParsedFrame }>> {
  const out: Array<{ ts: number; f: ParsedFrame }> = [];
  const reader = await openCapture(path, 0);
  for await (const batch of reader.batches()) for (const raw of batch) out.push({ ts: raw.ts, f: parseFrame(raw.data) });
  return out;
}
const framesP = readFrames(file);

/** oui-data's organization name (first line) of the MA-L assignment of `mac`. */
function ouiOrg(mac: string): string | undefined {
  const req = createRequire(import.meta.url);
  const data = JSON.parse(readFileSync(req.resolve('oui-data'), 'utf8')) as Record<string, string>;
  return data[mac.replaceAll(':', '').slice(0, 6).toUpperCase()]?.split('\n')[0];
}

const modem = (vendor: keyof typeof CELLULAR_MODEMS) => {
  const h = truth.hosts.find((x) => x.name === `cellular-${vendor}`);
  assert.ok(h !== undefined, vendor);
  return h;
};

test('truth: each modem is an uninventoried host with its maker\'s real IEEE OUI on the crane subnet', () => {
  for (const [i, sc] of SCENARIOS.entries()) {
    const v = sc.params.vendor as keyof typeof CELLULAR_MODEMS;
    const h = modem(v);
    const s = truth.scenarios[i];
    assert.equal(h.inventoried, false);
    assert.equal(h.vendor, CELLULAR_MODEMS[v].vendor);
    assert.equal(ouiOrg(h.mac), h.vendor, `${h.mac}: oui-data names its maker`);
    assert.equal(h.zone, 'crane-control');
    const plc = truth.hosts.find((x) => x.role === 'plc' && x.crane === sc.params.crane);
    assert.ok(plc !== undefined);
    assert.equal(h.ip.split('.').slice(0, 3).join('.'), plc.ip.split('.').slice(0, 3).join('.'));
    assert.deepEqual(s.hosts.attackers, [h.ip]);
    assert.equal(s.hosts.targets[0], sc.params.cloud);
    assert.ok(s.expected.includes('rogue_device') && s.expected.includes('egress_violation'));
    assert.equal(s.expected.includes('unauthorized_write'), sc.params.relay === 'write');
    assert.equal(s.expected.includes('unauthorized_client'), sc.params.relay !== 'none');
    assert.ok(s.techniques.some((t) => t.id === 'T0864'));
  }
  const writes = truth.modbusWrites.filter((w) => w.scenario !== undefined);
  assert.equal(writes.length, 1);
  assert.equal(writes[0].src, modem('teltonika').ip);
  assert.equal(writes[0].signal, 'hoist_speed_limit_pct');
  assert.deepEqual(writes[0].values, [100]);
});

test('wire: two ARP announcements, gateway ARP, then TLS to the cloud; relays carry Modbus from the modem', async () => {
  const frames = await framesP;
  for (const [i, sc] of SCENARIOS.entries()) {
    const h = modem(sc.params.vendor as keyof typeof CELLULAR_MODEMS);
    const s = truth.scenarios[i];
    const mine = frames.filter((x) => x.f.src === h.mac || x.f.ipDst === h.ip || x.f.arp?.targetIp === h.ip);
    assert.ok(mine[0].ts >= truth.startTs + sc.params.start, 'nothing before the window');
    // RFC 5227 §2.3 announcements: broadcast requests, sender = target address, target MAC zero, 2 s apart.
    for (const k of [0, 1]) {
      const a = mine[k].f;
      assert.equal(a.dst, 'ff:ff:ff:ff:ff:ff');
      assert.deepEqual(a.arp, { op: 1, senderMac: h.mac, senderIp: h.ip, targetMac: '00:00:00:00:00:00', targetIp: h.ip });
    }
    assert.ok(Math.abs(mine[1].ts - mine[0].ts - 2) < 1e-6);
    // Who has the gateway? — asked only where the site lists one on the modem's subnet.
    let k = 2;
    if (sc.params.crane === 'STS-01') {
      assert.deepEqual(mine[2].f.arp, { op: 1, senderMac: h.mac, senderIp: h.ip, targetMac: '00:00:00:00:00:00', targetIp: GATEWAY.ip });
      assert.deepEqual([mine[3].f.arp?.op, mine[3].f.src], [2, GATEWAY.mac]);
      k = 4;
    }
    // TLS to the cloud: SYN to 443 through the router's MAC.
    const syn = mine[k].f;
    assert.equal(syn.ipDst, sc.params.cloud);
    assert.equal(syn.dst, GATEWAY.mac);
    assert.equal(syn.tcp?.dstPort, 443);
    const tlsData = mine.filter((x) => x.f.ipSrc === h.ip && x.f.tcp?.dstPort === 443 && x.f.tcp.payload.length > 0);
    assert.ok(tlsData.length >= Math.floor(sc.params.duration / ((sc.params.heartbeat as number | undefined) ?? 60)) - 1, 'heartbeats');
    const modbus = mine.filter((x) => x.f.ipSrc === h.ip && x.f.tcp?.dstPort === 502 && x.f.tcp.payload.length > 0);
    if (sc.params.relay === 'none') assert.equal(modbus.length, 0);
    else {
      const fcs = modbus.map((x) => x.f.tcp?.payload[7]);
      assert.equal(fcs[0], 43);
      assert.ok(fcs.slice(1).every((fc) => fc === 3 || fc === 6));
      assert.equal(fcs.includes(6), sc.params.relay === 'write');
      assert.equal(s.modbusRequests, modbus.length);
    }
    assert.ok(mine[mine.length - 1].ts <= s.endTs + 1e-6 && mine[0].ts >= s.startTs - 1e-6, 'truth span covers the frames');
  }
});

test('determinism: the same seed gives byte-identical pcap and truth', () => {
  const again = join(dir, 'again.pcap');
  const r2 = simulate(again);
  const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');
  assert.equal(sha(again), sha(file));
  assert.deepEqual(r2.truth, truth);
});

test('tshark: no malformed frames; announcements, SNI per maker and the relayed Modbus function codes', (t) => {
  if (!haveTshark(t)) return;
  assert.deepEqual(tsharkProblems(file), []);
  const ann = tsharkFields(file, 'arp.isannouncement == 1', ['arp.src.proto_ipv4']);
  for (const sc of SCENARIOS) assert.equal(ann.filter((r) => r[0] === modem(sc.params.vendor as keyof typeof CELLULAR_MODEMS).ip).length, 2);
  const sni = tsharkFields(file, 'tls.handshake.type == 1', ['ip.dst', 'tls.handshake.extensions_server_name']);
  for (const sc of SCENARIOS) assert.deepEqual(sni.filter((r) => r[0] === sc.params.cloud).map((r) => r[1]), [CELLULAR_MODEMS[sc.params.vendor as keyof typeof CELLULAR_MODEMS].sni]);
  const fc = tsharkFields(file, `ip.src == ${modem('teltonika').ip} && modbus`, ['modbus.func_code']).map((r) => r[0]);
  assert.equal(fc[0], '43');
  assert.equal(fc[fc.length - 1], '6');
});
