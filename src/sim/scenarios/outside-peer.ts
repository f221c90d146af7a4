import { CwError } from '../../errors.js';
import { parseIpv4 } from '../net/address.js';
import { createHost, type SimHost } from '../net/host.js';
import { Prng } from '../random.js';
import type { ScenarioContext } from './scenario.js';

/**
 * MAC of the terminal's edge router when the site file lists no `gateway` asset: IEEE OUI 00:1b:54
 * (oui-data MA-L "Cisco Systems, Inc", the vendor of the site's other network gear) and a fixed host part.
 */
export const EDGE_ROUTER_MAC = '00:1b:54:ff:00:01';

/** Routed hops between the terminal and an outside peer, as the TTL of its packets shows them. */
const OUTSIDE_HOPS = 14;

/** MAC the captured link shows for routed (outside) traffic: the site's `gateway` asset, else `EDGE_ROUTER_MAC`. */
export function routerMac(ctx: ScenarioContext): string {
  const gw = ctx.site.assets.find((a) => a.role === 'gateway');
  return gw === undefined ? EDGE_ROUTER_MAC : gw.mac;
}

/**
 * A host outside the terminal (`ip`, e.g. an RFC 5737 documentation address) as the capture point
 * sees it: the edge router's MAC (`routerMac`), a Linux stack's TTL 64 minus 14 hops. Not added to the
 * inventory or the truth's host list (it is not on the terminal's network); scenarios name it in their
 * `hosts.targets`. Its IPv4 identification counter is drawn from `Prng.derive(seed, "outside/<ip>")`.
 */
export function outsidePeer(ctx: ScenarioContext, name: string, ip: string): SimHost {
  return createHost({ name, mac: routerMac(ctx), ip, stack: 'linux', ttl: 64 - OUTSIDE_HOPS }, Prng.derive(ctx.seed, `outside/${ip}`));
}

/**
 * Check that `ip` lies outside every zone of the site that is not of kind `outside`.
 * @throws CwError CW_ERR_CONFIG naming the scenario and the zone when it lies inside one.
 */
export function requireOutside(ctx: ScenarioContext, what: string, ip: string): void {
  const a = parseIpv4(ip);
  for (const z of ctx.site.zones) {
    if (z.kind === 'outside') continue;
    for (const c of z.cidrs) {
      const [net, bits] = c.split('/');
      const n = Number(bits);
      const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
      if (((a & mask) >>> 0) === ((parseIpv4(net) & mask) >>> 0)) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: ${what}: ${ip} lies in the site's zone ${z.id} (${c}), not outside the terminal`);
    }
  }
}
