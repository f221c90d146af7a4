import type { AnalyzerSpec } from '../session/analyzer.js';
import { createDnp3Specs } from './dnp3/index.js';
import { createDnsSpecs } from './dns/index.js';
import { createEnipSpecs } from './enip/index.js';
import { createHttpSpec } from './http/index.js';
import { createModbusSpec } from './modbus/index.js';
import { createMqttSpec } from './mqtt/index.js';
import { createOpcuaSpec } from './opcua/index.js';
import { createS7commSpec } from './s7comm/index.js';
import { createTlsSpec } from './tls/index.js';

/**
 * Every protocol analyzer the session layer probes new flows with, in probe order
 * (a spec whose ports include the responder port is tried first whatever its place here).
 * Call once per run: specs hold run-wide state shared by their flows (e.g. the Modbus pending budget).
 */
export function createProtocolAnalyzers(): readonly AnalyzerSpec[] {
  return Object.freeze([createModbusSpec(), ...createDnsSpecs(), createHttpSpec(), createMqttSpec(), ...createEnipSpecs(), createS7commSpec(), createOpcuaSpec(), ...createDnp3Specs(), createTlsSpec()]);
}
