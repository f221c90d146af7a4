import { fieldNumber, fieldNumbers, fieldString, fieldStrings } from '../events/fields.js';
import type { LogRecord, LogSink, StreamName } from '../events/record.js';
import { TCP_ANSWERED_STATES } from '../session/conn-state.js';
import { parseIpv4 } from '../decode/ip-parse.js';
import { MODBUS_WRITE_FUNCTIONS } from './site-policy.js';
import { scanContainerNumbers } from '../crane/container-scan.js';
import type { ConnId, PayloadObserver, PayloadTap } from '../session/analyzer.js';
import type { SiteInput } from './site-schema.js';

/** Distinct learned flows (client, server, protocol, port) kept; later new ones are counted, not kept. */
export const MAX_BASELINE_FLOWS = 50_000;
/** Distinct Modbus client/server pairs kept. */
const MAX_MODBUS_PAIRS = 10_000;
/** Written addresses kept per pair. */
const MAX_WRITTEN = 256;


interface LearnedFlow {
  client: string;
  server: string;
  protocol: 'tcp' | 'udp';
  port: number;
  count: number;
}

interface ModbusPair {
  client: string;
  server: string;
  units: Map<number, number>;
  functions: Set<number>;
  /** Written items: `c<addr>` coils, `h<addr>` holding registers. */
  written: Set<string>;
  /** Items read: `c` coils, `d` discrete inputs, `h` holding, `i` input registers, then the address. */
  read: Set<string>;
}

/** Items read per pair that become register-map entries (a poller's blocks are a few dozen). */
const MAX_READ = 1024;
/** Payload bytes per flow direction scanned for container numbers while learning. */
const SCAN_BYTES = 64 << 10;
/** The table letter of read functions 1–4 (Modbus AP V1.1b3 §6.1–6.4). */
const READ_TABLE: Readonly<Record<number, string>> = { 1: 'c', 2: 'd', 3: 'h', 4: 'i' };
/** RFC 1918 blocks: a terminal's own addresses outside the learned /24s are not "the outside". */
const PRIVATE_BLOCKS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/** What `learn` reports besides the site. */
export interface BaselineStats {
  flows: number;
  flowsDropped: number;
  hosts: number;
  hostsWithoutMac: number;
  plcs: number;
  modbusClients: number;
}

/**
 * Learns a draft site file from clean traffic (`cranewatch baseline`): a LogSink fed the records of
 * an analysis (conn, modbus_detailed, assets), then `site()` builds:
 * - zones: one per /24 of the hosts seen in private address space (kind crane_control where a
 *   Modbus server answers, crane_supervisory where only Modbus clients are, else enterprise), and
 *   `outside` for everything else;
 * - assets: every such host with a MAC (name `<role>-a-b-c-d`, role plc for a Modbus server, hmi (with
 *   its crane) for a Modbus client that wrote to exactly one PLC, cms for any other Modbus client,
 *   other otherwise; vendor from the IEEE registry); private addresses outside those
 *   /24s fall in `other-private` (kind enterprise), not in the outside;
 * - conduits: each (zone → zone, transport, server port) that answered between different zones;
 * - cranes: one per Modbus server, `PLC-a-b-c-d`, its most used unit id, a register entry for every
 *   item a client read (`hr_`, `ir_`, `coil_`, `di_` + address; access read) or wrote (access
 *   read_write) and its clients with the functions they used and the registers they wrote;
 * - container_data: the inventoried hosts that received container numbers (`tap()` must be given to
 *   the learning run as its payload tap);
 * - baseline: every answered flow (client, server, transport, port) with its count.
 * A person reviews and renames; the file says so. Only answered flows count: probes that nobody
 * answered teach nothing. Bounded by MAX_BASELINE_FLOWS flows and MAX_MODBUS_PAIRS Modbus pairs.
 */
export class BaselineLearner implements LogSink {
  private readonly flows = new Map<string, LearnedFlow>();
  private flowsDropped = 0;
  private readonly pairs = new Map<string, ModbusPair>();
  private readonly hosts: LogRecord[] = [];
  /** Hosts that received container numbers (ISO 6346, check digit valid) in the learning traffic, with the count. */
  private readonly containerReceivers = new Map<string, number>();
  private firstTs = Number.POSITIVE_INFINITY;
  private lastTs = Number.NEGATIVE_INFINITY;

  write(stream: StreamName, r: LogRecord): void {
    if (stream === 'conn') this.conn(r);
    else if (stream === 'modbus_detailed') this.modbus(r);
    else if (stream === 'assets') this.hosts.push(r);
  }

  async close(): Promise<void> {}

  /**
   * A payload tap for the learning run: every TCP and UDP flow's first SCAN_BYTES per direction are
   * scanned for container numbers; the hosts that received them become the draft's approved
   * container-data destinations (clean traffic sends them only where they belong).
   */
  tap(): PayloadTap {
    const receivers = this.containerReceivers;
    return {
      open(_uid: string, id: ConnId): PayloadObserver {
        let origSeen = 0;
        let respSeen = 0;
        return {
          payload(isOrig: boolean, data: Uint8Array): void {
            const seen = isOrig ? origSeen : respSeen;
            if (seen >= SCAN_BYTES) return;
            const view = data.length > SCAN_BYTES - seen ? data.subarray(0, SCAN_BYTES - seen) : data;
            if (isOrig) origSeen += view.length;
            else respSeen += view.length;
            const hits = scanContainerNumbers(view).hits.length;
            if (hits === 0) return;
            const to = isOrig ? id.resp_h : id.orig_h;
            receivers.set(to, (receivers.get(to) ?? 0) + hits);
          },
          end(): void {},
        };
      },
    };
  }

  /**
   * The draft site (schema input form: validate it with `validateSite`) and what was learned.
   * @param sources capture names recorded in `baseline.learned_from`
   * @param unlocode the terminal's UN/LOCODE (the traffic cannot tell it)
   */
  site(sources: readonly string[], unlocode: string): { site: SiteInput; stats: BaselineStats } {
    const servers = new Set<string>();
    const clients = new Set<string>();
    /** The PLCs each client wrote to. */
    const wroteTo = new Map<string, Set<string>>();
    for (const p of this.pairs.values()) {
      servers.add(p.server);
      clients.add(p.client);
      if (p.written.size > 0) {
        const w = wroteTo.get(p.client) ?? new Set<string>();
        w.add(p.server);
        wroteTo.set(p.client, w);
      }
    }
    const local = this.hosts.filter((h) => isPrivateV4(fieldString(h, 'host')));
    const subnets = new Map<string, { plc: boolean; client: boolean }>();
    for (const h of local) {
      const ip = fieldString(h, 'host');
      const net = subnetOf(ip);
      const z = subnets.get(net) ?? { plc: false, client: false };
      if (servers.has(ip)) z.plc = true;
      if (clients.has(ip)) z.client = true;
      subnets.set(net, z);
    }
    const zoneId = (ip: string): string => (!isPrivateV4(ip) ? 'outside' : subnets.has(subnetOf(ip)) ? `net-${subnetOf(ip).replace(/\./g, '-')}` : 'other-private');
    const zones: SiteInput['zones'] = [...subnets.entries()]
      .sort((a, b) => parseIpv4(a[0]) - parseIpv4(b[0]))
      .map(([net, z]) => ({
        id: `net-${net.replace(/\./g, '-')}`,
        name: `${net}/24 (${z.plc ? 'Modbus servers seen: crane control?' : z.client ? 'Modbus clients only: crane supervisory?' : 'no Modbus seen'})`,
        kind: z.plc ? ('crane_control' as const) : z.client ? ('crane_supervisory' as const) : ('enterprise' as const),
        cidrs: [`${net}/24`],
      }));
    zones.push({ id: 'other-private', name: 'Private addresses outside the learned subnets (review)', kind: 'enterprise', cidrs: PRIVATE_BLOCKS });
    zones.push({ id: 'outside', name: 'Everything else (outside the terminal)', kind: 'outside', cidrs: ['0.0.0.0/0'] });

    const nameOf = new Map<string, string>();
    const assets: SiteInput['assets'] = [];
    let withoutMac = 0;
    const craneOf = (ip: string): string => `PLC-${ip.replace(/\./g, '-')}`;
    for (const h of local.sort((a, b) => parseIpv4(fieldString(a, 'host')) - parseIpv4(fieldString(b, 'host')))) {
      const ip = fieldString(h, 'host');
      const mac = fieldStrings(h, 'macs')[0];
      if (mac === undefined) {
        withoutMac++;
        continue;
      }
      // A client that writes to one PLC only is that crane's cab HMI; one that reads, or writes to several, a CMS.
      const writes = wroteTo.get(ip);
      const hmiOf = !servers.has(ip) && writes !== undefined && writes.size === 1 ? [...writes][0] : undefined;
      const role = servers.has(ip) ? 'plc' : hmiOf !== undefined ? 'hmi' : clients.has(ip) ? 'cms' : 'other';
      const name = `${role}-${ip.replace(/\./g, '-')}`;
      nameOf.set(ip, name);
      assets.push({
        name,
        ip,
        mac,
        vendor: fieldStrings(h, 'vendors')[0] ?? '',
        role,
        zone: zoneId(ip),
        ...(role === 'plc' ? { crane: craneOf(ip) } : hmiOf !== undefined ? { crane: craneOf(hmiOf) } : {}),
      });
    }

    const conduits = new Map<string, { from: string; to: string; protocol: 'tcp' | 'udp'; port: number; count: number }>();
    for (const f of this.flows.values()) {
      const from = zoneId(f.client);
      const to = zoneId(f.server);
      if (from === to) continue;
      const k = `${from}|${to}|${f.protocol}|${f.port}`;
      const c = conduits.get(k) ?? { from, to, protocol: f.protocol, port: f.port, count: 0 };
      c.count += f.count;
      conduits.set(k, c);
    }
    const conduitList: SiteInput['conduits'] = [];
    for (const c of [...conduits.values()].sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : a.from + a.to > b.from + b.to ? 1 : a.port - b.port))) {
      const last = conduitList[conduitList.length - 1];
      const service = { protocol: c.protocol, port: c.port };
      if (last !== undefined && last.from === c.from && last.to === c.to) last.services.push(service);
      else conduitList.push({ from: c.from, to: c.to, services: [service], description: `learned: ${c.count} flow${c.count === 1 ? '' : 's'}` });
    }

    const cranes: SiteInput['cranes'] = [];
    for (const server of [...servers].sort((a, b) => parseIpv4(a) - parseIpv4(b))) {
      const plc = nameOf.get(server);
      if (plc === undefined) continue;
      const pairs = [...this.pairs.values()].filter((p) => p.server === server);
      const units = new Map<number, number>();
      for (const p of pairs) for (const [u, n] of p.units) units.set(u, (units.get(u) ?? 0) + n);
      const unit = [...units.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 1;
      const registers: SiteInput['cranes'][number]['registers'] = {};
      const signal = (item: string): string => (item[0] === 'c' ? `coil_${item.slice(1)}` : `hr_${item.slice(1)}`);
      const tableName = { c: 'coil', d: 'discrete', h: 'holding', i: 'input' } as const;
      const prefix = { c: 'coil', d: 'di', h: 'hr', i: 'ir' } as const;
      for (const p of pairs) {
        for (const item of p.read) {
          const t = item[0] as keyof typeof tableName;
          registers[`${prefix[t]}_${item.slice(1)}`] ??= {
            address: Number(item.slice(1)),
            table: tableName[t],
            type: t === 'c' || t === 'd' ? 'bool' : 'u16',
            access: 'read',
            description: 'read while learning; give it its signal name',
          };
        }
      }
      for (const p of pairs) {
        for (const item of p.written) {
          registers[signal(item)] = {
            address: Number(item.slice(1)),
            table: item[0] === 'c' ? 'coil' : 'holding',
            type: item[0] === 'c' ? 'bool' : 'u16',
            access: 'read_write',
            description: 'written while learning; give it its signal name',
          };
        }
      }
      const clientRules = pairs
        .filter((p) => nameOf.has(p.client))
        .sort((a, b) => parseIpv4(a.client) - parseIpv4(b.client))
        .map((p) => ({
          asset: nameOf.get(p.client) as string,
          functions: [...p.functions].filter((f) => f >= 1 && f <= 127).sort((a, b) => a - b),
          writes: [...p.written].sort().map(signal),
          description: `learned: functions ${[...p.functions].sort((a, b) => a - b).join(', ')}`,
        }))
        .filter((c) => c.functions.length > 0);
      cranes.push({ id: craneOf(server), plc, unit_id: unit, word_order: 'high_first', registers, clients: clientRules });
    }
    // An HMI belongs to its PLC's crane only where that PLC became one (it has a MAC, so an asset).
    const craneIds = new Set(cranes.map((c) => c.id));
    for (const a of assets) if (a.role === 'hmi' && a.crane !== undefined && !craneIds.has(a.crane)) delete a.crane;

    const flows = [...this.flows.values()].sort(
      (a, b) => parseIpv4(a.client) - parseIpv4(b.client) || parseIpv4(a.server) - parseIpv4(b.server) || (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0) || a.port - b.port,
    );
    const site: SiteInput = {
      version: 1,
      site: { name: 'Learned draft: review and rename', unlocode },
      zones,
      conduits: conduitList,
      assets,
      cranes,
      maintenance_windows: [],
      container_data: { approved_destinations: { assets: [...this.containerReceivers.keys()].map((ip) => nameOf.get(ip)).filter((n): n is string => n !== undefined).sort(), cidrs: [] } },
      baseline: {
        learned_from: [...sources],
        ...(Number.isFinite(this.firstTs) ? { start: new Date(this.firstTs * 1000).toISOString(), end: new Date(this.lastTs * 1000).toISOString() } : {}),
        flows: flows.map((f) => ({ client: f.client, server: f.server, protocol: f.protocol, port: f.port, count: f.count })),
      },
    };
    return {
      site,
      stats: { flows: flows.length, flowsDropped: this.flowsDropped, hosts: assets.length, hostsWithoutMac: withoutMac, plcs: cranes.length, modbusClients: clients.size },
    };
  }

  private conn(r: LogRecord): void {
    const ts = fieldNumber(r, 'ts');
    if (ts < this.firstTs) this.firstTs = ts;
    const end = ts + fieldNumber(r, 'duration');
    if (end > this.lastTs) this.lastTs = end;
    const proto = fieldString(r, 'proto');
    if (proto !== 'tcp' && proto !== 'udp') return;
    if (proto === 'tcp' ? !TCP_ANSWERED_STATES.has(fieldString(r, 'conn_state')) : fieldNumber(r, 'resp_bytes') <= 0 && fieldNumber(r, 'resp_pkts') <= 0) return;
    const client = fieldString(r, 'id.orig_h');
    const server = fieldString(r, 'id.resp_h');
    const port = fieldNumber(r, 'id.resp_p', -1);
    if (parseIpv4(client) < 0 || parseIpv4(server) < 0 || port < 0) return;
    const k = `${client}|${server}|${proto}|${port}`;
    const f = this.flows.get(k);
    if (f !== undefined) f.count++;
    else if (this.flows.size < MAX_BASELINE_FLOWS) this.flows.set(k, { client, server, protocol: proto, port, count: 1 });
    else this.flowsDropped++;
  }

  private modbus(r: LogRecord): void {
    if (fieldString(r, 'exception_code') !== '') return;
    const fc = fieldNumber(r, 'function_code', -1);
    if (fc < 0) return;
    // A row's source is the client when a request created it; a row a response created first is
    // the other way round, which the server's port 502 (Modbus TCP guide V1.0b §4.1) tells.
    const src = fieldString(r, 'source_h');
    const dst = fieldString(r, 'destination_h');
    const fromServer = fieldNumber(r, 'source_p') === 502 && fieldNumber(r, 'destination_p') !== 502;
    const client = fromServer ? dst : src;
    const server = fromServer ? src : dst;
    const k = `${client}|${server}`;
    let p = this.pairs.get(k);
    if (p === undefined) {
      if (this.pairs.size >= MAX_MODBUS_PAIRS) return;
      p = { client, server, units: new Map(), functions: new Set(), written: new Set(), read: new Set() };
      this.pairs.set(k, p);
    }
    const unit = fieldNumber(r, 'unit', -1);
    if (unit >= 0) p.units.set(unit, (p.units.get(unit) ?? 0) + 1);
    p.functions.add(fc);
    const table = READ_TABLE[fc];
    if (table !== undefined) {
      const address = fieldNumber(r, 'address', -1);
      const n = fieldNumber(r, 'quantity', 0);
      for (let a = address; a >= 0 && a < address + n && a <= 0xffff && p.read.size < MAX_READ; a++) p.read.add(`${table}${a}`);
    }
    if (MODBUS_WRITE_FUNCTIONS.has(fc)) {
      const address = fieldNumber(r, 'address', -1);
      const n = Math.max(1, fieldNumber(r, 'quantity', fieldNumbers(r, 'request_values').length || 1));
      for (let a = address; a >= 0 && a < address + n && a <= 0xffff && p.written.size < MAX_WRITTEN; a++) p.written.add(`${fc === 5 || fc === 15 ? 'c' : 'h'}${a}`);
    }
  }
}

/** RFC 1918 private IPv4 (the address space a terminal's own networks use). */
function isPrivateV4(ip: string): boolean {
  const n = parseIpv4(ip);
  if (n < 0) return false;
  return n >>> 24 === 10 || (n >>> 20) === 0xac1 || (n >>> 16) === 0xc0a8;
}

/** The /24 network of an IPv4 address, as `a.b.c.0`. */
function subnetOf(ip: string): string {
  const n = parseIpv4(ip);
  return `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.0`;
}
