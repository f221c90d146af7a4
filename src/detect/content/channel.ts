/** Application protocol a tapped flow's first bytes suggest (the `container_data` channel field). */
export type LeakChannelGuess = 'http' | 'mqtt' | 'dns' | 'tls' | 'unknown';

/** DNS server port (RFC 1035 §4.2). */
export const DNS_PORT = 53;

/** `GET `, `POST`, `PUT `, `HEAD`, `PATC`, `DELE`, `OPTI`, `HTTP` as big-endian u32 (RFC 9110 §9, RFC 9112 §4). */
const HTTP_STARTS = new Set([0x47455420, 0x504f5354, 0x50555420, 0x48454144, 0x50415443, 0x44454c45, 0x4f505449, 0x48545450]);

/**
 * Guess the channel from the first bytes one side sent: DNS by port 53 (RFC 1035 §4.2), TLS by a
 * handshake record header (content type 22, version 3.x; RFC 8446 §5.1), MQTT by a CONNECT packet
 * naming protocol `MQTT` or `MQIsdp` (MQTT 3.1.1 §3.1.2.1, 5.0 §3.1.2.1), HTTP by a request method
 * or status line; else `unknown`. A guess for the analyst, not a protocol confirmation.
 */
export function guessChannel(b: Uint8Array, respPort: number): LeakChannelGuess {
  if (respPort === DNS_PORT) return 'dns';
  if (b.length >= 3 && b[0] === 0x16 && b[1] === 3) return 'tls';
  if (b.length >= 4 && HTTP_STARTS.has(((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0)) return 'http';
  if (b.length >= 8 && b[0] === 0x10) {
    // Remaining length is 1–4 bytes (§2.2.3); the protocol name follows as a u16-prefixed string.
    let p = 1;
    while (p < 5 && p < b.length && (b[p] & 0x80) !== 0) p++;
    p++;
    if (p + 6 <= b.length && b[p] === 0 && (b[p + 1] === 4 || b[p + 1] === 6) && b[p + 2] === 0x4d && b[p + 3] === 0x51) return 'mqtt';
  }
  return 'unknown';
}
