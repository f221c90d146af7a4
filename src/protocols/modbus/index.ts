import type { AnalyzerSpec } from '../../session/analyzer.js';
import { ModbusAnalyzer } from './analyzer.js';
import { PendingBudget } from './budget.js';
import { probeModbus } from './probe.js';
import { MODBUS_SERVER_PORTS } from './roles.js';

/**
 * Modbus/TCP registration for the session layer (Modbus Messaging on TCP/IP Implementation Guide
 * V1.0b: TCP port 502). The probe confirms by content (probe.ts); the analyzer takes the side on a
 * server port as the Modbus server (roles.ts), writes the `modbus`, `modbus_detailed`,
 * `modbus_mask_write_register`, `modbus_read_write_multiple_registers` and
 * `modbus_read_device_identification` streams (log.ts) and names the service `modbus` as Zeek does.
 * Call once per run: the analyzers it creates share one PendingBudget (budget.ts), which bounds the
 * pairing state of all the run's Modbus flows by limits.maxPendingModbusValues.
 */
export function createModbusSpec(): AnalyzerSpec {
  const budget = new PendingBudget();
  return Object.freeze<AnalyzerSpec>({
    name: 'modbus',
    transport: 'tcp',
    ports: MODBUS_SERVER_PORTS,
    probe: probeModbus,
    create: (ctx) => new ModbusAnalyzer(ctx, MODBUS_SERVER_PORTS, budget),
  });
}
