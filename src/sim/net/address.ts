import { CwError } from '../../errors.js';

/**
 * Parse a MAC address written as six hex octets separated by ':' or '-' ("00:80:f4:0a:01:0b")
 * into 6 bytes (IEEE 802 canonical order, first octet first).
 * Throws `CwError('CW_ERR_CONFIG')` when the text is not such an address (simulation setup only).
 */
export function parseMac(text: string): Uint8Array {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6) throw new CwError('CW_ERR_CONFIG', `MAC address "${text}" must have six octets`);
  const mac = new Uint8Array(6);
  for (let i = 0; i < 6; i++) {
    const p = parts[i];
    if (!/^[0-9a-fA-F]{2}$/.test(p)) throw new CwError('CW_ERR_CONFIG', `MAC address "${text}" has a bad octet "${p}"`);
    mac[i] = parseInt(p, 16);
  }
  return mac;
}

/** Format 6 bytes as a lower-case colon-separated MAC address ("00:80:f4:0a:01:0b"). */
export function formatMac(mac: Uint8Array): string {
  let s = '';
  for (let i = 0; i < 6; i++) {
    if (i > 0) s += ':';
    s += (mac[i] < 16 ? '0' : '') + mac[i].toString(16);
  }
  return s;
}

/**
 * Parse a dotted-quad IPv4 address (RFC 791 §3.2 addressing, four decimal octets) into an unsigned
 * 32-bit number in network order (first octet in the high byte).
 * Throws `CwError('CW_ERR_CONFIG')` on anything else (simulation setup only).
 */
export function parseIpv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4) throw new CwError('CW_ERR_CONFIG', `IPv4 address "${text}" must have four octets`);
  let v = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) {
      throw new CwError('CW_ERR_CONFIG', `IPv4 address "${text}" has a bad octet "${p}"`);
    }
    v = v * 256 + Number(p);
  }
  return v;
}

/** Format an unsigned 32-bit IPv4 address as a dotted quad. */
export function formatIpv4(ip: number): string {
  return `${(ip >>> 24) & 0xff}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}`;
}
