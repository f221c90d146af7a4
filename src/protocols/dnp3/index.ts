import type { AnalyzerSpec } from '../../session/analyzer.js';
import { Dnp3DatagramAnalyzer, Dnp3StreamAnalyzer } from './analyzer.js';
import { DNP3_PORTS, probeDnp3Tcp, probeDnp3Udp } from './probe.js';

/**
 * DNP3 registrations for the session layer (IEEE 1815-2012; port 20000 over TCP and UDP), both confirmed
 * by content on any port (probe.ts: a link header with a good CRC), both writing the `dnp3`,
 * `dnp3_control` and `dnp3_objects` streams (log.ts) and naming the conn service `dnp3_tcp` / `dnp3_udp` as Zeek does.
 */
export function createDnp3Specs(): readonly AnalyzerSpec[] {
  return [
    Object.freeze<AnalyzerSpec>({ name: 'dnp3', transport: 'tcp', ports: DNP3_PORTS, probe: probeDnp3Tcp, create: (ctx) => new Dnp3StreamAnalyzer(ctx) }),
    Object.freeze<AnalyzerSpec>({ name: 'dnp3', transport: 'udp', ports: DNP3_PORTS, probe: probeDnp3Udp, create: (ctx) => new Dnp3DatagramAnalyzer(ctx) }),
  ];
}
