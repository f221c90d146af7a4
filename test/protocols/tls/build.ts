/**
 * Builders of TLS records and handshake messages for the tests (RFC 5246 §6.2, §7.4; RFC 8446 §4, §5.1),
 * every length field computed from what it covers, so a test states only the fields it varies.
 */

/** Bytes of a hex string (spaces allowed). */
export function hexBytes(h: string): Uint8Array {
  return Uint8Array.from(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
}

/** Concatenation. */
export function cat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

function u8(v: number): Uint8Array {
  return Uint8Array.of(v & 0xff);
}
function u16(v: number): Uint8Array {
  return Uint8Array.of((v >>> 8) & 0xff, v & 0xff);
}
function u24(v: number): Uint8Array {
  return Uint8Array.of((v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}
/** `body` prefixed by its length in `width` bytes. */
function vec(width: 1 | 2 | 3, body: Uint8Array): Uint8Array {
  return cat(width === 1 ? u8(body.length) : width === 2 ? u16(body.length) : u24(body.length), body);
}
function u16s(values: readonly number[]): Uint8Array {
  return cat(...values.map(u16));
}

/** A record: content type(1) legacy_record_version(2) length(2) fragment. */
export function record(type: number, version: number, fragment: Uint8Array): Uint8Array {
  return cat(u8(type), u16(version), vec(2, fragment));
}

/** A handshake message: msg_type(1) length(3) body. */
export function handshake(type: number, body: Uint8Array): Uint8Array {
  return cat(u8(type), vec(3, body));
}

/** An extension: extension_type(2) extension_data<0..2^16-1>. */
export function ext(type: number, data: Uint8Array): Uint8Array {
  return cat(u16(type), vec(2, data));
}

/** server_name (RFC 6066 §3): ServerNameList with one host_name. */
export function sniExt(name: string): Uint8Array {
  return ext(0, vec(2, cat(u8(0), vec(2, Buffer.from(name, 'latin1')))));
}
/** application_layer_protocol_negotiation (RFC 7301 §3.1). */
export function alpnExt(names: readonly string[]): Uint8Array {
  return ext(16, vec(2, cat(...names.map((n) => vec(1, Buffer.from(n, 'latin1'))))));
}
/** supported_groups (RFC 8446 §4.2.7). */
export function groupsExt(groups: readonly number[]): Uint8Array {
  return ext(10, vec(2, u16s(groups)));
}
/** ec_point_formats (RFC 8422 §5.1.2). */
export function pointFormatsExt(formats: readonly number[]): Uint8Array {
  return ext(11, vec(1, Uint8Array.from(formats)));
}
/** signature_algorithms (RFC 8446 §4.2.3). */
export function sigAlgsExt(algs: readonly number[]): Uint8Array {
  return ext(13, vec(2, u16s(algs)));
}
/** supported_versions of a ClientHello (RFC 8446 §4.2.1). */
export function versionsExt(versions: readonly number[]): Uint8Array {
  return ext(43, vec(1, u16s(versions)));
}

/** Fields of a ClientHello body. */
export interface HelloFields {
  version?: number;
  /** 32 bytes; default 0x11 repeated. */
  random?: Uint8Array;
  sessionId?: Uint8Array;
  ciphers?: readonly number[];
  /** Whole extensions (ext()); null: no extensions block at all. */
  extensions?: readonly Uint8Array[] | null;
}

/** A ClientHello body: legacy_version, random, session id, cipher suites, compression [null], extensions. */
export function clientHelloBody(f: HelloFields): Uint8Array {
  const exts = f.extensions === undefined ? [] : f.extensions;
  return cat(
    u16(f.version ?? 0x0303),
    f.random ?? new Uint8Array(32).fill(0x11),
    vec(1, f.sessionId ?? new Uint8Array(0)),
    vec(2, u16s(f.ciphers ?? [0x1301])),
    vec(1, Uint8Array.of(0)),
    exts === null ? new Uint8Array(0) : vec(2, cat(...exts)),
  );
}

/** A ServerHello body: legacy_version, random, session id, cipher suite, compression 0, extensions. */
export function serverHelloBody(f: HelloFields & { cipher: number }): Uint8Array {
  const exts = f.extensions === undefined ? [] : f.extensions;
  return cat(
    u16(f.version ?? 0x0303),
    f.random ?? new Uint8Array(32).fill(0x22),
    vec(1, f.sessionId ?? new Uint8Array(0)),
    u16(f.cipher),
    u8(0),
    exts === null ? new Uint8Array(0) : vec(2, cat(...exts)),
  );
}

/** A TLS ≤ 1.2 Certificate body: certificate_list of DER certificates (RFC 5246 §7.4.2). */
export function certificateBody(ders: readonly Uint8Array[]): Uint8Array {
  return vec(3, cat(...ders.map((d) => vec(3, d))));
}

/** A ServerKeyExchange body with ServerECDHParams for `curve` and a 65-byte point, then a 2-byte scheme and a signature (RFC 8422 §5.4). */
export function ecdheKeyExchangeBody(curve: number): Uint8Array {
  return cat(u8(3), u16(curve), vec(1, new Uint8Array(65).fill(0x04)), u16(0x0403), vec(2, new Uint8Array(70).fill(0x30)));
}

/** The SSL 2.0-compatible CLIENT-HELLO record (RFC 6101 App. E.2) with 3-byte cipher specs and a 16-byte challenge. */
export function sslv2ClientHello(version: number, specs: readonly number[]): Uint8Array {
  const cs = cat(...specs.map(u24));
  const body = cat(u8(1), u16(version), u16(cs.length), u16(0), u16(16), cs, new Uint8Array(16).fill(0x33));
  return cat(u16(0x8000 | body.length), body);
}

/** A full TLS 1.2 ECDHE handshake as the byte streams of its four flights, then one application_data record. */
export interface Tls12Flights {
  clientHello: Uint8Array;
  serverFlight: Uint8Array;
  clientFinish: Uint8Array;
  serverFinish: Uint8Array;
  appData: Uint8Array;
}

/**
 * A TLS 1.2 handshake (RFC 5246 §7.3): ClientHello (GREASE suite, extension and group, RFC 8701; SNI
 * `serverName`; ALPN h2, http/1.1; groups x25519, secp256r1; point formats; signature algorithms;
 * empty session_ticket), ServerHello (TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, renegotiation_info,
 * ec_point_formats, ALPN `alpn`), Certificate (`chain`), ServerKeyExchange (secp256r1), ServerHelloDone;
 * ClientKeyExchange, ChangeCipherSpec, encrypted Finished; the server's ChangeCipherSpec and Finished;
 * one application_data record from the client.
 */
export function tls12Flights(serverName: string, chain: readonly Uint8Array[], alpn = 'h2'): Tls12Flights {
  const ch = clientHelloBody({
    version: 0x0303,
    ciphers: [0x3a3a, 0xc02b, 0xc02f, 0xcca9, 0x009c, 0x002f, 0x00ff],
    extensions: [
      ext(0x0a0a, new Uint8Array(0)),
      sniExt(serverName),
      groupsExt([0x2a2a, 0x001d, 0x0017]),
      pointFormatsExt([0]),
      ext(35, new Uint8Array(0)),
      alpnExt(['h2', 'http/1.1']),
      sigAlgsExt([0x0403, 0x0804, 0x0401]),
      ext(23, new Uint8Array(0)),
    ],
  });
  const sh = serverHelloBody({ cipher: 0xc02b, extensions: [ext(0xff01, Uint8Array.of(0)), pointFormatsExt([0]), alpnExt([alpn])] });
  const serverMsgs = cat(handshake(2, sh), handshake(11, certificateBody(chain)), handshake(12, ecdheKeyExchangeBody(23)), handshake(14, new Uint8Array(0)));
  return {
    clientHello: record(22, 0x0301, handshake(1, ch)),
    serverFlight: record(22, 0x0303, serverMsgs),
    clientFinish: cat(record(22, 0x0303, handshake(16, vec(1, new Uint8Array(65).fill(0x04)))), record(20, 0x0303, Uint8Array.of(1)), record(22, 0x0303, new Uint8Array(40).fill(0x5a))),
    serverFinish: cat(record(20, 0x0303, Uint8Array.of(1)), record(22, 0x0303, new Uint8Array(40).fill(0x6b))),
    appData: record(23, 0x0303, new Uint8Array(64).fill(0x7c)),
  };
}
