/**
 * Code-to-name tables of COTP (ISO 8073 §13 TPDU codes), S7comm and S7comm-plus, spelt as ICSNPP-S7comm
 * writes them (scripts/consts.zeek) so logs compare field for field; codes are also logged raw beside
 * the names. Unknown codes get ICSNPP's fallback text. All lookups are allocation-free for known codes.
 */

const COTP_PDU: Readonly<Record<number, string>> = {
  0x1: 'ED Expedited Data',
  0x2: 'EA Expedited Data Acknowledgement',
  0x5: 'RJ Reject',
  0x6: 'AK Data Acknowledgement',
  0x7: 'ER TPDU Error',
  0x8: 'DR Disconnect Request',
  0xc: 'DC Disconnect Confirm',
  0xd: 'CC Connection Confirm',
  0xe: 'CR Connection Request',
  0xf: 'DT Data',
};

/** `0xNN` for every byte value, built once (codes are logged as hex text, as ICSNPP does). */
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => `0x${i.toString(16).padStart(2, '0')}`);

/** `0xNN` of a byte (0..255). */
export function hex2(v: number): string {
  return HEX2[v & 0xff];
}

/** `0xNNNN` of a 16-bit value (`0x%04x`); values 0..255 are cached. */
export function hex4(v: number): string {
  return v < 0x100 ? HEX4_LOW[v] : `0x${v.toString(16).padStart(4, '0')}`;
}
const HEX4_LOW: readonly string[] = Array.from({ length: 256 }, (_, i) => `0x${i.toString(16).padStart(4, '0')}`);

/** `0x%02x` as ICSNPP prints a 16-bit code: two digits at least, more when the value needs them. */
export function hexMin2(v: number): string {
  return v < 0x100 ? HEX2[v] : `0x${v.toString(16)}`;
}

/** COTP TPDU name by its 4-bit code (ISO 8073 §13.1 table 8), e.g. 0xf → `DT Data`. */
export function cotpPduName(code: number): string {
  return COTP_PDU[code] ?? `Unknown COTP PDU-${hex2(code)}`;
}

const ROSCTR: Readonly<Record<number, string>> = { 0x01: 'Job-Request', 0x02: 'ACK', 0x03: 'ACK-Data', 0x07: 'User-Data' };

/** S7comm ROSCTR (message type) name (s7comm.header.rosctr). */
export function rosctrName(code: number): string {
  return ROSCTR[code] ?? 'unknown';
}

const ERROR_CLASS: Readonly<Record<number, string>> = {
  0x00: 'No error',
  0x81: 'Application relationship error',
  0x82: 'Object definition error',
  0x83: 'No ressources available error',
  0x84: 'Error on service processing',
  0x85: 'Error on supplies',
  0x87: 'Access error',
};

/** S7comm header error class name (s7comm.header.errcls). */
export function errorClassName(code: number): string {
  return ERROR_CLASS[code] ?? `Unknown error class-${hex2(code)}`;
}

const FUNCTION: Readonly<Record<number, string>> = {
  0x00: 'CPU Services',
  0x04: 'Read Variable',
  0x05: 'Write Variable',
  0x1a: 'Request Download',
  0x1b: 'Download Block',
  0x1c: 'Download Ended',
  0x1d: 'Start Upload',
  0x1e: 'Upload',
  0x1f: 'End Upload',
  0x28: 'PLC Control',
  0x29: 'PLC Stop',
  0xf0: 'Setup Communication',
};

/** Job / Ack-Data parameter function name (s7comm.param.func). */
export function functionName(code: number): string {
  return FUNCTION[code] ?? 'unknown';
}

const USERDATA_GROUP: Readonly<Record<number, string>> = {
  0x0: 'Mode-Transition',
  0x1: 'Programmer Controls',
  0x2: 'Cyclic Services',
  0x3: 'Block Functions',
  0x4: 'CPU Functions',
  0x5: 'Security',
  0x6: 'PBC BSEND-BRECV',
  0x7: 'Time Functions',
  0xf: 'NC Programming',
};

/** Names of `type << 4 | group` user-data function codes, cached per code. */
const USERDATA_FUNCTION: readonly string[] = Array.from({ length: 256 }, (_, code) => {
  const type = code & 0xf0;
  const prefix = type === 0x40 ? 'Request: ' : type === 0x80 ? 'Response: ' : type === 0x00 ? 'Push: ' : 'Unknown: ';
  return prefix + (USERDATA_GROUP[code & 0x0f] ?? 'unknown');
});

/**
 * User-data function name of `type << 4 | group` (s7comm.param.userdata.type, .funcgroup), e.g. 0x44 →
 * `Request: CPU Functions`.
 */
export function userDataFunctionName(code: number): string {
  return USERDATA_FUNCTION[code & 0xff];
}

const SUBFUNCTIONS: Readonly<Record<number, Readonly<Record<number, string>>>> = {
  0x0: { 0x00: 'Stop', 0x01: 'Warm Restart', 0x02: 'Run', 0x03: 'Hot Restart', 0x04: 'Hold', 0x06: 'Cold Restart', 0x09: 'Run_R', 0x0b: 'Link-Up', 0x0c: 'Update' },
  0x1: {
    0x01: 'Block Status', 0x02: 'Variable Status', 0x03: 'Output ISTACK', 0x04: 'Output BSTACK', 0x05: 'Output LSTACK',
    0x06: 'Time Measurement', 0x07: 'Force Selection', 0x08: 'Modify Variable', 0x09: 'Force', 0x0a: 'Breakpoint',
    0x0b: 'Exit HOLD', 0x0c: 'Memory Reset', 0x0d: 'Disable Job', 0x0e: 'Enable Job', 0x0f: 'Delete Job',
    0x10: 'Read Job List', 0x11: 'Read Job', 0x12: 'Replace Job', 0x13: 'Block Status v2', 0x16: 'Flash LED',
  },
  0x2: { 0x01: 'Cyclic Transfer', 0x04: 'Unsubscribe', 0x05: 'Change Driven Transfer', 0x07: 'Change Driven Transfer Modify', 0x08: 'RDREC' },
  0x3: { 0x01: 'List Blocks', 0x02: 'List Blocks of Type', 0x03: 'Get Block Info' },
  0x4: {
    0x01: 'Read SZL', 0x02: 'Message Service', 0x03: 'Diagnostic Message', 0x04: 'ALARM_8 Indication', 0x05: 'NOTIFY Indication',
    0x06: 'ALARM_8 Lock', 0x07: 'ALARM_8 Unlock', 0x08: 'SCAN Indication', 0x0b: 'ALARM_S Indication', 0x0c: 'ALARM_SQ Indication',
    0x0d: 'ALARM Query', 0x0e: 'ALARM ACK', 0x11: 'ALARM ACK Indication', 0x12: 'ALARM Lock Indication',
    0x13: 'ALARM Unlock Indication', 0x16: 'NOTIFY_8 Indication',
  },
  0x5: { 0x01: 'PLC Password' },
  0x7: { 0x01: 'Read Clock', 0x02: 'Set Clock', 0x03: 'Read Clock (Following)', 0x04: 'Set Clock (2)' },
};

/**
 * User-data subfunction name within its function group (s7comm.param.userdata.subfunc); null for the
 * groups ICSNPP names none of (PBC, NC programming), `unknown` for an unknown code of a named group.
 */
export function subfunctionName(group: number, sub: number): string | null {
  const table = SUBFUNCTIONS[group & 0x0f];
  if (table === undefined) return null;
  return table[sub] ?? 'unknown';
}

const PLC_CONTROL: Readonly<Record<string, string>> = {
  _INSE: 'Activates a PLC module',
  _INS2: 'Activates a PLC module',
  _DELE: "Removes module from the PLC's passive file system",
  P_PROGRAM: 'PLC Start / Stop',
  _MODU: 'PLC Copy Ram to Rom',
  _GARB: 'Compress PLC memory',
  _N_LOGIN_: 'Login',
  _N_LOGOUT: 'Logout',
  _N_CANCEL: 'Cancels NC alarm',
  _N_DASAVE: 'PI-Service for copying data from SRAM to FLASH',
  _N_F_DELE: 'Deletes file',
  _N_F_XFER: 'Selects file for uploading',
  _N_F_OPEN: 'Opens file',
  _N_F_CLOS: 'Closes file',
  _N_SELECT: 'Selects program for execution',
  _N_DELVAR: 'Delete data block',
};

/** PI service name of a PLC Control request (s7comm.param.pi.service), e.g. `_MODU` → `PLC Copy Ram to Rom`. */
export function plcControlName(service: string): string {
  return Object.prototype.hasOwnProperty.call(PLC_CONTROL, service) ? PLC_CONTROL[service] : 'unknown';
}

const USERDATA_METHOD: Readonly<Record<number, string>> = { 0x11: 'Request', 0x12: 'Response' };

/** User-data parameter method byte name (s7comm.param.userdata.reqres1): 0x11 Request, 0x12 Response. */
export function userDataMethodName(code: number): string {
  return USERDATA_METHOD[code] ?? 'Unknown';
}

const RETURN_CODE: Readonly<Record<number, string>> = {
  0x00: 'Reserved',
  0x01: 'Hardware error',
  0x03: 'Accessing the bbject not allowed',
  0x05: 'Invalid address',
  0x06: 'Data type not supported',
  0x07: 'Data type inconsistent',
  0x0a: 'Object does not exist',
  0xff: 'Success',
};

/** Data-item return code name (s7comm.data.returncode); ICSNPP's spelling kept for comparison. */
export function returnCodeName(code: number): string {
  return RETURN_CODE[code] ?? 'Unknown';
}

const SZL_ID: Readonly<Record<number, string>> = {
  0x00: 'List of all the SZL-IDs of a module',
  0x11: 'Module identification',
  0x12: 'CPU characteristics',
  0x13: 'User memory areas',
  0x14: 'System areas',
  0x15: 'Block types',
  0x16: 'Priority classes',
  0x17: 'List of the permitted SDBs with a number < 1000',
  0x18: 'Maximum S7-300 I/O configuration',
  0x19: 'Status of the module LEDs',
  0x1c: 'Component Identification',
  0x21: 'Interrupt / error assignment',
  0x22: 'Interrupt status',
  0x23: 'Priority classes',
  0x24: 'Modes',
  0x25: 'Assignment between process image partitions and OBs',
  0x31: 'Communication capability parameters',
  0x32: 'Communication status data',
  0x33: 'Diagnostics: device logon list',
  0x37: 'Ethernet - Details of a Module',
  0x71: 'H CPU group information',
  0x74: 'Status of the module LEDs',
  0x75: 'Switched DP slaves in the H-system',
  0x81: 'Start information list',
  0x82: 'Start event list',
  0x91: 'Module status information',
  0x92: 'Rack / station status information',
  0x94: 'Rack / station status information',
  0x95: 'Extended DP master system information',
  0x96: 'Module status information, PROFINET IO and PROFIBUS DP',
  0xa0: 'Diagnostic buffer of the CPU',
  0xb1: 'Module diagnostic information (data record 0)',
  0xb2: 'Module diagnostic information (data record 1), geographical address',
  0xb3: 'Module diagnostic information (data record 1), logical address',
  0xb4: 'Diagnostic data of a DP slave',
};

/** Name of an SZL (system status list) by the low byte of its id (s7comm.data.userdata.szl_id). */
export function szlIdName(id: number): string {
  return SZL_ID[id & 0xff] ?? 'Unknown';
}

const BLOCK_TYPE: Readonly<Record<string, string>> = {
  '08': 'Organization Block',
  '0A': 'Data Block',
  '0B': 'System Data Block',
  '0C': 'Function',
  '0D': 'System Function',
  '0E': 'Function Block',
  '0F': 'System Function Block',
};

/** Block type name of the two ASCII characters in an upload/download file name (s7comm.data.blockinfo.blocktype). */
export function blockTypeName(code: string): string {
  return Object.prototype.hasOwnProperty.call(BLOCK_TYPE, code) ? BLOCK_TYPE[code] : 'Unknown';
}

/** Destination file system of an upload/download file name: `P` Passive, `A` Active (s7comm.data.blockinfo.filesys). */
export function fileSystemName(code: string): string {
  return code === 'P' ? 'Passive' : code === 'A' ? 'Active' : 'Unknown';
}

const PLUS_OPCODE: Readonly<Record<number, string>> = { 0x31: 'Request', 0x32: 'Response', 0x33: 'Notification' };

/** S7comm-plus opcode name (0x31 Request, 0x32 Response, 0x33 Notification). */
export function plusOpcodeName(code: number): string {
  return PLUS_OPCODE[code] ?? `Unknown s7comm-plus opcode-${hex2(code)}`;
}

const PLUS_FUNCTION: Readonly<Record<number, string>> = {
  0x04bb: 'Explore',
  0x04ca: 'Create Object',
  0x04d4: 'Delete Object',
  0x04f2: 'Set Variable',
  0x0524: 'Get Link',
  0x0542: 'Set Multi Variables',
  0x054c: 'Get Multi Variables',
  0x0556: 'Begin Sequence',
  0x0560: 'End Sequence',
  0x056b: 'Invoke',
  0x0586: 'Get Variable Sub Streamed',
};

/** S7comm-plus function name of a request or response (16-bit code). */
export function plusFunctionName(code: number): string {
  return PLUS_FUNCTION[code] ?? `Unknown s7comm-plus function-${hex4(code)}`;
}
