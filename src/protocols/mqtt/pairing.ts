import type { LogRecord, StreamName } from '../../events/record.js';
import {
  MQTT_PUBLISH_STREAM,
  MQTT_SUBSCRIBE_STREAM,
  publishRecord,
  subscribeRecord,
  type MqttFlowIds,
  type PendingPublish,
  type PendingSubscribe,
} from './log.js';
import { qosName } from './names.js';
import { MAX_PENDING_TOPIC_UNITS_PER_FLOW, topicUnits, type TopicBudget } from './topic-budget.js';

/**
 * Seconds a PUBLISH (QoS > 0) or a SUBSCRIBE / UNSUBSCRIBE waits for the rest of its exchange before it
 * is logged as it stands (Zeek MQTT::State tables: `&write_expire=5secs` with `publish_expire` /
 * `subscribe_expire` writing the record).
 */
export const MQTT_EXPIRE_SEC = 5;

/** Acknowledgement packets that advance a PUBLISH's QoS exchange (3.1.1 §4.3, 5.0 §4.3). */
export type PublishAck = 'puback' | 'pubrec' | 'pubrel' | 'pubcomp';

/**
 * Per-flow pairing of PUBLISH with PUBACK / PUBREC / PUBREL / PUBCOMP and of SUBSCRIBE / UNSUBSCRIBE with
 * SUBACK / UNSUBACK, as Zeek's scripts/base/protocols/mqtt/main.zeek does it:
 * - one table per kind keyed by Packet Identifier alone, whichever side sent the packet (a new entry
 *   with the same identifier replaces the old one unlogged);
 * - QoS 0: written at once with status "ok"; QoS 1: "ok" and written at the PUBACK; QoS 2: written
 *   "ok" at the PUBCOMP once PUBREC, PUBREL and PUBCOMP were all seen; PUBREC / PUBREL only mark;
 * - SUBACK writes the SUBSCRIBE with the first granted code and `ack` T; UNSUBACK the UNSUBSCRIBE;
 * - entries older than MQTT_EXPIRE_SEC (checked as packets arrive) and those left at the end of the flow
 *   are written as they stand ("incomplete_qos", `ack` F).
 * Each table holds at most `maxPending` entries (limits.maxPendingRequests); beyond it the oldest is
 * written as it stands and `onOverflow` is told. The Topic Filters of pending SUBSCRIBE / UNSUBSCRIBE
 * entries are bounded too (topic-budget.ts): at most MAX_PENDING_TOPIC_UNITS_PER_FLOW units per flow and
 * the run's shared TopicBudget; to make room the oldest pending requests are written early (`onTopicBudget`).
 */
export class MqttPairing {
  private readonly publishes = new Map<number, PendingPublish>();
  private readonly subscribes = new Map<number, PendingSubscribe>();
  /** Topic units held by the pending SUBSCRIBE / UNSUBSCRIBE entries, and by the request being built. */
  private held = 0;
  private building = 0;

  /**
   * @param flow ids every record repeats
   * @param maxPending entries per table (limits.maxPendingRequests)
   * @param emit where records go (the flow context)
   * @param onOverflow called with the table name when an entry is written early to make room
   * @param budget the run's topic-text bound, shared by every MQTT flow
   * @param onTopicBudget called when a pending request is written early to make room for topic text
   */
  constructor(
    private readonly flow: MqttFlowIds,
    private readonly maxPending: number,
    private readonly emit: (stream: StreamName, record: LogRecord) => void,
    private readonly onOverflow: (table: 'publish' | 'subscribe', ts: number) => void,
    private readonly budget: TopicBudget,
    private readonly onTopicBudget: (ts: number) => void,
  ) {}

  /** Topic units the pending SUBSCRIBE / UNSUBSCRIBE entries of this flow hold (the request being built included). */
  get heldTopicUnits(): number {
    return this.held + this.building;
  }

  /**
   * Make room for one more topic (`units` from topicUnits) of the SUBSCRIBE / UNSUBSCRIBE being built, under
   * MAX_PENDING_TOPIC_UNITS_PER_FLOW and the run's budget, writing this flow's oldest pending requests early
   * if need be; false when there is no room even so (the topic is not to be kept).
   */
  holdTopic(units: number, ts: number): boolean {
    for (;;) {
      if (this.held + this.building + units <= MAX_PENDING_TOPIC_UNITS_PER_FLOW && this.budget.take(units)) {
        this.building += units;
        return true;
      }
      const oldest = this.subscribes.entries().next();
      if (oldest.done === true) return false;
      const [id, old] = oldest.value;
      this.subscribes.delete(id);
      this.onTopicBudget(ts);
      this.writeSubscribe(old);
    }
  }

  /** A PUBLISH: written now when its QoS is 0, else kept under its Packet Identifier. */
  publish(p: PendingPublish, msgId: number): void {
    if (p.qos === 0) {
      this.writePublish(p);
      return;
    }
    const table = this.publishes;
    table.delete(msgId);
    if (table.size >= this.maxPending) {
      const [oldId, old] = table.entries().next().value as [number, PendingPublish];
      table.delete(oldId);
      this.onOverflow('publish', p.ts);
      this.writePublish(old);
    }
    table.set(msgId, p);
  }

  /** A PUBACK / PUBREC / PUBREL / PUBCOMP for `msgId` (either direction). */
  publishAck(kind: PublishAck, msgId: number): void {
    const p = this.publishes.get(msgId);
    if (p === undefined) return;
    switch (kind) {
      case 'puback':
        p.ack = true;
        if (p.qos === 1) p.status = 'ok';
        break;
      case 'pubrec':
        p.rec = true;
        return;
      case 'pubrel':
        p.rel = true;
        return;
      case 'pubcomp':
        p.comp = true;
        if (p.qos === 2 && p.rec && p.rel) p.status = 'ok';
        break;
    }
    if (p.status === 'ok') {
      this.publishes.delete(msgId);
      this.writePublish(p);
    }
  }

  /** A SUBSCRIBE or UNSUBSCRIBE, kept under its Packet Identifier until acknowledged; its topics were held with holdTopic. */
  subscribe(s: PendingSubscribe, msgId: number): void {
    const table = this.subscribes;
    const replaced = table.get(msgId);
    if (replaced !== undefined) {
      table.delete(msgId);
      this.release(replaced);
    }
    if (table.size >= this.maxPending) {
      const [oldId, old] = table.entries().next().value as [number, PendingSubscribe];
      table.delete(oldId);
      this.onOverflow('subscribe', s.ts);
      this.writeSubscribe(old);
    }
    table.set(msgId, s);
    this.held += this.building;
    this.building = 0;
  }

  /** A SUBACK (`granted` ≥ 0, its first code) or UNSUBACK (`granted` -1) for `msgId`: the request is written acknowledged. */
  subscribeAck(msgId: number, granted: number): void {
    const s = this.subscribes.get(msgId);
    if (s === undefined) return;
    if (granted >= 0) s.granted = granted;
    s.ack = true;
    this.subscribes.delete(msgId);
    this.writeSubscribe(s);
  }

  /** Write the entries kept since before `now - MQTT_EXPIRE_SEC` as they stand (oldest first). @param now seconds */
  expire(now: number): void {
    const limit = now - MQTT_EXPIRE_SEC;
    if (this.publishes.size > 0) this.expirePublishes(limit);
    if (this.subscribes.size > 0) this.expireSubscribes(limit);
  }

  private expirePublishes(limit: number): void {
    for (const [id, p] of this.publishes) {
      if (p.ts > limit) break;
      this.publishes.delete(id);
      this.writePublish(p);
    }
  }

  private expireSubscribes(limit: number): void {
    for (const [id, s] of this.subscribes) {
      if (s.ts > limit) break;
      this.subscribes.delete(id);
      this.writeSubscribe(s);
    }
  }

  /** End of the flow: write every entry still kept, oldest first. */
  finish(): void {
    for (const p of this.publishes.values()) this.writePublish(p);
    this.publishes.clear();
    for (const s of this.subscribes.values()) this.writeSubscribe(s);
    this.subscribes.clear();
  }

  /** Write a request taken out of the table and give back the topic units it held. */
  private writeSubscribe(s: PendingSubscribe): void {
    this.release(s);
    this.emit(MQTT_SUBSCRIBE_STREAM.name, subscribeRecord(this.flow, s));
  }

  private release(s: PendingSubscribe): void {
    let units = 0;
    for (const t of s.topics) units += topicUnits(t);
    this.held -= units;
    this.budget.give(units);
  }

  private writePublish(p: PendingPublish): void {
    this.emit(MQTT_PUBLISH_STREAM.name, publishRecord(this.flow, p, qosName(p.qos)));
  }
}
