import { scanContainerNumbers } from '../../crane/container-scan.js';
import { fieldNumber, fieldNumbers, fieldString } from '../../events/fields.js';
import type { LogRecord } from '../../events/record.js';
import type { SitePolicy } from '../../policy/site-policy.js';
import { registerWords, type SiteCrane } from '../../policy/site-schema.js';
import { type IcsTechnique, Technique } from '../attack.js';
import type { Detector } from '../detector.js';
import type { FindingWriter, Severity } from '../finding.js';
import { modbusEnds } from './modbus-ends.js';

/** Functions writing holding registers: 6, 16, 23 (Modbus AP V1.1b3 §6.6, 6.12, 6.17). */
const HOLDING_WRITES = new Set([6, 16, 23]);
/** Functions whose responses carry register values: 3, 4, 23 (§6.3, 6.4, 6.17). */
const REGISTER_READS = new Set([3, 4, 23]);
/** Registers decoded per row (a Modbus PDU carries at most 125). */
const MAX_REGISTERS = 125;
/** Numbers seen in writes remembered per PLC (to name who hid what a reader picks up). */
const MAX_HIDDEN = 4096;

/**
 * Container numbers hidden in PLC registers (a dead drop) and writes to holding registers the crane's
 * register map does not define. Reads `modbus_detailed`: the register values of writes
 * (`request_values`) and of reads (`response_values`) as ASCII, two characters per register in both
 * byte orders (Modbus AP V1.1b3 §4.2 puts the high byte first; some clients swap), searched for ISO
 * 6346 numbers; and every write of a holding register outside the site's `cranes[].registers`.
 * One finding per (client, PLC): high for a write carrying numbers or an unmapped write, critical
 * for a read returning numbers (the data left the PLC; the explanation names who hid them).
 * ATT&CK for ICS: T0882 Theft of Operational Information; T0855 Unauthorized Command Message for the writes.
 */
export function covertModbusDetector(policy: SitePolicy): Detector {
  const bytes = new Uint8Array(2 * MAX_REGISTERS);
  const mapped = new Map<string, Set<number>>();
  /** Per PLC: container number → the host that wrote it. */
  const hidden = new Map<string, Map<string, string>>();

  function mappedHolding(crane: SiteCrane): Set<number> {
    let s = mapped.get(crane.id);
    if (s === undefined) {
      s = new Set();
      for (const r of Object.values(crane.registers)) if (r.table === 'holding') for (let k = 0; k < registerWords(r.type); k++) s.add(r.address + k);
      mapped.set(crane.id, s);
    }
    return s;
  }

  /** Container numbers in register values read as ASCII, high byte first and then low byte first. */
  function numbersIn(values: readonly number[]): string[] {
    const n = Math.min(values.length, MAX_REGISTERS);
    const out: string[] = [];
    for (let order = 0; order < 2; order++) {
      for (let i = 0; i < n; i++) {
        const v = values[i] & 0xffff;
        bytes[2 * i + order] = v >>> 8;
        bytes[2 * i + 1 - order] = v & 0xff;
      }
      for (const h of scanContainerNumbers(bytes.subarray(0, 2 * n)).hits) if (!out.includes(h.number)) out.push(h.number);
    }
    return out;
  }

  function who(ip: string): string {
    const a = policy.assetByIp(ip);
    return a === undefined ? `${ip} (not in the site inventory)` : `${ip} (${a.name})`;
  }

  return {
    name: 'covert_channel_modbus',
    streams: ['modbus_detailed'],
    observe(_stream: string, r: LogRecord, out: FindingWriter): void {
      const fc = fieldNumber(r, 'function_code', -1);
      const write = HOLDING_WRITES.has(fc);
      if (!write && !REGISTER_READS.has(fc)) return;
      const { client, server: plc } = modbusEnds(r, policy);
      const crane = policy.craneOfPlc(plc);
      const plcName = crane === undefined ? `PLC ${plc}` : `${crane.id}'s PLC ${plc}`;
      const ts = fieldNumber(r, 'ts');
      const address = fieldNumber(r, 'address', -1);
      const quantity = Math.max(1, fieldNumber(r, 'quantity', 1));
      const uid = fieldString(r, 'uid');
      const base = { key: `${client}>${plc}`, ts, hosts: [client, plc], cranes: crane === undefined ? [] : [crane.id], evidence: { stream: 'modbus_detailed', uid } };
      if (write) {
        const numbers = numbersIn(fieldNumbers(r, 'request_values'));
        let unmapped = false;
        if (crane !== undefined && address >= 0) {
          const m = mappedHolding(crane);
          for (let a = address; a < address + quantity && !unmapped; a++) unmapped = !m.has(a);
        }
        if (numbers.length === 0 && !unmapped) return;
        let drop = hidden.get(plc);
        if (drop === undefined) hidden.set(plc, (drop = new Map()));
        for (const n of numbers) if (drop.size < MAX_HIDDEN && !drop.has(n)) drop.set(n, client);
        const range = `holding register${quantity > 1 ? `s ${address}–${address + quantity - 1}` : ` ${address}`}`;
        const techniques: IcsTechnique[] = numbers.length > 0 ? [Technique.THEFT_OF_OPERATIONAL_INFORMATION, Technique.UNAUTHORIZED_COMMAND] : [Technique.UNAUTHORIZED_COMMAND];
        out.report({
          ...base,
          severity: 'high' as Severity,
          title: numbers.length > 0 ? `Container numbers hidden in ${crane?.id ?? plc}'s PLC` : `Write to unmapped registers of ${crane?.id ?? plc}'s PLC`,
          explanation:
            numbers.length > 0
              ? `${who(client)} wrote container number${numbers.length > 1 ? 's' : ''} ${numbers.slice(0, 4).join(', ')} as ASCII into ${unmapped ? 'unmapped ' : ''}${range} of ${plcName} (fc ${fc}); PLC registers are no place for container data — a dead drop for someone to read.`
              : `${who(client)} wrote ${range} of ${plcName} (fc ${fc}), which the crane's register map does not define; nothing of the crane's process lives there.`,
          techniques,
          action: `Find what on ${client} writes ${range} of ${plcName}, clear those registers, and watch who reads them.`,
        });
        return;
      }
      const numbers = numbersIn(fieldNumbers(r, 'response_values'));
      if (numbers.length === 0) return;
      const drop = hidden.get(plc);
      const writers = new Set<string>();
      for (const n of numbers) {
        const w = drop?.get(n);
        if (w !== undefined) writers.add(w);
      }
      const from = writers.size > 0 ? `, hidden there by ${[...writers].map(who).join(', ')}` : '';
      out.report({
        ...base,
        severity: 'critical',
        title: `Container numbers collected from ${crane?.id ?? plc}'s PLC`,
        explanation:
          `${who(client)} read ${numbers.length} container number${numbers.length > 1 ? 's' : ''} (e.g. ${numbers[0]}) out of holding registers ${address}–${address + quantity - 1} of ${plcName} (fc ${fc})${from}; ` +
          'the PLC is being used as a covert channel for container data.',
        hosts: [client, plc, ...writers],
        techniques: [Technique.THEFT_OF_OPERATIONAL_INFORMATION],
        action: `Block ${client} from ${plcName}, find who operates it, and clear the registers used as a drop.`,
      });
    },
    finish(): void {},
  };
}
