import type { Actor } from '../scheduler.js';
import { ArpOp } from './arp.js';
import { BROADCAST_MAC, type FrameBuilder, ZERO_MAC } from './frame-builder.js';
import type { SimHost } from './host.js';

/**
 * An `Actor` for one ARP resolution (RFC 826): `requester` broadcasts "who has `target.ip`?" at
 * `ts`, and `target` answers with a unicast reply `replyDelaySec` later.
 */
export class ArpExchange implements Actor {
  nextTs: number;
  private requested = false;

  constructor(
    private readonly fb: FrameBuilder,
    readonly requester: SimHost,
    readonly target: SimHost,
    readonly ts: number,
    private readonly replyDelaySec: number,
  ) {
    this.nextTs = ts;
  }

  step(): void {
    if (!this.requested) {
      this.fb.arp(this.ts, ArpOp.REQUEST, this.requester, BROADCAST_MAC, ZERO_MAC, this.target.ip);
      this.nextTs = this.ts + this.replyDelaySec;
      this.requested = true;
      return;
    }
    this.fb.arp(this.nextTs, ArpOp.REPLY, this.target, this.requester.mac, this.requester.mac, this.requester.ip);
    this.nextTs = Infinity;
  }
}
