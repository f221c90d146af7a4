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

/** `s7comm_known_devices`: identity read from SZL 0x001c (component identification), one row per flow. */
export const KNOWN_DEVICES_STREAM: StreamSchema = defineStream({
  name: 's7comm_known_devices',
  doc: 'Device identity from Read SZL 0x001c responses, written when the flow ends (ICSNPP s7comm_known_devices.log).',
  fields: [
    ...ICSNPP_SIDE_FIELDS,
    { name: 'automation_system_name', type: 'string', doc: 'SZL 0x001c index 1: name of the automation system.' },
    { name: 'module_name', type: 'string', doc: 'Index 2: name of the module.' },
    { name: 'plant_name', type: 'string', doc: 'Index 3: plant designation.' },
    { name: 'module_serial', type: 'string', doc: 'Index 5: serial number of the module.' },
    { name: 'module_type_name', type: 'string', doc: 'Index 7: module type name (e.g. CPU 315-2 PN/DP).' },
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
