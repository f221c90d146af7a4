/**
 * Names Zeek writes in ssl.log for the numbers of the TLS handshake (Zeek base/protocols/ssl/consts.zeek:
 * `version_strings`, `cipher_desc`, `ec_curves`, `alert_descriptions`). Cipher-suite and group names are the
 * IANA "TLS Parameters" registry names (RFC 8447); a number without a name prints as `unknown-<n>` (decimal),
 * as Zeek's tables default to.
 */

/** `unknown-<n>` (decimal), Zeek's default for an unlisted code. */
function unknown(n: number): string {
  return `unknown-${n}`;
}

/**
 * Zeek's version string of a protocol version number (RFC 5246 §6.2.1 ProtocolVersion, RFC 8446 §4.2.1
 * supported_versions, RFC 6347 DTLS): `SSLv2`, `SSLv3`, `TLSv10`, `TLSv11`, `TLSv12`, `TLSv13`,
 * `TLSv13-draft<n>` for 0x7fNN, `DTLSv10`, `DTLSv12`, `DTLSv13`; otherwise `unknown-<n>`.
 * @param v 16-bit version (0x0303 = TLS 1.2)
 */
export function versionName(v: number): string {
  switch (v) {
    case 0x0002:
      return 'SSLv2';
    case 0x0300:
      return 'SSLv3';
    case 0x0301:
      return 'TLSv10';
    case 0x0302:
      return 'TLSv11';
    case 0x0303:
      return 'TLSv12';
    case 0x0304:
      return 'TLSv13';
    case 0xfeff:
      return 'DTLSv10';
    case 0xfefd:
      return 'DTLSv12';
    case 0xfefc:
      return 'DTLSv13';
  }
  if (v >>> 8 === 0x7f) return `TLSv13-draft${v & 0xff}`;
  return unknown(v);
}

/**
 * Cipher suites by number (IANA TLS Cipher Suites registry; RFC 5246 App. A.5, RFC 4492, RFC 5289,
 * RFC 5288, RFC 6655, RFC 7905, RFC 8446 §B.4, RFC 5746 §3.3, RFC 7507). Suites whose key exchange is
 * ECDHE carry it in their name (`_ECDHE_`), which is how the analyzer knows a ServerKeyExchange holds
 * ECDH parameters (RFC 8422 §5.4).
 */
const CIPHERS: ReadonlyMap<number, string> = new Map<number, string>([
  [0x0000, 'TLS_NULL_WITH_NULL_NULL'],
  [0x0001, 'TLS_RSA_WITH_NULL_MD5'],
  [0x0002, 'TLS_RSA_WITH_NULL_SHA'],
  [0x0003, 'TLS_RSA_EXPORT_WITH_RC4_40_MD5'],
  [0x0004, 'TLS_RSA_WITH_RC4_128_MD5'],
  [0x0005, 'TLS_RSA_WITH_RC4_128_SHA'],
  [0x0006, 'TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5'],
  [0x0007, 'TLS_RSA_WITH_IDEA_CBC_SHA'],
  [0x0008, 'TLS_RSA_EXPORT_WITH_DES40_CBC_SHA'],
  [0x0009, 'TLS_RSA_WITH_DES_CBC_SHA'],
  [0x000a, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0x0011, 'TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA'],
  [0x0012, 'TLS_DHE_DSS_WITH_DES_CBC_SHA'],
  [0x0013, 'TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA'],
  [0x0014, 'TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA'],
  [0x0015, 'TLS_DHE_RSA_WITH_DES_CBC_SHA'],
  [0x0016, 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0x0018, 'TLS_DH_anon_WITH_RC4_128_MD5'],
  [0x001b, 'TLS_DH_anon_WITH_3DES_EDE_CBC_SHA'],
  [0x002f, 'TLS_RSA_WITH_AES_128_CBC_SHA'],
  [0x0030, 'TLS_DH_DSS_WITH_AES_128_CBC_SHA'],
  [0x0031, 'TLS_DH_RSA_WITH_AES_128_CBC_SHA'],
  [0x0032, 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA'],
  [0x0033, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA'],
  [0x0034, 'TLS_DH_anon_WITH_AES_128_CBC_SHA'],
  [0x0035, 'TLS_RSA_WITH_AES_256_CBC_SHA'],
  [0x0036, 'TLS_DH_DSS_WITH_AES_256_CBC_SHA'],
  [0x0037, 'TLS_DH_RSA_WITH_AES_256_CBC_SHA'],
  [0x0038, 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA'],
  [0x0039, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA'],
  [0x003a, 'TLS_DH_anon_WITH_AES_256_CBC_SHA'],
  [0x003b, 'TLS_RSA_WITH_NULL_SHA256'],
  [0x003c, 'TLS_RSA_WITH_AES_128_CBC_SHA256'],
  [0x003d, 'TLS_RSA_WITH_AES_256_CBC_SHA256'],
  [0x0040, 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA256'],
  [0x0041, 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA'],
  [0x0044, 'TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA'],
  [0x0045, 'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA'],
  [0x0067, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256'],
  [0x006a, 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA256'],
  [0x006b, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256'],
  [0x0084, 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA'],
  [0x0087, 'TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA'],
  [0x0088, 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA'],
  [0x008a, 'TLS_PSK_WITH_RC4_128_SHA'],
  [0x008b, 'TLS_PSK_WITH_3DES_EDE_CBC_SHA'],
  [0x008c, 'TLS_PSK_WITH_AES_128_CBC_SHA'],
  [0x008d, 'TLS_PSK_WITH_AES_256_CBC_SHA'],
  [0x0096, 'TLS_RSA_WITH_SEED_CBC_SHA'],
  [0x009c, 'TLS_RSA_WITH_AES_128_GCM_SHA256'],
  [0x009d, 'TLS_RSA_WITH_AES_256_GCM_SHA384'],
  [0x009e, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'],
  [0x009f, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384'],
  [0x00a2, 'TLS_DHE_DSS_WITH_AES_128_GCM_SHA256'],
  [0x00a3, 'TLS_DHE_DSS_WITH_AES_256_GCM_SHA384'],
  [0x00a8, 'TLS_PSK_WITH_AES_128_GCM_SHA256'],
  [0x00a9, 'TLS_PSK_WITH_AES_256_GCM_SHA384'],
  [0x00ae, 'TLS_PSK_WITH_AES_128_CBC_SHA256'],
  [0x00af, 'TLS_PSK_WITH_AES_256_CBC_SHA384'],
  [0x00ba, 'TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0x00be, 'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0x00c0, 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256'],
  [0x00c4, 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256'],
  [0x00ff, 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV'],
  [0x1301, 'TLS_AES_128_GCM_SHA256'],
  [0x1302, 'TLS_AES_256_GCM_SHA384'],
  [0x1303, 'TLS_CHACHA20_POLY1305_SHA256'],
  [0x1304, 'TLS_AES_128_CCM_SHA256'],
  [0x1305, 'TLS_AES_128_CCM_8_SHA256'],
  [0x5600, 'TLS_FALLBACK_SCSV'],
  [0xc001, 'TLS_ECDH_ECDSA_WITH_NULL_SHA'],
  [0xc002, 'TLS_ECDH_ECDSA_WITH_RC4_128_SHA'],
  [0xc003, 'TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc004, 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA'],
  [0xc005, 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA'],
  [0xc006, 'TLS_ECDHE_ECDSA_WITH_NULL_SHA'],
  [0xc007, 'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA'],
  [0xc008, 'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA'],
  [0xc00a, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA'],
  [0xc00b, 'TLS_ECDH_RSA_WITH_NULL_SHA'],
  [0xc00c, 'TLS_ECDH_RSA_WITH_RC4_128_SHA'],
  [0xc00d, 'TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc00e, 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA'],
  [0xc00f, 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA'],
  [0xc010, 'TLS_ECDHE_RSA_WITH_NULL_SHA'],
  [0xc011, 'TLS_ECDHE_RSA_WITH_RC4_128_SHA'],
  [0xc012, 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc013, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'],
  [0xc014, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA'],
  [0xc023, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256'],
  [0xc024, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384'],
  [0xc025, 'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256'],
  [0xc026, 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384'],
  [0xc027, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256'],
  [0xc028, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384'],
  [0xc029, 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256'],
  [0xc02a, 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384'],
  [0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
  [0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'],
  [0xc02d, 'TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256'],
  [0xc02e, 'TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384'],
  [0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
  [0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
  [0xc031, 'TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256'],
  [0xc032, 'TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384'],
  [0xc035, 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA'],
  [0xc036, 'TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA'],
  [0xc072, 'TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0xc073, 'TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384'],
  [0xc076, 'TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256'],
  [0xc077, 'TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384'],
  [0xc09c, 'TLS_RSA_WITH_AES_128_CCM'],
  [0xc09d, 'TLS_RSA_WITH_AES_256_CCM'],
  [0xc09e, 'TLS_DHE_RSA_WITH_AES_128_CCM'],
  [0xc09f, 'TLS_DHE_RSA_WITH_AES_256_CCM'],
  [0xc0a0, 'TLS_RSA_WITH_AES_128_CCM_8'],
  [0xc0a1, 'TLS_RSA_WITH_AES_256_CCM_8'],
  [0xc0ac, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM'],
  [0xc0ad, 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM'],
  [0xc0ae, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8'],
  [0xc0af, 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8'],
  [0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
  [0xcca9, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'],
  [0xccaa, 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
  [0xccab, 'TLS_PSK_WITH_CHACHA20_POLY1305_SHA256'],
  [0xccac, 'TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256'],
  [0xccad, 'TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256'],
]);

/** Every listed cipher suite, ascending (for tests and documentation). */
export function listedCipherSuites(): readonly (readonly [number, string])[] {
  return [...CIPHERS.entries()].sort((a, b) => a[0] - b[0]);
}

/** Zeek's name of a cipher suite (IANA registry name) or `unknown-<n>`. @param n 16-bit suite */
export function cipherName(n: number): string {
  return CIPHERS.get(n) ?? unknown(n);
}

/** True when the suite's key exchange is ECDHE, so its ServerKeyExchange carries ServerECDHParams (RFC 8422 §5.4). */
export function isEcdheSuite(n: number): boolean {
  const name = CIPHERS.get(n);
  return name !== undefined && name.includes('_ECDHE_');
}

/**
 * Named groups / curves (IANA TLS Supported Groups registry; RFC 8422 §5.1.1, RFC 7027, RFC 8446 §4.2.7,
 * RFC 7919), with Zeek's spellings.
 */
const GROUPS: ReadonlyMap<number, string> = new Map<number, string>([
  [1, 'sect163k1'], [2, 'sect163r1'], [3, 'sect163r2'], [4, 'sect193r1'], [5, 'sect193r2'], [6, 'sect233k1'],
  [7, 'sect233r1'], [8, 'sect239k1'], [9, 'sect283k1'], [10, 'sect283r1'], [11, 'sect409k1'], [12, 'sect409r1'],
  [13, 'sect571k1'], [14, 'sect571r1'], [15, 'secp160k1'], [16, 'secp160r1'], [17, 'secp160r2'], [18, 'secp192k1'],
  [19, 'secp192r1'], [20, 'secp224k1'], [21, 'secp224r1'], [22, 'secp256k1'], [23, 'secp256r1'], [24, 'secp384r1'],
  [25, 'secp521r1'], [26, 'brainpoolP256r1'], [27, 'brainpoolP384r1'], [28, 'brainpoolP512r1'], [29, 'x25519'],
  [30, 'x448'], [256, 'ffdhe2048'], [257, 'ffdhe3072'], [258, 'ffdhe4096'], [259, 'ffdhe6144'], [260, 'ffdhe8192'],
  [0x11eb, 'SecP256r1MLKEM768'], [0x11ec, 'X25519MLKEM768'], [0x6399, 'X25519Kyber768Draft00'],
  [0xff01, 'arbitrary_explicit_prime_curves'], [0xff02, 'arbitrary_explicit_char2_curves'],
]);

/** Zeek's name of a named group (ssl.log `curve`) or `unknown-<n>`. @param n 16-bit NamedGroup */
export function curveName(n: number): string {
  return GROUPS.get(n) ?? unknown(n);
}

/** Alert descriptions (RFC 8446 §6, RFC 5246 §7.2, RFC 7301 §3.2, RFC 7507), Zeek's lower-case spellings. */
const ALERTS: ReadonlyMap<number, string> = new Map<number, string>([
  [0, 'close_notify'], [10, 'unexpected_message'], [20, 'bad_record_mac'], [21, 'decryption_failed'],
  [22, 'record_overflow'], [30, 'decompression_failure'], [40, 'handshake_failure'], [41, 'no_certificate'],
  [42, 'bad_certificate'], [43, 'unsupported_certificate'], [44, 'certificate_revoked'], [45, 'certificate_expired'],
  [46, 'certificate_unknown'], [47, 'illegal_parameter'], [48, 'unknown_ca'], [49, 'access_denied'],
  [50, 'decode_error'], [51, 'decrypt_error'], [60, 'export_restriction'], [70, 'protocol_version'],
  [71, 'insufficient_security'], [80, 'internal_error'], [86, 'inappropriate_fallback'], [90, 'user_canceled'],
  [100, 'no_renegotiation'], [109, 'missing_extension'], [110, 'unsupported_extension'],
  [111, 'certificate_unobtainable'], [112, 'unrecognized_name'], [113, 'bad_certificate_status_response'],
  [114, 'bad_certificate_hash_value'], [115, 'unknown_psk_identity'], [116, 'certificate_required'],
  [120, 'no_application_protocol'],
]);

/** Zeek's name of an alert description (ssl.log `last_alert`) or `unknown-<n>`. @param n AlertDescription byte */
export function alertName(n: number): string {
  return ALERTS.get(n) ?? unknown(n);
}

/**
 * Zeek's ssl_history letter of a handshake message type (RFC 8446 §4, RFC 5246 §7.4, RFC 6066 §5/§8,
 * RFC 4680), lower case (the server's; the analyzer upper-cases the client's). `z` for an unassigned type.
 */
export function handshakeLetter(type: number): number {
  switch (type) {
    case 0: return 0x68; // h hello_request
    case 1: return 0x63; // c client_hello
    case 2: return 0x73; // s server_hello
    case 3: return 0x76; // v hello_verify_request
    case 4: return 0x74; // t new_session_ticket
    case 5: return 0x65; // e end_of_early_data
    case 6: return 0x6a; // j hello_retry_request (draft TLS 1.3)
    case 8: return 0x6f; // o encrypted_extensions
    case 11: return 0x78; // x certificate
    case 12: return 0x6b; // k server_key_exchange
    case 13: return 0x72; // r certificate_request
    case 14: return 0x6e; // n server_hello_done
    case 15: return 0x79; // y certificate_verify
    case 16: return 0x67; // g client_key_exchange
    case 20: return 0x66; // f finished
    case 21: return 0x77; // w certificate_url
    case 22: return 0x75; // u certificate_status
    case 23: return 0x61; // a supplemental_data
    case 24: return 0x70; // p key_update
    case 254: return 0x6d; // m message_hash
    default: return 0x7a; // z unassigned
  }
}
