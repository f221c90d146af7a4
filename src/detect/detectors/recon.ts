import { fieldNumber, fieldString } from '../../events/fields.js';
import type { LogRecord } from '../../events/record.js';
import type { SitePolicy } from '../../policy/site-policy.js';
import { type IcsTechnique, Technique } from '../attack.js';
import type { Detector } from '../detector.js';
import type { FindingWriter } from '../finding.js';
import { answered, connView } from './conn-fields.js';
import { modbusEnds } from './modbus-ends.js';

/** Seconds over which one source's probes are counted. */
export const RECON_WINDOW_SEC = 60;
/** Distinct unanswered (host, port) targets of one source within the window that make a port scan. */
export const PORT_SCAN_TARGETS = 10;
/** Distinct unit ids one client addresses on one server within the window that make a unit-id sweep. */
export const UNIT_SWEEP_UNITS = 8;
/** Distinct function codes answered ILLEGAL_FUNCTION for one client within the window that make a function-code sweep. */
export const FUNCTION_SWEEP_CODES = 3;
/** ILLEGAL_DATA_ADDRESS answers to one client within the window that make a register scan. */
export const REGISTER_SCAN_EXCEPTIONS = 10;
/** Sources and client/server pairs tracked at once (the oldest window is forgotten beyond). */
const MAX_TRACKED = 10_000;

interface Window {
  start: number;
  targets: Set<string>;
  units: Set<number>;
  illegalFunctions: Set<number>;
  addressErrors: number;
  lastUid: string;
}

/**
 * Reconnaissance of the crane network: TCP/UDP port scans (one source, ≥ PORT_SCAN_TARGETS distinct
 * unanswered host:port targets within RECON_WINDOW_SEC; reads `conn`), and Modbus sweeps of a PLC
 * (reads `modbus_detailed`): unit-id sweeps, function-code sweeps (ILLEGAL_FUNCTION answers to
 * several codes) and register scans (many ILLEGAL_DATA_ADDRESS answers), and Read Device
 * Identification (fc 43) by a client the site does not list for that PLC. One finding per source
 * and kind. ATT&CK for ICS: T0846 Remote System Discovery (port scan), T0888 Remote System
 * Information Discovery (identification, unit and function sweeps), T0861 Point & Tag
 * Identification (register scan).
 */
export function reconDetector(policy: SitePolicy): Detector {
  const windows = new Map<string, Window>();
  const windowOf = (key: string, ts: number): Window => {
    let w = windows.get(key);
    if (w === undefined || ts - w.start > RECON_WINDOW_SEC) {
      if (w === undefined && windows.size >= MAX_TRACKED) windows.delete(windows.keys().next().value as string);
      w = { start: ts, targets: new Set(), units: new Set(), illegalFunctions: new Set(), addressErrors: 0, lastUid: '' };
      windows.set(key, w);
    }
    return w;
  };
  const report = (out: FindingWriter, kind: string, ts: number, src: string, dst: string, detail: string, techniques: IcsTechnique[], uid: string, stream: string): void => {
    const target = policy.assetByIp(dst);
    const crane = target?.crane ?? policy.craneOfPlc(dst)?.id;
    const asset = policy.assetByIp(src);
    out.report({
      key: `${kind}:${src}`,
      ts,
      severity: 'high',
      title: `Reconnaissance: ${kind} from ${src}`,
      explanation: `${src}${asset !== undefined ? ` (${asset.name})` : ' (not in the site inventory)'} ${detail}.`,
      techniques,
      hosts: dst === '' ? [src] : [src, dst],
      cranes: crane !== undefined ? [crane] : [],
      evidence: { stream, uid },
      action: `Find the device at ${src} and who operates it; scans of crane controllers often come before commands.`,
    });
  };
  return {
    name: 'recon_scan',
    streams: ['conn', 'modbus_detailed'],
    observe(stream: string, r: LogRecord, out: FindingWriter): void {
      if (stream === 'conn') {
        const c = connView(r);
        if ((c.proto !== 'tcp' && c.proto !== 'udp') || answered(c)) return;
        const w = windowOf(`scan:${c.orig}`, c.ts);
        if (w.targets.size < PORT_SCAN_TARGETS) w.targets.add(`${c.resp}:${c.respPort}/${c.proto}`);
        if (w.targets.size >= PORT_SCAN_TARGETS) {
          report(out, 'port scan', c.ts, c.orig, c.resp, `probed ${PORT_SCAN_TARGETS} or more host:port targets that did not answer within ${RECON_WINDOW_SEC} s`, [Technique.REMOTE_SYSTEM_DISCOVERY], c.uid, 'conn');
        }
        return;
      }
      const fc = fieldNumber(r, 'function_code', -1);
      const { client, server } = modbusEnds(r, policy);
      const ts = fieldNumber(r, 'ts');
      const uid = fieldString(r, 'uid');
      const exception = fieldString(r, 'exception_code');
      const w = windowOf(`modbus:${client}>${server}`, ts);
      const unit = fieldNumber(r, 'unit', -1);
      if (unit >= 0 && w.units.size < UNIT_SWEEP_UNITS) w.units.add(unit);
      if (exception === 'ILLEGAL_FUNCTION' && w.illegalFunctions.size < FUNCTION_SWEEP_CODES) w.illegalFunctions.add(fc);
      if (exception === 'ILLEGAL_DATA_ADDRESS') w.addressErrors++;
      if (w.units.size >= UNIT_SWEEP_UNITS) report(out, 'Modbus unit-id sweep', ts, client, server, `addressed ${UNIT_SWEEP_UNITS} or more Modbus unit ids of ${server} within ${RECON_WINDOW_SEC} s`, [Technique.REMOTE_SYSTEM_INFO_DISCOVERY], uid, 'modbus_detailed');
      if (w.illegalFunctions.size >= FUNCTION_SWEEP_CODES) report(out, 'Modbus function-code sweep', ts, client, server, `tried function codes ${server} does not support (${[...w.illegalFunctions].join(', ')}) within ${RECON_WINDOW_SEC} s`, [Technique.REMOTE_SYSTEM_INFO_DISCOVERY], uid, 'modbus_detailed');
      if (w.addressErrors >= REGISTER_SCAN_EXCEPTIONS) report(out, 'Modbus register scan', ts, client, server, `read ${w.addressErrors} register ranges of ${server} that do not exist within ${RECON_WINDOW_SEC} s`, [Technique.POINT_TAG_IDENTIFICATION], uid, 'modbus_detailed');
      if (fc === 43) {
        const crane = policy.craneOfPlc(server);
        const asset = policy.assetByIp(client);
        const listed = crane !== undefined && asset !== undefined && policy.clientsOf(crane.id).some((c) => c.asset === asset.name && c.functions.has(43));
        if (crane !== undefined && !listed) report(out, 'PLC identification read', ts, client, server, `read the device identification of ${crane.id}'s PLC ${server} (vendor, product, firmware), which it is not listed to do`, [Technique.REMOTE_SYSTEM_INFO_DISCOVERY], uid, 'modbus_detailed');
      }
    },
    finish(): void {},
  };
}
