import { parseIpv4 } from '../decode/ip-parse.js';

/** One IPv4 CIDR block (RFC 4632) of a zone: network base and mask as unsigned 32-bit numbers. */
interface Block<Z> {
  readonly base: number;
  readonly mask: number;
  readonly bits: number;
  readonly zone: Z;
}

/**
 * The IPv4 CIDR blocks of a site's zones (IEC 62443 zones as the site file lists them), for finding
 * the zone of an address by the longest matching prefix. `Z` is whatever the caller calls a zone
 * (the site file's zone, the console's stored inventory zone). IPv6 blocks are not matched.
 */
export class ZoneBlocks<Z> {
  private readonly blocks: Block<Z>[] = [];
  private sorted = true;

  /** Adds `cidr` (`a.b.c.d/n`, 0 ≤ n ≤ 32) for `zone`; false, and nothing added, when it is not one. */
  add(cidr: string, zone: Z): boolean {
    const [addr, len] = cidr.split('/');
    const bits = Number(len);
    const base = parseIpv4(addr ?? '');
    if (base < 0 || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    this.blocks.push({ base: (base & mask) >>> 0, mask, bits, zone });
    this.sorted = false;
    return true;
  }

  /** The zone of the longest block holding the IPv4 address `n` (host order, unsigned); null when none. */
  zoneOf(n: number): Z | null {
    for (const b of this.ordered()) if (((n & b.mask) >>> 0) === b.base) return b.zone;
    return null;
  }

  /** True when `n` is the directed broadcast (all host bits set) of a block with a /1–/30 prefix (RFC 919). */
  isDirectedBroadcast(n: number): boolean {
    for (const b of this.ordered()) {
      if (b.bits === 0 || b.bits > 30 || ((n & b.mask) >>> 0) !== b.base) continue;
      if (((n | b.mask) >>> 0) === 0xffffffff) return true;
    }
    return false;
  }

  private ordered(): readonly Block<Z>[] {
    if (!this.sorted) {
      this.blocks.sort((a, b) => b.bits - a.bits);
      this.sorted = true;
    }
    return this.blocks;
  }
}
