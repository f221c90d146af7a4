import { fieldNumber, fieldNumbers, fieldString } from '../../events/fields.js';
import type { LogRecord } from '../../events/record.js';
import { MODBUS_WRITE_FUNCTIONS, type SitePolicy } from '../../policy/site-policy.js';
import { registerWords, type SiteCrane, type SiteRegister } from '../../policy/site-schema.js';
import { type IcsTechnique, Technique } from '../attack.js';
import type { Detector } from '../detector.js';
import type { FindingWriter, Severity } from '../finding.js';
import { modbusEnds } from './modbus-ends.js';

/** Modbus function names as the logs' `func` field has them, for the explanation. */
const FUNCTION_NAMES: Readonly<Record<number, string>> = {
  5: 'Write Single Coil',
  6: 'Write Single Register',
  15: 'Write Multiple Coils',
  16: 'Write Multiple Registers',
  22: 'Mask Write Register',
  23: 'Read/Write Multiple Registers',
};

/** Signals whose writing stops a crane or changes its mode. */
const STOP_SIGNAL = /^(emergency_stop|estop|stop|stop_command|run|plc_run)$|(^|_)mode$/;
/** Signals whose writing weakens a protection: interlocks, bypasses, trip thresholds. */
const PROTECTION_SIGNAL = /interlock|bypass|limit_switch|overload|protection|threshold/;

/** The Modbus table a write function addresses (Modbus AP V1.1b3 §4.3). */
function tableOf(fc: number): SiteRegister['table'] {
  return fc === 5 || fc === 15 ? 'coil' : 'holding';
}

/** Signals of a crane's map overlapping [first, last] of a table. */
function signalsAt(crane: SiteCrane, table: SiteRegister['table'], first: number, last: number): string[] {
  const out: string[] = [];
  for (const [sig, r] of Object.entries(crane.registers)) {
    if (r.table !== table) continue;
    const end = r.address + registerWords(r.type) - 1;
    if (r.address <= last && end >= first) out.push(sig);
  }
  return out;
}

/**
 * The written value in words: for one 16-bit signal of the register map written from its first
 * register, the engineering value (raw × scale, i16 sign-extended) with its unit, and the raw word
 * when scaled (`wind_stop_threshold = 45 m/s (raw 450)`); otherwise the raw words, at most eight.
 */
function writtenText(crane: SiteCrane, signals: readonly string[], address: number, values: readonly number[]): string {
  if (values.length === 0) return '';
  const reg = signals.length === 1 ? crane.registers[signals[0]] : undefined;
  if (reg === undefined || reg.address !== address || (reg.type !== 'u16' && reg.type !== 'i16')) return ` = ${values.slice(0, 8).join(',')}`;
  const raw = values[0];
  const signed = reg.type === 'i16' && raw >= 0x8000 ? raw - 0x10000 : raw;
  const value = Number((signed * reg.scale).toPrecision(6));
  return ` = ${value}${reg.unit === '' ? '' : ` ${reg.unit}`}${reg.scale === 1 ? '' : ` (raw ${raw})`}`;
}

/**
 * Modbus writes to a crane's PLC that the site does not authorize (IEC 62443-3-3 SR 2.1): from a
 * client that is not among the PLC's clients, with a function the client may not use, or to
 * registers outside the signals it may write. Writes from a vendor-remote-access zone inside a
 * maintenance window of that crane are the vendor's authorized work and are not reported.
 * Reads `modbus_detailed` (one row per transaction: function, address, quantity, values).
 * ATT&CK for ICS: T0855 always; T0848 when the client is not inventoried; T0858 for a mode or stop
 * signal; T0837 for an interlock, bypass or trip threshold; T0836 for any other signal (setpoints).
 */
export function unauthorizedWriteDetector(policy: SitePolicy): Detector {
  return {
    name: 'unauthorized_write',
    streams: ['modbus_detailed'],
    observe(_stream: string, r: LogRecord, out: FindingWriter): void {
      const fc = fieldNumber(r, 'function_code', -1);
      if (!MODBUS_WRITE_FUNCTIONS.has(fc)) return;
      const { client, server: plcIp } = modbusEnds(r, policy);
      const crane = policy.craneOfPlc(plcIp);
      if (crane === undefined) return;
      const ts = fieldNumber(r, 'ts');
      const asset = policy.assetByIp(client);
      const zone = policy.zoneOf(client);
      if (zone?.kind === 'vendor_remote_access' && policy.inMaintenance(crane.id, ts)) return;
      const address = fieldNumber(r, 'address', -1);
      const quantity = Math.max(1, fieldNumber(r, 'quantity', 1));
      const table = tableOf(fc);
      const last = address + quantity - 1;
      const rights = asset === undefined ? undefined : policy.clientsOf(crane.id).find((c) => c.asset === asset.name);
      let reason: string;
      if (rights === undefined) reason = asset === undefined ? 'it is not in the site inventory' : `${asset.name} is not a client of this PLC`;
      else if (!rights.functions.has(fc)) reason = `${asset?.name} may not use function ${fc}`;
      else if (address < 0 || !rights.writes.some((w) => w.table === table && w.first <= address && w.last >= last)) reason = `${asset?.name} may not write these registers`;
      else return;
      const signals = address >= 0 ? signalsAt(crane, table, address, last) : [];
      const stop = signals.some((s) => STOP_SIGNAL.test(s));
      const protection = signals.some((s) => PROTECTION_SIGNAL.test(s));
      const techniques: IcsTechnique[] = [Technique.UNAUTHORIZED_COMMAND];
      if (asset === undefined) techniques.push(Technique.ROGUE_MASTER);
      if (stop) techniques.push(Technique.CHANGE_OPERATING_MODE);
      if (protection) techniques.push(Technique.LOSS_OF_PROTECTION);
      if (!stop) techniques.push(Technique.MODIFY_PARAMETER);
      const severity: Severity = stop || protection ? 'critical' : 'high';
      const values = fieldNumbers(r, 'request_values');
      const what = signals.length > 0 ? signals.join(', ') : `unmapped ${table} ${address < 0 ? '?' : address}${quantity > 1 ? `–${last}` : ''}`;
      const who = asset === undefined ? `${client} (not in the site inventory)` : `${client} (${asset.name})`;
      out.report({
        key: `${client}>${plcIp}:${fc}:${signals.join('+') || `${table}${address}`}`,
        ts,
        severity,
        title: `Unauthorized Modbus write to ${crane.id}${stop ? ' (stop / mode)' : protection ? ' (protection)' : ''}`,
        explanation:
          `${who} wrote ${what}${writtenText(crane, signals, address, values)} on ${crane.id}'s PLC ${plcIp} with ` +
          `${FUNCTION_NAMES[fc] ?? `function ${fc}`} (fc ${fc}); the site does not allow it: ${reason}.`,
        techniques,
        hosts: [client, plcIp],
        cranes: [crane.id],
        evidence: { stream: 'modbus_detailed', uid: fieldString(r, 'uid') },
        action: stop
          ? `Check ${crane.id} is safe and in the intended mode; block ${client} at the crane-control conduit and find who operates it.`
          : `Verify ${crane.id}'s setpoints against the approved values; block ${client} from the PLC and find who operates it.`,
      });
    },
    finish(): void {},
  };
}
