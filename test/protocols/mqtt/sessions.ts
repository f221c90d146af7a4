/**
 * Two whole MQTT sessions built from the commented fixtures (fixtures.ts), for the analyzer tests and
 * the tshark cross-check: a 3.1.1 one with every exchange (QoS 0 / 1 / 2, SUBSCRIBE, UNSUBSCRIBE, will,
 * user name and password) and a 5.0 one with properties, subscription options and a Topic Alias.
 */
import type { Segment } from './capture-builder.js';
import * as F from './fixtures.js';

/** Epoch of the sessions' first packet, seconds. */
export const T0 = 1_700_000_000;

/** The 3.1.1 session, one segment per line (a SUBSCRIBE and a PUBLISH share one, as do PINGREQ and DISCONNECT). */
export const V311_SESSION: readonly Segment[] = [
  { fromClient: true, ts: T0 + 0.1, bytes: F.CONNECT_V311 },
  { fromClient: false, ts: T0 + 0.2, bytes: F.CONNACK_OK },
  { fromClient: true, ts: T0 + 0.3, bytes: F.concat(F.SUBSCRIBE_V311, F.PUBLISH_QOS0) },
  { fromClient: false, ts: T0 + 0.4, bytes: F.SUBACK_V311 },
  { fromClient: true, ts: T0 + 0.5, bytes: F.PUBLISH_QOS1 },
  { fromClient: false, ts: T0 + 0.6, bytes: F.PUBACK_7 },
  { fromClient: false, ts: T0 + 0.7, bytes: F.PUBLISH_QOS2 },
  { fromClient: true, ts: T0 + 0.8, bytes: F.PUBREC_9 },
  { fromClient: false, ts: T0 + 0.9, bytes: F.PUBREL_9 },
  { fromClient: true, ts: T0 + 1.0, bytes: F.PUBCOMP_9 },
  { fromClient: true, ts: T0 + 1.1, bytes: F.UNSUBSCRIBE_V311 },
  { fromClient: false, ts: T0 + 1.2, bytes: F.UNSUBACK_V311 },
  { fromClient: true, ts: T0 + 1.3, bytes: F.concat(F.PINGREQ, F.DISCONNECT) },
];

/** The 5.0 session: CONNECT, SUBSCRIBE with options, a PUBLISH that sets a Topic Alias and one that uses it, UNSUBSCRIBE. */
export const V5_SESSION: readonly Segment[] = [
  { fromClient: true, ts: T0 + 0.1, bytes: F.CONNECT_V5 },
  { fromClient: false, ts: T0 + 0.2, bytes: F.CONNACK_V5_OK },
  { fromClient: true, ts: T0 + 0.3, bytes: F.SUBSCRIBE_V5 },
  { fromClient: false, ts: T0 + 0.4, bytes: F.SUBACK_V5 },
  { fromClient: true, ts: T0 + 0.5, bytes: F.PUBLISH_V5_ALIAS_SET },
  { fromClient: false, ts: T0 + 0.6, bytes: F.PUBACK_V5_7 },
  { fromClient: true, ts: T0 + 0.7, bytes: F.PUBLISH_V5_ALIAS_USE },
  { fromClient: true, ts: T0 + 1.1, bytes: F.UNSUBSCRIBE_V5 },
  { fromClient: false, ts: T0 + 1.2, bytes: F.UNSUBACK_V5 },
  { fromClient: true, ts: T0 + 1.3, bytes: F.DISCONNECT },
];
