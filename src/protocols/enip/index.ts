import type { AnalyzerSpec } from '../../session/analyzer.js';
import { EnipDatagramAnalyzer, EnipStreamAnalyzer } from './analyzer.js';
import { CIP_IO_PORTS, ENIP_PORTS, probeCipIo, probeEnipTcp, probeEnipUdp } from './probe.js';

/**
 * EtherNet/IP + CIP registrations for the session layer (CIP Vol 2 §2-2): encapsulation over TCP
 * and over UDP (port 44818, service `enip`), and class 0/1 implicit I/O over UDP (port 2222,
 * service `cip`), each confirmed by content on any port (probe.ts). They write the `enip`, `cip`,
 * `cip_identity` and `cip_io` streams (log.ts).
 */
export function createEnipSpecs(): readonly AnalyzerSpec[] {
  return [
    Object.freeze<AnalyzerSpec>({ name: 'enip', transport: 'tcp', ports: ENIP_PORTS, probe: probeEnipTcp, create: (ctx) => new EnipStreamAnalyzer(ctx) }),
    Object.freeze<AnalyzerSpec>({ name: 'cip', transport: 'udp', ports: CIP_IO_PORTS, probe: probeCipIo, create: (ctx) => new EnipDatagramAnalyzer(ctx) }),
    Object.freeze<AnalyzerSpec>({ name: 'enip', transport: 'udp', ports: ENIP_PORTS, probe: probeEnipUdp, create: (ctx) => new EnipDatagramAnalyzer(ctx) }),
  ];
}
