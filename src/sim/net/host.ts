import type { Prng } from '../random.js';
import { parseIpv4, parseMac } from './address.js';

/**
 * Operating-system traits of a simulated TCP/IP stack, as they show on the wire.
 * - `windows`: initial TTL 128 (RFC 1700 lists 128 for Windows), SYN window 64240, delayed ACK 200 ms,
 *   ephemeral ports 49152–65535 (RFC 6335 §6 dynamic range).
 * - `linux`: TTL 64, SYN window 64240, delayed ACK 40 ms (TCP_DELACK_MIN), ports 32768–60999.
 * - `embedded`: a PLC or field device stack: TTL 64, window 8192, delayed ACK 200 ms (RFC 1122
 *   §4.2.3.2 upper bound 500 ms), ports 1024–5000.
 */
export type StackKind = 'windows' | 'linux' | 'embedded';

/** Description of a host for `createHost`; optional fields default from `stack`. */
export interface HostSpec {
  /** Stable name used in ground truth and logs, e.g. "sts-01-plc". */
  name: string;
  /** MAC address text; for a host behind a router, the router's MAC (see `SimHost.mac`). */
  mac: string;
  /** IPv4 address, dotted quad. */
  ip: string;
  stack: StackKind;
  /** TTL as it appears in the capture (initial TTL minus routed hops); default from `stack`. */
  ttl?: number;
  /** TCP window advertised (unscaled, bytes); default from `stack`. */
  window?: number;
  /** MSS announced in SYN segments (RFC 9293 §3.7.1), bytes; default 1460 (Ethernet MTU 1500). */
  mss?: number;
  /** 802.1Q VLAN id of the host's frames on the captured link, or -1 for untagged (default). */
  vlan?: number;
}

/**
 * One simulated endpoint as seen from the capture point.
 * `mac` is the MAC its frames carry on the captured segment: its own for a local host, the
 * gateway's for a remote one, so a routed peer is modelled by giving it the router's MAC and a
 * TTL already decremented by the hops.
 * `ipId` is the next IPv4 identification (RFC 791 §3.1, RFC 6864) this host uses; every IPv4 packet
 * it sends takes one and increments it modulo 2^16.
 */
export interface SimHost {
  readonly name: string;
  readonly mac: Uint8Array;
  /** IPv4 address, unsigned 32-bit, network order. */
  readonly ip: number;
  readonly ttl: number;
  readonly window: number;
  readonly mss: number;
  /** Seconds a receiver waits before a pure ACK when it has no data to piggyback on. */
  readonly delayedAckSec: number;
  /** Inclusive ephemeral (client) port range. */
  readonly portMin: number;
  readonly portMax: number;
  readonly vlan: number;
  ipId: number;
}

const STACKS: Readonly<Record<StackKind, { ttl: number; window: number; delack: number; pmin: number; pmax: number }>> = {
  windows: { ttl: 128, window: 64240, delack: 0.2, pmin: 49152, pmax: 65535 },
  linux: { ttl: 64, window: 64240, delack: 0.04, pmin: 32768, pmax: 60999 },
  embedded: { ttl: 64, window: 8192, delack: 0.2, pmin: 1024, pmax: 5000 },
};

/**
 * Build a `SimHost` from its spec; the first IPv4 identification is drawn from `rng`.
 * Throws `CwError('CW_ERR_CONFIG')` on a bad MAC or IP text.
 */
export function createHost(spec: HostSpec, rng: Prng): SimHost {
  const d = STACKS[spec.stack];
  return {
    name: spec.name,
    mac: parseMac(spec.mac),
    ip: parseIpv4(spec.ip),
    ttl: spec.ttl ?? d.ttl,
    window: spec.window ?? d.window,
    mss: spec.mss ?? 1460,
    delayedAckSec: d.delack,
    portMin: d.pmin,
    portMax: d.pmax,
    vlan: spec.vlan ?? -1,
    ipId: rng.int(0, 0xffff),
  };
}

/** A client port drawn uniformly from the host's ephemeral range. */
export function ephemeralPort(host: SimHost, rng: Prng): number {
  return rng.int(host.portMin, host.portMax);
}
