import type { FrameBuilder } from '../net/frame-builder.js';
import type { SimHost } from '../net/host.js';
import { TcpFlag } from '../net/tcp-header.js';
import type { Prng } from '../random.js';
import type { Actor } from '../scheduler.js';

/** One probe of a SYN scan: a target host and port, and whether a service listens there. */
export interface ScanProbe {
  target: SimHost;
  port: number;
  open: boolean;
}

/** Window of the scanner's SYN probes, bytes (as nmap's raw SYN scan sends). */
const SCAN_WINDOW = 1024;

const SEND_SYN = 0;
const REPLY = 1;
const SCANNER_RST = 2;

/**
 * A TCP SYN ("half-open") port scan as an `Actor`: for each probe in order the scanner sends a SYN
 * with an MSS option from one fixed source port; a closed port answers RST/ACK (RFC 9293 §3.10.7.1:
 * seq 0, ack = SYN seq + 1), an open one SYN/ACK with its own ISN and MSS, which the scanner
 * tears down with a bare RST (seq = SYN seq + 1) instead of completing the handshake. Probes go out
 * every `intervalSec`; replies follow after a drawn round-trip time. Probes are prepared up front
 * (a few dozen); no allocation per frame. `onProbe` counts each SYN sent.
 */
export class PortScanActor implements Actor {
  nextTs: number;
  private i = 0;
  private state = SEND_SYN;
  private seq = 0;
  private probeTs = 0;

  constructor(
    private readonly fb: FrameBuilder,
    private readonly scanner: SimHost,
    private readonly srcPort: number,
    private readonly probes: readonly ScanProbe[],
    firstTs: number,
    private readonly intervalSec: number,
    private readonly stopTs: number,
    private readonly rng: Prng,
    private readonly onProbe: () => void,
  ) {
    this.nextTs = probes.length > 0 && firstTs < stopTs ? firstTs : Infinity;
  }

  step(): void {
    const ts = this.nextTs;
    const pr = this.probes[this.i];
    const fb = this.fb;
    switch (this.state) {
      case SEND_SYN:
        this.seq = this.rng.u32();
        this.probeTs = ts;
        fb.tcp(ts, this.scanner, pr.target, this.srcPort, pr.port, this.seq, 0, TcpFlag.SYN, SCAN_WINDOW, 1460, EMPTY, 0, 0);
        this.onProbe();
        this.state = REPLY;
        this.nextTs = ts + this.rng.range(0.0003, 0.0015);
        return;
      case REPLY: {
        const ack = (this.seq + 1) >>> 0;
        if (pr.open) {
          fb.tcp(ts, pr.target, this.scanner, pr.port, this.srcPort, this.rng.u32(), ack, TcpFlag.SYN | TcpFlag.ACK, pr.target.window, pr.target.mss, EMPTY, 0, 0);
          this.state = SCANNER_RST;
          this.nextTs = ts + this.rng.range(0.00005, 0.0002);
          return;
        }
        fb.tcp(ts, pr.target, this.scanner, pr.port, this.srcPort, 0, ack, TcpFlag.RST | TcpFlag.ACK, 0, 0, EMPTY, 0, 0);
        this.next(ts);
        return;
      }
      default:
        fb.tcp(ts, this.scanner, pr.target, this.srcPort, pr.port, (this.seq + 1) >>> 0, 0, TcpFlag.RST, 0, 0, EMPTY, 0, 0);
        this.next(ts);
    }
  }

  /** Move to the next probe, `intervalSec` after the previous SYN (never before `ts`). */
  private next(ts: number): void {
    this.i++;
    this.state = SEND_SYN;
    const at = Math.max(ts + 0.0001, this.probeTs + this.intervalSec);
    this.nextTs = this.i < this.probes.length && at < this.stopTs ? at : Infinity;
  }
}

const EMPTY = new Uint8Array(0);
