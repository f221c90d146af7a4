import type { AnalyzerSpec } from '../../session/analyzer.js';
import { OPCUA_SERVICE, OpcuaStreamAnalyzer } from './analyzer.js';
import { OpcuaPendingBudget } from './budget.js';
import { OPCUA_PORTS, probeOpcua } from './probe.js';

/**
 * The OPC UA binary registration for the session layer (OPC 10000-6 §7.1 over TCP): confirmed by its
 * chunk header on any port (probe.ts), writing `opcua_binary`, `opcua_binary_opensecure_channel`,
 * `opcua_binary_status_code_detail` and the per-service child logs (log.ts), service name
 * `opcua-binary` as ICSNPP's.
 * Call once per run: the analyzers it creates share one OpcuaPendingBudget (budget.ts), which
 * bounds the messages waiting for a partner across all OPC UA flows of the run.
 */
export function createOpcuaSpec(): AnalyzerSpec {
  const budget = new OpcuaPendingBudget();
  return Object.freeze<AnalyzerSpec>({ name: OPCUA_SERVICE, transport: 'tcp', ports: OPCUA_PORTS, probe: probeOpcua, create: (ctx) => new OpcuaStreamAnalyzer(ctx, budget) });
}
