import { fieldNumber, fieldString } from '../../events/fields.js';
import type { LogRecord } from '../../events/record.js';
import type { SitePolicy } from '../../policy/site-policy.js';

/** The Modbus/TCP server port (Modbus Messaging on TCP/IP Implementation Guide V1.0b §4.1). */
const MODBUS_PORT = 502;

/**
 * Client and server of a `modbus_detailed` row. A row's source is the client when a request made
 * it and the server when a response seen first made it, so the ends are told by the server port
 * (502 on exactly one side), else by which side is a crane PLC of the site, else source = client.
 */
export function modbusEnds(r: LogRecord, policy: SitePolicy): { client: string; server: string } {
  const src = fieldString(r, 'source_h');
  const dst = fieldString(r, 'destination_h');
  const sp = fieldNumber(r, 'source_p', -1);
  const dp = fieldNumber(r, 'destination_p', -1);
  if (dp === MODBUS_PORT && sp !== MODBUS_PORT) return { client: src, server: dst };
  if (sp === MODBUS_PORT && dp !== MODBUS_PORT) return { client: dst, server: src };
  if (policy.craneOfPlc(dst) === undefined && policy.craneOfPlc(src) !== undefined) return { client: dst, server: src };
  return { client: src, server: dst };
}
