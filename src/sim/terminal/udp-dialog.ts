import type { FrameBuilder } from '../net/frame-builder.js';
import type { SimHost } from '../net/host.js';
import type { Prng } from '../random.js';
import type { Actor } from '../scheduler.js';

/** The two datagrams of a UDP request/response protocol (DNS, NTP). */
export interface UdpDialog {
  /**
   * Write the request sent at `ts` into `buf` (≥ 512 bytes) and return its length; called once per
   * exchange, before `response`. `frame` is the number the request's frame will get (`frame.number`).
   */
  request(ts: number, frame: number, buf: Uint8Array): number;
  /** Write the answer sent at `ts` to the last request into `buf` and return its length. */
  response(ts: number, buf: Uint8Array): number;
}

/** Timing of a `UdpDialogClient`. */
export interface UdpDialogTiming {
  /** First request, seconds since the epoch. */
  startTs: number;
  /** Mean time between requests, seconds; each gap is drawn uniformly in ±`jitterFraction` of it. */
  intervalSec: number;
  jitterFraction: number;
  /** Server answer delay drawn uniformly in this range, seconds. */
  responseDelaySec: readonly [number, number];
  /** Client source port, or 0 for a fresh ephemeral port per request (RFC 5452 §9.2 for DNS). */
  clientPort: number;
}

const QUERY = 0;
const ANSWER = 1;

/**
 * A client that asks a server something over UDP at intervals and gets one answer each time
 * (a resolver's stub, an NTP client): two frames per exchange through the `FrameBuilder`, request
 * and response buffers allocated once.
 */
export class UdpDialogClient implements Actor {
  nextTs: number;
  /** Exchanges completed. */
  exchanges = 0;
  private state = QUERY;
  private port = 0;
  private readonly buf = new Uint8Array(512);

  constructor(
    private readonly fb: FrameBuilder,
    readonly client: SimHost,
    readonly server: SimHost,
    private readonly serverPort: number,
    private readonly dialog: UdpDialog,
    private readonly rng: Prng,
    private readonly timing: UdpDialogTiming,
  ) {
    this.nextTs = timing.startTs;
  }

  step(): void {
    const ts = this.nextTs;
    const t = this.timing;
    if (this.state === QUERY) {
      this.port = t.clientPort > 0 ? t.clientPort : this.rng.int(this.client.portMin, this.client.portMax);
      const len = this.dialog.request(ts, this.fb.frames + 1, this.buf);
      this.fb.udp(ts, this.client, this.server, this.port, this.serverPort, this.buf, 0, len);
      this.state = ANSWER;
      this.nextTs = ts + this.rng.range(t.responseDelaySec[0], t.responseDelaySec[1]);
      return;
    }
    const len = this.dialog.response(ts, this.buf);
    this.fb.udp(ts, this.server, this.client, this.serverPort, this.port, this.buf, 0, len);
    this.exchanges++;
    this.state = QUERY;
    this.nextTs = ts + t.intervalSec * (1 + t.jitterFraction * (2 * this.rng.float() - 1));
  }
}
