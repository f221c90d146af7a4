/**
 * MQTT wire constants shared by the twin's encoders: OASIS MQTT Version 3.1.1 (2014) and
 * MQTT Version 5.0 (2019). Section numbers are given as "3.1.1 §x" and "5.0 §y".
 */

/** TCP port of MQTT without TLS (IANA "mqtt"; 3.1.1 §4.2, 5.0 §4.2). */
export const MQTT_PORT = 1883;

/** Protocol Level byte of CONNECT: 4 for 3.1.1 (3.1.1 §3.1.2.2), 5 for 5.0 (5.0 §3.1.2.2). */
export type MqttVersion = 4 | 5;
/** Protocol Level of MQTT 3.1.1. */
export const MQTT_V311: MqttVersion = 4;
/** Protocol Level of MQTT 5.0. */
export const MQTT_V5: MqttVersion = 5;

/** Control packet types, the high nibble of the fixed header's first byte (3.1.1 §2.2.1, 5.0 §2.1.2). */
export const MqttPacketType = {
  CONNECT: 1,
  CONNACK: 2,
  PUBLISH: 3,
  PUBACK: 4,
  SUBSCRIBE: 8,
  SUBACK: 9,
  PINGREQ: 12,
  PINGRESP: 13,
  DISCONNECT: 14,
} as const;

/**
 * Largest Remaining Length, bytes: four Variable Byte Integer bytes (3.1.1 §2.2.3, 5.0 §1.5.5),
 * 268 435 455.
 */
export const MQTT_MAX_REMAINING_LENGTH = 268_435_455;

/** Largest UTF-8 Encoded String or Binary Data body, bytes (16-bit length prefix; 3.1.1 §1.5.3, 5.0 §1.5.4, §1.5.6). */
export const MQTT_MAX_STRING_BYTES = 65_535;

/** Property identifiers used by the encoders (5.0 §2.2.2.2, table 2-4). */
export const MqttProperty = {
  PAYLOAD_FORMAT_INDICATOR: 0x01,
  MESSAGE_EXPIRY_INTERVAL: 0x02,
  CONTENT_TYPE: 0x03,
  SESSION_EXPIRY_INTERVAL: 0x11,
  ASSIGNED_CLIENT_IDENTIFIER: 0x12,
  SERVER_KEEP_ALIVE: 0x13,
  RECEIVE_MAXIMUM: 0x21,
  TOPIC_ALIAS_MAXIMUM: 0x22,
  MAXIMUM_QOS: 0x24,
  USER_PROPERTY: 0x26,
} as const;

/** CONNACK return codes of 3.1.1 (§3.2.2.3): 0 accepted … 5 not authorized. */
export const ConnackReturnCode = {
  ACCEPTED: 0,
  UNACCEPTABLE_PROTOCOL_VERSION: 1,
  IDENTIFIER_REJECTED: 2,
  SERVER_UNAVAILABLE: 3,
  BAD_USER_NAME_OR_PASSWORD: 4,
  NOT_AUTHORIZED: 5,
} as const;

/** A few MQTT 5.0 reason codes (5.0 §2.4, table 2-6). */
export const MqttReasonCode = {
  SUCCESS: 0x00,
  GRANTED_QOS_1: 0x01,
  NO_MATCHING_SUBSCRIBERS: 0x10,
  UNSPECIFIED_ERROR: 0x80,
  NOT_AUTHORIZED: 0x87,
  SERVER_SHUTTING_DOWN: 0x8b,
  KEEP_ALIVE_TIMEOUT: 0x8d,
} as const;
