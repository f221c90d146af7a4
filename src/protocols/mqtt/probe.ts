import type { ProbeVerdict } from '../../session/analyzer.js';
import { flagsValid, HEADER_INCOMPLETE, HEADER_MALFORMED, newFixedHeader, PacketType, readFixedHeader, type FixedHeader } from './grammar.js';

/** TCP port of MQTT without TLS (IANA "mqtt"; 3.1.1 §4.2, 5.0 §4.2); Zeek's MQTT::ports. */
export const MQTT_PORTS: readonly number[] = Object.freeze([1883]);

/** Remaining Length a CONNECT may have to be believed: two strings of 65 535 bytes and more would be absurd for a probe. */
const MAX_PROBE_CONNECT_LENGTH = 1 << 18;
/** Smallest CONNECT Remaining Length: name "MQTT" (6), level, flags, keep alive (2), empty client id (2). */
const MIN_CONNECT_LENGTH = 12;
/** Remaining Length bound for the short packets (acknowledgements, DISCONNECT) in a mid-stream probe. */
const MAX_PROBE_SHORT_LENGTH = 1024;

const NAME_MQTT = [0x00, 0x04, 0x4d, 0x51, 0x54, 0x54];
const NAME_MQISDP = [0x00, 0x06, 0x4d, 0x51, 0x49, 0x73, 0x64, 0x70];

const header: FixedHeader = newFixedHeader();

/**
 * Does `b` (starting at a CONNECT fixed header 0x10) hold a sane CONNECT: Remaining Length 12..2^18,
 * Protocol Name "MQTT" with Level 4 or 5 or "MQIsdp" with Level 3, reserved Connect Flags bit 0 clear
 * (3.1.1 §3.1.2.1–§3.1.2.3, 5.0 §3.1.2.1–§3.1.2.3)? `maybe` while the bytes end before that is known.
 */
function probeConnect(b: Uint8Array): ProbeVerdict {
  const end = b.length;
  const r = readFixedHeader(b, 0, end, header);
  if (r === HEADER_INCOMPLETE) return 'maybe';
  if (r === HEADER_MALFORMED || header.flags !== 0) return 'no';
  if (header.remLen < MIN_CONNECT_LENGTH || header.remLen > MAX_PROBE_CONNECT_LENGTH) return 'no';
  const p = header.headerLen;
  const name = end - p >= 2 && b[p + 1] === 0x06 ? NAME_MQISDP : NAME_MQTT;
  for (let i = 0; i < name.length; i++) {
    if (p + i >= end) return 'maybe';
    if (b[p + i] !== name[i]) return 'no';
  }
  const lv = p + name.length;
  if (lv >= end) return 'maybe';
  const level = b[lv];
  if (name === NAME_MQISDP ? level !== 3 : level !== 4 && level !== 5) return 'no';
  if (lv + 1 >= end) return 'maybe';
  return (b[lv + 1] & 0x01) === 0 ? 'yes' : 'no';
}

/** Remaining Length bounds of a packet type in a mid-stream probe (3.1.1 §3.2–§3.14, with room for v5 properties). */
function lengthSane(h: FixedHeader): boolean {
  const n = h.remLen;
  switch (h.type) {
    case PacketType.CONNACK:
    case PacketType.PUBACK:
    case PacketType.PUBREC:
    case PacketType.PUBREL:
    case PacketType.PUBCOMP:
    case PacketType.UNSUBACK:
      return n >= 2 && n <= MAX_PROBE_SHORT_LENGTH;
    case PacketType.PUBLISH:
      return n >= 2 + ((h.flags & 0x06) !== 0 ? 2 : 0);
    case PacketType.SUBSCRIBE:
      return n >= 5;
    case PacketType.UNSUBSCRIBE:
      return n >= 4;
    case PacketType.SUBACK:
      return n >= 3 && n <= MAX_PROBE_SHORT_LENGTH;
    case PacketType.PINGREQ:
    case PacketType.PINGRESP:
      return n === 0;
    case PacketType.DISCONNECT:
      return n <= MAX_PROBE_SHORT_LENGTH;
    default:
      return false;
  }
}

/**
 * Do the bytes from `off` on frame as MQTT packets: every fixed header of type 2–14 with the flags the
 * specification fixes and a sane length, a PUBLISH topic length within its packet, and the last packet
 * ending where the bytes end or running past them? (A stream picked up mid-session.)
 * @returns the number of whole packets framed, or -1 when the bytes are not MQTT
 */
export function framedPackets(b: Uint8Array, off: number, end: number): number {
  let p = off;
  let whole = 0;
  while (p < end) {
    const r = readFixedHeader(b, p, end, header);
    if (r === HEADER_MALFORMED) return -1;
    if (r === HEADER_INCOMPLETE) return end - p === 1 && b[p] >> 4 >= 2 && b[p] >> 4 <= 14 ? whole : -1;
    if (header.type < 2 || header.type > 14 || !flagsValid(header.type, header.flags) || !lengthSane(header)) return -1;
    const body = p + header.headerLen;
    if (header.type === PacketType.PUBLISH && body + 2 <= end && ((b[body] << 8) | b[body + 1]) + 2 > header.remLen) return -1;
    const next = body + header.remLen;
    if (next > end) return whole;
    whole++;
    p = next;
  }
  return whole;
}

/**
 * Content check of a TCP flow's first bytes for MQTT (3.1.1 / 5.0), on any port: `yes` for a sane CONNECT
 * (see probeConnect); on the well-known port (1883) also for a stream picked up mid-session, when the
 * bytes frame as at least one whole MQTT packet of another type (see framedPackets) — `maybe` while the
 * first one is incomplete; `no` otherwise. Cheap: a few byte compares, no allocation.
 * @param data first in-order bytes of one side (a view, ≥ 1 byte; not kept)
 * @param onWellKnownPort true when the responder port is 1883
 */
export function probeMqtt(data: Uint8Array, _isOrig: boolean, onWellKnownPort: boolean): ProbeVerdict {
  if (data[0] === PacketType.CONNECT << 4) return probeConnect(data);
  if (!onWellKnownPort) return 'no';
  const whole = framedPackets(data, 0, data.length);
  if (whole < 0) return 'no';
  return whole > 0 ? 'yes' : 'maybe';
}
