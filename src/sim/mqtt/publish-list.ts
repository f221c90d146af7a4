import type { MqttMessage } from './packets.js';
import type { MqttPublishScript } from './session.js';

/** One scripted publish. */
export interface MqttScriptedPublish {
  /** When the client publishes, seconds since the epoch (entries in ascending order). */
  ts: number;
  /** Topic Name (3.1.1 §3.3.2.1, 5.0 §3.3.2.1). */
  topic: string;
  /** Application message bytes, sent as they are. */
  payload: Uint8Array;
  qos: 0 | 1;
  retain?: boolean;
  /** v5 Content Type (5.0 §3.3.2.3.9), e.g. "application/json". */
  contentType?: string;
  /** v5 Message Expiry Interval, seconds (5.0 §3.3.2.3.3). */
  messageExpirySec?: number;
  /** v5 Payload Format Indicator 1: the payload is UTF-8 text (5.0 §3.3.2.3.2). */
  utf8Payload?: boolean;
}

/**
 * An `MqttPublishScript` over a fixed list of publishes (a scenario's messages: payload bytes in,
 * PUBLISH packets out). An entry whose time has already passed when its turn comes is sent at once.
 */
export class MqttPublishList implements MqttPublishScript {
  private next = 0;

  constructor(private readonly entries: readonly MqttScriptedPublish[]) {}

  nextPublishTs(_afterTs: number): number {
    return this.next < this.entries.length ? this.entries[this.next].ts : Infinity;
  }

  fill(_ts: number, msg: MqttMessage): boolean {
    const e = this.entries[this.next++];
    if (e === undefined) return false;
    msg.topic = e.topic;
    msg.payload = e.payload;
    msg.payloadOff = 0;
    msg.payloadLen = e.payload.length;
    msg.qos = e.qos;
    msg.retain = e.retain ?? false;
    msg.contentType = e.contentType ?? null;
    msg.messageExpirySec = e.messageExpirySec ?? -1;
    msg.utf8Payload = e.utf8Payload ?? false;
    return true;
  }
}
