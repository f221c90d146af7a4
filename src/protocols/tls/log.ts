import type { LogRecord } from '../../events/record.js';
import { defineStream, type StreamSchema } from '../../events/schema.js';

/**
 * `ssl`: one record per TLS connection (Zeek ssl.log, scripts/base/protocols/ssl/main.zeek `SSL::Info`), in
 * Zeek's field order for the fields filled here, then `subject` and `issuer` of the leaf certificate (the
 * fields Zeek's ssl.log carried before its certificate fields moved to x509.log), `ja3` / `ja3s` (the
 * salesforce/ja3 Zeek package's field names) and `ja4` (FoxIO's JA4 TLS client fingerprint).
 */
export const SSL_STREAM: StreamSchema = defineStream({
  name: 'ssl',
  key: ['uid'],
  doc: 'TLS/SSL handshakes: version, cipher, curve, SNI, resumption, ALPN, leaf certificate names and client/server fingerprints (Zeek ssl.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the first handshake message seen (the ClientHello), seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'version', type: 'string', doc: 'Version the server chose (supported_versions, else ServerHello version): SSLv3, TLSv10 … TLSv13 (tls.handshake.version).' },
    { name: 'cipher', type: 'string', doc: 'Cipher suite the server chose, IANA name or unknown-<n> (tls.handshake.ciphersuite).' },
    { name: 'curve', type: 'string', doc: 'Named group of the key exchange: ServerKeyExchange ECDH parameters (≤ 1.2) or ServerHello key_share (1.3).' },
    { name: 'server_name', type: 'string', doc: 'First host_name of the ClientHello server_name extension, RFC 6066 §3 (tls.handshake.extensions_server_name).' },
    { name: 'resumed', type: 'bool', doc: 'Session resumed: session id echoed (≤ 1.2), ticket without key exchange, or PSK accepted (1.3).' },
    { name: 'last_alert', type: 'string', doc: 'Description of the last clear-text alert (RFC 8446 §6), Zeek spelling.' },
    { name: 'next_protocol', type: 'string', doc: 'ALPN protocol the server selected in clear (RFC 7301; tls.handshake.extensions_alpn_str).' },
    { name: 'established', type: 'bool', doc: 'Handshake finished: ChangeCipherSpec from both sides (≤ 1.2) or ServerHello then application data (1.3).' },
    { name: 'ssl_history', type: 'string', doc: 'Handshake messages, ChangeCipherSpec (i), alerts (l) and heartbeats (b) in order, client upper case; ^ when the responder is the client (Zeek letters, at most 100).' },
    { name: 'subject', type: 'string', doc: 'Subject of the leaf certificate (≤ 1.2), RFC 4514 string as Zeek writes it, e.g. CN=example.com,O=Org,C=US.' },
    { name: 'issuer', type: 'string', doc: 'Issuer of the leaf certificate (≤ 1.2), same form.' },
    { name: 'ja3', type: 'string', doc: 'JA3 of the ClientHello: MD5, 32 hex digits (tls.handshake.ja3).' },
    { name: 'ja3s', type: 'string', doc: 'JA3S of the ServerHello: MD5, 32 hex digits (tls.handshake.ja3s).' },
    { name: 'ja4', type: 'string', doc: 'JA4 of the ClientHello (FoxIO), e.g. t13d1516h2_8daaf6152771_e5627efa2ab1.' },
  ],
});

/** What one TLS connection contributes to its `ssl` record (null: not seen). */
export interface SslInfo {
  ts: number;
  version: string | null;
  cipher: string | null;
  curve: string | null;
  serverName: string | null;
  resumed: boolean;
  lastAlert: string | null;
  nextProtocol: string | null;
  established: boolean;
  history: string;
  subject: string | null;
  issuer: string | null;
  ja3: string | null;
  ja3s: string | null;
  ja4: string | null;
}

/** Per-flow constants every record repeats. */
export interface SslFlowIds {
  readonly uid: string;
  readonly origH: string;
  readonly origP: number;
  readonly respH: string;
  readonly respP: number;
}

/** The `ssl` record of a connection, fields in schema order. */
export function sslRecord(f: SslFlowIds, s: SslInfo): LogRecord {
  return {
    ts: s.ts,
    uid: f.uid,
    'id.orig_h': f.origH,
    'id.orig_p': f.origP,
    'id.resp_h': f.respH,
    'id.resp_p': f.respP,
    version: s.version,
    cipher: s.cipher,
    curve: s.curve,
    server_name: s.serverName,
    resumed: s.resumed,
    last_alert: s.lastAlert,
    next_protocol: s.nextProtocol,
    established: s.established,
    ssl_history: s.history,
    subject: s.subject,
    issuer: s.issuer,
    ja3: s.ja3,
    ja3s: s.ja3s,
    ja4: s.ja4,
  };
}
