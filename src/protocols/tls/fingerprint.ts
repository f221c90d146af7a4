import { createHash } from 'node:crypto';
import { isGrease, type ClientHello, type ServerHello } from './grammar.js';

/**
 * TLS client and server fingerprints, computed once per handshake message (not per packet):
 * - JA3 / JA3S (Salesforce, github.com/salesforce/ja3): MD5 of
 *   `SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats` (client) and
 *   `SSLVersion,Cipher,Extensions` (server), decimal values joined by `-`, GREASE values (RFC 8701) removed.
 * - JA4 (FoxIO JA4 TLS client fingerprint, github.com/FoxIO-LLC/ja4 technical details): `a_b_c` where
 *   a = protocol `t` (TCP) + version (highest supported_versions entry, else legacy_version: `13` `12` `11`
 *   `10` `s3` `s2`, `00` unknown) + `d`/`i` (server_name present or not) + 2-digit cipher and extension
 *   counts (GREASE excluded, capped at 99) + first and last character of the first ALPN value (`00` when
 *   none; the first and last hex digits when either character is not alphanumeric);
 *   b = first 12 hex digits of SHA-256 of the sorted 4-hex-digit cipher list joined by `,`;
 *   c = the same of the sorted extension list without server_name (0x0000) and ALPN (0x0010), then `_`
 *   and the signature algorithms in wire order (no `_` when there are none). An empty list hashes to
 *   `000000000000`.
 */

/** `list` without GREASE values, joined by `-` in decimal. */
function ja3List(list: readonly number[]): string {
  let s = '';
  for (const v of list) {
    if (isGrease(v)) continue;
    s += s === '' ? `${v}` : `-${v}`;
  }
  return s;
}

/** The JA3 string of a ClientHello (before hashing), e.g. `771,4865-4866,0-10,29-23,0`. */
export function ja3String(ch: ClientHello): string {
  return `${ch.version},${ja3List(ch.ciphers)},${ja3List(ch.extensions)},${ja3List(ch.groups)},${ja3List(ch.pointFormats)}`;
}

/** JA3 of a ClientHello: 32 lower-case hex digits (MD5 of `ja3String`). */
export function ja3(ch: ClientHello): string {
  return createHash('md5').update(ja3String(ch)).digest('hex');
}

/** The JA3S string of a ServerHello (before hashing), e.g. `771,4865,43-51`. */
export function ja3sString(sh: ServerHello): string {
  return `${sh.version},${sh.cipher},${ja3List(sh.extensions)}`;
}

/** JA3S of a ServerHello: 32 lower-case hex digits (MD5 of `ja3sString`). */
export function ja3s(sh: ServerHello): string {
  return createHash('md5').update(ja3sString(sh)).digest('hex');
}

/** JA4 version code of a 16-bit protocol version. */
function ja4Version(v: number): string {
  switch (v) {
    case 0x0304:
      return '13';
    case 0x0303:
      return '12';
    case 0x0302:
      return '11';
    case 0x0301:
      return '10';
    case 0x0300:
      return 's3';
    case 0x0002:
      return 's2';
    case 0xfeff:
      return 'd1';
    case 0xfefd:
      return 'd2';
    case 0xfefc:
      return 'd3';
    default:
      return '00';
  }
}

/** Two decimal digits of a count capped at 99. */
function count2(n: number): string {
  const c = n > 99 ? 99 : n;
  return c < 10 ? `0${c}` : `${c}`;
}

/** True for 0-9, A-Z, a-z. */
function alnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** The JA4 ALPN code of the first ALPN value, from its raw first and last bytes. */
function ja4Alpn(ch: ClientHello): string {
  const f = ch.alpnFirstByte;
  const l = ch.alpnLastByte;
  if (f < 0) return '00';
  if (alnum(f) && alnum(l)) return String.fromCharCode(f, l);
  return (f >> 4).toString(16) + (l & 0x0f).toString(16);
}

/** 4 lower-case hex digits. */
function hex4(v: number): string {
  return v.toString(16).padStart(4, '0');
}

/** First 12 hex digits of SHA-256 of `s`, or twelve zeros when `s` is empty. */
function sha12(s: string): string {
  return s === '' ? '000000000000' : createHash('sha256').update(s).digest('hex').slice(0, 12);
}

/** The raw (unhashed) JA4 parts of a ClientHello: `[a, b-list, c-list]` (JA4_r without the joins). */
export function ja4Parts(ch: ClientHello): readonly [string, string, string] {
  let version = ch.version;
  let best = -1;
  for (const v of ch.versions) if (!isGrease(v) && v > best) best = v;
  if (best >= 0) version = best;
  const ciphers: number[] = [];
  for (const c of ch.ciphers) if (!isGrease(c)) ciphers.push(c);
  let extCount = 0;
  const exts: number[] = [];
  for (const e of ch.extensions) {
    if (isGrease(e)) continue;
    extCount++;
    if (e !== 0x0000 && e !== 0x0010) exts.push(e);
  }
  const sni = ch.extensions.includes(0x0000) ? 'd' : 'i';
  const a = `t${ja4Version(version)}${sni}${count2(ciphers.length)}${count2(extCount)}${ja4Alpn(ch)}`;
  const b = ciphers
    .sort((x, y) => x - y)
    .map(hex4)
    .join(',');
  let c = exts
    .sort((x, y) => x - y)
    .map(hex4)
    .join(',');
  const sig: string[] = [];
  for (const s of ch.sigAlgs) if (!isGrease(s)) sig.push(hex4(s));
  if (c !== '' && sig.length > 0) c += `_${sig.join(',')}`;
  return [a, b, c];
}

/** JA4 of a ClientHello over TCP, e.g. `t13d1516h2_8daaf6152771_e5627efa2ab1`. */
export function ja4(ch: ClientHello): string {
  const [a, b, c] = ja4Parts(ch);
  return `${a}_${sha12(b)}_${sha12(c)}`;
}
