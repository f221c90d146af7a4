import type { AnalyzerSpec } from '../../session/analyzer.js';
import { HttpStreamAnalyzer } from './analyzer.js';
import { HTTP_PORTS, probeHttp } from './probe.js';

/**
 * The HTTP/1.x registration for the session layer (RFC 9112 over TCP): confirmed by its start line on
 * any port (probe.ts), writing the `http` and `http_body` streams (log.ts), service name `http` as Zeek's.
 */
export function createHttpSpec(): AnalyzerSpec {
  return Object.freeze<AnalyzerSpec>({ name: 'http', transport: 'tcp', ports: HTTP_PORTS, probe: probeHttp, create: (ctx) => new HttpStreamAnalyzer(ctx) });
}
