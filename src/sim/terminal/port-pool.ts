import type { SimHost } from '../net/host.js';
import type { Prng } from '../random.js';

/**
 * Client ports per host, handed out in sequence from a seeded start and wrapping within the host's
 * ephemeral range, as common stacks do; a host with many short connections (HTTP posts, HMI commands)
 * therefore never reuses a port of a connection still open or recently closed.
 */
export class PortPool {
  private readonly next = new Map<SimHost, number>();

  constructor(private readonly rng: Prng) {}

  /** The next client port of `host`. */
  take(host: SimHost): number {
    let p = this.next.get(host);
    if (p === undefined) p = this.rng.int(host.portMin, host.portMax);
    const n = p >= host.portMax ? host.portMin : p + 1;
    this.next.set(host, n);
    return p;
  }
}
