/**
 * MQTT control packets as hex, one commented line per field (OASIS MQTT 3.1.1 "3.1.1 §x", MQTT 5.0
 * "5.0 §y"). `hex` joins the lines into bytes; `noisy` copies them into a larger buffer and returns a
 * sub-view with a non-zero byteOffset.
 */
export { subView as noisy, concat } from '../modbus/fixtures.js';

/** Bytes of space-separated hex pairs (several lines joined). */
export function hex(...lines: string[]): Uint8Array {
  const s = lines.join(' ').trim();
  return s === '' ? new Uint8Array(0) : Uint8Array.from(s.split(/\s+/).map((h) => parseInt(h, 16)));
}

/** CONNECT 3.1.1 with will, user name and password (3.1.1 §3.1). */
export const CONNECT_V311 = hex(
  '10 28', //                    fixed header: CONNECT, flags 0; Remaining Length 40
  '00 04 4d 51 54 54', //        Protocol Name "MQTT" (§3.1.2.1)
  '04', //                       Protocol Level 4 = 3.1.1 (§3.1.2.2)
  'ce', //                       Connect Flags: user 0x80, password 0x40, will QoS 1 0x08, will 0x04, clean 0x02
  '00 3c', //                    Keep Alive 60 s
  '00 07 63 72 61 6e 65 2d 31', // Client Identifier "crane-1"
  '00 06 74 2f 77 69 6c 6c', //  Will Topic "t/will"
  '00 03 62 79 65', //           Will Message "bye"
  '00 02 6f 70', //              User Name "op"
  '00 02 70 77', //              Password "pw"
);

/** CONNACK 3.1.1, accepted (3.1.1 §3.2). */
export const CONNACK_OK = hex(
  '20 02', // fixed header: CONNACK; Remaining Length 2
  '00', //    Connect Acknowledge Flags: no session present
  '00', //    return code 0 "Connection Accepted"
);

/** CONNACK 3.1.1, refused: not authorized (3.1.1 §3.2.2.3). */
export const CONNACK_REFUSED = hex(
  '20 02', // fixed header: CONNACK; Remaining Length 2
  '00', //    flags
  '05', //    return code 5 "Refused: not authorized"
);

/** CONNECT 3.1 ("MQIsdp", Protocol Level 3), as the Paho client of Zeek's trace sends it. */
export const CONNECT_V31 = hex(
  '10 10', //                 fixed header: CONNECT; Remaining Length 16
  '00 06 4d 51 49 73 64 70', // Protocol Name "MQIsdp"
  '03', //                    Protocol Level 3
  '02', //                    Connect Flags: clean session
  '00 05', //                 Keep Alive 5 s
  '00 02 70 31', //           Client Identifier "p1"
);

/** PUBLISH 3.1.1 QoS 0, retained (3.1.1 §3.3). */
export const PUBLISH_QOS0 = hex(
  '31 0c', //                 fixed header: PUBLISH, DUP 0, QoS 0, RETAIN 1; Remaining Length 12
  '00 03 61 2f 62', //        Topic Name "a/b"
  '68 65 6c 6c 6f 0a 5c', //  payload "hello" LF backslash (7 bytes)
);

/** PUBLISH 3.1.1 QoS 1, Packet Identifier 7 (3.1.1 §3.3.2.2). */
export const PUBLISH_QOS1 = hex(
  '32 07', //          fixed header: PUBLISH, QoS 1; Remaining Length 7
  '00 01 74', //       Topic Name "t"
  '00 07', //          Packet Identifier 7
  '71 31', //          payload "q1"
);

/** PUBACK for Packet Identifier 7 (3.1.1 §3.4). */
export const PUBACK_7 = hex(
  '40 02', // fixed header: PUBACK; Remaining Length 2
  '00 07', // Packet Identifier 7
);

/** PUBLISH 3.1.1 QoS 2, Packet Identifier 9 (3.1.1 §4.3.3). */
export const PUBLISH_QOS2 = hex(
  '34 07', //    fixed header: PUBLISH, QoS 2; Remaining Length 7
  '00 01 74', // Topic Name "t"
  '00 09', //    Packet Identifier 9
  '71 32', //    payload "q2"
);
/** PUBREC for Packet Identifier 9 (3.1.1 §3.5). */
export const PUBREC_9 = hex('50 02', '00 09'); // PUBREC; Remaining Length 2; Packet Identifier 9
/** PUBREL for Packet Identifier 9 (3.1.1 §3.6). */
export const PUBREL_9 = hex('62 02', '00 09'); // PUBREL, flags 0b0010; Remaining Length 2; Packet Identifier 9
/** PUBCOMP for Packet Identifier 9 (3.1.1 §3.7). */
export const PUBCOMP_9 = hex('70 02', '00 09'); // PUBCOMP; Remaining Length 2; Packet Identifier 9

/** SUBSCRIBE 3.1.1 with two filters, Packet Identifier 1 (3.1.1 §3.8). */
export const SUBSCRIBE_V311 = hex(
  '82 0d', //             fixed header: SUBSCRIBE, flags 0b0010; Remaining Length 13
  '00 01', //             Packet Identifier 1
  '00 03 61 2f 23', //    Topic Filter "a/#"
  '01', //                Requested QoS 1
  '00 02 62 2f', //       Topic Filter "b/"
  '00', //                Requested QoS 0
);

/** SUBACK for Packet Identifier 1, granted 1 and 0 (3.1.1 §3.9). */
export const SUBACK_V311 = hex(
  '90 04', // fixed header: SUBACK; Remaining Length 4
  '00 01', // Packet Identifier 1
  '01 00', // return codes: QoS 1 granted, QoS 0 granted
);

/** UNSUBSCRIBE 3.1.1, Packet Identifier 2 (3.1.1 §3.10). */
export const UNSUBSCRIBE_V311 = hex(
  'a2 07', //          fixed header: UNSUBSCRIBE, flags 0b0010; Remaining Length 7
  '00 02', //          Packet Identifier 2
  '00 03 61 2f 23', // Topic Filter "a/#"
);
/** UNSUBACK for Packet Identifier 2 (3.1.1 §3.11). */
export const UNSUBACK_V311 = hex('b0 02', '00 02'); // UNSUBACK; Remaining Length 2; Packet Identifier 2

/** PINGREQ (3.1.1 §3.12). */
export const PINGREQ = hex('c0 00'); // PINGREQ; Remaining Length 0
/** DISCONNECT (3.1.1 §3.14). */
export const DISCONNECT = hex('e0 00'); // DISCONNECT; Remaining Length 0

/** CONNECT 5.0 with a Session Expiry Interval property (5.0 §3.1.2.11). */
export const CONNECT_V5 = hex(
  '10 14', //                 fixed header: CONNECT; Remaining Length 20
  '00 04 4d 51 54 54', //     Protocol Name "MQTT"
  '05', //                    Protocol Level 5
  '02', //                    Connect Flags: clean start
  '00 1e', //                 Keep Alive 30 s
  '05', //                    Property Length 5
  '11 00 00 0e 10', //        Session Expiry Interval (0x11) 3600 s
  '00 02 63 35', //           Client Identifier "c5"
);

/** CONNACK 5.0, reason 0x87 "Not authorized", with Topic Alias Maximum (5.0 §3.2.2.2, §3.2.2.3.8). */
export const CONNACK_V5_NOT_AUTHORIZED = hex(
  '20 06', //    fixed header: CONNACK; Remaining Length 6
  '00', //       Connect Acknowledge Flags
  '87', //       Connect Reason Code 0x87 Not authorized
  '03', //       Property Length 3
  '22 00 0a', // Topic Alias Maximum (0x22) 10
);

/** CONNACK 5.0, success, with Topic Alias Maximum. */
export const CONNACK_V5_OK = hex(
  '20 06', //    fixed header: CONNACK; Remaining Length 6
  '00', //       flags
  '00', //       Connect Reason Code 0 Success
  '03', //       Property Length 3
  '22 00 0a', // Topic Alias Maximum 10
);

/** PUBLISH 5.0 QoS 1 that sets Topic Alias 1 for "a/b" (5.0 §3.3.2.3.4). */
export const PUBLISH_V5_ALIAS_SET = hex(
  '32 0d', //       fixed header: PUBLISH, QoS 1; Remaining Length 13
  '00 03 61 2f 62', // Topic Name "a/b"
  '00 07', //       Packet Identifier 7
  '03', //          Property Length 3
  '23 00 01', //    Topic Alias (0x23) 1
  '68 69', //       payload "hi"
);

/** PUBACK 5.0 with reason code and empty properties (5.0 §3.4.2). */
export const PUBACK_V5_7 = hex(
  '40 04', // fixed header: PUBACK; Remaining Length 4
  '00 07', // Packet Identifier 7
  '00', //    PUBACK Reason Code 0 Success
  '00', //    Property Length 0
);

/** PUBLISH 5.0 QoS 0 with an empty Topic Name and Topic Alias 1. */
export const PUBLISH_V5_ALIAS_USE = hex(
  '30 08', //    fixed header: PUBLISH, QoS 0; Remaining Length 8
  '00 00', //    Topic Name "" (length 0)
  '03', //       Property Length 3
  '23 00 01', // Topic Alias 1
  '79 6f', //    payload "yo"
);

/** SUBSCRIBE 5.0 with a Subscription Identifier and two filters with options (5.0 §3.8.3.1). */
export const SUBSCRIBE_V5 = hex(
  '82 0f', //          fixed header: SUBSCRIBE, flags 0b0010; Remaining Length 15
  '00 0a', //          Packet Identifier 10
  '02', //             Property Length 2
  '0b 05', //          Subscription Identifier (0x0B) 5
  '00 03 61 2f 23', // Topic Filter "a/#"
  '2d', //             options: QoS 1, No Local, Retain As Published, Retain Handling 2
  '00 01 78', //       Topic Filter "x"
  '02', //             options: QoS 2
);

/** SUBACK 5.0 for Packet Identifier 10 (5.0 §3.9). */
export const SUBACK_V5 = hex(
  '90 05', // fixed header: SUBACK; Remaining Length 5
  '00 0a', // Packet Identifier 10
  '00', //    Property Length 0
  '01 02', // Reason Codes: Granted QoS 1, Granted QoS 2
);

/** UNSUBSCRIBE 5.0, Packet Identifier 11 (5.0 §3.10). */
export const UNSUBSCRIBE_V5 = hex(
  'a2 06', //    fixed header: UNSUBSCRIBE; Remaining Length 6
  '00 0b', //    Packet Identifier 11
  '00', //       Property Length 0
  '00 01 78', // Topic Filter "x"
);
/** UNSUBACK 5.0 for Packet Identifier 11 (5.0 §3.11). */
export const UNSUBACK_V5 = hex(
  'b0 04', // fixed header: UNSUBACK; Remaining Length 4
  '00 0b', // Packet Identifier 11
  '00', //    Property Length 0
  '00', //    Reason Code 0 Success
);
