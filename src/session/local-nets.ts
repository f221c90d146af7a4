/**
 * Locality of an address for conn.log `local_orig` / `local_resp`.
 *
 * Zeek sets these fields from `Site::local_nets`, which (with the default
 * `Site::private_address_space_is_local = T`) holds `Site::private_address_space`
 * (zeek/scripts/base/utils/site.zeek, IANA IPv4 / IPv6 Special-Purpose Address Registries).
 * That list is reproduced here: RFC 1918, RFC 6598, loopback (RFC 1122, ::1), link local
 * (RFC 3927, fe80::/10), unique local (RFC 4193 fc00::/7), documentation and benchmarking
 * ranges, local multicast blocks, reserved 240/4, limited broadcast, the matching 6to4
 * (RFC 3056) prefixes and the IPv6 special blocks. IPv4-mapped IPv6 addresses (::ffff:0:0/96)
 * are judged as the IPv4 address they carry, as Zeek stores IPv4 that way.
 */
import { parseIpv4, parseIpv6 } from '../decode/ip-parse.js';

/** IPv4 blocks as [network (u32), prefix length]. */
const V4_BLOCKS: readonly (readonly [number, number])[] = [
  [0x00000000, 8], // 0.0.0.0/8 "this network", RFC 791
  [0x0a000000, 8], // 10.0.0.0/8, RFC 1918
  [0x64400000, 10], // 100.64.0.0/10 shared address space, RFC 6598
  [0x7f000000, 8], // 127.0.0.0/8 loopback, RFC 1122
  [0xa9fe0000, 16], // 169.254.0.0/16 link local, RFC 3927
  [0xac100000, 12], // 172.16.0.0/12, RFC 1918
  [0xc0000000, 24], // 192.0.0.0/24 IETF protocol assignments, RFC 6890
  [0xc0000200, 24], // 192.0.2.0/24 TEST-NET-1, RFC 5737
  [0xc0a80000, 16], // 192.168.0.0/16, RFC 1918
  [0xc6120000, 15], // 198.18.0.0/15 benchmarking, RFC 2544
  [0xc6336400, 24], // 198.51.100.0/24 TEST-NET-2, RFC 5737
  [0xcb007100, 24], // 203.0.113.0/24 TEST-NET-3, RFC 5737
  [0xe0000000, 24], // 224.0.0.0/24 local network control block, RFC 5771
  [0xef000000, 8], // 239.0.0.0/8 administratively scoped multicast, RFC 2365
  [0xf0000000, 4], // 240.0.0.0/4 reserved, RFC 1112
  [0xffffffff, 32], // 255.255.255.255/32 limited broadcast, RFC 919 / RFC 8190
];

/** IPv6 blocks as [first four 16-bit groups of the prefix, prefix length ≤ 64] or full 128-bit for the two /128. */
const V6_BLOCKS: readonly (readonly [readonly number[], number])[] = [
  [[0x2002, 0x0000], 24], // 6to4 of 0.0.0.0/8
  [[0x2002, 0x0a00], 24], // 6to4 of 10.0.0.0/8
  [[0x2002, 0x6440], 26], // 6to4 of 100.64.0.0/10
  [[0x2002, 0x7f00], 24], // 6to4 of 127.0.0.0/8
  [[0x2002, 0xa9fe], 32], // 6to4 of 169.254.0.0/16
  [[0x2002, 0xac10], 28], // 6to4 of 172.16.0.0/12
  [[0x2002, 0xc000, 0x0000], 40], // 6to4 of 192.0.0.0/24
  [[0x2002, 0xc000, 0x0200], 40], // 6to4 of 192.0.2.0/24
  [[0x2002, 0xc0a8], 32], // 6to4 of 192.168.0.0/16
  [[0x2002, 0xc612], 31], // 6to4 of 198.18.0.0/15
  [[0x2002, 0xc633, 0x6400], 40], // 6to4 of 198.51.100.0/24
  [[0x2002, 0xcb00, 0x7100], 40], // 6to4 of 203.0.113.0/24
  [[0x2002, 0xe000, 0x0000], 40], // 6to4 of 224.0.0.0/24
  [[0x2002, 0xef00], 24], // 6to4 of 239.0.0.0/8
  [[0x2002, 0xf000], 20], // 6to4 of 240.0.0.0/4
  [[0x2002, 0xffff, 0xffff], 48], // 6to4 of 255.255.255.255/32
  [[0, 0, 0, 0, 0, 0, 0, 0], 128], // ::/128 unspecified, RFC 4291
  [[0, 0, 0, 0, 0, 0, 0, 1], 128], // ::1/128 loopback, RFC 4291
  [[0x0064, 0xff9b, 0x0001], 48], // 64:ff9b:1::/48 IPv4-IPv6 translation, RFC 8215
  [[0x0100, 0, 0, 0], 64], // 100::/64 discard-only, RFC 6666
  [[0x2001, 0x0000], 23], // 2001::/23 IETF protocol assignments, RFC 2928
  [[0x2001, 0x0002, 0x0000], 48], // 2001:2::/48 benchmarking, RFC 5180
  [[0x2001, 0x0db8], 32], // 2001:db8::/32 documentation, RFC 3849
  [[0xfc00], 7], // fc00::/7 unique local, RFC 4193
  [[0xfe80], 10], // fe80::/10 link local, RFC 4291
  [[0xfec0], 10], // fec0::/10 deprecated site local, RFC 3879
];

function v4IsLocal(v: number): boolean {
  for (let i = 0; i < V4_BLOCKS.length; i++) {
    const [net, bits] = V4_BLOCKS[i];
    // Prefix lengths are 4..32: the shift stays within 0..28.
    if ((v ^ net) >>> (32 - bits) === 0) return true;
  }
  return false;
}

function v6InBlock(groups: readonly number[], prefix: readonly number[], bits: number): boolean {
  let left = bits;
  for (let i = 0; left > 0; i++, left -= 16) {
    const want = prefix[i] ?? 0;
    if (left >= 16) {
      if (groups[i] !== want) return false;
    } else {
      const mask = (0xffff << (16 - left)) & 0xffff;
      if ((groups[i] & mask) !== (want & mask)) return false;
    }
  }
  return true;
}

/**
 * True when `addr` (dotted quad or RFC 5952 IPv6 text) lies in Zeek's default local networks
 * (`Site::private_address_space`, see the module note); false for any other or unparsable text.
 * Called once per flow end, not per packet. Never throws.
 */
export function isLocalAddr(addr: string): boolean {
  const v4 = parseIpv4(addr);
  if (v4 >= 0) return v4IsLocal(v4);
  const groups = parseIpv6(addr);
  if (groups === null) return false;
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return v4IsLocal(groups[6] * 65536 + groups[7]);
  }
  for (const [prefix, bits] of V6_BLOCKS) if (v6InBlock(groups, prefix, bits)) return true;
  return false;
}
