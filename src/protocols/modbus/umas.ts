/**
 * Schneider Electric UMAS inside Modbus function code 90 (0x5A): pure parse of the PDU data and the
 * names of the UMAS function codes. UMAS is not publicly specified; layouts and names follow the
 * public analyses cited in README.md (lirasenlared "The Unity (UMAS) protocol", parts I–IV, 2017;
 * Kaspersky ICS CERT, "The secrets of Schneider Electric's UMAS protocol", 2022):
 *   request  PDU: 0x5A, session key (1), UMAS function code (1), data
 *   response PDU: 0x5A, session key (1), status (1) 0xFE OK / 0xFD error, data
 * In UMAS's own words "upload" is engineering PC → PLC (0x30–0x32) and "download" PLC → PC
 * (0x33–0x35); ATT&CK calls the first Program Download (T0843) and the second Program Upload (T0845).
 */

/** Modbus function code that carries UMAS (a user-defined code, Modbus AP V1.1b3 §5.1). */
export const UMAS_FUNCTION_CODE = 0x5a;
/** Response status: success. */
export const UMAS_STATUS_OK = 0xfe;
/** Response status: error. */
export const UMAS_STATUS_ERROR = 0xfd;

/** UMAS function codes a monitor must tell apart. */
export const UmasFunction = {
  INIT_COMM: 0x01,
  READ_ID: 0x02,
  READ_PROJECT_INFO: 0x03,
  READ_PLC_INFO: 0x04,
  READ_CARD_INFO: 0x06,
  REPEAT: 0x0a,
  TAKE_PLC_RESERVATION: 0x10,
  RELEASE_PLC_RESERVATION: 0x11,
  KEEP_ALIVE: 0x12,
  READ_MEMORY_BLOCK: 0x20,
  READ_VARIABLES: 0x22,
  WRITE_VARIABLES: 0x23,
  READ_COILS_REGISTERS: 0x24,
  WRITE_COILS_REGISTERS: 0x25,
  INITIALIZE_UPLOAD: 0x30,
  UPLOAD_BLOCK: 0x31,
  END_STRATEGY_UPLOAD: 0x32,
  INITIALIZE_DOWNLOAD: 0x33,
  DOWNLOAD_BLOCK: 0x34,
  END_STRATEGY_DOWNLOAD: 0x35,
  READ_ETH_MASTER_DATA: 0x39,
  START_PLC: 0x40,
  STOP_PLC: 0x41,
  MONITOR_PLC: 0x50,
  CHECK_PLC: 0x58,
  READ_IO_OBJECT: 0x70,
  WRITE_IO_OBJECT: 0x71,
  GET_STATUS_MODULE: 0x73,
} as const;

const NAMES: readonly (string | undefined)[] = (() => {
  const t: (string | undefined)[] = new Array<string | undefined>(256);
  for (const [name, code] of Object.entries(UmasFunction)) t[code] = name;
  return t;
})();

/** Name of a UMAS function code (`STOP_PLC`), or `unknown-0xNN`. */
export function umasName(code: number): string {
  return NAMES[code] ?? `unknown-0x${code.toString(16).padStart(2, '0')}`;
}

/** Name of a response status byte: `OK` (0xFE), `ERROR` (0xFD), else `unknown-0xNN`. */
export function umasStatusName(status: number): string {
  if (status === UMAS_STATUS_OK) return 'OK';
  if (status === UMAS_STATUS_ERROR) return 'ERROR';
  return `unknown-0x${status.toString(16).padStart(2, '0')}`;
}

/** One parsed UMAS message. `code` is the UMAS function code (requests) or the status byte (responses). */
export interface UmasMessage {
  readonly sessionKey: number;
  readonly code: number;
  /**
   * Block number of a program-transfer request (UPLOAD_BLOCK 0x31, DOWNLOAD_BLOCK 0x34): the
   * little-endian 16-bit value after the two leading data bytes; -1 otherwise or when absent.
   */
  readonly block: number;
}

/**
 * Parse the data of a function-90 PDU (the bytes after the function code), `b[start, end)`.
 * @returns the message, or null when fewer than 2 bytes (key and code/status) are there
 */
export function parseUmas(b: Uint8Array, start: number, end: number, isRequest: boolean): UmasMessage | null {
  if (end - start < 2) return null;
  const code = b[start + 1];
  let block = -1;
  if (isRequest && (code === UmasFunction.UPLOAD_BLOCK || code === UmasFunction.DOWNLOAD_BLOCK) && end - start >= 6) {
    block = b[start + 4] | (b[start + 5] << 8);
  }
  return { sessionKey: b[start], code, block };
}
