import type { FrameBuilder } from '../net/frame-builder.js';
import type { SimHost } from '../net/host.js';
import { CLIENT, SERVER, TcpConnection } from '../net/tcp-connection.js';
import type { Prng } from '../random.js';
import type { Actor } from '../scheduler.js';
import { MAX_ADU_LEN, MODBUS_TCP_PORT } from './constants.js';
import type { ModbusServer } from './server.js';

/** What a Modbus/TCP client (CMS, HMI, attacker) asks, and when. */
export interface ModbusClientScript {
  /**
   * Time of the next request, seconds since the epoch, strictly after `afterTs` (the time of the
   * client's last frame); `Infinity` when the client has nothing more to ask and closes.
   */
  nextRequestTs(afterTs: number): number;
  /**
   * Write the request ADU with transaction id `tid` at `out[off]` (≥ 260 bytes of room).
   * @returns its length in bytes, or -1 to send nothing for this slot.
   */
  writeRequest(ts: number, tid: number, out: Uint8Array, off: number): number;
}

/** Sees every Modbus ADU a session puts on the wire (for ground truth and tests). */
export interface ModbusAduObserver {
  /**
   * @param frame       1-based number of the frame that carried the ADU's last byte (`frame.number`).
   * @param adu         the ADU bytes at `adu[off, off+len)`; valid only during the call.
   * @param fromClient  true for a request, false for a response.
   */
  adu(frame: number, ts: number, adu: Uint8Array, off: number, len: number, fromClient: boolean): void;
}

/** How a session ends once its script has nothing more to ask. */
export type SessionClose = 'fin' | 'rst' | 'none';

/** Timing and behaviour of a `ModbusTcpSession`. */
export interface ModbusSessionOptions {
  /** When the client sends its SYN, seconds since the epoch. */
  connectTs: number;
  /** Client TCP port. */
  clientPort: number;
  /** Server TCP port; default 502. */
  serverPort?: number;
  /** Gap between SYN and SYN/ACK, and between SYN/ACK and the client's ACK, seconds. Default 0.0002. */
  turnaroundSec?: number;
  /** Server response latency (PLC scan) drawn uniformly per request, seconds. Default [0.002, 0.008]. */
  responseLatencySec?: readonly [number, number];
  /** Transaction id of the first request (then +1 modulo 2^16). Default 1. */
  firstTid?: number;
  /** Delay between the last response and the client's close, seconds. Default 0.05. */
  closeDelaySec?: number;
  /** How the client ends the connection: FIN exchange, RST, or leave it open. Default 'fin'. */
  close?: SessionClose;
  observer?: ModbusAduObserver | null;
}

const SYN = 0;
const SYN_ACK = 1;
const HANDSHAKE_ACK = 2;
const REQUEST = 3;
const RESPONSE = 4;
const CLIENT_ACK = 5;
const CLOSE = 6;
const SERVER_FIN = 7;
const LAST_ACK = 8;
const DONE = 9;

/**
 * One Modbus/TCP client–server association over one TCP connection, as an `Actor` that emits one
 * frame-producing event per step: handshake, then for each scripted request the request segment,
 * the PLC's response (`ModbusServer`, piggybacking the ACK) after a drawn scan latency, and the
 * client's delayed pure ACK when its next request is further away than its delayed-ACK time
 * (RFC 1122 §4.2.3.2); finally a FIN exchange (client FIN, server FIN/ACK, client ACK), a RST, or
 * nothing. Transaction ids count up from `firstTid` (Modbus TCP guide V1.0b §3.1.3).
 * Allocation-free per request: request and response ADUs live in two fixed 260-byte buffers.
 */
export class ModbusTcpSession implements Actor {
  nextTs: number;
  /** Requests sent and responses received so far. */
  requests = 0;
  responses = 0;
  readonly conn: TcpConnection;
  private state = SYN;
  private tid: number;
  private pendingReqTs = Infinity;
  private pendingActionTs = Infinity;
  private reqLen = 0;
  private readonly reqBuf = new Uint8Array(MAX_ADU_LEN);
  private readonly respBuf = new Uint8Array(MAX_ADU_LEN);
  private readonly turnaround: number;
  private readonly latMin: number;
  private readonly latMax: number;
  private readonly closeDelay: number;
  private readonly closeMode: SessionClose;
  private readonly observer: ModbusAduObserver | null;

  constructor(
    private readonly fb: FrameBuilder,
    readonly client: SimHost,
    readonly server: SimHost,
    private readonly plc: ModbusServer,
    private readonly script: ModbusClientScript,
    private readonly rng: Prng,
    opts: ModbusSessionOptions,
  ) {
    this.conn = new TcpConnection(fb, client, opts.clientPort, server, opts.serverPort ?? MODBUS_TCP_PORT, rng);
    this.nextTs = opts.connectTs;
    this.turnaround = opts.turnaroundSec ?? 0.0002;
    const lat = opts.responseLatencySec ?? [0.002, 0.008];
    this.latMin = lat[0];
    this.latMax = lat[1];
    this.tid = (opts.firstTid ?? 1) & 0xffff;
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
        this.planNext(ts);
        return;
      case REQUEST: {
        const len = this.script.writeRequest(ts, this.tid, this.reqBuf, 0);
        if (len <= 0) {
          this.planNext(ts);
          return;
        }
        this.reqLen = len;
        conn.send(CLIENT, ts, this.reqBuf, 0, len);
        this.requests++;
        if (this.observer !== null) this.observer.adu(this.fb.frames, ts, this.reqBuf, 0, len, true);
        this.tid = (this.tid + 1) & 0xffff;
        this.state = RESPONSE;
        this.nextTs = ts + this.rng.range(this.latMin, this.latMax);
        return;
      }
      case RESPONSE: {
        const len = this.plc.handle(ts, this.reqBuf, 0, this.reqLen, this.respBuf, 0);
        if (len > 0) {
          conn.send(SERVER, ts, this.respBuf, 0, len);
          this.responses++;
          if (this.observer !== null) this.observer.adu(this.fb.frames, ts, this.respBuf, 0, len, false);
        } else {
          conn.ack(SERVER, ts);
        }
        this.planNext(ts);
        return;
      }
      case CLIENT_ACK:
        conn.ack(CLIENT, ts);
        this.afterClientAck();
        return;
      case CLOSE:
        if (this.closeMode === 'rst') {
          conn.rst(CLIENT, ts);
          this.finish();
          return;
        }
        conn.fin(CLIENT, ts);
        this.state = SERVER_FIN;
        this.nextTs = ts + this.turnaround;
        return;
      case SERVER_FIN:
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

  /** After the client's last frame at `ts`: the next request, a delayed ACK first, or the close. */
  private planNext(ts: number): void {
    const next = this.script.nextRequestTs(ts);
    this.pendingReqTs = next;
    const clientNext = next < Infinity ? next : this.closeMode === 'none' ? Infinity : ts + this.closeDelay;
    this.pendingActionTs = clientNext;
    const ackAt = ts + this.client.delayedAckSec;
    if (this.conn.owesAck(CLIENT) && ackAt < clientNext) {
      this.state = CLIENT_ACK;
      this.nextTs = ackAt;
      return;
    }
    this.toClientAction(clientNext);
  }

  private afterClientAck(): void {
    this.toClientAction(this.pendingActionTs);
  }

  private toClientAction(at: number): void {
    if (!(at < Infinity)) {
      this.finish();
      return;
    }
    this.state = this.pendingReqTs < Infinity ? REQUEST : CLOSE;
    this.nextTs = at;
  }

  private finish(): void {
    this.state = DONE;
    this.nextTs = Infinity;
  }
}
