import type { Prng } from '../random.js';
import type { FrameBuilder } from './frame-builder.js';
import type { SimHost } from './host.js';
import { TcpFlag } from './tcp-header.js';

/** Side of a `TcpConnection`: the client (active opener, sends the SYN) or the server. */
export type TcpSide = 0 | 1;
/** The client side (sends the SYN). */
export const CLIENT: TcpSide = 0;
/** The server side (answers with SYN/ACK). */
export const SERVER: TcpSide = 1;

const IDLE = 0;
const SYN_SENT = 1;
const SYN_RECEIVED = 2;
const ESTABLISHED = 3;
const RESET = 4;

/**
 * One TCP connection (RFC 9293) between a client and a server endpoint, seen from a passive tap that
 * sees both directions with no loss. The caller decides when each segment is sent (timestamps in
 * seconds since the epoch) and this class keeps the segments consistent:
 *
 * - three-way handshake (§3.5): `syn` (client SYN with MSS option, seeded random ISN), `synAck`
 *   (server SYN/ACK with MSS, its own seeded ISN), then `ack(CLIENT)` completes it;
 * - data (`send`): seq = the sender's next sequence number, ack = everything received from the
 *   peer, PSH on the last segment of each send, split into segments of the effective MSS
 *   (min of the peer's announced MSS and the sender's own, §3.7.1); the receiver ACKs every second
 *   full-sized segment (RFC 5681 §4.2, RFC 1122 §4.2.3.2) and before the sender would fill its window;
 * - pure ACKs (`ack`) only when the side owes one (`owesAck`), e.g. a delayed ACK for a response that
 *   the client will not answer with data soon;
 * - close: `fin` (FIN/ACK, consumes one sequence number, §3.6), acknowledged by the peer's `ack` or
 *   its own `fin`; `rst` (RST/ACK, window 0) aborts.
 * Windows are the hosts' advertised values, unscaled and constant (the receiving application reads
 * at once). Methods called out of order emit nothing and return false / 0.
 */
export class TcpConnection {
  /** Initial sequence numbers of the client and the server (unsigned 32-bit). */
  readonly isn: readonly [number, number];
  private readonly hosts: readonly [SimHost, SimHost];
  private readonly ports: readonly [number, number];
  /** Next sequence number each side will send (SND.NXT). */
  private readonly snd: [number, number];
  /** Acknowledgement number each side last sent, or -1 before it sent any ACK. */
  private readonly lastAck: [number, number] = [-1, -1];
  /** MSS each side announced in its SYN. */
  private readonly announcedMss: [number, number] = [536, 536];
  /** Full-sized segments each side sent since the peer last acknowledged. */
  private readonly unackedFull: [number, number] = [0, 0];
  private readonly finSent: [boolean, boolean] = [false, false];
  private phase = IDLE;

  /**
   * @param fb     frame builder the segments go to.
   * @param rng    draws the two ISNs (RFC 9293 §3.4.1 asks for unpredictable ISNs; here seeded).
   */
  constructor(
    private readonly fb: FrameBuilder,
    client: SimHost,
    clientPort: number,
    server: SimHost,
    serverPort: number,
    rng: Prng,
  ) {
    this.hosts = [client, server];
    this.ports = [clientPort, serverPort];
    const isnC = rng.u32();
    const isnS = rng.u32();
    this.isn = [isnC, isnS];
    this.snd = [isnC, isnS];
  }

  /** The host on `side`. */
  host(side: TcpSide): SimHost {
    return this.hosts[side];
  }

  /** The TCP port on `side`. */
  port(side: TcpSide): number {
    return this.ports[side];
  }

  /** The next sequence number `side` will send (SND.NXT, unsigned 32-bit). */
  nextSeq(side: TcpSide): number {
    return this.snd[side];
  }

  /** True once the handshake completed and no RST was sent. */
  get established(): boolean {
    return this.phase === ESTABLISHED;
  }

  /** True when both sides sent a FIN, or a RST was sent. */
  get closed(): boolean {
    return this.phase === RESET || (this.finSent[0] && this.finSent[1]);
  }

  /** Client SYN with the MSS option. False if the connection was already opened. */
  syn(ts: number): boolean {
    if (this.phase !== IDLE) return false;
    const c = this.hosts[CLIENT];
    this.announcedMss[CLIENT] = c.mss;
    this.segment(CLIENT, ts, TcpFlag.SYN, c.mss, EMPTY, 0, 0);
    this.phase = SYN_SENT;
    return true;
  }

  /** Server SYN/ACK with the MSS option. False unless the client's SYN was sent. */
  synAck(ts: number): boolean {
    if (this.phase !== SYN_SENT) return false;
    const s = this.hosts[SERVER];
    this.announcedMss[SERVER] = s.mss;
    this.segment(SERVER, ts, TcpFlag.SYN | TcpFlag.ACK, s.mss, EMPTY, 0, 0);
    this.phase = SYN_RECEIVED;
    return true;
  }

  /** True when `side` has received sequence space (data, SYN or FIN) it has not acknowledged yet. */
  owesAck(side: TcpSide): boolean {
    if (this.phase === SYN_RECEIVED) return side === CLIENT;
    return this.phase === ESTABLISHED && this.lastAck[side] !== this.snd[1 - side];
  }

  /**
   * A pure ACK from `side` (no data) if it owes one; completes the handshake when the client
   * acknowledges the SYN/ACK. Returns false (nothing emitted) when nothing is owed.
   */
  ack(side: TcpSide, ts: number): boolean {
    if (!this.owesAck(side)) return false;
    this.segment(side, ts, TcpFlag.ACK, 0, EMPTY, 0, 0);
    if (this.phase === SYN_RECEIVED) this.phase = ESTABLISHED;
    return true;
  }

  /**
   * Send `data[off, off+len)` from `side`, split into effective-MSS segments, all stamped `ts`.
   * Returns the number of frames emitted (data segments plus the receiver's ACKs in between); 0 when
   * the connection is not established, `side` already sent its FIN, or `len` is 0.
   */
  send(side: TcpSide, ts: number, data: Uint8Array, off: number, len: number): number {
    if (this.phase !== ESTABLISHED || this.finSent[side] || len <= 0) return 0;
    const peer = (1 - side) as TcpSide;
    const segSize = Math.min(this.announcedMss[peer], this.hosts[side].mss);
    const peerWindow = this.hosts[peer].window;
    let frames = 0;
    let sent = 0;
    while (sent < len) {
      const n = Math.min(segSize, len - sent);
      const inFlight = (this.snd[side] - this.lastAck[peer]) >>> 0;
      if (inFlight > 0 && inFlight + n >= peerWindow) {
        this.segment(peer, ts, TcpFlag.ACK, 0, EMPTY, 0, 0);
        frames++;
      }
      const last = sent + n === len;
      this.segment(side, ts, last ? TcpFlag.ACK | TcpFlag.PSH : TcpFlag.ACK, 0, data, off + sent, n);
      frames++;
      sent += n;
      if (n === segSize) this.unackedFull[side]++;
      if (!last && this.unackedFull[side] >= 2) {
        this.segment(peer, ts, TcpFlag.ACK, 0, EMPTY, 0, 0);
        frames++;
      }
    }
    return frames;
  }

  /** FIN/ACK from `side`. False if not established or `side` already sent its FIN. */
  fin(side: TcpSide, ts: number): boolean {
    if (this.phase !== ESTABLISHED || this.finSent[side]) return false;
    this.segment(side, ts, TcpFlag.FIN | TcpFlag.ACK, 0, EMPTY, 0, 0);
    this.finSent[side] = true;
    return true;
  }

  /** RST/ACK from `side` with window 0; the connection is then dead. False if it never opened or is dead. */
  rst(side: TcpSide, ts: number): boolean {
    if (this.phase === IDLE || this.phase === RESET) return false;
    this.segment(side, ts, TcpFlag.RST | TcpFlag.ACK, 0, EMPTY, 0, 0);
    this.phase = RESET;
    return true;
  }

  /** Emit one segment from `side` and advance that side's sequence state. */
  private segment(side: TcpSide, ts: number, flags: number, mss: number, data: Uint8Array, off: number, len: number): void {
    const peer = 1 - side;
    const hasAck = (flags & TcpFlag.ACK) !== 0;
    const ack = hasAck ? this.snd[peer] : 0;
    const window = (flags & TcpFlag.RST) !== 0 ? 0 : this.hosts[side].window;
    this.fb.tcp(
      ts,
      this.hosts[side],
      this.hosts[peer],
      this.ports[side],
      this.ports[peer],
      this.snd[side],
      ack,
      flags,
      window,
      mss,
      data,
      off,
      len,
    );
    if (hasAck) {
      this.lastAck[side] = ack;
      this.unackedFull[peer] = 0;
    }
    let consumed = len;
    if ((flags & TcpFlag.SYN) !== 0) consumed++;
    if ((flags & TcpFlag.FIN) !== 0) consumed++;
    this.snd[side] = (this.snd[side] + consumed) >>> 0;
  }
}

const EMPTY = new Uint8Array(0);
