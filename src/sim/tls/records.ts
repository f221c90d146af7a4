import type { Prng } from '../random.js';

/**
 * TLS 1.3 record shapes for the twin's encrypted flows (RFC 8446): enough structure for a passive
 * monitor to see a handshake (ClientHello with SNI, ServerHello selecting TLS 1.3) followed by
 * opaque application data — no cryptography; random bytes stand in for keys and ciphertext.
 * Each function returns a new byte array holding whole TLS records (set-up time, not per packet),
 * except `writeApplicationData`, which writes into the caller's buffer (bulk data).
 */

/** TLS record content types (RFC 8446 §5.1). */
export const TlsContentType = { CHANGE_CIPHER_SPEC: 20, HANDSHAKE: 22, APPLICATION_DATA: 23 } as const;

/** A growable byte builder for the record encoders. */
class Bytes {
  private buf = new Uint8Array(512);
  len = 0;
  u8(v: number): void {
    this.room(1);
    this.buf[this.len++] = v & 0xff;
  }
  u16(v: number): void {
    this.u8(v >>> 8);
    this.u8(v);
  }
  u24(v: number): void {
    this.u8(v >>> 16);
    this.u16(v & 0xffff);
  }
  raw(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  /** Write a 16/24-bit length placeholder now, fill it with `fill` once the body is written. */
  mark(width: 1 | 2 | 3): number {
    const at = this.len;
    for (let i = 0; i < width; i++) this.u8(0);
    return at;
  }
  fill(at: number, width: 1 | 2 | 3): void {
    const n = this.len - at - width;
    for (let i = 0; i < width; i++) this.buf[at + i] = (n >>> (8 * (width - 1 - i))) & 0xff;
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
}

function randomBytes(rng: Prng, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = rng.u32() & 0xff;
  return b;
}

/** Cipher suites of the minimal profile: the three TLS 1.3 AEAD suites (RFC 8446 §B.4). */
const MINIMAL_SUITES: readonly number[] = [0x1301, 0x1302, 0x1303];
/** Groups of the minimal profile: x25519, secp256r1. */
const MINIMAL_GROUPS: readonly number[] = [0x001d, 0x0017];
/** Signature schemes of the minimal profile: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256. */
const MINIMAL_SIGALGS: readonly number[] = [0x0403, 0x0804, 0x0401];

/**
 * Cipher suites an OpenSSL 3 client (curl, Python, most Linux agents) offers by default, in its
 * order: TLS 1.3 suites (RFC 8446 §B.4), then ECDHE/DHE AEAD and CBC suites of TLS 1.2
 * (RFC 5289, RFC 7905, RFC 5246), and TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 §3.3).
 */
const OPENSSL3_SUITES: readonly number[] = [
  0x1302, 0x1303, 0x1301, 0xc02c, 0xc030, 0x009f, 0xcca9, 0xcca8, 0xccaa, 0xc02b, 0xc02f, 0x009e, 0xc024, 0xc028, 0x006b, 0xc023,
  0xc027, 0x0067, 0xc00a, 0xc014, 0x0039, 0xc009, 0xc013, 0x0033, 0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f, 0x00ff,
];
/** Named groups of the OpenSSL 3 profile (RFC 8446 §4.2.7, RFC 7919): x25519, secp256r1, x448, secp521r1, secp384r1, ffdhe2048 … ffdhe8192. */
const OPENSSL3_GROUPS: readonly number[] = [0x001d, 0x0017, 0x001e, 0x0019, 0x0018, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104];
/**
 * Signature schemes of the OpenSSL 3 profile (RFC 8446 §4.2.3): ECDSA P-256/384/521, Ed25519,
 * Ed448, RSA-PSS (pss and rsae), RSA PKCS#1 v1.5 SHA-256/384/512.
 */
const OPENSSL3_SIGALGS: readonly number[] = [0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080a, 0x080b, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601];

/** Shape of a ClientHello. */
export interface ClientHelloOptions {
  /**
   * 'minimal' (default): three TLS 1.3 suites and the extensions server_name, supported_groups,
   * signature_algorithms, supported_versions, key_share. 'openssl3': the suites, groups, signature
   * schemes and extension order of an OpenSSL 3 client (adds ec_point_formats, session_ticket,
   * encrypt_then_mac, extended_master_secret, psk_key_exchange_modes).
   */
  profile?: 'minimal' | 'openssl3';
  /** ALPN protocol names (RFC 7301 §3.1), e.g. ["h2", "http/1.1"]; no extension when empty or absent. */
  alpn?: readonly string[];
}

/**
 * A ClientHello record (RFC 8446 §4.1.2) offering TLS 1.3: record version 0x0301, legacy_version
 * 0x0303, 32-byte random, 32-byte legacy session id, the profile's cipher suites, null compression,
 * and extensions: server_name (RFC 6066 §3, `serverName` ASCII), supported_groups,
 * signature_algorithms, application_layer_protocol_negotiation (RFC 7301, when `alpn` is given),
 * supported_versions (1.3, 1.2; RFC 8446 §4.2.1) and key_share (one x25519 share; §4.2.8), plus the
 * OpenSSL 3 profile's extras (see `ClientHelloOptions`).
 * Returns the record and the session id (the ServerHello echoes it).
 */
export function clientHello(rng: Prng, serverName: string, opts: ClientHelloOptions = {}): { record: Uint8Array; sessionId: Uint8Array } {
  const openssl = opts.profile === 'openssl3';
  const alpn = opts.alpn ?? [];
  const sessionId = randomBytes(rng, 32);
  const b = new Bytes();
  b.u8(TlsContentType.HANDSHAKE);
  b.u16(0x0301);
  const rec = b.mark(2);
  b.u8(1); // client_hello
  const hs = b.mark(3);
  b.u16(0x0303);
  b.raw(randomBytes(rng, 32));
  b.u8(32);
  b.raw(sessionId);
  const suites = openssl ? OPENSSL3_SUITES : MINIMAL_SUITES;
  b.u16(2 * suites.length);
  for (const s of suites) b.u16(s);
  b.u8(1);
  b.u8(0);
  const exts = b.mark(2);
  // server_name (0)
  b.u16(0);
  const sn = b.mark(2);
  const list = b.mark(2);
  b.u8(0); // host_name
  b.u16(serverName.length);
  for (let i = 0; i < serverName.length; i++) b.u8(serverName.charCodeAt(i));
  b.fill(list, 2);
  b.fill(sn, 2);
  if (openssl) {
    // ec_point_formats (11): uncompressed, ansiX962_compressed_prime, ansiX962_compressed_char2 (RFC 8422 §5.1.2)
    b.u16(11);
    b.u16(4);
    b.u8(3);
    b.u8(0);
    b.u8(1);
    b.u8(2);
  }
  // supported_groups (10)
  const groups = openssl ? OPENSSL3_GROUPS : MINIMAL_GROUPS;
  b.u16(10);
  b.u16(2 + 2 * groups.length);
  b.u16(2 * groups.length);
  for (const g of groups) b.u16(g);
  if (openssl) {
    // session_ticket (35), empty (RFC 5077 §3.2)
    b.u16(35);
    b.u16(0);
  }
  if (alpn.length > 0) {
    // application_layer_protocol_negotiation (16): ProtocolNameList (RFC 7301 §3.1)
    b.u16(16);
    const ext = b.mark(2);
    const names = b.mark(2);
    for (const p of alpn) {
      b.u8(p.length);
      for (let i = 0; i < p.length; i++) b.u8(p.charCodeAt(i));
    }
    b.fill(names, 2);
    b.fill(ext, 2);
  }
  if (openssl) {
    // encrypt_then_mac (22, RFC 7366) and extended_master_secret (23, RFC 7627), both empty
    b.u16(22);
    b.u16(0);
    b.u16(23);
    b.u16(0);
  }
  // signature_algorithms (13)
  const sigs = openssl ? OPENSSL3_SIGALGS : MINIMAL_SIGALGS;
  b.u16(13);
  b.u16(2 + 2 * sigs.length);
  b.u16(2 * sigs.length);
  for (const s of sigs) b.u16(s);
  // supported_versions (43)
  b.u16(43);
  b.u16(5);
  b.u8(4);
  b.u16(0x0304);
  b.u16(0x0303);
  if (openssl) {
    // psk_key_exchange_modes (45): psk_dhe_ke (RFC 8446 §4.2.9)
    b.u16(45);
    b.u16(2);
    b.u8(1);
    b.u8(1);
  }
  // key_share (51)
  b.u16(51);
  b.u16(38);
  b.u16(36);
  b.u16(0x001d);
  b.u16(32);
  b.raw(randomBytes(rng, 32));
  b.fill(exts, 2);
  b.fill(hs, 3);
  b.fill(rec, 2);
  return { record: b.done(), sessionId };
}

/**
 * A ServerHello record (RFC 8446 §4.1.3) selecting TLS 1.3 with TLS_AES_128_GCM_SHA256 and x25519:
 * legacy_version 0x0303, random, the client's session id echoed, extensions supported_versions
 * (0x0304) and key_share; followed by the middlebox-compatibility ChangeCipherSpec record
 * (RFC 8446 §D.4) and one application_data record of `encryptedLen` bytes standing for the
 * encrypted EncryptedExtensions … Finished flight.
 */
export function serverHelloFlight(rng: Prng, sessionId: Uint8Array, encryptedLen: number): Uint8Array {
  const b = new Bytes();
  b.u8(TlsContentType.HANDSHAKE);
  b.u16(0x0303);
  const rec = b.mark(2);
  b.u8(2); // server_hello
  const hs = b.mark(3);
  b.u16(0x0303);
  b.raw(randomBytes(rng, 32));
  b.u8(sessionId.length);
  b.raw(sessionId);
  b.u16(0x1301);
  b.u8(0);
  const exts = b.mark(2);
  b.u16(43);
  b.u16(2);
  b.u16(0x0304);
  b.u16(51);
  b.u16(36);
  b.u16(0x001d);
  b.u16(32);
  b.raw(randomBytes(rng, 32));
  b.fill(exts, 2);
  b.fill(hs, 3);
  b.fill(rec, 2);
  b.raw(changeCipherSpec());
  b.raw(applicationData(rng, encryptedLen));
  return b.done();
}

/** The one-byte ChangeCipherSpec record (RFC 8446 §5, §D.4): 14 03 03 00 01 01. */
export function changeCipherSpec(): Uint8Array {
  return new Uint8Array([TlsContentType.CHANGE_CIPHER_SPEC, 0x03, 0x03, 0x00, 0x01, 0x01]);
}

/** Bytes of a TLS record header: type, legacy_record_version, length (RFC 8446 §5.1). */
export const TLS_RECORD_HEADER_LEN = 5;
/** Largest TLSPlaintext fragment, bytes (2^14, RFC 8446 §5.1). */
export const TLS_MAX_PLAINTEXT = 16_384;
/** Largest TLSCiphertext fragment, bytes (2^14 + 256, RFC 8446 §5.2). */
export const TLS_MAX_CIPHERTEXT = 16_640;
/**
 * Ciphertext bytes TLS 1.3 adds to each record's plaintext with the AES-GCM / ChaCha20-Poly1305
 * suites: the inner content type (1 byte, RFC 8446 §5.2 TLSInnerPlaintext, no padding) and the
 * 16-byte AEAD tag (RFC 5116 §5.1, RFC 8439 §2.8).
 */
export const TLS13_RECORD_OVERHEAD = 17;

/**
 * Write one application_data record (RFC 8446 §5.2: opaque_type 23, legacy_record_version 0x0303)
 * at `out[off]` whose `len` fragment bytes are random, standing for ciphertext (1 ≤ len ≤ 16 640;
 * clamped). Needs `5 + len` bytes of room. Returns the offset after the record.
 */
export function writeApplicationData(out: Uint8Array, off: number, rng: Prng, len: number): number {
  const n = Math.max(1, Math.min(len, TLS_MAX_CIPHERTEXT));
  out[off] = TlsContentType.APPLICATION_DATA;
  out[off + 1] = 0x03;
  out[off + 2] = 0x03;
  out[off + 3] = n >>> 8;
  out[off + 4] = n & 0xff;
  const start = off + TLS_RECORD_HEADER_LEN;
  const end = start + n;
  let p = start;
  for (; p + 4 <= end; p += 4) {
    const r = rng.u32();
    out[p] = r >>> 24;
    out[p + 1] = (r >>> 16) & 0xff;
    out[p + 2] = (r >>> 8) & 0xff;
    out[p + 3] = r & 0xff;
  }
  if (p < end) {
    const r = rng.u32();
    for (let k = 0; p < end; p++, k += 8) out[p] = (r >>> k) & 0xff;
  }
  return end;
}

/** One application_data record with `len` random fragment bytes (see `writeApplicationData`), as a new array. */
export function applicationData(rng: Prng, len: number): Uint8Array {
  const n = Math.max(1, Math.min(len, TLS_MAX_CIPHERTEXT));
  const out = new Uint8Array(TLS_RECORD_HEADER_LEN + n);
  writeApplicationData(out, 0, rng, n);
  return out;
}

/** Concatenate records into one send. */
export function concatRecords(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
