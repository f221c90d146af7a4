import type { LogRecord } from '../../events/record.js';
import { defineStream, type StreamSchema } from '../../events/schema.js';
import { ICSNPP_SIDE_FIELDS, sideFields, type FlowIds } from '../icsnpp-fields.js';

/**
 * S7comm log streams, named and ordered as ICSNPP-S7comm writes them (scripts/icsnpp/s7comm/main.zeek:
 * cotp, s7comm, s7comm_read_szl, s7comm_upload_download, s7comm_known_devices, s7comm_plus). Fields after
 * the peer's last one are this project's additions. Unset fields are null.
 */


/** `cotp`: one row per COTP TPDU (ISO 8073 §13). */
export const COTP_STREAM: StreamSchema = defineStream({
  name: 'cotp',
  doc: 'COTP TPDUs carried in TPKT on ISO-on-TCP (ICSNPP cotp.log).',
  fields: [
    ...ICSNPP_SIDE_FIELDS,
    { name: 'pdu_code', type: 'string', doc: 'TPDU code, upper nibble of the code byte, 0xNN (cotp.type >> 4).' },
    { name: 'pdu_name', type: 'string', doc: 'TPDU name (DT Data, CR Connection Request …).' },
  ],
});

/** `s7comm`: one row per S7comm PDU (header level). */
export const S7COMM_STREAM: StreamSchema = defineStream({
  name: 's7comm',
  doc: 'S7comm PDUs: message type, PDU reference, function, user-data subfunction and error (ICSNPP s7comm.log).',
  fields: [
    ...ICSNPP_SIDE_FIELDS,
    { name: 'rosctr_code', type: 'count', doc: 'ROSCTR message type (s7comm.header.rosctr).' },
    { name: 'rosctr_name', type: 'string', doc: 'Job-Request, ACK, ACK-Data, User-Data.' },
    { name: 'pdu_reference', type: 'count', doc: 'PDU reference, big-endian as on the wire (s7comm.header.pduref).' },
    { name: 'function_code', type: 'string', doc: 'Function byte 0xNN (s7comm.param.func); User-Data: type<<4|group.' },
    { name: 'function_name', type: 'string', doc: 'Function name (User-Data: "Request: CPU Functions" …).' },
    { name: 'subfunction_code', type: 'string', doc: 'User-Data subfunction 0xNN, or the PI service of a PLC Control job.' },
    { name: 'subfunction_name', type: 'string', doc: 'Subfunction or PI service name.' },
    { name: 'error_class', type: 'string', doc: 'Error class name (Ack / Ack-Data), or No error / Parameter Error (User-Data responses).' },
    { name: 'error_code', type: 'string', doc: 'Error code 0xNN (Ack / Ack-Data), or the 16-bit User-Data error code.' },
  ],
});

/** `s7comm_read_szl`: Read SZL requests and responses. */
export const READ_SZL_STREAM: StreamSchema = defineStream({
  name: 's7comm_read_szl',
  doc: 'Read SZL (system status list) requests and responses; a fragmented response is one row at its last fragment (ICSNPP s7comm_read_szl.log).',
  fields: [
    ...ICSNPP_SIDE_FIELDS,
    { name: 'pdu_reference', type: 'count', doc: 'PDU reference (s7comm.header.pduref).' },
    { name: 'method', type: 'string', doc: 'Request or Response (user-data method byte).' },
    { name: 'szl_id', type: 'string', doc: 'SZL id 0xNNNN (s7comm.data.userdata.szl_id).' },
    { name: 'szl_id_name', type: 'string', doc: 'SZL name by the low byte of the id.' },
    { name: 'szl_index', type: 'string', doc: 'SZL index 0xNNNN (s7comm.data.userdata.szl_index).' },
    { name: 'return_code', type: 'string', doc: 'Data return code 0xNN (s7comm.data.returncode).' },
    { name: 'return_code_name', type: 'string', doc: 'Return code name (Success …).' },
  ],
});

/** `s7comm_upload_download`: block transfer jobs and acks (functions 0x1a–0x1f). */
export const UPLOAD_DOWNLOAD_STREAM: StreamSchema = defineStream({
  name: 's7comm_upload_download',
  doc: 'Program block upload and download: start, transfer and end of each, both directions (ICSNPP s7comm_upload_download.log).',
  fields: [
    ...ICSNPP_SIDE_FIELDS,
    { name: 'rosctr', type: 'string', doc: 'Job-Request or ACK-Data.' },
    { name: 'pdu_reference', type: 'count', doc: 'PDU reference (s7comm.header.pduref).' },
    { name: 'function_name', type: 'string', doc: 'Start Upload, Upload, End Upload, Request Download, Download Block, Download Ended.' },
    { name: 'function_status', type: 'string', doc: 'Function status byte 0xNN.' },
    { name: 'session_id', type: 'count', doc: 'Upload / download session id.' },
    { name: 'blocklength', type: 'count', doc: 'Block length in bytes (Start Upload ack: announced; Upload / Download Block: bytes carried).' },
    { name: 'filename', type: 'string', doc: 'Block file name _TTNNNNNF (type, number, file system).' },
    { name: 'block_type', type: 'string', doc: 'Block type name (Organization Block, Data Block, System Data Block …).' },
    { name: 'block_number', type: 'string', doc: 'Block number, 5 ASCII digits.' },
    { name: 'destination_filesystem', type: 'string', doc: 'Active or Passive file system.' },
  ],
});

/**
 * `s7comm_known_devices`: identity read from Read SZL 0x0011 (module identification) and 0x001c
 * (component identification) responses, one row per flow (devices.ts). ICSNPP's four fields come
 * first; the rest are this project's, named after Wireshark's `s7comm.szl.xy11.*` / `s7comm.szl.001c.*`.
 */
export const KNOWN_DEVICES_STREAM: StreamSchema = defineStream({
  name: 's7comm_known_devices',
  doc: 'Device identity from Read SZL 0x0011 and 0x001c responses, written when the flow ends (ICSNPP s7comm_known_devices.log, plus order number, versions and the other 0x001c records).',
  fields: [
    ...ICSNPP_SIDE_FIELDS,
    { name: 'automation_system_name', type: 'string', doc: 'SZL 0x001c index 1: name of the automation system (the station name the user gave; s7comm.szl.001c.0001.name).' },
    { name: 'module_name', type: 'string', doc: 'Index 2: name of the module (user-given, e.g. PLC_1; s7comm.szl.001c.0002.name).' },
    { name: 'plant_name', type: 'string', doc: 'Index 3: plant designation (s7comm.szl.001c.0003.tag).' },
    { name: 'module_serial', type: 'string', doc: 'Index 5: serial number of the module (s7comm.szl.001c.0005.serialn).' },
    { name: 'module_type_name', type: 'string', doc: 'Index 7: module type name, e.g. CPU 315-2 PN/DP (s7comm.szl.001c.0007.cputypname).' },
    { name: 'order_number', type: 'string', doc: 'SZL 0x0011 index 0x0001: order number (MlfB) of the module, e.g. 6ES7 315-2EH14-0AB0 (s7comm.szl.xy11.0001.anz).' },
    { name: 'hardware_version', type: 'count', doc: 'SZL 0x0011 index 0x0006: version of the basic hardware (Ausbg, s7comm.szl.xy11.0001.ausbg).' },
    { name: 'firmware_version', type: 'string', doc: 'SZL 0x0011 index 0x0007: version of the basic firmware, letter and three numbers from Ausbg and Ausbe, e.g. V 3.2.7.' },
    { name: 'copyright', type: 'string', doc: 'SZL 0x001c index 4: copyright entry (s7comm.szl.001c.0004.copyright).' },
    { name: 'memory_card_serial', type: 'string', doc: 'Index 8: serial number of the memory card (s7comm.szl.001c.0008.snmcmmc).' },
    { name: 'manufacturer_id', type: 'count', doc: 'Index 9: manufacturer id (PROFIBUS / PROFINET vendor id, 42 = Siemens; s7comm.szl.001c.0009.manufacturer_id).' },
    { name: 'profile_id', type: 'count', doc: 'Index 9: profile id (s7comm.szl.001c.0009.profile_id).' },
    { name: 'profile_specific_type', type: 'count', doc: 'Index 9: profile-specific type (s7comm.szl.001c.0009.profile_spec_typ).' },
    { name: 'oem_copyright', type: 'string', doc: 'Index 10: OEM copyright id (s7comm.szl.001c.000a.oem_copyright_string).' },
    { name: 'oem_id', type: 'count', doc: 'Index 10: OEM id (s7comm.szl.001c.000a.oem_id).' },
    { name: 'oem_additional_id', type: 'count', doc: 'Index 10: OEM additional id (s7comm.szl.001c.000a.oem_add_id).' },
    { name: 'location', type: 'string', doc: 'Index 11: location designation (s7comm.szl.001c.000b.loc_id).' },
  ],
});

/** `s7comm_plus`: S7comm-plus header fields, one row per PDU. */
export const S7COMM_PLUS_STREAM: StreamSchema = defineStream({
  name: 's7comm_plus',
  doc: 'S7comm-plus PDU headers: version, opcode and function (ICSNPP s7comm_plus.log).',
  fields: [
    ...ICSNPP_SIDE_FIELDS,
    { name: 'version', type: 'count', doc: 'Protocol version byte (1, 2, 3).' },
    { name: 'opcode', type: 'string', doc: 'Opcode 0xNN.' },
    { name: 'opcode_name', type: 'string', doc: 'Request, Response or Notification.' },
    { name: 'function_code', type: 'string', doc: 'Function 0xNNNN of a request or response.' },
    { name: 'function_name', type: 'string', doc: 'Function name (Get Multi Variables …).' },
  ],
});

/**
 * A `cotp` record.
 * @param code TPDU code as `0xNN` (upper nibble of the COTP code byte)
 * @param name the TPDU name (names.ts cotpPduName)
 */
export function cotpRecord(f: FlowIds, ts: number, isOrig: boolean, code: string, name: string): LogRecord {
  const r = sideFields(f, ts, isOrig);
  r.pdu_code = code;
  r.pdu_name = name;
  return r;
}
