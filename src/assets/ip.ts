/**
 * IP address classification and ordering for the asset inventory, over the canonical text the
 * decoder writes (dotted quad; RFC 5952 for IPv6). Invalid text is never an error: it is "not a
 * host", "not local" and sorts last.
 */
import { parseIpv4, parseIpv6 } from '../decode/ip-parse.js';

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d, RFC 4291 §2.5.5.2), else -1. */
function mappedIpv4(g: readonly number[]): number {
  return g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff ? g[6] * 65536 + g[7] : -1;
}

function isLocalIpv4(v: number): boolean {
  const a = Math.floor(v / 0x1000000);
  const b = Math.floor(v / 0x10000) % 256;
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
}

function isHostIpv4(v: number): boolean {
  const a = Math.floor(v / 0x1000000);
  return v !== 0 && v !== 0xffffffff && (a < 224 || a > 239);
}

/**
 * True for addresses private to a site: RFC 1918 (10/8, 172.16/12, 192.168/16), loopback
 * (127/8, ::1), link-local (RFC 3927 169.254/16, fe80::/10) and IPv6 unique local (RFC 4193
 * fc00::/7). Shared address space (RFC 6598 100.64/10) is not local: it belongs to a carrier.
 */
export function isLocalAddress(ip: string): boolean {
  const v4 = parseIpv4(ip);
  if (v4 >= 0) return isLocalIpv4(v4);
  const g = parseIpv6(ip);
  if (g === null) return false;
  const m = mappedIpv4(g);
  if (m >= 0) return isLocalIpv4(m);
  const loopback = g[7] === 1 && g.slice(0, 7).every((x) => x === 0);
  return loopback || (g[0] & 0xfe00) === 0xfc00 || (g[0] & 0xffc0) === 0xfe80;
}

/**
 * True when an address can be a host: not unspecified (0.0.0.0, ::), not the limited broadcast
 * (255.255.255.255), not multicast (224/4, RFC 5771; ff00::/8, RFC 4291 §2.7), and valid text.
 */
export function isHostAddress(ip: string): boolean {
  const v4 = parseIpv4(ip);
  if (v4 >= 0) return isHostIpv4(v4);
  const g = parseIpv6(ip);
  if (g === null) return false;
  const m = mappedIpv4(g);
  if (m >= 0) return isHostIpv4(m);
  return (g[0] & 0xff00) !== 0xff00 && g.some((x) => x !== 0);
}

/** 4 for a dotted quad, 6 for IPv6 text, 0 otherwise. */
export function ipFamily(ip: string): 0 | 4 | 6 {
  if (parseIpv4(ip) >= 0) return 4;
  return parseIpv6(ip) === null ? 0 : 6;
}

/**
 * A string whose plain (code unit) order is the numeric order of addresses: all IPv4 first
 * (by value), then IPv6 (by 128-bit value), then anything else (by text).
 */
export function ipSortKey(ip: string): string {
  const v4 = parseIpv4(ip);
  if (v4 >= 0) return `4${v4.toString(16).padStart(8, '0')}`;
  const g = parseIpv6(ip);
  if (g !== null) return `6${g.map((x) => x.toString(16).padStart(4, '0')).join('')}`;
  return `9${ip}`;
}

/** Sorts addresses in place by `ipSortKey` (IPv4 numerically, then IPv6, then invalid text); returns the array. */
export function sortIps(ips: string[]): string[] {
  const keyed = ips.map((ip) => ({ ip, key: ipSortKey(ip) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (let i = 0; i < keyed.length; i++) ips[i] = keyed[i].ip;
  return ips;
}
