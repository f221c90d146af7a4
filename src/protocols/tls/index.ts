import type { AnalyzerSpec } from '../../session/analyzer.js';
import { TlsStreamAnalyzer } from './analyzer.js';
import { probeTls, TLS_PORTS } from './probe.js';

/**
 * The TLS / SSL registration for the session layer (RFC 5246, RFC 8446 over TCP): confirmed by a
 * ClientHello or ServerHello record on any port (probe.ts), writing the `ssl` stream (log.ts), service
 * name `ssl` as Zeek's conn.log writes it.
 */
export function createTlsSpec(): AnalyzerSpec {
  return Object.freeze<AnalyzerSpec>({ name: 'ssl', transport: 'tcp', ports: TLS_PORTS, probe: probeTls, create: (ctx) => new TlsStreamAnalyzer(ctx) });
}
