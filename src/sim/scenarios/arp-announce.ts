import { ArpOp } from '../net/arp.js';
import { BROADCAST_MAC, type FrameBuilder, ZERO_MAC } from '../net/frame-builder.js';
import type { SimHost } from '../net/host.js';
import type { Actor } from '../scheduler.js';

/** ARP Announcements a host sends when it takes an address (RFC 5227 §1.1 ANNOUNCE_NUM). */
export const ANNOUNCE_NUM = 2;
/** Seconds between those announcements (RFC 5227 §1.1 ANNOUNCE_INTERVAL). */
export const ANNOUNCE_INTERVAL_SEC = 2;

/**
 * A host claiming its (static) address on the link: `ANNOUNCE_NUM` ARP Announcements
 * (RFC 5227 §2.3 — gratuitous ARP requests, broadcast, sender and target protocol address both the
 * host's own, target hardware address zero) `ANNOUNCE_INTERVAL_SEC` apart, from `ts` on.
 */
export class ArpAnnounce implements Actor {
  nextTs: number;
  private sent = 0;

  constructor(
    private readonly fb: FrameBuilder,
    readonly host: SimHost,
    ts: number,
  ) {
    this.nextTs = ts;
  }

  step(): void {
    this.fb.arp(this.nextTs, ArpOp.REQUEST, this.host, BROADCAST_MAC, ZERO_MAC, this.host.ip);
    this.sent++;
    this.nextTs = this.sent < ANNOUNCE_NUM ? this.nextTs + ANNOUNCE_INTERVAL_SEC : Infinity;
  }
}
