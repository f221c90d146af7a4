import { fieldNumber, fieldString } from '../../events/fields.js';
import type { LogRecord } from '../../events/record.js';
import { MODBUS_WRITE_FUNCTIONS, type SitePolicy } from '../../policy/site-policy.js';
import { Technique } from '../attack.js';
import type { Detector } from '../detector.js';
import type { FindingWriter } from '../finding.js';
import { modbusEnds } from './modbus-ends.js';

/**
 * Modbus clients a crane's PLC answers that the site does not list as its clients (explicit
 * `clients`, or the role-derived ones): a host reading the crane's process values — the first step
 * of a remote session through a rogue device, or an unapproved integration. Writes are judged by
 * `unauthorized_write`; this detector reports the client once per PLC, whatever it did.
 * Reads `modbus_detailed`. Vendor-zone clients inside a maintenance window of the crane are
 * accepted. Severity high. ATT&CK for ICS: T0801 Monitor Process State, plus T0848 Rogue Master
 * when the client is not in the inventory.
 */
export function unauthorizedClientDetector(policy: SitePolicy): Detector {
  return {
    name: 'unauthorized_client',
    streams: ['modbus_detailed'],
    observe(_stream: string, r: LogRecord, out: FindingWriter): void {
      const { client, server } = modbusEnds(r, policy);
      const crane = policy.craneOfPlc(server);
      if (crane === undefined) return;
      const asset = policy.assetByIp(client);
      if (asset !== undefined && policy.clientsOf(crane.id).some((c) => c.asset === asset.name)) return;
      const ts = fieldNumber(r, 'ts');
      if (policy.zoneOf(client)?.kind === 'vendor_remote_access' && policy.inMaintenance(crane.id, ts)) return;
      const fc = fieldNumber(r, 'function_code', -1);
      const who = asset === undefined ? `${client} (not in the site inventory)` : `${client} (${asset.name})`;
      out.report({
        key: `${client}>${server}`,
        ts,
        severity: 'high',
        title: `Unlisted Modbus client of ${crane.id}`,
        explanation: `${who} sent Modbus requests (function ${fc}${MODBUS_WRITE_FUNCTIONS.has(fc) ? ', a write' : ''}) to ${crane.id}'s PLC ${server}, which the site does not list as one of its clients.`,
        techniques: asset === undefined ? [Technique.MONITOR_PROCESS_STATE, Technique.ROGUE_MASTER] : [Technique.MONITOR_PROCESS_STATE],
        hosts: [client, server],
        cranes: [crane.id],
        evidence: { stream: 'modbus_detailed', uid: fieldString(r, 'uid') },
        action: `Find out what ${client} is and why it talks to ${crane.id}'s PLC; block it at the crane-control conduit unless it is approved, then list it in the site file.`,
      });
    },
    finish(): void {},
  };
}
