import { fieldNumber, fieldString } from '../../events/fields.js';
import type { LogRecord } from '../../events/record.js';
import type { SitePolicy } from '../../policy/site-policy.js';
import { UMAS_FUNCTION_CODE, UmasFunction, umasName } from '../../protocols/modbus/umas.js';
import { type IcsTechnique, Technique } from '../attack.js';
import type { Detector } from '../detector.js';
import type { FindingWriter, Severity } from '../finding.js';
import { modbusEnds } from './modbus-ends.js';

/** One kind of PLC command the detector watches, with its ATT&CK for ICS techniques and severity. */
interface CommandKind {
  readonly kind: string;
  readonly what: string;
  readonly severity: Severity;
  readonly techniques: readonly IcsTechnique[];
  /** Routine for inventoried hosts (HMIs write PLC variables all day): judged only when the client is not inventoried. */
  readonly routine?: boolean;
}

const STOP: CommandKind = { kind: 'stop', what: 'stopped the PLC (UMAS STOP_PLC)', severity: 'critical', techniques: [Technique.SERVICE_STOP, Technique.CHANGE_OPERATING_MODE] };
const START: CommandKind = { kind: 'start', what: 'started the PLC (UMAS START_PLC)', severity: 'high', techniques: [Technique.CHANGE_OPERATING_MODE] };
const DOWNLOAD: CommandKind = { kind: 'program_download', what: 'transferred a program to the PLC (UMAS strategy upload, PC → PLC)', severity: 'critical', techniques: [Technique.PROGRAM_DOWNLOAD] };
const UPLOAD: CommandKind = { kind: 'program_upload', what: 'copied the PLC program off the PLC (UMAS strategy download, PLC → PC)', severity: 'high', techniques: [Technique.PROGRAM_UPLOAD] };
const RESERVATION: CommandKind = { kind: 'reservation', what: 'took the PLC reservation for an engineering session (UMAS TAKE_PLC_RESERVATION)', severity: 'high', techniques: [Technique.UNAUTHORIZED_COMMAND] };
const DIAG_RESTART: CommandKind = { kind: 'restart_communications', what: 'restarted the PLC communications (Modbus Diagnostics, Restart Communications Option)', severity: 'critical', techniques: [Technique.DEVICE_RESTART_SHUTDOWN] };
const DIAG_LISTEN_ONLY: CommandKind = { kind: 'listen_only', what: 'forced the PLC into listen-only mode (Modbus Diagnostics, Force Listen Only Mode)', severity: 'critical', techniques: [Technique.CHANGE_OPERATING_MODE] };

const S7_STOP: CommandKind = { kind: 'stop', what: 'stopped the PLC (S7comm PLC Stop)', severity: 'critical', techniques: [Technique.SERVICE_STOP, Technique.CHANGE_OPERATING_MODE] };
const S7_CONTROL: CommandKind = { kind: 'plc_control', what: 'sent a PLC Control command (S7comm)', severity: 'high', techniques: [Technique.CHANGE_OPERATING_MODE] };
const S7_DOWNLOAD: CommandKind = { kind: 'program_download', what: 'transferred program blocks to the PLC (S7comm download)', severity: 'critical', techniques: [Technique.PROGRAM_DOWNLOAD] };
const S7_UPLOAD: CommandKind = { kind: 'program_upload', what: 'copied program blocks off the PLC (S7comm upload)', severity: 'high', techniques: [Technique.PROGRAM_UPLOAD] };
const S7_WRITE: CommandKind = { kind: 'write_variable', what: 'wrote PLC memory (S7comm Write Variable)', severity: 'high', techniques: [Technique.UNAUTHORIZED_COMMAND, Technique.MODIFY_PARAMETER], routine: true };
const DNP3_RESTART: CommandKind = { kind: 'restart', what: 'restarted the outstation (DNP3 restart)', severity: 'critical', techniques: [Technique.DEVICE_RESTART_SHUTDOWN] };
const DNP3_APPLICATION: CommandKind = { kind: 'application_control', what: 'started, stopped or initialised an application of the outstation (DNP3)', severity: 'high', techniques: [Technique.CHANGE_OPERATING_MODE] };
const CIP_RESET: CommandKind = { kind: 'reset', what: 'reset the device (CIP Reset service)', severity: 'critical', techniques: [Technique.DEVICE_RESTART_SHUTDOWN] };
const CIP_START_STOP: CommandKind = { kind: 'start_stop', what: 'started or stopped an object of the device (CIP Start / Stop service)', severity: 'high', techniques: [Technique.CHANGE_OPERATING_MODE] };

/** S7comm job functions (ICSNPP `function_code`) and the command kind each is. */
const S7_KINDS: ReadonlyMap<string, CommandKind> = new Map([
  ['0x29', S7_STOP],
  ['0x28', S7_CONTROL],
  ['0x1a', S7_DOWNLOAD],
  ['0x1b', S7_DOWNLOAD],
  ['0x1c', S7_DOWNLOAD],
  ['0x1d', S7_UPLOAD],
  ['0x1e', S7_UPLOAD],
  ['0x1f', S7_UPLOAD],
  ['0x05', S7_WRITE],
]);

/** DNP3 request function names (Zeek `fc_request`; IEEE 1815-2012 Table 4-6) that restart or switch an outstation. */
const DNP3_KINDS: ReadonlyMap<string, CommandKind> = new Map([
  ['COLD_RESTART', DNP3_RESTART],
  ['WARM_RESTART', DNP3_RESTART],
  ['INITIALIZE_DATA', DNP3_APPLICATION],
  ['INITIALIZE_APPL', DNP3_APPLICATION],
  ['START_APPL', DNP3_APPLICATION],
  ['STOP_APPL', DNP3_APPLICATION],
]);

/** CIP common services (ODVA CIP Vol 1 Appendix A: 0x05 Reset, 0x06 Start, 0x07 Stop) that restart or switch a device. */
const CIP_KINDS: ReadonlyMap<string, CommandKind> = new Map([
  ['0x05', CIP_RESET],
  ['0x06', CIP_START_STOP],
  ['0x07', CIP_START_STOP],
]);

/** UMAS function codes (Schneider Electric, Modbus function 90) and the command kind each is. */
const UMAS_KINDS: ReadonlyMap<number, CommandKind> = new Map([
  [UmasFunction.STOP_PLC, STOP],
  [UmasFunction.START_PLC, START],
  [UmasFunction.INITIALIZE_UPLOAD, DOWNLOAD],
  [UmasFunction.UPLOAD_BLOCK, DOWNLOAD],
  [UmasFunction.END_STRATEGY_UPLOAD, DOWNLOAD],
  [UmasFunction.INITIALIZE_DOWNLOAD, UPLOAD],
  [UmasFunction.DOWNLOAD_BLOCK, UPLOAD],
  [UmasFunction.END_STRATEGY_DOWNLOAD, UPLOAD],
  [UmasFunction.TAKE_PLC_RESERVATION, RESERVATION],
]);

/** Modbus Diagnostics (fc 8) sub-functions, by ICSNPP name, that stop or silence a PLC (V1.1b3 §6.8.1). */
const DIAG_KINDS: ReadonlyMap<string, CommandKind> = new Map([
  ['Restart Communications Option', DIAG_RESTART],
  ['Force Listen Only Mode', DIAG_LISTEN_ONLY],
]);

/**
 * PLC commands that change what a crane PLC runs (IEC 62443-3-3 SR 2.1 on engineering access):
 * UMAS (reads `modbus_umas` requests) STOP_PLC, START_PLC, program transfer to the PLC (UMAS
 * "upload" 0x30–0x32) or from it (UMAS "download" 0x33–0x35) and TAKE_PLC_RESERVATION; and Modbus
 * Diagnostics Restart Communications / Force Listen Only (reads `modbus_detailed`, fc 8). A Modbus
 * command is authorized when its client is one of the PLC's listed clients with that Modbus function
 * (90 for UMAS, 8 for diagnostics) and is not in the vendor-remote-access zone, or when it comes from
 * the vendor zone inside a maintenance window of that crane.
 * Siemens S7comm jobs (reads `s7comm` Job-Requests): PLC Stop, PLC Control (start, restart, copy RAM
 * to ROM, compress), block download and upload, Write Variable; DNP3 (`dnp3` fc_request) cold and warm
 * restarts and application start/stop/initialise; CIP (`cip` requests) Reset, Start and Stop. The site
 * lists no clients for these protocols, so such a command to a crane PLC (or any host of a crane-control
 * zone, or an asset with role plc) is authorized only inside a maintenance window of that crane and from
 * an inventoried host; an S7 Write Variable (HMIs write variables all day) only from an inventoried
 * host. One finding per client, PLC and kind.
 * Severity critical for stop, program download and diagnostics restarts; high otherwise.
 * ATT&CK for ICS: T0881 Service Stop + T0858 Change Operating Mode (stop), T0858 (start, listen
 * only), T0843 Program Download, T0845 Program Upload, T0855 Unauthorized Command Message
 * (reservation), T0816 Device Restart/Shutdown; T0848 Rogue Master for a client not in the inventory.
 */
export function plcCommandDetector(policy: SitePolicy): Detector {
  /**
   * Report command `k` from `client` to `plc` (of crane `craneId` when known): the finding both
   * authorization rules below share. `where` names the PLC, `why` ends the explanation.
   */
  const emit = (out: FindingWriter, r: LogRecord, stream: string, k: CommandKind, client: string, plc: string, craneId: string | undefined, where: string, why: string): void => {
    const asset = policy.assetByIp(client);
    const techniques: IcsTechnique[] = [...k.techniques];
    if (asset === undefined) techniques.push(Technique.ROGUE_MASTER);
    const who = asset === undefined ? `${client} (not in the site inventory)` : `${client} (${asset.name})`;
    out.report({
      key: `${client}>${plc}:${k.kind}`,
      ts: fieldNumber(r, 'ts'),
      severity: k.severity,
      title: `PLC ${k.kind.replace(/_/g, ' ')} command to ${craneId ?? plc}`,
      explanation: `${who} ${k.what} on ${where}${why}.`,
      techniques,
      hosts: [client, plc],
      cranes: craneId !== undefined ? [craneId] : [],
      evidence: { stream, uid: fieldString(r, 'uid') },
      action: k.severity === 'critical'
        ? `Make ${craneId ?? 'the crane'} safe, check the PLC's mode and program against the approved version, and block ${client} at the crane-control conduit.`
        : `Find who operates ${client} and whether the engineering session on ${craneId ?? plc} was approved; block it at the crane-control conduit if not.`,
    });
  };
  /** A command over S7comm, DNP3 or CIP: authorized only from an inventoried host inside a maintenance window of the crane. */
  const reportIcs = (out: FindingWriter, r: LogRecord, stream: string, k: CommandKind, client: string, plc: string, detail: string): void => {
    const target = policy.assetByIp(plc);
    const craneId = policy.craneOfPlc(plc)?.id ?? target?.crane;
    if (craneId === undefined && target?.role !== 'plc' && policy.zoneOf(plc)?.kind !== 'crane_control') return;
    const asset = policy.assetByIp(client);
    if (asset !== undefined && (k.routine === true || (craneId !== undefined && policy.inMaintenance(craneId, fieldNumber(r, 'ts'))))) return;
    const where = craneId !== undefined ? `${craneId}'s PLC ${plc}` : `PLC ${plc}${target !== undefined ? ` (${target.name})` : ''}`;
    const why = asset === undefined ? 'from a host the site does not know' : craneId !== undefined ? 'outside any maintenance window of the crane' : 'and no maintenance window covers it';
    emit(out, r, stream, k, client, plc, craneId, where, `${detail}, ${why}`);
  };
  /** A Modbus command: authorized for a listed client with Modbus function `fc`, or the vendor zone inside a maintenance window. */
  const report = (out: FindingWriter, r: LogRecord, stream: string, k: CommandKind, fc: number, client: string, plc: string, detail: string): void => {
    const crane = policy.craneOfPlc(plc);
    if (crane === undefined) return;
    const asset = policy.assetByIp(client);
    const vendor = policy.zoneOf(client)?.kind === 'vendor_remote_access';
    if (vendor && policy.inMaintenance(crane.id, fieldNumber(r, 'ts'))) return;
    const listed = asset !== undefined && policy.clientsOf(crane.id).some((c) => c.asset === asset.name && c.functions.has(fc));
    if (listed && !vendor) return;
    const reason = asset === undefined
      ? 'it is not in the site inventory'
      : !listed
        ? `${asset.name} is not listed as a client of this PLC with function ${fc}`
        : `${asset.name} is in the vendor remote-access zone and no maintenance window is open`;
    emit(out, r, stream, k, client, plc, crane.id, `${crane.id}'s PLC ${plc}`, `${detail}; the site does not allow it: ${reason}`);
  };
  return {
    name: 'plc_command',
    streams: ['modbus_umas', 'modbus_detailed', 's7comm', 'dnp3', 'cip'],
    observe(stream: string, r: LogRecord, out: FindingWriter): void {
      if (stream === 's7comm') {
        if (fieldString(r, 'rosctr_name') !== 'Job-Request') return;
        const k = S7_KINDS.get(fieldString(r, 'function_code'));
        if (k === undefined) return;
        const service = fieldString(r, 'subfunction_name');
        reportIcs(out, r, stream, k, fieldString(r, 'source_h'), fieldString(r, 'destination_h'), service !== '' ? ` (${service})` : '');
        return;
      }
      if (stream === 'dnp3') {
        const fc = fieldString(r, 'fc_request');
        const k = DNP3_KINDS.get(fc);
        if (k === undefined) return;
        reportIcs(out, r, stream, k, fieldString(r, 'id.orig_h'), fieldString(r, 'id.resp_h'), ` (${fc})`);
        return;
      }
      if (stream === 'cip') {
        if (fieldString(r, 'direction') !== 'request') return;
        const k = CIP_KINDS.get(fieldString(r, 'cip_service_code'));
        if (k === undefined) return;
        const cls = fieldString(r, 'class_name') || fieldString(r, 'class_id');
        reportIcs(out, r, stream, k, fieldString(r, 'source_h'), fieldString(r, 'destination_h'), cls !== '' ? ` (${fieldString(r, 'cip_service')} on the ${cls} object)` : '');
        return;
      }
      if (stream === 'modbus_umas') {
        if (fieldString(r, 'pdu_type') !== 'REQ') return;
        const code = fieldNumber(r, 'umas_code', -1);
        const k = UMAS_KINDS.get(code);
        if (k === undefined) return;
        const block = fieldNumber(r, 'block', -1);
        const detail = ` (${umasName(code)}${block >= 0 ? `, block ${block}` : ''})`;
        report(out, r, stream, k, UMAS_FUNCTION_CODE, fieldString(r, 'source_h'), fieldString(r, 'destination_h'), detail);
        return;
      }
      if (fieldNumber(r, 'function_code', -1) !== 8) return;
      const k = DIAG_KINDS.get(fieldString(r, 'request_subfunction_code'));
      if (k === undefined) return;
      const { client, server } = modbusEnds(r, policy);
      report(out, r, stream, k, 8, client, server, '');
    },
    finish(): void {},
  };
}
