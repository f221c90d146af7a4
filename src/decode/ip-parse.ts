/**
 * IP address text back to numbers: the inverse of decode/ip-text.ts, for the stages that hold
 * addresses as text (flow keys, local-network tests, the asset inventory). Invalid text is never
 * an error: the parsers return -1 / null.
 */

/** Parses a dotted quad (RFC 791 text form) into an unsigned 32-bit number; -1 when not one. */
export function parseIpv4(s: string): number {
  let value = 0;
  let octet = -1;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2e) {
      if (octet < 0 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = -1;
      dots++;
    } else if (c >= 0x30 && c <= 0x39) {
      octet = octet < 0 ? c - 0x30 : octet * 10 + (c - 0x30);
      if (octet > 255) return -1;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || octet < 0) return -1;
  return value * 256 + octet;
}

/**
 * Parses IPv6 text (RFC 4291 §2.2: hextets, one `::`, an optional trailing dotted quad) into its
 * eight 16-bit groups; null when not IPv6. A zone index (`%eth0`) is not accepted.
 */
export function parseIpv6(s: string): number[] | null {
  if (s.indexOf(':') < 0) return null;
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return null;
  const parseSide = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const h = items[i];
      if (i === items.length - 1 && h.indexOf('.') >= 0) {
        const v4 = parseIpv4(h);
        if (v4 < 0) return null;
        out.push(Math.floor(v4 / 65536), v4 % 65536);
      } else {
        if (!/^[0-9A-Fa-f]{1,4}$/.test(h)) return null;
        out.push(parseInt(h, 16));
      }
    }
    return out;
  };
  if (dbl < 0) {
    const all = parseSide(s);
    return all !== null && all.length === 8 ? all : null;
  }
  if (s.lastIndexOf('.', dbl) >= 0) return null;
  const head = parseSide(s.slice(0, dbl));
  const tail = parseSide(s.slice(dbl + 2));
  if (head === null || tail === null || head.length + tail.length > 7) return null;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}
