import { DEFAULT_LIMITS, type Limits } from '../config/limits.js';
import type { ArpInfo } from '../decode/packet.js';
import { CwError } from '../errors.js';
import type { LogRecord, LogSink, StreamName } from '../events/record.js';
import { fieldNumber, fieldString } from '../events/fields.js';
import { TCP_ANSWERED_STATES } from '../session/conn-state.js';
import { connOrigBytes, connRespBytes, connServices } from './conn-view.js';
import { ipFamily, isHostAddress, isLocalAddress, sortIps } from './ip.js';
import { IDENTITY_FIELDS, IDENTITY_READERS, type DeviceIdentity, type IdentityFact } from './identity.js';
import './log.js';
import { formatMac, macKind, macVendor, parseMac } from './oui.js';
import { StreamMemo } from '../events/stream-memo.js';

/** Options of the asset builder. */
export interface AssetBuilderOptions {
  /** Bounds; `maxAssets` caps the hosts tracked (default DEFAULT_LIMITS). */
  readonly limits?: Readonly<Limits>;
  /** A MAC seen with more than this many IPv4 addresses, or more than this many IPv6 addresses, is a likely gateway (default 4). */
  readonly gatewayIpThreshold?: number;
  /** Peers listed in `peer_list` (the lowest addresses; default 16). */
  readonly peerListLength?: number;
  /** Distinct peers remembered per host; `peers` saturates there (default 1024). */
  readonly maxPeersPerHost?: number;
}

/** What the builder had to leave out because of its bounds (the pipeline reports these as warnings). */
export interface AssetBuilderStats {
  /** Hosts in the inventory. */
  readonly hosts: number;
  /** Sightings of new hosts refused because `limits.maxAssets` hosts were already tracked. */
  readonly hostsDropped: number;
  /** Hosts whose peer set reached `maxPeersPerHost` (their `peers` is a lower bound). */
  readonly peersSaturated: number;
  /** MACs classed as likely gateways. */
  readonly gatewayMacs: number;
  /** Sightings of new MACs refused because `limits.maxAssets × MACS_PER_ASSET` MACs were already tracked. */
  readonly macsDropped: number;
}

/** Per-host state; every set is bounded. */
interface Host {
  readonly ip: string;
  first: number;
  last: number;
  readonly macs: Set<string>;
  readonly protocols: Set<string>;
  readonly roles: Set<string>;
  readonly peers: Set<string>;
  peersFull: boolean;
  origFlows: number;
  respFlows: number;
  bytesSent: number;
  bytesReceived: number;
  /** What the device said about itself (identity.ts), latest value per field; null until told. */
  identity: DeviceIdentity | null;
  /** Streams the identity came from. */
  identifiedBy: Set<string> | null;
}

/** Per-MAC state: the IPs seen with it (up to threshold + 1 per family) and the IPs ARP bound it to; each set is created on first use. */
interface MacSeen {
  v4: Set<string> | null;
  v6: Set<string> | null;
  arpOwners: Set<string> | null;
}

const MAX_MACS_PER_HOST = 16;
const MAX_PROTOCOLS_PER_HOST = 64;
const MAX_ARP_OWNERS_PER_MAC = 16;
/**
 * MACs tracked in total, per `limits.maxAssets`: the global MAC table holds at most
 * `maxAssets × MACS_PER_ASSET` MACs (about 600 bytes each with its sets); further new MACs are not recorded
 * (counted in `stats().macsDropped`). A gateway's MAC fronts many hosts, so it is seen early and stays tracked.
 */
export const MACS_PER_ASSET = 2;
/** Flows whose roles are remembered as folded before the memory is reset (a reset only costs a re-fold). */
const ROLE_FLOWS_REMEMBERED = 65_536;


/**
 * Services (conn.log `service`) whose originator and responder take a role: the side that opened an
 * industrial session is its client (master), the side that answered its server (PLC, outstation,
 * broker). Modbus is judged from its own records (PROTOCOL_ROLES), which know the true direction.
 */
const SERVICE_ROLES: ReadonlyMap<string, readonly [client: string, server: string]> = new Map([
  ['s7comm', ['s7comm_client', 's7comm_server']],
  ['s7comm-plus', ['s7comm_client', 's7comm_server']],
  ['opcua-binary', ['opcua_client', 'opcua_server']],
  ['enip', ['enip_client', 'enip_server']],
  ['cip', ['cip_io_originator', 'cip_io_target']],
  ['dnp3_tcp', ['dnp3_master', 'dnp3_outstation']],
  ['dnp3_udp', ['dnp3_master', 'dnp3_outstation']],
  ['mqtt', ['mqtt_client', 'mqtt_broker']],
]);

/** Protocol streams whose originator / responder take a role (client / server of the protocol). */
const PROTOCOL_ROLES: ReadonlyMap<string, readonly [client: string, server: string]> = new Map([
  ['modbus', ['modbus_client', 'modbus_server'] as const],
]);

/**
 * Builds the asset inventory (the `assets` stream, assets/log.ts) from conn records, protocol
 * records (`modbus`: client and server from the record's true source and destination, else
 * originator = client, responder = server) and ARP packets (`observeArp`).
 * Importing this module registers the `assets` schema.
 *
 * Identity and MAC rule:
 * - a host is an IP address (unspecified, broadcast and multicast addresses are not hosts);
 * - every unicast MAC seen as a host's L2 address (conn `orig_l2_addr` / `resp_l2_addr`, ARP
 *   sender, ARP reply target) is recorded with it; a MAC never merges two IPs into one host;
 * - the MAC of a host outside the local address space (assets/ip.ts `isLocalAddress`) is the
 *   router's that forwarded its frames: it goes to `gateway_macs` unless ARP tied it to that host;
 * - a MAC seen with more than `gatewayIpThreshold` IPv4 (or IPv6) addresses is a likely gateway:
 *   a router's MAC fronts every remote host it forwards for. For each host, such a MAC goes to
 *   `gateway_macs`, not `macs`, and its vendor is not attributed, unless ARP bound that MAC to
 *   that host's IP (the gateway's own address). Without ARP evidence no host gets a gateway MAC's vendor;
 * - vendors come from the IEEE registry (assets/oui.ts) for globally unique MACs only.
 * - `protocols`: conn services for both sides; `<proto>/<resp_p>` for the responder only when
 *   it answered (TCP: conn_state S1 S2 S3 SF RSTO RSTR; UDP: resp_pkts > 0; either when the field
 *   is absent), so scanned ports that never answered are not listed; `icmp` for both sides.
 * - bytes: IP bytes (conn `*_ip_bytes`, payload bytes when absent).
 *
 * Bounds: `limits.maxAssets` hosts (later new hosts are counted in `stats().hostsDropped`),
 * `maxAssets × MACS_PER_ASSET` MACs in all (later new MACs are counted in `stats().macsDropped` and
 * not recorded for any host), 16 MACs, 64 protocols and `maxPeersPerHost` peers per host. Deterministic: `records()` sorts
 * hosts by address and every list inside. `write` keeps nothing of the record it is given.
 */
export class AssetBuilder implements LogSink {
  private readonly hosts = new Map<string, Host>();
  private readonly macs = new Map<string, MacSeen>();
  private readonly maxAssets: number;
  private readonly maxMacs: number;
  private macsDropped = 0;
  private readonly gatewayIpThreshold: number;
  private readonly peerListLength: number;
  private readonly maxPeersPerHost: number;
  private hostsDropped = 0;
  private peersSaturated = 0;
  /** Per protocol stream, uids of flows whose roles are already folded (their hosts cannot change); bounded. */
  private readonly rolesFolded = new Map<string, Set<string>>();
  /** A stream's entries in PROTOCOL_ROLES and IDENTITY_READERS, remembered for the last two streams. */
  private readonly uses = new StreamMemo((stream) => ({ roles: PROTOCOL_ROLES.get(stream), reader: IDENTITY_READERS.get(stream) }));
  /** The stream and flow uid of the last protocol record folded or skipped: a flow's records come in runs. */
  private lastRolesStream: string | null = null;
  private lastRolesUid: unknown = null;

  /** Throws `CwError('CW_ERR_CONFIG')` when an option is not a positive integer. */
  constructor(options: AssetBuilderOptions = {}) {
    this.maxAssets = positive('limits.maxAssets', (options.limits ?? DEFAULT_LIMITS).maxAssets);
    this.maxMacs = this.maxAssets * MACS_PER_ASSET;
    this.gatewayIpThreshold = positive('gatewayIpThreshold', options.gatewayIpThreshold ?? 4);
    this.peerListLength = positive('peerListLength', options.peerListLength ?? 16);
    this.maxPeersPerHost = positive('maxPeersPerHost', options.maxPeersPerHost ?? 1024);
  }

  write(stream: StreamName, record: LogRecord): void {
    if (stream === 'conn') {
      this.foldConn(record);
      return;
    }
    const use = this.uses.get(stream);
    if (use.roles !== undefined) {
      this.foldRoles(stream, use.roles, record);
      return;
    }
    if (use.reader !== undefined) this.foldIdentity(stream, use.reader(record), fieldNumber(record, 'ts'));
  }

  /** Keep, per field, the latest value a device told about itself (a firmware update shows the new revision). */
  private foldIdentity(stream: string, fact: IdentityFact | null, ts: number): void {
    if (fact === null) return;
    const h = this.host(fact.host, ts, ts);
    if (h === null) return;
    const id = (h.identity ??= { vendor: '', product: '', model: '', firmware: '', serial: '' });
    let told = false;
    for (const f of IDENTITY_FIELDS) {
      const v = fact.fields[f];
      if (v !== undefined && v !== '') {
        id[f] = v;
        told = true;
      }
    }
    if (told) (h.identifiedBy ??= new Set()).add(stream);
  }

  /**
   * Learns from one ARP packet (RFC 826): the sender's IP/MAC binding, and for a reply (op 2)
   * the target's. ARP probes (sender 0.0.0.0) and zero / group MACs are ignored. `ts` in seconds.
   */
  observeArp(arp: ArpInfo, ts: number): void {
    this.bindArp(arp.senderIp, arp.senderMac, ts);
    if (arp.op === 2) this.bindArp(arp.targetIp, arp.targetMac, ts);
  }

  /** The inventory: one `assets` record per host, sorted by address (IPv4 numerically, then IPv6). */
  records(): LogRecord[] {
    return sortIps([...this.hosts.keys()]).map((ip) => this.toRecord(this.hosts.get(ip)!));
  }

  /** Counts of what the bounds left out. */
  stats(): AssetBuilderStats {
    let gatewayMacs = 0;
    for (const m of this.macs.values()) if (this.isGateway(m)) gatewayMacs++;
    return {
      hosts: this.hosts.size,
      hostsDropped: this.hostsDropped,
      peersSaturated: this.peersSaturated,
      gatewayMacs,
      macsDropped: this.macsDropped,
    };
  }

  /** Nothing is buffered: the pipeline reads `records()` when the input ends. */
  async close(): Promise<void> {}

  private foldConn(r: LogRecord): void {
    const ts = fieldNumber(r, 'ts');
    const end = ts + fieldNumber(r, 'duration');
    const origIp = fieldString(r, 'id.orig_h');
    const respIp = fieldString(r, 'id.resp_h');
    const origBytes = connOrigBytes(r);
    const respBytes = connRespBytes(r);
    const proto = fieldString(r, 'proto');
    const services = connServices(r);
    const o = this.host(origIp, ts, end);
    if (o !== null) {
      o.origFlows++;
      o.bytesSent += origBytes;
      o.bytesReceived += respBytes;
      this.addPeer(o, respIp);
      for (const s of services) {
        this.addProtocol(o, s);
        const roles = SERVICE_ROLES.get(s);
        if (roles !== undefined) o.roles.add(roles[0]);
      }
      if (proto === 'icmp') this.addProtocol(o, proto);
      this.addL2(o, fieldString(r, 'orig_l2_addr'));
    }
    const d = this.host(respIp, ts, end);
    if (d !== null) {
      d.respFlows++;
      d.bytesSent += respBytes;
      d.bytesReceived += origBytes;
      this.addPeer(d, origIp);
      for (const s of services) {
        this.addProtocol(d, s);
        const roles = SERVICE_ROLES.get(s);
        if (roles !== undefined) d.roles.add(roles[1]);
      }
      if (proto === 'icmp') this.addProtocol(d, proto);
      else if (proto !== '' && answered(r, proto)) this.addProtocol(d, `${proto}/${fieldNumber(r, 'id.resp_p')}`);
      this.addL2(d, fieldString(r, 'resp_l2_addr'));
    }
  }

  private foldRoles(stream: string, roles: readonly [string, string], r: LogRecord): void {
    // Every record of one flow names the same two hosts: fold the first, skip the rest
    // (first/last seen come from the flow's conn record, which covers these records' times).
    const uid = r.uid;
    if (uid === this.lastRolesUid && stream === this.lastRolesStream) return;
    if (typeof uid === 'string') {
      this.lastRolesStream = stream;
      this.lastRolesUid = uid;
      let folded = this.rolesFolded.get(stream);
      if (folded === undefined) this.rolesFolded.set(stream, (folded = new Set()));
      if (folded.has(uid)) return;
      if (folded.size >= ROLE_FLOWS_REMEMBERED) folded.clear();
      folded.add(uid);
    }
    const ts = fieldNumber(r, 'ts');
    // The true direction when the record carries it (a server may open the connection from its
    // well-known port): a request goes client → server, a response server → client.
    const isResponse = r.pdu_type === 'RESP';
    const clientIp = fieldString(r, isResponse ? 'destination_h' : 'source_h') || fieldString(r, 'id.orig_h');
    const serverIp = fieldString(r, isResponse ? 'source_h' : 'destination_h') || fieldString(r, 'id.resp_h');
    const client = this.host(clientIp, ts, ts);
    if (client !== null) {
      client.roles.add(roles[0]);
      this.addProtocol(client, stream);
    }
    const server = this.host(serverIp, ts, ts);
    if (server !== null) {
      server.roles.add(roles[1]);
      this.addProtocol(server, stream);
    }
  }

  private bindArp(ip: string, mac: number, ts: number): void {
    const kind = macKind(mac);
    if (kind !== 'unicast' && kind !== 'local') return;
    const h = this.host(ip, ts, ts);
    if (h === null) return;
    const text = formatMac(mac);
    this.addMac(h, text);
    const seen = this.macs.get(text);
    if (seen === undefined) return;
    if (seen.arpOwners === null) seen.arpOwners = new Set();
    if (seen.arpOwners.size < MAX_ARP_OWNERS_PER_MAC) seen.arpOwners.add(ip);
  }

  /** The host of an address, created on first sight (null: not a host address, or the inventory is full). Widens its seen interval. */
  private host(ip: string, ts: number, end: number): Host | null {
    let h = this.hosts.get(ip);
    if (h === undefined) {
      if (!isHostAddress(ip)) return null;
      if (this.hosts.size >= this.maxAssets) {
        this.hostsDropped++;
        return null;
      }
      h = {
        ip,
        first: ts,
        last: end,
        macs: new Set(),
        protocols: new Set(),
        roles: new Set(),
        peers: new Set(),
        peersFull: false,
        origFlows: 0,
        respFlows: 0,
        bytesSent: 0,
        bytesReceived: 0,
        identity: null,
        identifiedBy: null,
      };
      this.hosts.set(ip, h);
      return h;
    }
    if (ts < h.first) h.first = ts;
    if (end > h.last) h.last = end;
    return h;
  }

  private addPeer(h: Host, peer: string): void {
    if (peer === h.ip || h.peers.has(peer)) return;
    if (h.peers.size >= this.maxPeersPerHost) {
      if (!h.peersFull) {
        h.peersFull = true;
        this.peersSaturated++;
      }
      return;
    }
    if (isHostAddress(peer)) h.peers.add(peer);
  }

  private addProtocol(h: Host, p: string): void {
    if (h.protocols.size < MAX_PROTOCOLS_PER_HOST) h.protocols.add(p);
  }

  /** Records a MAC given as text (conn `*_l2_addr`) when it is a valid unicast address. */
  private addL2(h: Host, text: string): void {
    if (text === '') return;
    const mac = parseMac(text);
    if (mac < 0) return;
    const kind = macKind(mac);
    if (kind === 'unicast' || kind === 'local') this.addMac(h, formatMac(mac));
  }

  /** Records `mac` with host `h`; a host's MACs are always in the global table (a MAC it cannot hold is dropped for the host too). */
  private addMac(h: Host, mac: string): void {
    let seen = this.macs.get(mac);
    if (!h.macs.has(mac)) {
      if (h.macs.size >= MAX_MACS_PER_HOST) return;
      if (seen === undefined && this.macs.size >= this.maxMacs) {
        this.macsDropped++;
        return;
      }
      h.macs.add(mac);
    }
    if (seen === undefined) {
      seen = { v4: null, v6: null, arpOwners: null };
      this.macs.set(mac, seen);
    }
    let ips: Set<string>;
    if (ipFamily(h.ip) === 6) ips = seen.v6 ?? (seen.v6 = new Set());
    else ips = seen.v4 ?? (seen.v4 = new Set());
    if (ips.size <= this.gatewayIpThreshold) ips.add(h.ip);
  }

  private isGateway(m: MacSeen): boolean {
    const t = this.gatewayIpThreshold;
    return (m.v4 !== null && m.v4.size > t) || (m.v6 !== null && m.v6.size > t);
  }

  private toRecord(h: Host): LogRecord {
    const local = isLocalAddress(h.ip);
    const macs: string[] = [];
    const gatewayMacs: string[] = [];
    for (const mac of [...h.macs].sort()) {
      const seen = this.macs.get(mac)!;
      // A host outside the local address space is never on the captured segment: the MAC its
      // frames carry is the router's, unless ARP tied that MAC to this very address.
      const routed = !(seen.arpOwners !== null && seen.arpOwners.has(h.ip)) && (this.isGateway(seen) || !local);
      if (routed) gatewayMacs.push(mac);
      else macs.push(mac);
    }
    const vendors = new Set<string>();
    for (const mac of macs) {
      const v = macVendor(parseMac(mac));
      if (v !== null) vendors.add(v);
    }
    return {
      ts: h.first,
      host: h.ip,
      macs,
      gateway_macs: gatewayMacs,
      vendors: [...vendors].sort(),
      first_seen: h.first,
      last_seen: h.last,
      protocols: [...h.protocols].sort(),
      roles: [...h.roles].sort(),
      peers: h.peers.size,
      peer_list: sortIps([...h.peers]).slice(0, this.peerListLength),
      orig_flows: h.origFlows,
      resp_flows: h.respFlows,
      bytes_sent: h.bytesSent,
      bytes_received: h.bytesReceived,
      local,
      ...identityFields(h),
    };
  }
}

/** The `device_*` and `identified_by` fields of a host that told its identity (none otherwise: unset). */
function identityFields(h: Host): LogRecord {
  const id = h.identity;
  if (id === null || h.identifiedBy === null) return {};
  const out: Record<string, string | string[]> = {};
  for (const f of IDENTITY_FIELDS) if (id[f] !== '') out[`device_${f}`] = id[f];
  out.identified_by = [...h.identifiedBy].sort();
  return out;
}

function positive(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new CwError('CW_ERR_CONFIG', `${name} must be a positive integer, got ${v}`);
  return v;
}

/** Whether the responder of a conn record answered (see AssetBuilder: `protocols`). */
function answered(r: LogRecord, proto: string): boolean {
  if (proto === 'tcp') {
    const state = fieldString(r, 'conn_state');
    return state === '' || TCP_ANSWERED_STATES.has(state);
  }
  const pkts = r['resp_pkts'];
  return typeof pkts !== 'number' || pkts > 0;
}
