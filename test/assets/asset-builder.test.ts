import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AssetBuilder, MACS_PER_ASSET } from '../../src/assets/asset-builder.js';
import { parseMac } from '../../src/assets/oui.js';
import { DEFAULT_LIMITS } from '../../src/config/limits.js';
import type { ArpInfo } from '../../src/decode/packet.js';
import type { LogRecord } from '../../src/events/record.js';
import { streamSchema } from '../../src/events/schema.js';
import { SqliteStore } from '../../src/store/sqlite.js';

const PLC = { ip: '10.0.0.3', mac: '00:80:f4:01:02:03' }; // Telemecanique (Schneider) PLC
const HMI = { ip: '10.0.0.9', mac: '00:0e:8c:aa:bb:cc' }; // Siemens HMI
const ENG = { ip: '10.0.0.10', mac: '02:00:00:00:00:0a' }; // engineering laptop, locally administered MAC
const ROUTER = { ip: '10.0.0.1', mac: '20:97:27:00:00:01' }; // Teltonika cellular router
const REMOTES = ['8.8.8.8', '1.1.1.1', '203.0.113.5', '198.51.100.7'];

interface ConnSpec {
  ts: number;
  o: { ip: string; mac: string };
  r: { ip: string; mac: string };
  rp: number;
  proto: string;
  service?: string;
  duration?: number;
  ob?: number;
  rb?: number;
  state?: string;
  rpkts?: number;
}

/** A conn record with the Zeek conn.log fields the builder reads (orig/resp_l2_addr from Zeek's mac-logging policy). */
function conn(c: ConnSpec): LogRecord {
  return {
    ts: c.ts,
    uid: `C${c.ts}`,
    'id.orig_h': c.o.ip,
    'id.orig_p': 50000,
    'id.resp_h': c.r.ip,
    'id.resp_p': c.rp,
    proto: c.proto,
    service: c.service,
    duration: c.duration ?? 0,
    conn_state: c.state,
    orig_ip_bytes: c.ob ?? 0,
    resp_pkts: c.rpkts,
    resp_ip_bytes: c.rb ?? 0,
    orig_l2_addr: c.o.mac,
    resp_l2_addr: c.r.mac,
  };
}

const gw = (ip: string) => ({ ip, mac: ROUTER.mac });

const CONNS: LogRecord[] = [
  conn({ ts: 100, o: HMI, r: PLC, rp: 502, proto: 'tcp', service: 'modbus', duration: 10, ob: 720, rb: 437, state: 'SF' }),
  conn({ ts: 105, o: ENG, r: PLC, rp: 502, proto: 'tcp', service: 'modbus', duration: 1, ob: 100, rb: 200, state: 'SF' }),
  conn({ ts: 106, o: ENG, r: PLC, rp: 22, proto: 'tcp', ob: 44, rb: 40, state: 'REJ' }), // refused: tcp/22 is not served
  conn({ ts: 120, o: HMI, r: gw('8.8.8.8'), rp: 53, proto: 'udp', service: 'dns', ob: 60, rb: 120, rpkts: 1 }),
  conn({ ts: 121, o: HMI, r: gw('1.1.1.1'), rp: 443, proto: 'tcp', service: 'ssl', duration: 2.5, ob: 1000, rb: 5000, state: 'SF' }),
  conn({ ts: 122, o: ENG, r: gw('203.0.113.5'), rp: 443, proto: 'tcp', ob: 60, state: 'S0' }), // never answered
  conn({ ts: 123, o: ENG, r: gw('198.51.100.7'), rp: 0, proto: 'icmp', ob: 84, rb: 84, rpkts: 1 }),
  conn({ ts: 124, o: HMI, r: { ip: '224.0.0.251', mac: '01:00:5e:00:00:fb' }, rp: 5353, proto: 'udp', service: 'dns', ob: 70, rpkts: 0 }),
  conn({ ts: 125, o: { ip: 'fe80::a', mac: HMI.mac }, r: { ip: 'fe80::3', mac: PLC.mac }, rp: 47808, proto: 'udp', ob: 50, rb: 50, rpkts: 1 }),
];

const MODBUS: LogRecord[] = [
  { ts: 100.5, uid: 'C100', 'id.orig_h': HMI.ip, 'id.orig_p': 50000, 'id.resp_h': PLC.ip, 'id.resp_p': 502, func: 'READ_HOLDING_REGISTERS', pdu_type: 'REQ' },
  { ts: 105.5, uid: 'C105', 'id.orig_h': ENG.ip, 'id.orig_p': 50000, 'id.resp_h': PLC.ip, 'id.resp_p': 502, func: 'WRITE_SINGLE_REGISTER', pdu_type: 'REQ' },
];

const arp = (op: number, senderIp: string, senderMac: string, targetIp: string, targetMac: string): ArpInfo => ({
  op,
  senderIp,
  senderMac: parseMac(senderMac),
  targetIp,
  targetMac: parseMac(targetMac),
});

function build(options: ConstructorParameters<typeof AssetBuilder>[0] = {}, withArp = true): AssetBuilder {
  const b = new AssetBuilder(options);
  if (withArp) {
    b.observeArp(arp(2, ROUTER.ip, ROUTER.mac, HMI.ip, HMI.mac), 99); // the router answers the HMI: 10.0.0.1 owns its MAC
    b.observeArp(arp(1, '10.0.0.50', '00:1d:9c:11:22:33', PLC.ip, '00:00:00:00:00:00'), 130); // a host seen only through ARP
    b.observeArp(arp(1, '0.0.0.0', '00:1d:9c:44:55:66', '10.0.0.60', '00:00:00:00:00:00'), 131); // ARP probe: no host
  }
  for (const r of CONNS) b.write('conn', r);
  for (const r of MODBUS) b.write('modbus', r);
  b.write('weird', { ts: 1, name: 'tcp.seq_gap' }); // other streams are ignored
  return b;
}

const byHost = (records: LogRecord[]): Map<string, LogRecord> => new Map(records.map((r) => [r.host as string, r]));

describe('AssetBuilder', () => {
  it('folds conn, modbus and ARP into one record per host, sorted by address', () => {
    const records = build().records();
    assert.deepEqual(
      records.map((r) => r.host),
      ['1.1.1.1', '8.8.8.8', '10.0.0.1', '10.0.0.3', '10.0.0.9', '10.0.0.10', '10.0.0.50', '198.51.100.7', '203.0.113.5', 'fe80::3', 'fe80::a'],
    );
    const h = byHost(records);
    assert.deepEqual(h.get(PLC.ip), {
      ts: 100,
      host: PLC.ip,
      macs: [PLC.mac],
      gateway_macs: [],
      vendors: ['TELEMECANIQUE ELECTRIQUE'],
      first_seen: 100,
      last_seen: 110,
      protocols: ['modbus', 'tcp/502'],
      roles: ['modbus_server'],
      peers: 2,
      peer_list: [HMI.ip, ENG.ip],
      orig_flows: 0,
      resp_flows: 3,
      bytes_sent: 437 + 200 + 40,
      bytes_received: 720 + 100 + 44,
      local: true,
    });
    assert.deepEqual(h.get(HMI.ip), {
      ts: 99,
      host: HMI.ip,
      macs: [HMI.mac],
      gateway_macs: [],
      vendors: ['Siemens AG'],
      first_seen: 99,
      last_seen: 124,
      protocols: ['dns', 'modbus', 'ssl'],
      roles: ['modbus_client'],
      peers: 3,
      peer_list: ['1.1.1.1', '8.8.8.8', PLC.ip],
      orig_flows: 4,
      resp_flows: 0,
      bytes_sent: 720 + 60 + 1000 + 70,
      bytes_received: 437 + 120 + 5000,
      local: true,
    });
    const eng = h.get(ENG.ip)!;
    assert.deepEqual(eng.macs, [ENG.mac]);
    assert.deepEqual(eng.vendors, [], 'a locally administered MAC has no vendor');
    assert.deepEqual(eng.protocols, ['icmp', 'modbus']);
    assert.deepEqual(eng.roles, ['modbus_client']);
    assert.deepEqual(h.get('203.0.113.5')!.protocols, [], 'a port that never answered is not a protocol of the host');
    assert.deepEqual(h.get('198.51.100.7')!.protocols, ['icmp']);
    assert.deepEqual(h.get('8.8.8.8')!.protocols, ['dns', 'udp/53']);
    assert.equal(h.get('8.8.8.8')!.local, false);
    assert.ok(!h.has('224.0.0.251') && !h.has('0.0.0.0') && !h.has('10.0.0.60'), 'no multicast, unspecified or probed hosts');
    const arpOnly = h.get('10.0.0.50')!;
    assert.deepEqual([arpOnly.macs, arpOnly.vendors, arpOnly.first_seen, arpOnly.last_seen, arpOnly.orig_flows, arpOnly.peers], [
      ['00:1d:9c:11:22:33'],
      ['Rockwell Automation'],
      130,
      130,
      0,
      0,
    ]);
    for (const r of records) assert.ok(!('zone' in r), 'zone stays unset until a site policy exists');
  });

  it('never merges IPs sharing a MAC: a gateway MAC goes to gateway_macs and its vendor only to the ARP owner', () => {
    const h = byHost(build().records());
    // The router MAC fronts 4 remote hosts and its own address: 5 IPv4 addresses > 4.
    for (const ip of REMOTES) {
      const r = h.get(ip)!;
      assert.deepEqual([r.macs, r.gateway_macs, r.vendors], [[], [ROUTER.mac], []], ip);
    }
    const router = h.get(ROUTER.ip)!;
    assert.deepEqual([router.macs, router.gateway_macs, router.vendors], [[ROUTER.mac], [], ['TELTONIKA NETWORKS UAB']]);
    // One MAC on an IPv4 and an IPv6 address (dual stack) is not a gateway, and the two stay two hosts.
    assert.deepEqual(h.get('fe80::a')!.vendors, ['Siemens AG']);
    assert.deepEqual(h.get(HMI.ip)!.vendors, ['Siemens AG']);
  });

  it('applies the threshold exactly: more than N addresses make a gateway', () => {
    // Without ARP the router MAC is seen with the 4 remote addresses only.
    const at = build({}, false);
    assert.equal(at.stats().gatewayMacs, 0, '4 addresses is not more than 4');
    // Below the threshold a public address still never owns the MAC its frames carry: it is routed.
    const atThreshold = byHost(at.records());
    assert.deepEqual(atThreshold.get('8.8.8.8')!.gateway_macs, [ROUTER.mac]);
    assert.deepEqual(atThreshold.get('8.8.8.8')!.vendors, []);
    const b = build({ gatewayIpThreshold: 3 }, false);
    const over = byHost(b.records());
    for (const ip of REMOTES) assert.deepEqual([over.get(ip)!.macs, over.get(ip)!.gateway_macs, over.get(ip)!.vendors], [[], [ROUTER.mac], []]);
    assert.equal(b.stats().gatewayMacs, 1);
  });

  it('is bounded: maxAssets hosts, maxPeersPerHost peers, peerListLength listed', () => {
    const small = build({ limits: { ...DEFAULT_LIMITS, maxAssets: 3 } });
    assert.equal(small.records().length, 3);
    assert.ok(small.stats().hostsDropped > 0);
    const peers = build({ maxPeersPerHost: 2, peerListLength: 1 });
    const hmi = byHost(peers.records()).get(HMI.ip)!;
    assert.equal(hmi.peers, 2); // 10.0.0.3 and 8.8.8.8 came first; 1.1.1.1 found the set full
    assert.deepEqual(hmi.peer_list, ['8.8.8.8']);
    assert.ok(peers.stats().peersSaturated >= 1);
  });

  it('bounds the global MAC table at maxAssets × MACS_PER_ASSET, counting the drops, and keeps the gateway rule', () => {
    const limits = { ...DEFAULT_LIMITS, maxAssets: 11 };
    assert.equal(MACS_PER_ASSET, 2);
    const b = build({ limits }); // 11 hosts, 5 distinct MACs; the router MAC is a gateway (ARP owner + 4 remotes)
    const before = b.stats();
    assert.deepEqual([before.hosts, before.hostsDropped, before.macsDropped, before.gatewayMacs], [11, 0, 0, 1]);
    // Fresh MACs by ARP from two known hosts: 22 - 5 = 17 more fit in the table (22 = 11 × 2).
    const fresh = (i: number) => `02:00:00:00:01:${i.toString(16).padStart(2, '0')}`;
    for (let i = 0; i < 10; i++) b.observeArp(arp(2, PLC.ip, fresh(i), ROUTER.ip, ROUTER.mac), 200 + i);
    for (let i = 10; i < 20; i++) b.observeArp(arp(2, ENG.ip, fresh(i), ROUTER.ip, ROUTER.mac), 200 + i);
    const after = b.stats();
    assert.equal(after.macsDropped, 3);
    assert.equal(after.gatewayMacs, 1, 'the router MAC stays tracked and classed');
    const h = byHost(b.records());
    const macsOf = (ip: string): readonly string[] => h.get(ip)!.macs as readonly string[];
    assert.equal(macsOf(PLC.ip).length, 1 + 10);
    assert.equal(macsOf(ENG.ip).length, 1 + 7);
    assert.ok(macsOf(ENG.ip).includes(fresh(16)));
    assert.ok(!macsOf(ENG.ip).includes(fresh(17)), 'a dropped MAC is not listed for the host either');
    for (const ip of REMOTES) assert.deepEqual(h.get(ip)!.gateway_macs, [ROUTER.mac]);
    assert.deepEqual(h.get(ROUTER.ip)!.macs, [ROUTER.mac], 'ARP still ties the router MAC to its own address');
  });

  it('is deterministic whatever the record order', () => {
    const a = build().records();
    const b = new AssetBuilder();
    for (const r of [...MODBUS].reverse()) b.write('modbus', r);
    for (const r of [...CONNS].reverse()) b.write('conn', r);
    b.observeArp(arp(1, '10.0.0.50', '00:1d:9c:11:22:33', PLC.ip, '00:00:00:00:00:00'), 130);
    b.observeArp(arp(2, ROUTER.ip, ROUTER.mac, HMI.ip, HMI.mac), 99);
    assert.deepEqual(b.records(), a);
  });

  it('writes records that fit the registered assets schema and round-trip through the store', async () => {
    const schema = streamSchema('assets');
    assert.ok(schema);
    const fields = schema.fields.map((f) => f.name);
    const records = build().records();
    for (const r of records) assert.deepEqual(Object.keys(r), fields.filter((f) => f in r), 'keys in schema order');
    const store = new SqliteStore(':memory:');
    await store.open();
    await store.insertBatch('assets', records);
    await store.insertBatch('assets', records);
    assert.deepEqual(await store.select('assets', { limit: 100 }), records);
    await store.close();
  });

  it('rejects options that are not positive integers', () => {
    assert.throws(() => new AssetBuilder({ gatewayIpThreshold: 0 }), /gatewayIpThreshold must be a positive integer/);
  });
});

describe('AssetBuilder roles follow the true Modbus direction', () => {
  it('a PLC that opens the connection from port 502 is still the server', () => {
    const b = new AssetBuilder();
    // The device 10.0.0.8 connects from 502 and answers; the originator is the server.
    const base = { ts: 10, uid: 'Crev', 'id.orig_h': '10.0.0.8', 'id.orig_p': 502, 'id.resp_h': '10.0.0.20', 'id.resp_p': 40000 };
    b.write('modbus', { ...base, pdu_type: 'RESP', source_h: '10.0.0.8', destination_h: '10.0.0.20' });
    const byHost = new Map(b.records().map((r) => [r.host, r]));
    assert.deepEqual(byHost.get('10.0.0.8')?.roles, ['modbus_server']);
    assert.deepEqual(byHost.get('10.0.0.20')?.roles, ['modbus_client']);
  });
});
