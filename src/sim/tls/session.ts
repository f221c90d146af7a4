import type { SessionClose } from '../modbus/session.js';
import type { FrameBuilder } from '../net/frame-builder.js';
import type { SimHost } from '../net/host.js';
import { CLIENT, SERVER, TcpConnection, type TcpSide } from '../net/tcp-connection.js';
import type { Prng } from '../random.js';
import type { Actor } from '../scheduler.js';
import {
  type ClientHelloOptions,
  changeCipherSpec,
  clientHello,
  serverHelloFlight,
  TLS13_RECORD_OVERHEAD,
  TLS_MAX_PLAINTEXT,
  TLS_RECORD_HEADER_LEN,
  writeApplicationData,
} from './records.js';

/** HTTPS port (RFC 9110 §4.2.2). */
export const TLS_HTTPS_PORT = 443;

/** One request/response over the TLS connection, in plaintext bytes before record protection. */
export interface TlsExchange {
  /** Seconds from the end of the previous exchange (or of the handshake) to the client's request. */
  gapSec: number;
  /** Plaintext bytes the client sends (≥ 1), e.g. an HTTP request whose body is the data leaving. */
  requestBytes: number;
  /** Plaintext bytes the server answers; 0 = no answer, only its TCP ACK. */
  responseBytes: number;
}

/** Sees the application data of a session (ground truth, tests). */
export interface TlsDataObserver {
  /**
   * Called per send of application data records.
   * @param frame          1-based number of the frame with the send's last byte (`frame.number`).
   * @param fromClient     true for client → server.
   * @param plaintextBytes application plaintext carried by the send (session tickets not counted).
   * @param wireBytes      TLS record bytes of the send (headers included).
   */
  data(frame: number, ts: number, fromClient: boolean, plaintextBytes: number, wireBytes: number): void;
}

/** Behaviour and timing of a `TlsSession`. */
export interface TlsSessionOptions {
  /** When the client sends its SYN, seconds since the epoch. */
  connectTs: number;
  clientPort: number;
  /** Server port; default 443. */
  serverPort?: number;
  /** SNI host name (RFC 6066 §3), ASCII. */
  serverName: string;
  /** ALPN names offered (RFC 7301); default ["h2", "http/1.1"]. */
  alpn?: readonly string[];
  /** ClientHello profile (records.ts `ClientHelloOptions.profile`); default 'openssl3'. */
  profile?: ClientHelloOptions['profile'];
  /** Round-trip time client ↔ server, seconds (the tap is next to the client). Default 0.03. */
  rttSec?: number;
  /** Server think time before each answer, seconds. Default 0.004. */
  serviceSec?: number;
  /** Ciphertext bytes of the server's encrypted handshake flight (EncryptedExtensions … Finished, with its certificates). Default 2900. */
  serverFlightBytes?: number;
  /** Requests and answers after the handshake, in order. */
  exchanges: readonly TlsExchange[];
  /** Sending rate of bulk data, bytes per second (each 64 KiB chunk waits its transmission time). Default 12 500 000 (100 Mbit/s). */
  bandwidthBytesPerSec?: number;
  /** Delay between the last exchange and the client's close_notify, seconds. Default 0.1. */
  closeDelaySec?: number;
  /** 'fin': close_notify both ways and a FIN exchange (default); 'rst': client RST; 'none': leave open. */
  close?: SessionClose;
  observer?: TlsDataObserver | null;
}

const SYN = 0;
const SYN_ACK = 1;
const ACK = 2;
const HELLO = 3;
const SERVER_FLIGHT = 4;
const CLIENT_FINISHED = 5;
const REQUEST = 6;
const RESPONSE = 7;
const CLIENT_ACK = 8;
const SERVER_ACK = 9;
const CLOSE_NOTIFY = 10;
const CLIENT_FIN = 11;
const SERVER_CLOSE_NOTIFY = 12;
const SERVER_FIN = 13;
const LAST_ACK = 14;
const DONE = 15;

/** Plaintext records per bulk step (4 × 16 KiB). */
const RECORDS_PER_STEP = 4;
/** Ciphertext of one of the two NewSessionTicket records a TLS 1.3 server sends after the client's Finished (RFC 8446 §4.6.1). */
const TICKET_CIPHERTEXT = 250;
/** Ciphertext of the client's Finished: handshake header 4 + SHA-256 verify_data 32 + overhead 17 (RFC 8446 §4.4.4). */
const FINISHED_CIPHERTEXT = 4 + 32 + TLS13_RECORD_OVERHEAD;
/** Ciphertext of a close_notify alert: level + description 2 + overhead 17 (RFC 8446 §6.1). */
const ALERT_CIPHERTEXT = 2 + TLS13_RECORD_OVERHEAD;

/**
 * One TLS 1.3 connection as a passive tap next to the client sees it (RFC 8446 record shapes over
 * RFC 9293; no cryptography, random bytes stand in for keys and ciphertext), as an `Actor`:
 * handshake; ClientHello (SNI, ALPN, the profile's suites and extensions incl. supported_versions
 * and key_share); one RTT later the server's ServerHello + ChangeCipherSpec + encrypted flight;
 * the client's ChangeCipherSpec + Finished; then each exchange — the request's plaintext split into
 * records of at most 2^14 bytes, each growing by 17 bytes of protection (§5.2), sent in 64 KiB steps at
 * `bandwidthBytesPerSec`, and the answer one RTT plus service time later (the first preceded by two
 * NewSessionTicket records); finally close_notify alerts both ways and a FIN exchange (or a RST).
 * Delayed pure ACKs (RFC 1122 §4.2.3.2) where a side has nothing to send. Records are built in one
 * preallocated buffer.
 */
export class TlsSession implements Actor {
  nextTs: number;
  readonly conn: TcpConnection;
  /** Exchanges whose request was sent completely; plaintext bytes sent by the client and by the server. */
  requests = 0;
  clientPlaintextBytes = 0;
  serverPlaintextBytes = 0;
  private state = SYN;
  private index = 0;
  private remaining = 0;
  private ticketsPending = true;
  private sessionId: Uint8Array = new Uint8Array(0);
  private pendingTs = Infinity;
  private pendingState = DONE;
  private readonly buf = new Uint8Array(RECORDS_PER_STEP * (TLS_RECORD_HEADER_LEN + TLS_MAX_PLAINTEXT + TLS13_RECORD_OVERHEAD) + 2 * (TLS_RECORD_HEADER_LEN + TICKET_CIPHERTEXT));
  private readonly rtt: number;
  private readonly service: number;
  private readonly bandwidth: number;
  private readonly closeMode: SessionClose;
  private readonly observer: TlsDataObserver | null;

  constructor(
    private readonly fb: FrameBuilder,
    readonly client: SimHost,
    readonly server: SimHost,
    private readonly rng: Prng,
    private readonly opts: TlsSessionOptions,
  ) {
    this.conn = new TcpConnection(fb, client, opts.clientPort, server, opts.serverPort ?? TLS_HTTPS_PORT, rng);
    this.nextTs = opts.connectTs;
    this.rtt = opts.rttSec ?? 0.03;
    this.service = opts.serviceSec ?? 0.004;
    this.bandwidth = opts.bandwidthBytesPerSec ?? 12_500_000;
    this.closeMode = opts.close ?? 'fin';
    this.observer = opts.observer ?? null;
  }

  step(): void {
    const ts = this.nextTs;
    const conn = this.conn;
    switch (this.state) {
      case SYN:
        conn.syn(ts);
        this.go(SYN_ACK, ts + this.rtt);
        return;
      case SYN_ACK:
        conn.synAck(ts);
        this.go(ACK, ts + 0.0001);
        return;
      case ACK:
        conn.ack(CLIENT, ts);
        this.go(HELLO, ts + 0.0002);
        return;
      case HELLO: {
        const hello = clientHello(this.rng, this.opts.serverName, { profile: this.opts.profile ?? 'openssl3', alpn: this.opts.alpn ?? DEFAULT_ALPN });
        this.sessionId = hello.sessionId;
        conn.send(CLIENT, ts, hello.record, 0, hello.record.length);
        this.go(SERVER_FLIGHT, ts + this.rtt + this.service);
        return;
      }
      case SERVER_FLIGHT: {
        const flight = serverHelloFlight(this.rng, this.sessionId, this.opts.serverFlightBytes ?? 2900);
        conn.send(SERVER, ts, flight, 0, flight.length);
        this.go(CLIENT_FINISHED, ts + 0.001);
        return;
      }
      case CLIENT_FINISHED: {
        const ccs = changeCipherSpec();
        this.buf.set(ccs, 0);
        const end = writeApplicationData(this.buf, ccs.length, this.rng, FINISHED_CIPHERTEXT);
        conn.send(CLIENT, ts, this.buf, 0, end);
        this.afterExchange(ts, CLIENT);
        return;
      }
      case REQUEST:
        this.bulk(CLIENT, ts);
        return;
      case RESPONSE:
        this.bulk(SERVER, ts);
        return;
      case CLIENT_ACK:
        conn.ack(CLIENT, ts);
        this.go(this.pendingState, this.pendingTs);
        return;
      case SERVER_ACK:
        conn.ack(SERVER, ts);
        this.index++;
        this.afterExchange(ts, SERVER);
        return;
      case CLOSE_NOTIFY:
        if (this.closeMode === 'rst') {
          conn.rst(CLIENT, ts);
          this.go(DONE, Infinity);
          return;
        }
        this.sendAlert(CLIENT, ts);
        this.go(CLIENT_FIN, ts + 0.00005);
        return;
      case CLIENT_FIN:
        conn.fin(CLIENT, ts);
        this.go(SERVER_CLOSE_NOTIFY, ts + this.rtt);
        return;
      case SERVER_CLOSE_NOTIFY:
        this.sendAlert(SERVER, ts);
        this.go(SERVER_FIN, ts + 0.00002);
        return;
      case SERVER_FIN:
        conn.fin(SERVER, ts);
        this.go(LAST_ACK, ts + 0.0001);
        return;
      case LAST_ACK:
        conn.ack(CLIENT, ts);
        this.go(DONE, Infinity);
        return;
      default:
        this.go(DONE, Infinity);
    }
  }

  /** Send the next ≤ 64 KiB of the current request (client) or answer (server). */
  private bulk(side: TcpSide, ts: number): void {
    const buf = this.buf;
    const rng = this.rng;
    let p = 0;
    if (side === SERVER && this.ticketsPending) {
      p = writeApplicationData(buf, p, rng, TICKET_CIPHERTEXT);
      p = writeApplicationData(buf, p, rng, TICKET_CIPHERTEXT);
      this.ticketsPending = false;
    }
    let plain = 0;
    for (let r = 0; r < RECORDS_PER_STEP && this.remaining > 0; r++) {
      const k = this.remaining < TLS_MAX_PLAINTEXT ? this.remaining : TLS_MAX_PLAINTEXT;
      p = writeApplicationData(buf, p, rng, k + TLS13_RECORD_OVERHEAD);
      this.remaining -= k;
      plain += k;
    }
    this.conn.send(side, ts, buf, 0, p);
    if (side === CLIENT) this.clientPlaintextBytes += plain;
    else this.serverPlaintextBytes += plain;
    if (this.observer !== null) this.observer.data(this.fb.frames, ts, side === CLIENT, plain, p);
    if (this.remaining > 0) {
      this.nextTs = ts + p / this.bandwidth;
      return;
    }
    if (side === SERVER) {
      this.index++;
      this.afterExchange(ts, SERVER);
      return;
    }
    this.requests++;
    const answer = this.opts.exchanges[this.index].responseBytes;
    if (answer > 0) {
      this.remaining = answer;
      this.go(RESPONSE, ts + this.rtt + this.service);
      return;
    }
    this.go(SERVER_ACK, ts + this.rtt + this.server.delayedAckSec);
  }

  /** After the handshake or an exchange that ended with `last`'s frame at `ts`: next request, or close. */
  private afterExchange(ts: number, last: TcpSide): void {
    const ex = this.opts.exchanges;
    let at: number;
    let next: number;
    if (this.index < ex.length) {
      at = ts + Math.max(ex[this.index].gapSec, 0.0001);
      next = REQUEST;
      this.remaining = Math.max(1, Math.floor(ex[this.index].requestBytes));
    } else if (this.closeMode === 'none') {
      at = Infinity;
      next = DONE;
    } else {
      at = ts + (this.opts.closeDelaySec ?? 0.1);
      next = CLOSE_NOTIFY;
    }
    const ackAt = ts + this.client.delayedAckSec;
    if (last === SERVER && this.conn.owesAck(CLIENT) && ackAt < at) {
      this.pendingTs = at;
      this.pendingState = next;
      this.go(CLIENT_ACK, ackAt);
      return;
    }
    this.go(next, at);
  }

  /** An encrypted close_notify alert record from `side` (RFC 8446 §6.1). */
  private sendAlert(side: TcpSide, ts: number): void {
    const end = writeApplicationData(this.buf, 0, this.rng, ALERT_CIPHERTEXT);
    this.conn.send(side, ts, this.buf, 0, end);
  }

  private go(state: number, at: number): void {
    this.state = state;
    this.nextTs = state === DONE ? Infinity : at;
  }
}

const DEFAULT_ALPN: readonly string[] = ['h2', 'http/1.1'];
