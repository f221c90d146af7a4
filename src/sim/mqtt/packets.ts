import { CwError } from '../../errors.js';
import { MQTT_V5, MqttPacketType, MqttProperty, type MqttVersion } from './constants.js';
import type { MqttWriter } from './writer.js';

/**
 * Encoders of the MQTT control packets the twin puts on the wire, for MQTT 3.1.1 (OASIS 2014,
 * Protocol Level 4) and MQTT 5.0 (OASIS 2019, Protocol Level 5). Each writes one whole packet through
 * an `MqttWriter` and returns its bytes (a view valid until the writer's next packet).
 * Invalid parameters (a scenario's configuration) throw `CwError` CW_ERR_CONFIG.
 */

const PROTOCOL_NAME = new Uint8Array([0x4d, 0x51, 0x54, 0x54]); // "MQTT"

/** Options of a CONNECT packet (3.1.1 §3.1, 5.0 §3.1). */
export interface MqttConnectOptions {
  version: MqttVersion;
  /** Client Identifier (3.1.1 §3.1.3.1, 5.0 §3.1.3.1); may be empty when `clean` is true. */
  clientId: string;
  /** Keep Alive, seconds, 0–65535 (0 turns the mechanism off; 3.1.1 §3.1.2.10, 5.0 §3.1.2.10). */
  keepAliveSec: number;
  /** Clean Session (3.1.1 §3.1.2.4) / Clean Start (5.0 §3.1.2.4). */
  clean: boolean;
  /** User Name; in 3.1.1 a password needs one (§3.1.2.9). */
  username?: string | null;
  /** Password (Binary Data). */
  password?: Uint8Array | null;
  /** v5 Session Expiry Interval property, seconds (5.0 §3.1.2.11.2); omitted when undefined. */
  sessionExpirySec?: number;
  /** v5 Receive Maximum property, 1–65535 (5.0 §3.1.2.11.3); omitted when undefined. */
  receiveMaximum?: number;
}

/**
 * CONNECT (3.1.1 §3.1, 5.0 §3.1): fixed header 0x10, protocol name "MQTT", Protocol Level, Connect
 * Flags (bit 7 User Name, bit 6 Password, bit 1 Clean Session/Start), Keep Alive; v5 properties
 * (Session Expiry Interval 0x11, Receive Maximum 0x21); payload Client Identifier, User Name,
 * Password. No Will message.
 */
export function encodeConnect(w: MqttWriter, o: MqttConnectOptions): Uint8Array {
  if (!Number.isInteger(o.keepAliveSec) || o.keepAliveSec < 0 || o.keepAliveSec > 0xffff) {
    throw new CwError('CW_ERR_CONFIG', `MQTT keep alive must be an integer 0–65535 s, got ${o.keepAliveSec}`);
  }
  const user = o.username ?? null;
  const pass = o.password ?? null;
  if (o.version !== MQTT_V5 && pass !== null && user === null) {
    throw new CwError('CW_ERR_CONFIG', 'MQTT 3.1.1 CONNECT: a password needs a user name (§3.1.2.9)');
  }
  w.begin(MqttPacketType.CONNECT << 4);
  w.u16(4);
  w.raw(PROTOCOL_NAME, 0, 4);
  w.u8(o.version);
  let flags = o.clean ? 0x02 : 0;
  if (user !== null) flags |= 0x80;
  if (pass !== null) flags |= 0x40;
  w.u8(flags);
  w.u16(o.keepAliveSec);
  if (o.version === MQTT_V5) {
    const m = w.beginProperties();
    if (o.sessionExpirySec !== undefined) {
      w.u8(MqttProperty.SESSION_EXPIRY_INTERVAL);
      w.u32(o.sessionExpirySec);
    }
    if (o.receiveMaximum !== undefined) {
      w.u8(MqttProperty.RECEIVE_MAXIMUM);
      w.u16(o.receiveMaximum);
    }
    w.endProperties(m);
  }
  w.utf8(o.clientId);
  if (user !== null) w.utf8(user);
  if (pass !== null) w.binary(pass, 0, pass.length);
  return w.end();
}

/** Options of a CONNACK packet (3.1.1 §3.2, 5.0 §3.2). */
export interface MqttConnackOptions {
  version: MqttVersion;
  /** Session Present flag (3.1.1 §3.2.2.2, 5.0 §3.2.2.1.1). */
  sessionPresent: boolean;
  /** 3.1.1 Connect Return code (§3.2.2.3) or 5.0 Connect Reason Code (§3.2.2.2); default 0. */
  code?: number;
  /** v5 Session Expiry Interval the server imposes, seconds (5.0 §3.2.2.3.2). */
  sessionExpirySec?: number;
  /** v5 Receive Maximum (5.0 §3.2.2.3.3). */
  receiveMaximum?: number;
  /** v5 Maximum QoS, 0 or 1 (5.0 §3.2.2.3.4). */
  maximumQos?: number;
  /** v5 Assigned Client Identifier, for a CONNECT with an empty id (5.0 §3.2.2.3.7). */
  assignedClientId?: string;
  /** v5 Topic Alias Maximum (5.0 §3.2.2.3.8). */
  topicAliasMaximum?: number;
}

/**
 * CONNACK (3.1.1 §3.2, 5.0 §3.2): fixed header 0x20, Connect Acknowledge Flags, return/reason code;
 * v5 properties in the order Session Expiry Interval, Receive Maximum, Maximum QoS, Assigned Client
 * Identifier, Topic Alias Maximum (those given).
 */
export function encodeConnack(w: MqttWriter, o: MqttConnackOptions): Uint8Array {
  w.begin(MqttPacketType.CONNACK << 4);
  w.u8(o.sessionPresent ? 1 : 0);
  w.u8(o.code ?? 0);
  if (o.version === MQTT_V5) {
    const m = w.beginProperties();
    if (o.sessionExpirySec !== undefined) {
      w.u8(MqttProperty.SESSION_EXPIRY_INTERVAL);
      w.u32(o.sessionExpirySec);
    }
    if (o.receiveMaximum !== undefined) {
      w.u8(MqttProperty.RECEIVE_MAXIMUM);
      w.u16(o.receiveMaximum);
    }
    if (o.maximumQos !== undefined) {
      w.u8(MqttProperty.MAXIMUM_QOS);
      w.u8(o.maximumQos);
    }
    if (o.assignedClientId !== undefined) {
      w.u8(MqttProperty.ASSIGNED_CLIENT_IDENTIFIER);
      w.utf8(o.assignedClientId);
    }
    if (o.topicAliasMaximum !== undefined) {
      w.u8(MqttProperty.TOPIC_ALIAS_MAXIMUM);
      w.u16(o.topicAliasMaximum);
    }
    w.endProperties(m);
  }
  return w.end();
}

/**
 * One application message to publish; reused between publishes (the session fills one object).
 * Payload is `payload[payloadOff, payloadOff + payloadLen)` (any bytes, 3.1.1 §3.3.3, 5.0 §3.3.3).
 */
export interface MqttMessage {
  /** Topic Name, no wildcards (3.1.1 §3.3.2.1, 5.0 §3.3.2.1). */
  topic: string;
  payload: Uint8Array;
  payloadOff: number;
  payloadLen: number;
  /** QoS 0 (at most once) or 1 (at least once, acknowledged by PUBACK). */
  qos: 0 | 1;
  retain: boolean;
  /** v5 Payload Format Indicator 1 (UTF-8 text, 5.0 §3.3.2.3.2) when true; omitted when false. */
  utf8Payload: boolean;
  /** v5 Message Expiry Interval, seconds (5.0 §3.3.2.3.3); omitted when < 0. */
  messageExpirySec: number;
  /** v5 Content Type, a MIME type (5.0 §3.3.2.3.9); omitted when null. */
  contentType: string | null;
}

/** A fresh `MqttMessage`: empty topic and payload, QoS 0, no retain, no v5 properties. */
export function newMqttMessage(): MqttMessage {
  return { topic: '', payload: EMPTY, payloadOff: 0, payloadLen: 0, qos: 0, retain: false, utf8Payload: false, messageExpirySec: -1, contentType: null };
}

/**
 * PUBLISH (3.1.1 §3.3, 5.0 §3.3): fixed header 0x30 | DUP << 3 | QoS << 1 | RETAIN; Topic Name;
 * Packet Identifier (QoS 1 only); v5 properties Payload Format Indicator, Message Expiry Interval,
 * Content Type (those set); the payload.
 * @param packetId 1–65535, needed for QoS 1 (3.1.1 §2.3.1, 5.0 §2.2.1); ignored for QoS 0.
 * @param dup DUP flag (a redelivery of a QoS 1 message, §3.3.1.1).
 */
export function encodePublish(w: MqttWriter, version: MqttVersion, m: MqttMessage, packetId: number, dup = false): Uint8Array {
  if (m.qos === 1 && (!Number.isInteger(packetId) || packetId < 1 || packetId > 0xffff)) {
    throw new CwError('CW_ERR_CONFIG', `MQTT QoS 1 PUBLISH needs a packet identifier 1–65535, got ${packetId}`);
  }
  w.begin((MqttPacketType.PUBLISH << 4) | (dup && m.qos > 0 ? 0x08 : 0) | (m.qos << 1) | (m.retain ? 1 : 0));
  w.utf8(m.topic);
  if (m.qos > 0) w.u16(packetId);
  if (version === MQTT_V5) {
    const p = w.beginProperties();
    if (m.utf8Payload) {
      w.u8(MqttProperty.PAYLOAD_FORMAT_INDICATOR);
      w.u8(1);
    }
    if (m.messageExpirySec >= 0) {
      w.u8(MqttProperty.MESSAGE_EXPIRY_INTERVAL);
      w.u32(m.messageExpirySec);
    }
    if (m.contentType !== null) {
      w.u8(MqttProperty.CONTENT_TYPE);
      w.utf8(m.contentType);
    }
    w.endProperties(p);
  }
  w.raw(m.payload, m.payloadOff, m.payloadLen);
  return w.end();
}

/**
 * PUBACK (3.1.1 §3.4, 5.0 §3.4): fixed header 0x40, Packet Identifier; in v5 a non-zero reason
 * code follows with an empty property block, while Success is sent as the short 2-byte form
 * (5.0 §3.4.2.1).
 */
export function encodePuback(w: MqttWriter, version: MqttVersion, packetId: number, reasonCode = 0): Uint8Array {
  w.begin(MqttPacketType.PUBACK << 4);
  w.u16(packetId);
  if (version === MQTT_V5 && reasonCode !== 0) {
    w.u8(reasonCode);
    w.varint(0);
  }
  return w.end();
}

/** One topic filter of a SUBSCRIBE with the requested maximum QoS (3.1.1 §3.8.3, 5.0 §3.8.3.1). */
export interface MqttSubscription {
  filter: string;
  qos: 0 | 1 | 2;
}

/**
 * SUBSCRIBE (3.1.1 §3.8, 5.0 §3.8): fixed header 0x82 (reserved flags 0010), Packet Identifier,
 * v5 empty property block, then each topic filter followed by its options byte (requested QoS; the
 * v5 No Local, Retain As Published and Retain Handling bits are 0).
 */
export function encodeSubscribe(w: MqttWriter, version: MqttVersion, packetId: number, subs: readonly MqttSubscription[]): Uint8Array {
  if (subs.length === 0) throw new CwError('CW_ERR_CONFIG', 'MQTT SUBSCRIBE needs at least one topic filter (§3.8.3)');
  w.begin((MqttPacketType.SUBSCRIBE << 4) | 0x02);
  w.u16(packetId);
  if (version === MQTT_V5) w.varint(0);
  for (const s of subs) {
    w.utf8(s.filter);
    w.u8(s.qos);
  }
  return w.end();
}

/**
 * SUBACK (3.1.1 §3.9, 5.0 §3.9): fixed header 0x90, Packet Identifier, v5 empty property block, one
 * return/reason code per filter (granted QoS 0–2, or 0x80 failure).
 */
export function encodeSuback(w: MqttWriter, version: MqttVersion, packetId: number, codes: readonly number[]): Uint8Array {
  w.begin(MqttPacketType.SUBACK << 4);
  w.u16(packetId);
  if (version === MQTT_V5) w.varint(0);
  for (const c of codes) w.u8(c);
  return w.end();
}

/** PINGREQ (3.1.1 §3.12, 5.0 §3.12): c0 00. */
export function encodePingreq(w: MqttWriter): Uint8Array {
  w.begin(MqttPacketType.PINGREQ << 4);
  return w.end();
}

/** PINGRESP (3.1.1 §3.13, 5.0 §3.13): d0 00. */
export function encodePingresp(w: MqttWriter): Uint8Array {
  w.begin(MqttPacketType.PINGRESP << 4);
  return w.end();
}

/**
 * DISCONNECT (3.1.1 §3.14, 5.0 §3.14): e0 00; in v5 a non-zero reason code follows with an empty
 * property block, while Normal disconnection (0) is the short form with Remaining Length 0
 * (5.0 §3.14.2.1).
 */
export function encodeDisconnect(w: MqttWriter, version: MqttVersion, reasonCode = 0): Uint8Array {
  w.begin(MqttPacketType.DISCONNECT << 4);
  if (version === MQTT_V5 && reasonCode !== 0) {
    w.u8(reasonCode);
    w.varint(0);
  }
  return w.end();
}

const EMPTY = new Uint8Array(0);
