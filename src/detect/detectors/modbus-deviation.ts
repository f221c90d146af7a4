import { fieldNumber, fieldString } from '../../events/fields.js';
import type { LogRecord } from '../../events/record.js';
import { MODBUS_WRITE_FUNCTIONS, type SitePolicy } from '../../policy/site-policy.js';
import { registerWords, type SiteCrane, type SiteRegister } from '../../policy/site-schema.js';
import { type IcsTechnique, Technique } from '../attack.js';
import type { Detector } from '../detector.js';
import type { FindingWriter } from '../finding.js';
import { modbusEnds } from './modbus-ends.js';

/** The table each read function addresses (Modbus AP V1.1b3 §6.1–6.4). */
const READ_TABLE: Readonly<Record<number, SiteRegister['table']>> = { 1: 'coil', 2: 'discrete', 3: 'holding', 4: 'input' };
/**
 * Functions other detectors judge for listed clients: Diagnostics (8) and UMAS (90) in
 * `plc_command`, Read Device Identification (43) in `recon_scan`.
 */
const JUDGED_ELSEWHERE: ReadonlySet<number> = new Set([8, 43, 90]);
/** Functions that read a server's status or identity (Modbus AP V1.1b3 §6.7, 6.9, 6.10, 6.13). */
const STATUS_FUNCTIONS: ReadonlySet<number> = new Set([7, 11, 12, 17]);
/** Functions that only read process data (§6.1–6.4, 6.14, 6.18). */
const DATA_READ_FUNCTIONS: ReadonlySet<number> = new Set([1, 2, 3, 4, 20, 24]);

/** First and last protocol address of the signals a crane's map places in one table; null when none. */
type Envelope = { readonly first: number; readonly last: number } | null;

/** The address envelope of every table of a crane's register map. */
function envelopes(crane: SiteCrane): Record<SiteRegister['table'], Envelope> {
  const out: Record<SiteRegister['table'], Envelope> = { holding: null, input: null, coil: null, discrete: null };
  for (const r of Object.values(crane.registers)) {
    const e = out[r.table];
    const last = r.address + registerWords(r.type) - 1;
    out[r.table] = e === null ? { first: r.address, last } : { first: Math.min(e.first, r.address), last: Math.max(e.last, last) };
  }
  return out;
}

/**
 * What a listed client of a crane's PLC does beyond what the site (or the baseline that drafted it)
 * gives it: a Modbus function the client's rule does not list (reads, status and identity functions,
 * unknown codes), or a read of a table outside the addresses the crane's register map covers (from the
 * lowest to the highest mapped address of that table). Writes are judged by `unauthorized_write`,
 * Diagnostics and UMAS by `plc_command`, Read Device Identification by `recon_scan`, and clients the
 * site does not list by `unauthorized_client`. Reads `modbus_detailed`; one finding per client, PLC
 * and function (new function) or client, PLC and table (new register range). Vendor-zone clients inside
 * a maintenance window of the crane are accepted. Severity medium. ATT&CK for ICS: T0888 Remote System
 * Information Discovery (status and identity functions), T0801 Monitor Process State (data reads),
 * T0855 Unauthorized Command Message (other functions), T0861 Point & Tag Identification (new range).
 */
export function modbusDeviationDetector(policy: SitePolicy): Detector {
  const maps = new Map<string, Record<SiteRegister['table'], Envelope>>();
  const mapOf = (crane: SiteCrane): Record<SiteRegister['table'], Envelope> => {
    let m = maps.get(crane.id);
    if (m === undefined) {
      m = envelopes(crane);
      maps.set(crane.id, m);
    }
    return m;
  };
  return {
    name: 'modbus_deviation',
    streams: ['modbus_detailed'],
    observe(_stream: string, r: LogRecord, out: FindingWriter): void {
      const raw = fieldNumber(r, 'function_code', -1);
      if (raw < 0) return;
      const fc = raw & 0x7f;
      if (MODBUS_WRITE_FUNCTIONS.has(fc) || JUDGED_ELSEWHERE.has(fc)) return;
      const { client, server } = modbusEnds(r, policy);
      const crane = policy.craneOfPlc(server);
      if (crane === undefined) return;
      const asset = policy.assetByIp(client);
      if (asset === undefined) return;
      const rights = policy.clientsOf(crane.id).find((c) => c.asset === asset.name);
      if (rights === undefined) return;
      const ts = fieldNumber(r, 'ts');
      if (policy.zoneOf(client)?.kind === 'vendor_remote_access' && policy.inMaintenance(crane.id, ts)) return;
      const uid = fieldString(r, 'uid');
      const func = fieldString(r, 'func') || `function ${fc}`;
      const origin = rights.explicit ? "the site file's rule" : 'the rights its role gives it';
      if (!rights.functions.has(fc)) {
        const techniques: IcsTechnique[] = STATUS_FUNCTIONS.has(fc)
          ? [Technique.REMOTE_SYSTEM_INFO_DISCOVERY]
          : DATA_READ_FUNCTIONS.has(fc)
            ? [Technique.MONITOR_PROCESS_STATE]
            : [Technique.UNAUTHORIZED_COMMAND];
        out.report({
          key: `${client}>${server}:fc${fc}`,
          ts,
          severity: 'medium',
          title: `New Modbus function ${fc} from ${asset.name} to ${crane.id}`,
          explanation: `${client} (${asset.name}) used Modbus function ${fc} (${func}) on ${crane.id}'s PLC ${server}; ${origin} lists only functions ${[...rights.functions].sort((a, b) => a - b).join(', ')}.`,
          techniques,
          hosts: [client, server],
          cranes: [crane.id],
          evidence: { stream: 'modbus_detailed', uid },
          action: `Ask the owner of ${asset.name} why it uses function ${fc} on ${crane.id}; if it should, add ${fc} to its functions in the site file.`,
        });
        return;
      }
      const table = READ_TABLE[fc];
      if (table === undefined) return;
      const address = fieldNumber(r, 'address', -1);
      if (address < 0) return;
      const last = address + Math.max(1, fieldNumber(r, 'quantity', 1)) - 1;
      const env = mapOf(crane)[table];
      if (env !== null && address >= env.first && last <= env.last) return;
      const mapped = env === null ? `maps no ${table} addresses` : `maps ${table} addresses ${env.first}–${env.last} only`;
      out.report({
        key: `${client}>${server}:${table}`,
        ts,
        severity: 'medium',
        title: `Read outside ${crane.id}'s register map by ${asset.name}`,
        explanation: `${client} (${asset.name}) read ${table} addresses ${address}–${last} of ${crane.id}'s PLC ${server}, but the crane's register map ${mapped}.`,
        techniques: [Technique.POINT_TAG_IDENTIFICATION, Technique.MONITOR_PROCESS_STATE],
        hosts: [client, server],
        cranes: [crane.id],
        evidence: { stream: 'modbus_detailed', uid },
        action: `Find out why ${asset.name} reads unmapped ${table} addresses of ${crane.id}; if the registers are real signals, name them in the crane's register map.`,
      });
    },
    finish(): void {},
  };
}
