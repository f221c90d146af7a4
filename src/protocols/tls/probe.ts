import type { ProbeVerdict } from '../../session/analyzer.js';
import { ContentType, HandshakeType, MAX_RECORD_BYTES } from './grammar.js';

/** Well-known TLS ports (Zeek's SSL::ssl_ports: HTTPS, NNTPS, IMAP4-SSL, LDAPS, FTPS, TELNETS, IMAPS, POP3S, XMPP). */
export const TLS_PORTS: readonly number[] = Object.freeze([443, 563, 585, 614, 636, 989, 990, 992, 993, 995, 5223]);

/** Smallest ClientHello / ServerHello body: version(2) random(32) session_id length(1) + suites or suite. */
const MIN_HELLO_BODY = 2 + 32 + 1 + 2;

/**
 * Content check of a TCP flow's first bytes for TLS on any port (RFC 8446 §5.1, RFC 5246 §6.2.1, §7.4):
 * `yes` for a handshake record (type 22, version 0x0300–0x0304, length MIN_HELLO_BODY+4 … 2^14+2048)
 * whose first message is a ClientHello or ServerHello with a 3.x version and a length that fits a
 * hello; for an SSL 2.0-compatible CLIENT-HELLO (RFC 6101 App. E.2: msg_type 1, version 0x0002 or
 * 3.x, cipher-spec length a multiple of 3, lengths adding up to the record length); `maybe` while
 * fewer than the 11 bytes these checks read have arrived and they still match; `no` otherwise.
 * @param data first in-order bytes of one side (a view; not kept)
 */
export function probeTls(data: Uint8Array, _isOrig: boolean, _onWellKnownPort: boolean): ProbeVerdict {
  const n = data.length;
  if ((data[0] & 0x80) !== 0) return probeSslv2(data, n);
  if (data[0] !== ContentType.HANDSHAKE) return 'no';
  if (n > 1 && data[1] !== 3) return 'no';
  if (n > 2 && data[2] > 4) return 'no';
  if (n < 5) return 'maybe';
  const recLen = (data[3] << 8) | data[4];
  // A hello fragmented over several records may start with a short record: only the handshake header must fit.
  if (recLen < 4 || recLen > MAX_RECORD_BYTES) return 'no';
  if (n < 6) return 'maybe';
  const hsType = data[5];
  if (hsType !== HandshakeType.CLIENT_HELLO && hsType !== HandshakeType.SERVER_HELLO) return 'no';
  if (n < 9) return 'maybe';
  const hsLen = (data[6] << 16) | (data[7] << 8) | data[8];
  if (hsLen < MIN_HELLO_BODY || hsLen > 0xffff) return 'no';
  // Bytes after the hello in its record must hold at least another handshake header.
  if (hsLen + 4 < recLen && recLen - (hsLen + 4) < 4) return 'no';
  if (n < 11) return 'maybe';
  if (data[9] !== 3 || data[10] > 4) return 'no';
  return 'yes';
}

/** SSL 2.0 CLIENT-HELLO header check (RFC 6101 App. E.2). */
function probeSslv2(data: Uint8Array, n: number): ProbeVerdict {
  if (n < 11) {
    if (n > 2 && data[2] !== 1) return 'no';
    if (n > 3 && data[3] !== 0 && data[3] !== 3) return 'no';
    return 'maybe';
  }
  const recLen = ((data[0] & 0x7f) << 8) | data[1];
  if (data[2] !== 1) return 'no';
  const version = (data[3] << 8) | data[4];
  if (version !== 0x0002 && (data[3] !== 3 || data[4] > 3)) return 'no';
  const csLen = (data[5] << 8) | data[6];
  const sidLen = (data[7] << 8) | data[8];
  const chLen = (data[9] << 8) | data[10];
  if (csLen === 0 || csLen % 3 !== 0 || (sidLen !== 0 && sidLen !== 16) || chLen < 16 || chLen > 32) return 'no';
  return 9 + csLen + sidLen + chLen === recLen ? 'yes' : 'no';
}
