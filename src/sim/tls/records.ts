import type { Prng } from '../random.js';

/**
 * TLS 1.3 record shapes for the twin's encrypted flows (RFC 8446): enough structure for a passive
 * monitor to see a handshake (ClientHello with SNI, ServerHello selecting TLS 1.3) followed by
 * opaque application data — no cryptography; random bytes stand in for keys and ciphertext.
 * Each function returns a new byte array holding whole TLS records (set-up time, not per packet).
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

/**
 * A ClientHello record (RFC 8446 §4.1.2) offering TLS 1.3: record version 0x0301, legacy_version
 * 0x0303, 32-byte random, 32-byte legacy session id, cipher suites TLS_AES_128_GCM_SHA256,
 * TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256, null compression, and the extensions
 * server_name (RFC 6066 §3, `serverName` ASCII), supported_groups (x25519, secp256r1),
 * signature_algorithms, supported_versions (1.3, 1.2) and key_share (one x25519 share).
 * Returns the record and the session id (the ServerHello echoes it).
 */
export function clientHello(rng: Prng, serverName: string): { record: Uint8Array; sessionId: Uint8Array } {
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
  b.u16(6);
  b.u16(0x1301);
  b.u16(0x1302);
  b.u16(0x1303);
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
  // supported_groups (10)
  b.u16(10);
  b.u16(6);
  b.u16(4);
  b.u16(0x001d);
  b.u16(0x0017);
  // signature_algorithms (13): ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256
  b.u16(13);
  b.u16(8);
  b.u16(6);
  b.u16(0x0403);
  b.u16(0x0804);
  b.u16(0x0401);
  // supported_versions (43)
  b.u16(43);
  b.u16(5);
  b.u8(4);
  b.u16(0x0304);
  b.u16(0x0303);
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

/**
 * One application_data record (RFC 8446 §5.2: opaque_type 23, legacy_record_version 0x0303) with
 * `len` random bytes standing for ciphertext (1 ≤ len ≤ 16 640, RFC 8446 §5.2 limit 2^14 + 256).
 */
export function applicationData(rng: Prng, len: number): Uint8Array {
  const n = Math.max(1, Math.min(len, 16640));
  const out = new Uint8Array(5 + n);
  out[0] = TlsContentType.APPLICATION_DATA;
  out[1] = 0x03;
  out[2] = 0x03;
  out[3] = n >>> 8;
  out[4] = n & 0xff;
  out.set(randomBytes(rng, n), 5);
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
