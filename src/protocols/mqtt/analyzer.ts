import type { FlowContext, StreamAnalyzer } from '../../session/analyzer.js';
import { zeekEscape } from '../zeek-escape.js';
import {
  connackCode,
  flagsValid,
  HEADER_INCOMPLETE,
  HEADER_MALFORMED,
  LEVEL_V5,
  MAX_FIXED_HEADER_BYTES,
  newFixedHeader,
  newPublishFields,
  PacketType,
  packetId,
  parseConnect,
  parsePublish,
  parseSubscribe,
  readFixedHeader,
  subackFirstCode,
  type FixedHeader,
  type GrammarAnomaly,
} from './grammar.js';
import { connectRecord, MQTT_CONNECT_STREAM, type ConnectState, type MqttFlowIds, type PendingPublish } from './log.js';
import { returnCodeName, versionName } from './names.js';
import { MqttPairing, type PublishAck } from './pairing.js';
import { framedPackets, probeMqtt } from './probe.js';
import { MAX_ALIAS_TOPIC_UNITS_PER_DIRECTION, TopicBudget, topicUnits } from './topic-budget.js';

/** Payload bytes kept in `mqtt_publish.payload` (Zeek `MQTT::max_payload_size`, default 100). */
export const MQTT_MAX_PAYLOAD_BYTES = 100;

/** Violations tolerated before the first valid packet; the next one stops the analyzer (fatal). */
export const MAX_UNCONFIRMED_VIOLATIONS = 3;

/** Smallest packet-joining buffer, bytes, whatever limits.maxAnalyzerBufferBytes says (a fixed header and a short topic). */
const MIN_BUFFER_BYTES = 256;

/** A joining buffer larger than this many bytes is released once its packet is parsed. */
export const BUFFER_KEEP_BYTES = 4096;

/** Decoder of printable ASCII (the windows-1252 / latin1 label maps 0x20–0x7E to themselves). */
const latin1 = new TextDecoder('latin1');

/** Topic bytes whose escaped text is cached per direction (repeated telemetry topics are escaped once). */
const TOPIC_CACHE_BYTES = 256;

/** Anomaly names of the stream layer (besides the grammar's). */
export type StreamAnomaly =
  /** Weird: fixed-header flags other than those 3.1.1 §2.2.2 / 5.0 §2.1.3 fix; the packet is parsed anyway. */
  | 'mqtt.invalid_flags'
  /** Weird: PUBLISH with QoS 3 (3.1.1 §3.3.1.2 forbids it); logged as "unknown-qos-level-3". */
  | 'mqtt.invalid_qos'
  /**
   * Weird: a packet longer than limits.maxAnalyzerBufferBytes spans segments: a PUBLISH is logged from
   * the bytes kept (payload_len stays exact), any other such packet is skipped unparsed.
   */
  | 'mqtt.buffer_limit'
  /** Weird: a partly received packet was dropped at a gap or at the end of the flow. */
  | 'mqtt.partial_packet_discarded'
  /** Weird: a pending-table bound (limits.maxPendingRequests) forced an early write. */
  | 'mqtt.pending_limit'
  /**
   * Weird: a bound on held topic text (topic-budget.ts: per flow, per alias table, per run) was reached: a
   * pending request was written early, topics of a SUBSCRIBE / UNSUBSCRIBE were not kept (the detail counts
   * them) or a Topic Alias was not remembered.
   */
  | 'mqtt.topic_budget_exhausted'
  /** Fatal: too many violations before any valid packet; the analyzer detaches. */
  | 'mqtt.too_many_violations';

/** Parse state of one direction of the byte stream. */
class Direction {
  /** Bytes of a packet begun in an earlier chunk; grown as its bytes arrive (never sized from the declared length alone), up to the analyzer's bound. */
  buf: Uint8Array | null = null;
  carryLen = 0;
  /** Bytes of the packet being joined that are kept (its whole length, or the bound for an oversized one); 0 while its fixed header is incomplete. */
  need = 0;
  /** Whole length of the packet being joined (fixed header included). */
  total = 0;
  /** Its fixed header. */
  readonly header: FixedHeader = newFixedHeader();
  /** Bytes of an oversized packet still to pass unparsed. */
  skip = 0;
  /** Framing lost (violation or gap): the next chunk must start a packet. */
  lost = false;
  /** v5 Topic Alias → topic text (5.0 §3.3.2.3.4: aliases are per direction). */
  aliases: Map<number, string> | null = null;
  /** Topic units (topic-budget.ts) the alias table holds, at most MAX_ALIAS_TOPIC_UNITS_PER_DIRECTION. */
  aliasUnits = 0;
  /** The last topic's bytes and text (TOPIC_CACHE_BYTES at most). */
  topicBytes: Uint8Array | null = null;
  topicLen = -1;
  topicText = '';

  constructor(readonly isOrig: boolean) {}

  /**
   * The buffer with room for `n` bytes, the bytes held kept: grown to twice its size (at least 64 bytes) as
   * bytes arrive, never past `limit` (the bytes the packet being joined may keep) unless `n` asks for more.
   */
  reserve(n: number, limit: number): Uint8Array {
    const old = this.buf;
    if (old !== null && old.length >= n) return old;
    let size = old === null ? 64 : old.length * 2;
    if (size > limit) size = limit;
    if (size < n) size = n;
    const grown = new Uint8Array(size);
    if (old !== null && this.carryLen > 0) grown.set(old.subarray(0, this.carryLen));
    this.buf = grown;
    return grown;
  }

  /** Release a buffer grown past BUFFER_KEEP_BYTES once nothing is held in it. */
  release(): void {
    if (this.buf !== null && this.buf.length > BUFFER_KEEP_BYTES) this.buf = null;
  }

  reset(): void {
    this.carryLen = 0;
    this.need = 0;
    this.total = 0;
  }
}

/**
 * MQTT stream analyzer of one flow (OASIS MQTT 3.1.1 and 5.0 over TCP), writing Zeek's `mqtt_connect`,
 * `mqtt_subscribe` and `mqtt_publish` records (log.ts, pairing.ts).
 *
 * - Framing: packets are cut by the fixed header's Remaining Length; many packets per chunk and one
 *   packet over many chunks (even byte by byte) both work. A packet spanning chunks is joined in a
 *   buffer of at most limits.maxAnalyzerBufferBytes; a longer one keeps that many bytes: a PUBLISH is
 *   logged from them (payload_len still exact; weird `mqtt.buffer_limit` when its 100-byte excerpt was
 *   not all kept), any other such packet is skipped with weird `mqtt.buffer_limit`.
 * - Version: the CONNECT's Protocol Level decides whether v5 property blocks are parsed; a flow picked
 *   up without its CONNECT is read as 3.1.1 (Zeek reads every flow so).
 * - Connect record: created at the first packet of types CONNECT..UNSUBACK (its ts, Zeek set_session),
 *   filled by the CONNECT, written at each CONNACK.
 * - Confirmation: the first packet that parses calls `confirm('mqtt')`.
 * - Violations (`mqtt.malformed_*`, `mqtt.invalid_*`) skip the packet; a Remaining Length of more than
 *   four bytes loses framing. Before confirmation the fourth violation is fatal (`mqtt.too_many_violations`).
 * - Resynchronisation after a gap or lost framing: a later chunk is taken up when it starts with a sane
 *   CONNECT or frames as MQTT packets (probe.ts framedPackets); chunks before it are dropped.
 * - Held topic text (pending request topics, Topic Alias tables) is bounded per flow, per direction and
 *   per run (topic-budget.ts; weird `mqtt.topic_budget_exhausted`).
 */
export class MqttAnalyzer implements StreamAnalyzer {
  private readonly orig = new Direction(true);
  private readonly resp = new Direction(false);
  private readonly flow: MqttFlowIds;
  private readonly pairing: MqttPairing;
  private readonly cap: number;
  private readonly maxString: number;
  private readonly maxVector: number;
  private readonly header: FixedHeader = newFixedHeader();
  private readonly publishFields = newPublishFields();
  private session: ConnectState | null = null;
  private v5 = false;
  private confirmed = false;
  private violations = 0;
  private stopped = false;

  /**
   * @param ctx the flow this analyzer is attached to (session layer)
   * @param budget the run's bound on held topic text, shared by the run's MQTT analyzers (index.ts); a flow
   *   of its own when absent
   */
  constructor(
    private readonly ctx: FlowContext,
    private readonly budget: TopicBudget = new TopicBudget(),
  ) {
    const id = ctx.id;
    this.flow = { uid: ctx.uid, origH: id.orig_h, origP: id.orig_p, respH: id.resp_h, respP: id.resp_p };
    this.cap = Math.max(ctx.limits.maxAnalyzerBufferBytes, MIN_BUFFER_BYTES);
    this.maxString = ctx.limits.maxStringLength;
    this.maxVector = ctx.limits.maxVectorLength;
    this.pairing = new MqttPairing(
      this.flow,
      ctx.limits.maxPendingRequests,
      (stream, record) => ctx.emit(stream, record),
      (table, ts) => this.weird('mqtt.pending_limit', ts, `${table} table full (${ctx.limits.maxPendingRequests}); oldest written early`),
      budget,
      (ts) => this.weird('mqtt.topic_budget_exhausted', ts, 'pending SUBSCRIBE / UNSUBSCRIBE topics over the bound; oldest written early'),
    );
  }

  /** True once a fatal anomaly stopped the analyzer. */
  get done(): boolean {
    return this.stopped;
  }

  /** Topic units (topic-budget.ts) this flow holds: pending SUBSCRIBE / UNSUBSCRIBE topics and both Topic Alias tables. */
  get heldTopicUnits(): number {
    return this.pairing.heldTopicUnits + this.orig.aliasUnits + this.resp.aliasUnits;
  }

  /** Bytes allocated for joining packets across chunks, both directions together (0 when none is held). */
  get bufferedBytes(): number {
    return (this.orig.buf === null ? 0 : this.orig.buf.length) + (this.resp.buf === null ? 0 : this.resp.buf.length);
  }

  /** In-order bytes of one direction (a view valid during the call). @param ts seconds */
  deliver(isOrig: boolean, data: Uint8Array, ts: number): void {
    if (this.stopped) return;
    const d = isOrig ? this.orig : this.resp;
    const end = data.length;
    this.pairing.expire(ts);
    let off = 0;
    if (d.skip > 0) {
      off = Math.min(d.skip, end);
      d.skip -= off;
    }
    if (off < end && d.lost) {
      if (!startsPacket(data, off, end)) return;
      d.lost = false;
    }
    if (off < end && d.carryLen > 0) off = this.continueCarry(d, data, off, ts);
    while (off < end && !this.stopped) off = this.step(d, data, off, end, ts);
  }

  /** `len` bytes of one direction were lost: a partial packet is dropped and framing is searched anew. */
  gap(isOrig: boolean, len: number, ts: number): void {
    if (this.stopped) return;
    const d = isOrig ? this.orig : this.resp;
    if (d.skip > 0 && d.carryLen === 0) {
      if (len <= d.skip) {
        d.skip -= len;
        return;
      }
      d.skip = 0;
    }
    if (d.carryLen > 0) this.weird('mqtt.partial_packet_discarded', ts, `${d.carryLen} bytes before a ${len}-byte gap`);
    d.reset();
    d.release();
    d.lost = true;
  }

  /** End of the flow: a partial packet is reported and pending exchanges are written as they stand. */
  end(ts: number): void {
    for (const d of [this.orig, this.resp]) {
      if (d.carryLen > 0) this.weird('mqtt.partial_packet_discarded', ts, `${d.carryLen} bytes at the end of the flow`);
      d.reset();
      this.budget.give(d.aliasUnits);
      d.aliasUnits = 0;
      d.aliases = null;
    }
    this.pairing.finish();
  }

  /** One packet at `off`; returns the offset after what was consumed or kept. */
  private step(d: Direction, data: Uint8Array, off: number, end: number, ts: number): number {
    const h = this.header;
    const r = readFixedHeader(data, off, end, h);
    if (r === HEADER_INCOMPLETE) {
      d.reserve(MAX_FIXED_HEADER_BYTES, this.cap).set(data.subarray(off, end), 0);
      d.carryLen = end - off;
      return end;
    }
    if (r === HEADER_MALFORMED) {
      this.lose(d, ts);
      return end;
    }
    const total = h.headerLen + h.remLen;
    if (total <= end - off) {
      this.packet(d, data, off, off + total, h, ts);
      return off + total;
    }
    if (total > this.cap && end - off >= this.cap) {
      this.packet(d, data, off, end, h, ts);
      d.skip = total - (end - off);
      return end;
    }
    const need = Math.min(total, this.cap);
    d.reserve(end - off, need).set(data.subarray(off, end), 0);
    d.carryLen = end - off;
    d.need = need;
    d.total = total;
    copyHeader(h, d.header);
    return end;
  }

  /** Add the chunk's first bytes to the packet held in the direction's buffer; returns the chunk offset after them. */
  private continueCarry(d: Direction, data: Uint8Array, off: number, ts: number): number {
    const end = data.length;
    if (d.need === 0) {
      let k = Math.min(MAX_FIXED_HEADER_BYTES - d.carryLen, end - off);
      const buf = d.reserve(MAX_FIXED_HEADER_BYTES, this.cap);
      buf.set(data.subarray(off, off + k), d.carryLen);
      d.carryLen += k;
      const r = readFixedHeader(buf, 0, d.carryLen, d.header);
      if (r === HEADER_INCOMPLETE) return end;
      if (r === HEADER_MALFORMED) {
        d.reset();
        this.lose(d, ts);
        return end;
      }
      d.total = d.header.headerLen + d.header.remLen;
      d.need = Math.min(d.total, this.cap);
      if (d.carryLen > d.need) {
        k -= d.carryLen - d.need;
        d.carryLen = d.need;
      }
      off += k;
    }
    const take = Math.min(d.need - d.carryLen, end - off);
    const buf = d.reserve(d.carryLen + take, d.need);
    buf.set(data.subarray(off, off + take), d.carryLen);
    d.carryLen += take;
    off += take;
    if (d.carryLen < d.need) return end;
    const kept = d.carryLen;
    const skip = d.total - kept;
    d.reset();
    d.release();
    this.packet(d, buf, 0, kept, d.header, ts);
    if (skip > 0) {
      const n = Math.min(skip, end - off);
      d.skip = skip - n;
      off += n;
    }
    return off;
  }

  /**
   * One packet `b[start, avail)` with fixed header `h`; `avail` is short of the packet's end only for an
   * oversized packet (the bytes kept of it).
   */
  private packet(d: Direction, b: Uint8Array, start: number, avail: number, h: FixedHeader, ts: number): void {
    const type = h.type;
    const body = start + h.headerLen;
    const bodyEnd = body + h.remLen;
    if (type === 0 || (type === PacketType.AUTH && !this.v5)) {
      this.violation('mqtt.invalid_packet_type', `packet type ${type}`, ts);
      return;
    }
    if (!flagsValid(type, h.flags)) {
      if (type === PacketType.PUBLISH) this.weird('mqtt.invalid_qos', ts, 'PUBLISH with QoS 3');
      else this.weird('mqtt.invalid_flags', ts, `packet type ${type} with flags 0x${h.flags.toString(16)}`);
    }
    if (avail < bodyEnd && type !== PacketType.PUBLISH) {
      this.weird('mqtt.buffer_limit', ts, `packet type ${type} of ${h.headerLen + h.remLen} bytes skipped, limit ${this.cap}`);
      return;
    }
    let bad: GrammarAnomaly | null = null;
    switch (type) {
      case PacketType.CONNECT:
        bad = this.connect(b, body, bodyEnd, ts);
        break;
      case PacketType.CONNACK: {
        const code = connackCode(b, body, bodyEnd);
        if (code < 0) bad = 'mqtt.malformed_connack';
        else this.ctx.emit(MQTT_CONNECT_STREAM.name, connectRecord(this.flow, this.sessionAt(ts), returnCodeName(code)));
        break;
      }
      case PacketType.PUBLISH:
        bad = this.publish(d, b, body, avail, h, ts);
        break;
      case PacketType.PUBACK:
      case PacketType.PUBREC:
      case PacketType.PUBREL:
      case PacketType.PUBCOMP: {
        const id = packetId(b, body, bodyEnd);
        if (id < 0) bad = 'mqtt.malformed_ack';
        else {
          this.sessionAt(ts);
          this.pairing.publishAck(ackKind(type), id);
        }
        break;
      }
      case PacketType.SUBSCRIBE:
      case PacketType.UNSUBSCRIBE:
        bad = this.subscribe(b, body, bodyEnd, type === PacketType.SUBSCRIBE, ts);
        break;
      case PacketType.SUBACK: {
        const id = packetId(b, body, bodyEnd);
        const code = id < 0 ? -1 : subackFirstCode(b, body, bodyEnd, this.v5);
        if (code < 0) bad = 'mqtt.malformed_suback';
        else {
          this.sessionAt(ts);
          this.pairing.subscribeAck(id, code);
        }
        break;
      }
      case PacketType.UNSUBACK: {
        const id = packetId(b, body, bodyEnd);
        if (id < 0) bad = 'mqtt.malformed_ack';
        else {
          this.sessionAt(ts);
          this.pairing.subscribeAck(id, -1);
        }
        break;
      }
      default:
        break;
    }
    if (bad !== null) {
      this.violation(bad, `packet type ${type}, ${h.remLen} bytes`, ts);
      return;
    }
    if (!this.confirmed) {
      this.confirmed = true;
      this.ctx.confirm('mqtt');
    }
  }

  private connect(b: Uint8Array, body: number, bodyEnd: number, ts: number): GrammarAnomaly | null {
    const f = parseConnect(b, body, bodyEnd);
    if (typeof f === 'string') return f;
    const s = this.sessionAt(ts);
    this.v5 = f.level === LEVEL_V5;
    s.protoName = this.text(b, f.nameStart, f.nameEnd);
    s.protoVersion = versionName(f.level);
    s.clientId = this.text(b, f.clientStart, f.clientEnd);
    if (f.willTopicStart >= 0) {
      s.willTopic = this.text(b, f.willTopicStart, f.willTopicEnd);
      s.willPayload = this.text(b, f.willMsgStart, f.willMsgEnd);
    }
    return null;
  }

  private publish(d: Direction, b: Uint8Array, body: number, avail: number, h: FixedHeader, ts: number): GrammarAnomaly | null {
    const qos = (h.flags >> 1) & 0x03;
    const f = this.publishFields;
    const bad = parsePublish(b, body, avail, h.remLen, qos, this.v5, f);
    if (bad !== null) return bad;
    this.sessionAt(ts);
    let topic = this.topic(d, b, f.topicStart, f.topicEnd);
    if (f.topicAlias > 0) topic = this.alias(d, f.topicAlias, topic, ts);
    let n = Math.min(f.payloadLen, MQTT_MAX_PAYLOAD_BYTES);
    if (f.payloadStart + n > avail) {
      n = avail - f.payloadStart;
      this.weird('mqtt.buffer_limit', ts, `PUBLISH of ${h.headerLen + h.remLen} bytes: payload excerpt cut at ${n} bytes, limit ${this.cap}`);
    }
    const p: PendingPublish = {
      ts,
      fromClient: d.isOrig,
      retain: (h.flags & 0x01) !== 0,
      qos,
      status: qos === 0 ? 'ok' : 'incomplete_qos',
      topic,
      payload: this.text(b, f.payloadStart, f.payloadStart + n),
      payloadLen: f.payloadLen,
      ack: false,
      rec: false,
      rel: false,
      comp: false,
    };
    this.pairing.publish(p, f.msgId);
    return null;
  }

  private subscribe(b: Uint8Array, body: number, bodyEnd: number, isSubscribe: boolean, ts: number): GrammarAnomaly | null {
    const f = parseSubscribe(b, body, bodyEnd, isSubscribe, this.v5, this.maxVector);
    if (typeof f === 'string') return f;
    this.sessionAt(ts);
    const topics: string[] = [];
    const n = f.topics.length >> 1;
    for (let i = 0; i < n; i++) {
      const t = this.text(b, f.topics[2 * i], f.topics[2 * i + 1]);
      if (!this.pairing.holdTopic(topicUnits(t), ts)) break;
      topics.push(t);
    }
    let qos = isSubscribe ? f.qos : null;
    if (topics.length < n) {
      this.weird('mqtt.topic_budget_exhausted', ts, `${isSubscribe ? '' : 'UN'}SUBSCRIBE ${f.msgId}: ${n - topics.length} of ${n} topics not kept`);
      if (qos !== null && qos.length > topics.length) qos = qos.slice(0, topics.length);
    }
    this.pairing.subscribe({ ts, subscribe: isSubscribe, topics, qos, granted: null, ack: false }, f.msgId);
    return null;
  }

  /** Zeek's set_session: the connection's connect state, created at the first packet that calls it. */
  private sessionAt(ts: number): ConnectState {
    let s = this.session;
    if (s === null) s = this.session = { ts, protoName: null, protoVersion: null, clientId: null, willTopic: null, willPayload: null };
    return s;
  }

  /** Topic Name text, from the direction's one-topic cache when the bytes repeat. */
  private topic(d: Direction, b: Uint8Array, s: number, e: number): string {
    const len = e - s;
    const cached = d.topicBytes;
    if (cached !== null && len === d.topicLen) {
      let same = true;
      for (let i = 0; i < len; i++) {
        if (cached[i] !== b[s + i]) {
          same = false;
          break;
        }
      }
      if (same) return d.topicText;
    }
    const text = this.text(b, s, e);
    if (len <= TOPIC_CACHE_BYTES) {
      const c = cached ?? (d.topicBytes = new Uint8Array(TOPIC_CACHE_BYTES));
      c.set(b.subarray(s, e), 0);
      d.topicLen = len;
      d.topicText = text;
    }
    return text;
  }

  /**
   * v5 Topic Alias: remember the topic a non-empty name sets, or recall it for an empty name. At most
   * maxPendingRequests aliases and MAX_ALIAS_TOPIC_UNITS_PER_DIRECTION units per direction, within the run's
   * budget; an alias set past those bounds forgets what it stood for (weird `mqtt.topic_budget_exhausted`).
   */
  private alias(d: Direction, alias: number, topic: string, ts: number): string {
    const m = d.aliases ?? (d.aliases = new Map());
    if (topic === '') return m.get(alias) ?? topic;
    const old = m.get(alias);
    if (old === topic) return topic;
    if (old !== undefined) {
      m.delete(alias);
      d.aliasUnits -= topicUnits(old);
      this.budget.give(topicUnits(old));
    } else if (m.size >= this.ctx.limits.maxPendingRequests) return topic;
    const units = topicUnits(topic);
    if (d.aliasUnits + units > MAX_ALIAS_TOPIC_UNITS_PER_DIRECTION || !this.budget.take(units)) {
      this.weird('mqtt.topic_budget_exhausted', ts, `Topic Alias ${alias} not remembered (${d.aliasUnits} units held)`);
      return topic;
    }
    m.set(alias, topic);
    d.aliasUnits += units;
    return topic;
  }

  /** Log text of `b[s, e)`: printable ASCII without a backslash is taken as is, anything else escaped as Zeek does. */
  private text(b: Uint8Array, s: number, e: number): string {
    if (e - s > this.maxString) return zeekEscape(b, s, e, this.maxString).text;
    for (let i = s; i < e; i++) {
      const c = b[i];
      if (c < 0x20 || c > 0x7e || c === 0x5c) return zeekEscape(b, s, e, this.maxString).text;
    }
    return latin1.decode(b.subarray(s, e));
  }

  private lose(d: Direction, ts: number): void {
    this.violation('mqtt.invalid_remaining_length', 'Remaining Length of more than four bytes', ts);
    d.lost = true;
  }

  private weird(name: StreamAnomaly, ts: number, detail: string): void {
    this.ctx.anomaly(name, 'weird', ts, detail);
  }

  private violation(name: GrammarAnomaly, detail: string, ts: number): void {
    this.ctx.anomaly(name, 'violation', ts, detail);
    this.violations++;
    if (!this.confirmed && this.violations > MAX_UNCONFIRMED_VIOLATIONS) {
      const fatal: StreamAnomaly = 'mqtt.too_many_violations';
      this.ctx.anomaly(fatal, 'fatal', ts, `${this.violations} violations before any valid packet`);
      this.stopped = true;
    }
  }
}

/** Acknowledgement kind of packet type 4–7. */
function ackKind(type: number): PublishAck {
  if (type === PacketType.PUBREC) return 'pubrec';
  if (type === PacketType.PUBREL) return 'pubrel';
  return type === PacketType.PUBCOMP ? 'pubcomp' : 'puback';
}

function copyHeader(from: FixedHeader, to: FixedHeader): void {
  to.type = from.type;
  to.flags = from.flags;
  to.remLen = from.remLen;
  to.headerLen = from.headerLen;
}

/** Can a chunk resume parsing at `off` after framing was lost: a sane CONNECT or bytes that frame as MQTT packets? */
function startsPacket(b: Uint8Array, off: number, end: number): boolean {
  if (b[off] === PacketType.CONNECT << 4) return probeMqtt(b.subarray(off, end), true, false) !== 'no';
  return framedPackets(b, off, end) >= 0;
}
