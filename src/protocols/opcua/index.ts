import type { AnalyzerSpec } from '../../session/analyzer.js';
import { OPCUA_SERVICE, OpcuaStreamAnalyzer } from './analyzer.js';
import { OPCUA_PORTS, probeOpcua } from './probe.js';

/**
 * The OPC UA binary registration for the session layer (OPC 10000-6 §7.1 over TCP): confirmed by its
 * chunk header on any port (probe.ts), writing `opcua_binary`, `opcua_binary_opensecure_channel` and
 * `opcua_binary_status_code_detail` (log.ts), service name `opcua-binary` as ICSNPP's.
 */
export function createOpcuaSpec(): AnalyzerSpec {
  return Object.freeze<AnalyzerSpec>({ name: OPCUA_SERVICE, transport: 'tcp', ports: OPCUA_PORTS, probe: probeOpcua, create: (ctx) => new OpcuaStreamAnalyzer(ctx) });
}
