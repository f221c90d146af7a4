import type { AnalyzerSpec } from '../../session/analyzer.js';
import { S7commAnalyzer } from './analyzer.js';
import { probeS7comm } from './probe.js';

/** ISO-TSAP well-known port of ISO-on-TCP (RFC 1006 §6), where S7 PLCs listen. */
export const S7COMM_PORTS: readonly number[] = Object.freeze([102]);

/**
 * S7comm registration for the session layer: ISO-on-TCP (RFC 1006) / COTP (ISO 8073) / S7comm and the
 * S7comm-plus header, probed by content (probe.ts). The analyzer writes `cotp`, `s7comm`,
 * `s7comm_read_szl`, `s7comm_upload_download`, `s7comm_known_devices` and `s7comm_plus` (log.ts) and
 * confirms `cotp` plus `s7comm` or `s7comm-plus`, as ICSNPP's conn.log service does.
 */
export function createS7commSpec(): AnalyzerSpec {
  return Object.freeze<AnalyzerSpec>({
    name: 's7comm',
    transport: 'tcp',
    ports: S7COMM_PORTS,
    probe: probeS7comm,
    create: (ctx) => new S7commAnalyzer(ctx),
  });
}
