/**
 * Pure parsing of MQTT control packets: OASIS MQTT Version 3.1.1 (2014; also the 3.1 "MQIsdp" layout,
 * Protocol Level 3) and MQTT Version 5.0 (2019; properties and reason codes). Section numbers read
 * "3.1.1 §x" and "5.0 §y". Every function reads `Uint8Array` views by offset, allocates nothing but
 * its result and never throws: a malformed packet is reported by a stable anomaly name.
 */

/** Control packet types, the high nibble of the fixed header's first byte (3.1.1 §2.2.1, 5.0 §2.1.2). */
export const PacketType = {
  CONNECT: 1,
  CONNACK: 2,
  PUBLISH: 3,
  PUBACK: 4,
  PUBREC: 5,
  PUBREL: 6,
  PUBCOMP: 7,
  SUBSCRIBE: 8,
  SUBACK: 9,
  UNSUBSCRIBE: 10,
  UNSUBACK: 11,
  PINGREQ: 12,
  PINGRESP: 13,
  DISCONNECT: 14,
  /** MQTT 5.0 only (5.0 §3.15). */
  AUTH: 15,
} as const;

/** CONNECT Protocol Level of MQTT 3.1, Protocol Name "MQIsdp". */
export const LEVEL_V31 = 3;
/** CONNECT Protocol Level of MQTT 3.1.1 (3.1.1 §3.1.2.2). */
export const LEVEL_V311 = 4;
/** CONNECT Protocol Level of MQTT 5.0 (5.0 §3.1.2.2): property blocks follow. */
export const LEVEL_V5 = 5;

/** Anomaly names the grammar reports (violations of the specification). */
export type GrammarAnomaly =
  /** The Remaining Length Variable Byte Integer runs past four bytes (3.1.1 §2.2.3, 5.0 §1.5.5). */
  | 'mqtt.invalid_remaining_length'
  /** Packet type 0 (reserved), or 15 outside MQTT 5.0 (3.1.1 §2.2.1). */
  | 'mqtt.invalid_packet_type'
  | 'mqtt.malformed_connect'
  | 'mqtt.malformed_connack'
  | 'mqtt.malformed_publish'
  /** PUBACK, PUBREC, PUBREL, PUBCOMP or UNSUBACK without its Packet Identifier (3.1.1 §3.4–§3.7, §3.11). */
  | 'mqtt.malformed_ack'
  | 'mqtt.malformed_subscribe'
  | 'mqtt.malformed_suback'
  | 'mqtt.malformed_unsubscribe'
  /** A v5 property block that is cut short or names an unknown property identifier (5.0 §2.2.2). */
  | 'mqtt.invalid_properties';

/** Fixed header of one control packet (3.1.1 §2.2, 5.0 §2.1); filled in place by `readFixedHeader`. */
export interface FixedHeader {
  /** Packet type, 0–15. */
  type: number;
  /** Low nibble of the first byte (DUP, QoS, RETAIN for PUBLISH; fixed values otherwise). */
  flags: number;
  /** Remaining Length: bytes of variable header and payload after the fixed header. */
  remLen: number;
  /** Bytes of the fixed header itself (2–5). */
  headerLen: number;
}

/** `readFixedHeader` result: the header was read. */
export const HEADER_OK = 0;
/** `readFixedHeader` result: the bytes end inside the fixed header. */
export const HEADER_INCOMPLETE = 1;
/** `readFixedHeader` result: the Remaining Length uses more than four bytes. */
export const HEADER_MALFORMED = 2;

/** Largest fixed header, bytes: the type byte and a four-byte Remaining Length. */
export const MAX_FIXED_HEADER_BYTES = 5;

/** A fresh FixedHeader to be filled by `readFixedHeader`. */
export function newFixedHeader(): FixedHeader {
  return { type: 0, flags: 0, remLen: 0, headerLen: 0 };
}

/**
 * Read the fixed header at `off` into `out` (3.1.1 §2.2, 5.0 §2.1.1): first byte, then the Remaining
 * Length as a Variable Byte Integer of 1–4 bytes, least significant group first.
 * @returns HEADER_OK, HEADER_INCOMPLETE (need more bytes) or HEADER_MALFORMED (a fifth length byte)
 */
export function readFixedHeader(b: Uint8Array, off: number, end: number, out: FixedHeader): number {
  if (end - off < 2) return HEADER_INCOMPLETE;
  const first = b[off];
  let value = 0;
  let mult = 1;
  for (let i = 1; i <= 4; i++) {
    if (off + i >= end) return HEADER_INCOMPLETE;
    const c = b[off + i];
    value += (c & 0x7f) * mult;
    if ((c & 0x80) === 0) {
      out.type = first >> 4;
      out.flags = first & 0x0f;
      out.remLen = value;
      out.headerLen = i + 1;
      return HEADER_OK;
    }
    mult *= 128;
  }
  return HEADER_MALFORMED;
}

/**
 * Whether a packet type's fixed-header flags are the ones the specification fixes (3.1.1 §2.2.2 table 2.2,
 * 5.0 §2.1.3): 0b0010 for PUBREL, SUBSCRIBE and UNSUBSCRIBE, any for PUBLISH except QoS 3, 0 otherwise.
 */
export function flagsValid(type: number, flags: number): boolean {
  if (type === PacketType.PUBLISH) return (flags & 0x06) !== 0x06;
  if (type === PacketType.PUBREL || type === PacketType.SUBSCRIBE || type === PacketType.UNSUBSCRIBE) return flags === 0x02;
  return flags === 0;
}

/**
 * Read a Variable Byte Integer (5.0 §1.5.5) at `off`; returns its value, with its length in bytes in
 * `lenOut[0]`, or -1 when it is cut short or longer than four bytes.
 */
export function readVarInt(b: Uint8Array, off: number, end: number, lenOut: Int32Array): number {
  let value = 0;
  let mult = 1;
  for (let i = 0; i < 4; i++) {
    if (off + i >= end) return -1;
    const c = b[off + i];
    value += (c & 0x7f) * mult;
    if ((c & 0x80) === 0) {
      lenOut[0] = i + 1;
      return value;
    }
    mult *= 128;
  }
  return -1;
}

const varLen = new Int32Array(1);

/**
 * Property value layouts by identifier (5.0 §2.2.2.2 table 2-4): 1 byte, 2 two-byte integer, 4 four-byte
 * integer, 5 Variable Byte Integer, 6 UTF-8 string or binary data (16-bit length prefix), 7 string pair;
 * 0 marks an identifier the specification does not define.
 */
const PROPERTY_LAYOUT = (() => {
  const t = new Uint8Array(0x2b);
  for (const id of [0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2a]) t[id] = 1;
  for (const id of [0x13, 0x21, 0x22, 0x23]) t[id] = 2;
  for (const id of [0x02, 0x11, 0x18, 0x27]) t[id] = 4;
  t[0x0b] = 5;
  for (const id of [0x03, 0x08, 0x09, 0x12, 0x15, 0x16, 0x1a, 0x1c, 0x1f]) t[id] = 6;
  t[0x26] = 7;
  return t;
})();

/** Topic Alias property identifier (5.0 §3.3.2.3.4). */
export const PROPERTY_TOPIC_ALIAS = 0x23;

/**
 * Skip the v5 property block at `off` (5.0 §2.2.2: Property Length as a Variable Byte Integer, then the
 * properties). Every identifier must be one table 2-4 defines and every value must fit in the block.
 * @param aliasOut when given, `aliasOut[0]` receives the Topic Alias (0 when absent)
 * @returns the offset after the block, or -1 when it is malformed or runs past `end`
 */
export function skipProperties(b: Uint8Array, off: number, end: number, aliasOut?: Int32Array): number {
  const len = readVarInt(b, off, end, varLen);
  if (len < 0) return -1;
  let p = off + varLen[0];
  const stop = p + len;
  if (stop > end) return -1;
  if (aliasOut !== undefined) aliasOut[0] = 0;
  while (p < stop) {
    const id = b[p++];
    const layout = id < PROPERTY_LAYOUT.length ? PROPERTY_LAYOUT[id] : 0;
    switch (layout) {
      case 1:
        p += 1;
        break;
      case 2:
        if (id === PROPERTY_TOPIC_ALIAS && aliasOut !== undefined && p + 2 <= stop) aliasOut[0] = (b[p] << 8) | b[p + 1];
        p += 2;
        break;
      case 4:
        p += 4;
        break;
      case 5:
        if (readVarInt(b, p, stop, varLen) < 0) return -1;
        p += varLen[0];
        break;
      case 6:
        if (p + 2 > stop) return -1;
        p += 2 + ((b[p] << 8) | b[p + 1]);
        break;
      case 7:
        for (let k = 0; k < 2; k++) {
          if (p + 2 > stop) return -1;
          p += 2 + ((b[p] << 8) | b[p + 1]);
        }
        break;
      default:
        return -1;
    }
    if (p > stop) return -1;
  }
  return stop;
}

/** End offset of the length-prefixed string (or binary data) at `off` (3.1.1 §1.5.3), or -1 when it runs past `end`. */
function stringEnd(b: Uint8Array, off: number, end: number): number {
  if (off + 2 > end) return -1;
  const e = off + 2 + ((b[off] << 8) | b[off + 1]);
  return e <= end ? e : -1;
}

/** CONNECT fields as byte ranges of the packet (3.1.1 §3.1, 5.0 §3.1); an absent range is [-1, -1). */
export interface ConnectFields {
  /** Protocol Name bytes ("MQTT", or "MQIsdp" for 3.1). */
  nameStart: number;
  nameEnd: number;
  /** Protocol Level (3, 4 or 5; other values are kept as sent). */
  level: number;
  /** Connect Flags byte (bit 7 User Name, 6 Password, 5 Will Retain, 4–3 Will QoS, 2 Will, 1 Clean). */
  flags: number;
  /** Keep Alive, seconds. */
  keepAlive: number;
  clientStart: number;
  clientEnd: number;
  willTopicStart: number;
  willTopicEnd: number;
  willMsgStart: number;
  willMsgEnd: number;
}

/**
 * Parse a CONNECT body `b[start, end)` (3.1.1 §3.1.2–§3.1.3; 5.0 §3.1.2–§3.1.3 adds the CONNECT and Will
 * property blocks when the Protocol Level is 5). The will, user name and password fields must be present
 * as the flags announce.
 * @returns the fields, or the anomaly name when the body is cut short or malformed
 */
export function parseConnect(b: Uint8Array, start: number, end: number): ConnectFields | GrammarAnomaly {
  const nameEnd = stringEnd(b, start, end);
  if (nameEnd < 0 || nameEnd + 4 > end) return 'mqtt.malformed_connect';
  const level = b[nameEnd];
  const flags = b[nameEnd + 1];
  const keepAlive = (b[nameEnd + 2] << 8) | b[nameEnd + 3];
  let p = nameEnd + 4;
  if (level === LEVEL_V5) {
    p = skipProperties(b, p, end);
    if (p < 0) return 'mqtt.invalid_properties';
  }
  const clientEnd = stringEnd(b, p, end);
  if (clientEnd < 0) return 'mqtt.malformed_connect';
  const f: ConnectFields = {
    nameStart: start + 2,
    nameEnd,
    level,
    flags,
    keepAlive,
    clientStart: p + 2,
    clientEnd,
    willTopicStart: -1,
    willTopicEnd: -1,
    willMsgStart: -1,
    willMsgEnd: -1,
  };
  p = clientEnd;
  if ((flags & 0x04) !== 0) {
    if (level === LEVEL_V5) {
      p = skipProperties(b, p, end);
      if (p < 0) return 'mqtt.invalid_properties';
    }
    const topicEnd = stringEnd(b, p, end);
    if (topicEnd < 0) return 'mqtt.malformed_connect';
    const msgEnd = stringEnd(b, topicEnd, end);
    if (msgEnd < 0) return 'mqtt.malformed_connect';
    f.willTopicStart = p + 2;
    f.willTopicEnd = topicEnd;
    f.willMsgStart = topicEnd + 2;
    f.willMsgEnd = msgEnd;
    p = msgEnd;
  }
  if ((flags & 0x80) !== 0) {
    p = stringEnd(b, p, end);
    if (p < 0) return 'mqtt.malformed_connect';
  }
  if ((flags & 0x40) !== 0 && stringEnd(b, p, end) < 0) return 'mqtt.malformed_connect';
  return f;
}

/**
 * The return code (3.1.1 §3.2.2.3) or Connect Reason Code (5.0 §3.2.2.2) of a CONNACK body `b[start, end)`:
 * the second byte, after the Connect Acknowledge Flags; -1 when the body has fewer than two bytes.
 */
export function connackCode(b: Uint8Array, start: number, end: number): number {
  return end - start >= 2 ? b[start + 1] : -1;
}

/** PUBLISH fields (3.1.1 §3.3, 5.0 §3.3); filled in place by `parsePublish`. */
export interface PublishFields {
  topicStart: number;
  topicEnd: number;
  /** Packet Identifier; 0 for QoS 0 (which has none). */
  msgId: number;
  /** v5 Topic Alias property (5.0 §3.3.2.3.4); 0 when absent or not v5. */
  topicAlias: number;
  /** First payload byte. */
  payloadStart: number;
  /** Bytes of the whole payload (it may extend past the bytes at hand). */
  payloadLen: number;
}

/** A fresh PublishFields to be filled by `parsePublish`. */
export function newPublishFields(): PublishFields {
  return { topicStart: 0, topicEnd: 0, msgId: 0, topicAlias: 0, payloadStart: 0, payloadLen: 0 };
}

const aliasOut = new Int32Array(1);

/**
 * Parse a PUBLISH body that starts at `start` and is `bodyLen` bytes long, of which `b[start, avail)`
 * is at hand (the variable header must be; the payload may be cut): Topic Name, Packet Identifier when
 * QoS > 0, v5 properties, payload.
 * @param qos QoS from the fixed header flags (0–2; 3 is parsed like 2)
 * @param v5 true on an MQTT 5.0 connection
 * @returns null with `out` filled, or the anomaly name
 */
export function parsePublish(b: Uint8Array, start: number, avail: number, bodyLen: number, qos: number, v5: boolean, out: PublishFields): GrammarAnomaly | null {
  const end = start + bodyLen;
  const limit = avail < end ? avail : end;
  const topicEnd = stringEnd(b, start, limit);
  if (topicEnd < 0) return 'mqtt.malformed_publish';
  let p = topicEnd;
  let msgId = 0;
  if (qos > 0) {
    if (p + 2 > limit) return 'mqtt.malformed_publish';
    msgId = (b[p] << 8) | b[p + 1];
    p += 2;
  }
  let alias = 0;
  if (v5) {
    p = skipProperties(b, p, limit, aliasOut);
    if (p < 0) return 'mqtt.invalid_properties';
    alias = aliasOut[0];
  }
  out.topicStart = start + 2;
  out.topicEnd = topicEnd;
  out.msgId = msgId;
  out.topicAlias = alias;
  out.payloadStart = p;
  out.payloadLen = end - p;
  return null;
}

/** Packet Identifier of a PUBACK / PUBREC / PUBREL / PUBCOMP / UNSUBACK / SUBACK body (first two bytes), or -1 when cut short. */
export function packetId(b: Uint8Array, start: number, end: number): number {
  return end - start >= 2 ? (b[start] << 8) | b[start + 1] : -1;
}

/** SUBSCRIBE or UNSUBSCRIBE fields (3.1.1 §3.8, §3.10; 5.0 §3.8, §3.10). */
export interface SubscribeFields {
  msgId: number;
  /** Topic Filter byte ranges as [start, end) pairs, at most `maxTopics` of them. */
  topics: number[];
  /** Requested QoS per kept topic (SUBSCRIBE: low two bits of the options byte; UNSUBSCRIBE: empty). */
  qos: number[];
  /** Topic filters in the packet, kept or not. */
  count: number;
}

/**
 * Parse a SUBSCRIBE (`withQos` true) or UNSUBSCRIBE body `b[start, end)`: Packet Identifier, v5 properties,
 * then one or more Topic Filters (each followed by its options byte in SUBSCRIBE). At least one filter
 * is required (3.1.1 §3.8.3, §3.10.3).
 * @param maxTopics filters kept (limits.maxVectorLength); the rest are counted
 */
export function parseSubscribe(b: Uint8Array, start: number, end: number, withQos: boolean, v5: boolean, maxTopics: number): SubscribeFields | GrammarAnomaly {
  const bad: GrammarAnomaly = withQos ? 'mqtt.malformed_subscribe' : 'mqtt.malformed_unsubscribe';
  if (end - start < 2) return bad;
  const msgId = (b[start] << 8) | b[start + 1];
  let p = start + 2;
  if (v5) {
    p = skipProperties(b, p, end);
    if (p < 0) return 'mqtt.invalid_properties';
  }
  const topics: number[] = [];
  const qos: number[] = [];
  let count = 0;
  while (p < end) {
    const e = stringEnd(b, p, end);
    if (e < 0) return bad;
    let next = e;
    if (withQos) {
      if (e + 1 > end) return bad;
      next = e + 1;
    }
    if (count < maxTopics) {
      topics.push(p + 2, e);
      if (withQos) qos.push(b[e] & 0x03);
    }
    count++;
    p = next;
  }
  if (count === 0) return bad;
  return { msgId, topics, qos, count };
}

/**
 * The first granted QoS / reason code of a SUBACK body `b[start, end)` (3.1.1 §3.9.3; 5.0 §3.9.3 after the
 * property block), or -1 when the body holds none.
 */
export function subackFirstCode(b: Uint8Array, start: number, end: number, v5: boolean): number {
  let p = start + 2;
  if (p > end) return -1;
  if (v5) {
    p = skipProperties(b, p, end);
    if (p < 0) return -1;
  }
  return p < end ? b[p] : -1;
}
