import type { LogRecord } from '../../events/record.js';
import { defineStream, type FieldSpec, type StreamSchema } from '../../events/schema.js';

/**
 * The three MQTT log streams of Zeek's base MQTT analyzer (scripts/base/protocols/mqtt/main.zeek:
 * `MQTT::ConnectInfo` → mqtt_connect, `MQTT::SubscribeInfo` → mqtt_subscribe, `MQTT::PublishInfo` →
 * mqtt_publish), field names, order and types as Zeek writes them. Strings copied from the wire are
 * log-ready text escaped as Zeek escapes raw bytes (../zeek-escape.ts).
 */

const ID_FIELDS: readonly FieldSpec[] = [
  { name: 'ts', type: 'time', doc: 'Seconds since the epoch (see the stream for which packet).' },
  { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
  { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
  { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
  { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
  { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
];

/** `mqtt_connect`: one record per CONNACK, carrying what the connection's CONNECT announced (Zeek ConnectInfo). */
export const MQTT_CONNECT_STREAM: StreamSchema = defineStream({
  name: 'mqtt_connect',
  doc: 'MQTT connection set-ups: the CONNECT fields and the CONNACK verdict, written at the CONNACK (Zeek mqtt_connect.log).',
  fields: [
    ...ID_FIELDS.map((f) => (f.name === 'ts' ? { ...f, doc: 'Time of the first MQTT packet of the connection (Zeek set_session), seconds since the epoch.' } : f)),
    { name: 'proto_name', type: 'string', doc: 'CONNECT Protocol Name: "MQTT" (3.1.1, 5.0) or "MQIsdp" (3.1) (mqtt.protoname).' },
    { name: 'proto_version', type: 'string', doc: 'CONNECT Protocol Level as text: "3.1", "3.1.1", "5.0" or "unknown-version-N" (mqtt.ver).' },
    { name: 'client_id', type: 'string', doc: 'CONNECT Client Identifier (mqtt.clientid).' },
    { name: 'connect_status', type: 'string', doc: 'CONNACK return code as text (3.1.1 §3.2.2.3; other codes "unknown-return-code-N") (mqtt.conack.val).' },
    { name: 'will_topic', type: 'string', doc: 'Will Topic of the CONNECT, when its Will flag is set (mqtt.willtopic).' },
    { name: 'will_payload', type: 'string', doc: 'Will Message of the CONNECT (mqtt.willmsg).' },
  ],
});

/** `mqtt_subscribe`: one record per SUBSCRIBE or UNSUBSCRIBE, written at its acknowledgement or when it expires (Zeek SubscribeInfo). */
export const MQTT_SUBSCRIBE_STREAM: StreamSchema = defineStream({
  name: 'mqtt_subscribe',
  doc: 'MQTT subscriptions and unsubscriptions with the server\'s answer (Zeek mqtt_subscribe.log).',
  fields: [
    ...ID_FIELDS.map((f) => (f.name === 'ts' ? { ...f, doc: 'Time of the SUBSCRIBE / UNSUBSCRIBE packet, seconds since the epoch.' } : f)),
    { name: 'action', type: 'enum', doc: '"MQTT::SUBSCRIBE" or "MQTT::UNSUBSCRIBE".' },
    { name: 'topics', type: 'vector[string]', doc: 'Topic Filters of the request (mqtt.topic), at most limits.maxVectorLength.' },
    { name: 'qos_levels', type: 'vector[count]', doc: 'Requested QoS per filter (SUBSCRIBE only; v5: low two bits of the options) (mqtt.sub.qos).' },
    { name: 'granted_qos_level', type: 'count', doc: 'First return / reason code of the SUBACK (mqtt.suback.qos).' },
    { name: 'ack', type: 'bool', doc: 'T when the SUBACK / UNSUBACK was seen.' },
  ],
});

/** `mqtt_publish`: one record per PUBLISH, written when its QoS exchange completes or expires (Zeek PublishInfo). */
export const MQTT_PUBLISH_STREAM: StreamSchema = defineStream({
  name: 'mqtt_publish',
  doc: 'MQTT application messages with a capped payload excerpt (Zeek mqtt_publish.log).',
  fields: [
    ...ID_FIELDS.map((f) => (f.name === 'ts' ? { ...f, doc: 'Time of the PUBLISH packet, seconds since the epoch.' } : f)),
    { name: 'from_client', type: 'bool', doc: 'T when the originator of the connection sent the PUBLISH.' },
    { name: 'retain', type: 'bool', doc: 'RETAIN flag of the fixed header (mqtt.retain).' },
    { name: 'qos', type: 'string', doc: 'QoS as text: "at most once", "at least once", "exactly once" (mqtt.qos).' },
    { name: 'status', type: 'string', doc: '"ok" when the QoS exchange was seen whole (QoS 0 always), else "incomplete_qos".' },
    { name: 'topic', type: 'string', doc: 'Topic Name (mqtt.topic); v5: the topic a Topic Alias stands for when the name is empty.' },
    { name: 'payload', type: 'string', doc: 'First MQTT_MAX_PAYLOAD_BYTES (100) bytes of the payload (Zeek MQTT::max_payload_size) (mqtt.msg).' },
    { name: 'payload_len', type: 'count', doc: 'Bytes of the whole payload.' },
  ],
});

/** Per-flow constants every record repeats. */
export interface MqttFlowIds {
  readonly uid: string;
  readonly origH: string;
  readonly origP: number;
  readonly respH: string;
  readonly respP: number;
}

/** What a connection's CONNECT contributed so far (Zeek's `c$mqtt`); fields stay null until a CONNECT sets them. */
export interface ConnectState {
  ts: number;
  protoName: string | null;
  protoVersion: string | null;
  clientId: string | null;
  willTopic: string | null;
  willPayload: string | null;
}

/** The `mqtt_connect` record of `c` with the CONNACK's status text. */
export function connectRecord(f: MqttFlowIds, c: ConnectState, status: string): LogRecord {
  return {
    ts: c.ts,
    uid: f.uid,
    'id.orig_h': f.origH,
    'id.orig_p': f.origP,
    'id.resp_h': f.respH,
    'id.resp_p': f.respP,
    proto_name: c.protoName,
    proto_version: c.protoVersion,
    client_id: c.clientId,
    connect_status: status,
    will_topic: c.willTopic,
    will_payload: c.willPayload,
  };
}

/** One SUBSCRIBE / UNSUBSCRIBE waiting for its acknowledgement. */
export interface PendingSubscribe {
  ts: number;
  subscribe: boolean;
  topics: string[];
  /** null for UNSUBSCRIBE. */
  qos: number[] | null;
  /** null until a SUBACK grants (never for UNSUBSCRIBE). */
  granted: number | null;
  ack: boolean;
}

/** The `mqtt_subscribe` record of `s`. */
export function subscribeRecord(f: MqttFlowIds, s: PendingSubscribe): LogRecord {
  return {
    ts: s.ts,
    uid: f.uid,
    'id.orig_h': f.origH,
    'id.orig_p': f.origP,
    'id.resp_h': f.respH,
    'id.resp_p': f.respP,
    action: s.subscribe ? 'MQTT::SUBSCRIBE' : 'MQTT::UNSUBSCRIBE',
    topics: s.topics,
    qos_levels: s.qos,
    granted_qos_level: s.granted,
    ack: s.ack,
  };
}

/** One PUBLISH, with Zeek's QoS exchange flags (`ack`, `rec`, `rel`, `comp`), until it is logged. */
export interface PendingPublish {
  ts: number;
  fromClient: boolean;
  retain: boolean;
  /** QoS level 0–3 as sent. */
  qos: number;
  status: 'ok' | 'incomplete_qos';
  topic: string;
  payload: string;
  payloadLen: number;
  ack: boolean;
  rec: boolean;
  rel: boolean;
  comp: boolean;
}

/** The `mqtt_publish` record of `p`; `qosText` is names.ts qosName(p.qos). */
export function publishRecord(f: MqttFlowIds, p: PendingPublish, qosText: string): LogRecord {
  return {
    ts: p.ts,
    uid: f.uid,
    'id.orig_h': f.origH,
    'id.orig_p': f.origP,
    'id.resp_h': f.respH,
    'id.resp_p': f.respP,
    from_client: p.fromClient,
    retain: p.retain,
    qos: qosText,
    status: p.status,
    topic: p.topic,
    payload: p.payload,
    payload_len: p.payloadLen,
  };
}
