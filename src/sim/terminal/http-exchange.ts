import { CLIENT, SERVER, type TcpConnection } from '../net/tcp-connection.js';
import type { Actor } from '../scheduler.js';

/** Seen when the request's (and optionally the response's) last segment is on the wire (for ground truth). */
export interface HttpRequestObserver {
  /** @param frame 1-based number of the frame with the request's last byte (`frame.number`); ts seconds since the epoch. */
  request(frame: number, ts: number): void;
  /** @param frame 1-based number of the frame with the response's last byte; ts seconds since the epoch. */
  response?(frame: number, ts: number): void;
}

/** Timing of one exchange, seconds. */
export interface HttpExchangeTiming {
  /** Round-trip time between client and server. */
  rttSec: number;
  /** Server time from the whole request to the response. */
  serviceSec: number;
}

const SYN = 0;
const SYN_ACK = 1;
const ACK = 2;
const REQUEST = 3;
const RESPONSE = 4;
const SERVER_FIN = 5;
const CLIENT_FIN = 6;
const SERVER_ACK = 7;
const DONE = 8;

/**
 * One HTTP/1.1 request/response over a fresh TCP connection, `Connection: close` (RFC 9112 §9.6):
 * SYN, SYN/ACK, ACK; the request; the response with the server's FIN right behind it (the server
 * closes); the client's FIN/ACK acknowledging both; the server's last ACK. Timing as seen from a tap
 * next to the server: the client's segments follow the server's after one RTT, the response follows
 * the request after the server's service time. One frame-producing event per step.
 */
export class HttpExchange implements Actor {
  nextTs: number;
  private state = SYN;
  /** 1-based frame number of the request's last segment, once sent. */
  requestFrame = 0;

  constructor(
    private readonly conn: TcpConnection,
    startTs: number,
    private readonly request: Uint8Array,
    private readonly response: Uint8Array,
    private readonly timing: HttpExchangeTiming,
    private readonly frames: { readonly frames: number },
    private readonly observer: HttpRequestObserver | null,
  ) {
    this.nextTs = startTs;
  }

  step(): void {
    const ts = this.nextTs;
    const c = this.conn;
    switch (this.state) {
      case SYN:
        c.syn(ts);
        this.state = SYN_ACK;
        this.nextTs = ts + 0.00008;
        return;
      case SYN_ACK:
        c.synAck(ts);
        this.state = ACK;
        this.nextTs = ts + this.timing.rttSec;
        return;
      case ACK:
        c.ack(CLIENT, ts);
        this.state = REQUEST;
        this.nextTs = ts + 0.00015;
        return;
      case REQUEST:
        c.send(CLIENT, ts, this.request, 0, this.request.length);
        this.requestFrame = this.frames.frames;
        if (this.observer !== null) this.observer.request(this.requestFrame, ts);
        this.state = RESPONSE;
        this.nextTs = ts + this.timing.serviceSec;
        return;
      case RESPONSE:
        c.send(SERVER, ts, this.response, 0, this.response.length);
        if (this.observer !== null && this.observer.response !== undefined) this.observer.response(this.frames.frames, ts);
        this.state = SERVER_FIN;
        this.nextTs = ts + 0.00002;
        return;
      case SERVER_FIN:
        c.fin(SERVER, ts);
        this.state = CLIENT_FIN;
        this.nextTs = ts + this.timing.rttSec + 0.0004;
        return;
      case CLIENT_FIN:
        c.fin(CLIENT, ts);
        this.state = SERVER_ACK;
        this.nextTs = ts + 0.00006;
        return;
      case SERVER_ACK:
        c.ack(SERVER, ts);
        this.state = DONE;
        this.nextTs = Infinity;
        return;
      default:
        this.nextTs = Infinity;
    }
  }
}
