import type { SessionClose } from '../modbus/session.js';
import type { FrameBuilder } from '../net/frame-builder.js';
import type { SimHost } from '../net/host.js';
import { CLIENT, SERVER, TcpConnection, type TcpSide } from '../net/tcp-connection.js';
import type { Prng } from '../random.js';
import type { Actor } from '../scheduler.js';
import { MQTT_PORT, MQTT_V311, MQTT_V5, type MqttVersion } from './constants.js';
import {
  encodeConnack,
  encodeConnect,
  encodeDisconnect,
  encodePingreq,
  encodePingresp,
  encodePuback,
  encodePublish,
  encodeSuback,
  encodeSubscribe,
  type MqttMessage,
  type MqttSubscription,
  newMqttMessage,
} from './packets.js';
import { MqttWriter } from './writer.js';

/** What an MQTT client publishes, and when. */
export interface MqttPublishScript {
  /**
   * Time of the next publish, seconds since the epoch, normally after `afterTs` (the client's last
   * packet); a time already past is published at once. `Infinity` when there is nothing more to
   * publish. Called once per publish slot.
   */
  nextPublishTs(afterTs: number): number;
  /**
   * Fill `msg` (reused between calls) with the message published at `ts`: topic, payload view, QoS,
   * retain, v5 properties. The payload must stay unchanged until the call returns to the session.
   * @returns false to publish nothing in this slot.
   */
  fill(ts: number, msg: MqttMessage): boolean;
}

/** Sees every MQTT control packet a session puts on the wire (ground truth, tests). */
export interface MqttPacketObserver {
  /**
   * @param frame      1-based number of the frame that carried the packet's last byte (`frame.number`).
   * @param packet     the whole control packet; valid only during the call.
   * @param fromClient true for client → broker.
   */
  packet(frame: number, ts: number, packet: Uint8Array, fromClient: boolean): void;
}

/** Behaviour and timing of an `MqttSession`. */
export interface MqttSessionOptions {
  /** When the client sends its SYN, seconds since the epoch. */
  connectTs: number;
  /** Client TCP port. */
  clientPort: number;
  /** Broker TCP port; default 1883. */
  serverPort?: number;
  /** Protocol Level: 4 (MQTT 3.1.1, default) or 5 (MQTT 5.0). */
  version?: MqttVersion;
  /** Client Identifier of the CONNECT. */
  clientId: string;
  /** Keep Alive, seconds (default 60); a PINGREQ goes out when the client sent nothing for this long; 0 = never. */
  keepAliveSec?: number;
  /** Clean Session / Clean Start; default true. */
  clean?: boolean;
  username?: string | null;
  password?: Uint8Array | null;
  /** v5 Session Expiry Interval the client asks for, seconds (omitted when undefined). */
  sessionExpirySec?: number;
  /** Topic filters subscribed right after the CONNACK (none by default); the broker grants each. */
  subscriptions?: readonly MqttSubscription[];
  /** Gap between handshake segments, seconds. Default 0.0002. */
  turnaroundSec?: number;
  /** Broker reply latency (CONNACK, SUBACK, PUBACK, PINGRESP) drawn uniformly, seconds. Default [0.0003, 0.002]. */
  brokerLatencySec?: readonly [number, number];
  /** Delay between the last publish and the client's DISCONNECT, seconds. Default 0.05. */
  closeDelaySec?: number;
  /** 'fin': DISCONNECT, then FIN exchange (default); 'rst': RST; 'none': stay connected (PINGREQs continue). */
  close?: SessionClose;
  observer?: MqttPacketObserver | null;
}

const SYN = 0;
const SYN_ACK = 1;
const HANDSHAKE_ACK = 2;
const CLIENT_ACTION = 3;
const BROKER_REPLY = 4;
const CLIENT_ACK = 5;
const BROKER_ACK = 6;
const CLIENT_FIN = 7;
const BROKER_FIN = 8;
const LAST_ACK = 9;
const DONE = 10;

/** Client actions. */
const A_CONNECT = 0;
const A_SUBSCRIBE = 1;
const A_PUBLISH = 2;
const A_PING = 3;
const A_CLOSE = 4;

/** Broker replies. */
const R_NONE = 0;
const R_CONNACK = 1;
const R_SUBACK = 2;
const R_PUBACK = 3;
const R_PINGRESP = 4;

/** Gap between the SYN/ACK handshake's last ACK (or the CONNACK) and the client's next packet, seconds. */
const CLIENT_GAP_SEC = 0.0003;

/**
 * One MQTT client–broker association over one TCP connection (MQTT 3.1.1 §4 / 5.0 §4 over
 * RFC 9293), as an `Actor` that emits one frame-producing event per step: handshake; CONNECT and the
 * broker's CONNACK (session not present, accepted; v5 adds Receive Maximum and Topic Alias Maximum);
 * an optional SUBSCRIBE/SUBACK; then the script's publishes — QoS 1 answered by PUBACK with the same
 * Packet Identifier (1, 2, … wrapping to 1, 3.1.1 §2.3.1), QoS 0 by the broker's delayed TCP ACK —
 * with a PINGREQ/PINGRESP whenever the client has sent nothing for Keep Alive seconds
 * (3.1.1 §3.1.2.10); finally DISCONNECT and a FIN exchange, a RST, or nothing. Each side sends a
 * delayed pure ACK (RFC 1122 §4.2.3.2) when it has no packet of its own to send within its
 * delayed-ACK time. Packets are built in one reusable `MqttWriter`.
 */
export class MqttSession implements Actor {
  nextTs: number;
  /** PUBLISH packets sent, PUBACKs received, PINGREQs sent. */
  publishes = 0;
  pubacks = 0;
  pings = 0;
  readonly conn: TcpConnection;
  readonly version: MqttVersion;
  private state = SYN;
  private action = A_CONNECT;
  private reply = R_NONE;
  private packetId = 0;
  private replyId = 0;
  /** Time of the pending publish slot, or NaN when the script must be asked. */
  private pubTs = Number.NaN;
  private lastClientTs: number;
  private pendingActionTs = Infinity;
  private subscribed = false;
  private readonly w = new MqttWriter();
  private readonly msg = newMqttMessage();
  private readonly keepAlive: number;
  private readonly subs: readonly MqttSubscription[];
  private readonly turnaround: number;
  private readonly latMin: number;
  private readonly latMax: number;
  private readonly closeDelay: number;
  private readonly closeMode: SessionClose;
  private readonly observer: MqttPacketObserver | null;

  constructor(
    private readonly fb: FrameBuilder,
    readonly client: SimHost,
    readonly broker: SimHost,
    private readonly script: MqttPublishScript,
    private readonly rng: Prng,
    private readonly opts: MqttSessionOptions,
  ) {
    this.conn = new TcpConnection(fb, client, opts.clientPort, broker, opts.serverPort ?? MQTT_PORT, rng);
    this.version = opts.version ?? MQTT_V311;
    this.nextTs = opts.connectTs;
    this.lastClientTs = opts.connectTs;
    this.keepAlive = opts.keepAliveSec ?? 60;
    this.subs = opts.subscriptions ?? [];
    this.turnaround = opts.turnaroundSec ?? 0.0002;
    const lat = opts.brokerLatencySec ?? [0.0003, 0.002];
    this.latMin = lat[0];
    this.latMax = lat[1];
    this.closeDelay = opts.closeDelaySec ?? 0.05;
    this.closeMode = opts.close ?? 'fin';
    this.observer = opts.observer ?? null;
  }

  step(): void {
    const ts = this.nextTs;
    const conn = this.conn;
    switch (this.state) {
      case SYN:
        conn.syn(ts);
        this.state = SYN_ACK;
        this.nextTs = ts + this.turnaround;
        return;
      case SYN_ACK:
        conn.synAck(ts);
        this.state = HANDSHAKE_ACK;
        this.nextTs = ts + this.turnaround;
        return;
      case HANDSHAKE_ACK:
        conn.ack(CLIENT, ts);
        this.state = CLIENT_ACTION;
        this.action = A_CONNECT;
        this.nextTs = ts + CLIENT_GAP_SEC;
        return;
      case CLIENT_ACTION:
        this.clientAction(ts);
        return;
      case BROKER_REPLY:
        this.brokerReply(ts);
        return;
      case CLIENT_ACK:
        conn.ack(CLIENT, ts);
        this.toClientAction(this.pendingActionTs);
        return;
      case BROKER_ACK:
        conn.ack(SERVER, ts);
        this.toClientAction(this.pendingActionTs);
        return;
      case CLIENT_FIN:
        conn.fin(CLIENT, ts);
        this.state = BROKER_FIN;
        this.nextTs = ts + this.turnaround;
        return;
      case BROKER_FIN:
        conn.fin(SERVER, ts);
        this.state = LAST_ACK;
        this.nextTs = ts + this.turnaround;
        return;
      case LAST_ACK:
        conn.ack(CLIENT, ts);
        this.finish();
        return;
      default:
        this.finish();
    }
  }

  private clientAction(ts: number): void {
    const v = this.version;
    const w = this.w;
    switch (this.action) {
      case A_CONNECT: {
        const o = this.opts;
        this.sendPacket(CLIENT, ts, encodeConnect(w, { version: v, clientId: o.clientId, keepAliveSec: this.keepAlive, clean: o.clean ?? true, username: o.username, password: o.password, sessionExpirySec: o.sessionExpirySec }));
        this.expect(ts, R_CONNACK);
        return;
      }
      case A_SUBSCRIBE:
        this.replyId = this.nextPacketId();
        this.sendPacket(CLIENT, ts, encodeSubscribe(w, v, this.replyId, this.subs));
        this.subscribed = true;
        this.expect(ts, R_SUBACK);
        return;
      case A_PING:
        this.sendPacket(CLIENT, ts, encodePingreq(w));
        this.pings++;
        this.expect(ts, R_PINGRESP);
        return;
      case A_CLOSE:
        if (this.closeMode === 'rst') {
          this.conn.rst(CLIENT, ts);
          this.finish();
          return;
        }
        this.sendPacket(CLIENT, ts, encodeDisconnect(w, v));
        this.state = CLIENT_FIN;
        this.nextTs = ts + 0.00005;
        return;
      default: {
        const msg = this.msg;
        this.pubTs = Number.NaN;
        if (!this.script.fill(ts, msg)) {
          this.planClient(ts, ts);
          return;
        }
        const id = msg.qos > 0 ? this.nextPacketId() : 0;
        this.sendPacket(CLIENT, ts, encodePublish(w, v, msg, id));
        this.publishes++;
        if (msg.qos > 0) {
          this.replyId = id;
          this.expect(ts, R_PUBACK);
          return;
        }
        this.planClient(ts, ts);
      }
    }
  }

  private brokerReply(ts: number): void {
    const w = this.w;
    const v = this.version;
    switch (this.reply) {
      case R_CONNACK:
        this.sendPacket(SERVER, ts, encodeConnack(w, v === MQTT_V5 ? { version: v, sessionPresent: false, receiveMaximum: 100, topicAliasMaximum: 10 } : { version: v, sessionPresent: false }));
        break;
      case R_SUBACK: {
        const codes: number[] = [];
        for (const s of this.subs) codes.push(s.qos > 1 ? 1 : s.qos);
        this.sendPacket(SERVER, ts, encodeSuback(w, v, this.replyId, codes));
        break;
      }
      case R_PUBACK:
        this.sendPacket(SERVER, ts, encodePuback(w, v, this.replyId));
        this.pubacks++;
        break;
      default:
        this.sendPacket(SERVER, ts, encodePingresp(w));
    }
    this.reply = R_NONE;
    this.planClient(ts, Number.NaN);
  }

  /** The broker answers the client's packet sent at `ts` after its latency. */
  private expect(ts: number, reply: number): void {
    this.reply = reply;
    this.state = BROKER_REPLY;
    this.nextTs = ts + this.rng.range(this.latMin, this.latMax);
  }

  /**
   * After a frame at `ts`: the client's next action, preceded by a delayed ACK of the side that owes
   * one (the broker after a client packet sent at `clientTs`, else the client).
   */
  private planClient(ts: number, clientTs: number): void {
    const at = this.nextClientActionTs(ts);
    this.pendingActionTs = at;
    const acker: TcpSide = clientTs === ts ? SERVER : CLIENT;
    const ackAt = ts + (acker === SERVER ? this.broker : this.client).delayedAckSec;
    if (this.conn.owesAck(acker) && ackAt < at) {
      this.state = acker === SERVER ? BROKER_ACK : CLIENT_ACK;
      this.nextTs = ackAt;
      return;
    }
    this.toClientAction(at);
  }

  /** Decide the client's next action after `ts` and return its time (Infinity: none). */
  private nextClientActionTs(ts: number): number {
    if (!this.subscribed && this.subs.length > 0) {
      this.action = A_SUBSCRIBE;
      return ts + CLIENT_GAP_SEC;
    }
    if (Number.isNaN(this.pubTs)) this.pubTs = this.script.nextPublishTs(this.lastClientTs > ts ? this.lastClientTs : ts);
    const pingAt = this.keepAlive > 0 ? this.lastClientTs + this.keepAlive : Infinity;
    if (pingAt < this.pubTs && (this.pubTs < Infinity || this.closeMode === 'none')) {
      this.action = A_PING;
      return pingAt > ts ? pingAt : ts + CLIENT_GAP_SEC;
    }
    if (this.pubTs < Infinity) {
      this.action = A_PUBLISH;
      return this.pubTs > ts ? this.pubTs : ts + CLIENT_GAP_SEC;
    }
    if (this.closeMode === 'none') return Infinity;
    this.action = A_CLOSE;
    return ts + this.closeDelay;
  }

  private toClientAction(at: number): void {
    if (!(at < Infinity)) {
      this.finish();
      return;
    }
    this.state = CLIENT_ACTION;
    this.nextTs = at;
  }

  private sendPacket(side: TcpSide, ts: number, packet: Uint8Array): void {
    this.conn.send(side, ts, packet, 0, packet.length);
    if (side === CLIENT) this.lastClientTs = ts;
    if (this.observer !== null) this.observer.packet(this.fb.frames, ts, packet, side === CLIENT);
  }

  private nextPacketId(): number {
    this.packetId = this.packetId >= 0xffff ? 1 : this.packetId + 1;
    return this.packetId;
  }

  private finish(): void {
    this.state = DONE;
    this.nextTs = Infinity;
  }
}
