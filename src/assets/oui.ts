import { macToText } from '../decode/mac.js';
import { OuiListing } from './oui-listing.js';

/**
 * MAC address kinds (IEEE 802-2014 §8.2, the I/G and U/L bits of the first octet):
 * - `unicast`: globally unique (U/L = 0): its first 24/28/36 bits are an IEEE assignment;
 * - `local`: locally administered (U/L bit 0x02 set): random or site-assigned, no vendor;
 * - `multicast`: group address (I/G bit 0x01 set), except broadcast;
 * - `broadcast`: ff:ff:ff:ff:ff:ff;
 * - `zero`: 00:00:00:00:00:00 (the "unknown" target of an ARP request, RFC 826), not an address.
 */
export type MacKind = 'unicast' | 'local' | 'multicast' | 'broadcast' | 'zero';

const TWO_POW_40 = 2 ** 40;
const BROADCAST = 2 ** 48 - 1;

/**
 * Parses a MAC written as six hex octets separated by ':' or '-' (`00:80:f4:01:02:03`, any
 * case) into a 48-bit integer; -1 when the text is not one.
 */
export function parseMac(text: string): number {
  if (text.length !== 17) return -1;
  let v = 0;
  for (let i = 0; i < 17; i++) {
    const c = text.charCodeAt(i);
    if (i % 3 === 2) {
      if (c !== 0x3a && c !== 0x2d) return -1;
      continue;
    }
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** Formats a 48-bit MAC integer as lowercase `aa:bb:cc:dd:ee:ff` (Zeek's `orig_l2_addr` form). */
export function formatMac(mac: number): string {
  return macToText(mac);
}

/** Classifies a 48-bit MAC integer (see MacKind). */
export function macKind(mac: number): MacKind {
  if (mac === 0) return 'zero';
  if (mac === BROADCAST) return 'broadcast';
  const first = Math.floor(mac / TWO_POW_40);
  if ((first & 0x01) !== 0) return 'multicast';
  return (first & 0x02) !== 0 ? 'local' : 'unicast';
}

/** Name of the MA-L blocks the IEEE subdivides into MA-M and MA-S assignments. */
const IEEE_RA = 'IEEE Registration Authority';

/** The oui-data listing, read on first use, and the organization names already looked up by key (null: no entry). */
let listing: OuiListing | null = null;
const byKey = new Map<string, string | null>();

/**
 * The organization registered under `key` (hex digits), or null: only the organization line is
 * kept, trimmed, without the trailing comma that sometimes joined it to the address.
 */
function organization(key: string): string | null {
  let name = byKey.get(key);
  if (name !== undefined) return name;
  listing ??= OuiListing.load();
  const entry = listing.get(key);
  if (entry === undefined) {
    name = null;
  } else {
    const nl = entry.indexOf('\n');
    const raw = (nl < 0 ? entry : entry.slice(0, nl)).trim().replace(/,$/, '');
    name = raw === '' ? null : raw;
  }
  byKey.set(key, name);
  return name;
}

/** `mac`'s first `digits` hex digits, upper case (the registry's key form). */
function prefixKey(mac: number, digits: number): string {
  return Math.floor(mac / 16 ** (12 - digits))
    .toString(16)
    .toUpperCase()
    .padStart(digits, '0');
}

/**
 * The organization the IEEE registered a MAC's prefix to, by longest prefix: MA-S (36 bits,
 * 9 hex digits), then MA-M (28 bits, 7), then MA-L / OUI (24 bits, 6). Null for addresses that are
 * not globally unique unicast (locally administered, multicast, broadcast, zero: see `macKind`),
 * for prefixes not in the registry, and for a sub-block of an "IEEE Registration Authority"
 * MA-L that has no MA-M / MA-S entry. The registry is read on the first call (≈ 15 ms, assets/oui-listing.ts);
 * throws `CwError('CW_ERR_READ')` only if the oui-data package cannot be read.
 */
export function macVendor(mac: number): string | null {
  if (macKind(mac) !== 'unicast') return null;
  const name = organization(prefixKey(mac, 9)) ?? organization(prefixKey(mac, 7)) ?? organization(prefixKey(mac, 6));
  return name === IEEE_RA ? null : name;
}
