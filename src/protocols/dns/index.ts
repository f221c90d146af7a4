import type { AnalyzerSpec } from '../../session/analyzer.js';
import { DnsDatagramAnalyzer } from './analyzer.js';
import { DNS_PORTS, probeDnsTcp, probeDnsUdp } from './probe.js';
import { DnsStreamAnalyzer } from './stream.js';

/**
 * DNS registrations for the session layer (RFC 1035 §4.2): over UDP (one message per datagram)
 * and over TCP (two-byte length prefix, §4.2.2), both confirmed by content on any port (probe.ts),
 * both writing the `dns` stream (log.ts) and naming the service `dns` as Zeek does.
 */
export function createDnsSpecs(): readonly AnalyzerSpec[] {
  return [
    Object.freeze<AnalyzerSpec>({ name: 'dns', transport: 'udp', ports: DNS_PORTS, probe: probeDnsUdp, create: (ctx) => new DnsDatagramAnalyzer(ctx) }),
    Object.freeze<AnalyzerSpec>({ name: 'dns', transport: 'tcp', ports: DNS_PORTS, probe: probeDnsTcp, create: (ctx) => new DnsStreamAnalyzer(ctx) }),
  ];
}
