/**
 * Names of Modbus codes as the logs write them, precomputed once so the hot path never builds a string.
 *
 * Sources: Modbus Application Protocol Specification V1.1b3 §5 (function code categories), §6 (public
 * function codes), §6.8.1 (diagnostics sub-functions), §6.19–6.21 (MEI types 13 / 14, Read Device
 * Identification objects and conformity levels), §7 (exception codes). The spellings are Zeek's
 * (`Modbus::function_codes`, `Modbus::exception_codes` in scripts/base/protocols/modbus/consts.zeek)
 * and ICSNPP-Modbus's (diagnostic sub-function and device identification names).
 */

/** Public function codes of V1.1b3 §5.1 / §6 (the ones a strict content check accepts). */
export const PUBLIC_FUNCTION_CODES: readonly number[] = Object.freeze([
  1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 15, 16, 17, 20, 21, 22, 23, 24, 43,
]);

/** Zeek's function code table: public codes plus the machine/vendor specific ones Zeek names. */
const FUNCTION_NAMES: ReadonlyMap<number, string> = new Map([
  [0x01, 'READ_COILS'],
  [0x02, 'READ_DISCRETE_INPUTS'],
  [0x03, 'READ_HOLDING_REGISTERS'],
  [0x04, 'READ_INPUT_REGISTERS'],
  [0x05, 'WRITE_SINGLE_COIL'],
  [0x06, 'WRITE_SINGLE_REGISTER'],
  [0x07, 'READ_EXCEPTION_STATUS'],
  [0x08, 'DIAGNOSTICS'],
  [0x0b, 'GET_COMM_EVENT_COUNTER'],
  [0x0c, 'GET_COMM_EVENT_LOG'],
  [0x0f, 'WRITE_MULTIPLE_COILS'],
  [0x10, 'WRITE_MULTIPLE_REGISTERS'],
  [0x11, 'REPORT_SLAVE_ID'],
  [0x14, 'READ_FILE_RECORD'],
  [0x15, 'WRITE_FILE_RECORD'],
  [0x16, 'MASK_WRITE_REGISTER'],
  [0x17, 'READ_WRITE_MULTIPLE_REGISTERS'],
  [0x18, 'READ_FIFO_QUEUE'],
  [0x2b, 'ENCAP_INTERFACE_TRANSPORT'],
  [0x5b, 'OBJECT_MESSAGING'],
  [0x09, 'PROGRAM_484'],
  [0x0a, 'POLL_484'],
  [0x0d, 'PROGRAM_584_984'],
  [0x0e, 'POLL_584_984'],
  [0x12, 'PROGRAM_884_U84'],
  [0x13, 'RESET_COMM_LINK_884_U84'],
  [0x28, 'PROGRAM_CONCEPT'],
  [0x29, 'MULTIPLE_FUNCTION_CODES'],
  [0x5a, 'PROGRAM_UNITY'],
  [0x7d, 'FIRMWARE_REPLACEMENT'],
  [0x7e, 'PROGRAM_584_984_2'],
  [0x7f, 'REPORT_LOCAL_ADDRESS'],
]);

/** Zeek's exception code table (V1.1b3 §7). */
const EXCEPTION_NAMES: ReadonlyMap<number, string> = new Map([
  [0x01, 'ILLEGAL_FUNCTION'],
  [0x02, 'ILLEGAL_DATA_ADDRESS'],
  [0x03, 'ILLEGAL_DATA_VALUE'],
  [0x04, 'SLAVE_DEVICE_FAILURE'],
  [0x05, 'ACKNOWLEDGE'],
  [0x06, 'SLAVE_DEVICE_BUSY'],
  [0x08, 'MEMORY_PARITY_ERROR'],
  [0x0a, 'GATEWAY_PATH_UNAVAILABLE'],
  [0x0b, 'GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND'],
]);

/** ICSNPP's diagnostics sub-function names (V1.1b3 §6.8.1). */
const DIAGNOSTIC_NAMES: ReadonlyMap<number, string> = new Map([
  [0x00, 'Return Query Data'],
  [0x01, 'Restart Communications Option'],
  [0x02, 'Return Diagnostic Register'],
  [0x03, 'Change ASCII Input Delimiter'],
  [0x04, 'Force Listen Only Mode'],
  [0x0a, 'Clear Counters and Diagnostic Register'],
  [0x0b, 'Return Bus Message Count'],
  [0x0c, 'Return Bus Communication Error Count'],
  [0x0d, 'Return Bus Exception Error Count'],
  [0x0e, 'Return Server Message Count'],
  [0x0f, 'Return Server No Response Count'],
  [0x10, 'Return Server NAK Count'],
  [0x11, 'Return Server Busy Count'],
  [0x12, 'Return Bus Character Overrun Count'],
  [0x14, 'Clear Overrun Counter and Flag'],
]);

/** Device identification object names (V1.1b3 §6.21, table of objects 0x00–0x06). */
const OBJECT_NAMES: ReadonlyMap<number, string> = new Map([
  [0x00, 'VendorName'],
  [0x01, 'ProductCode'],
  [0x02, 'MajorMinorVersion'],
  [0x03, 'VendorURL'],
  [0x04, 'ProductName'],
  [0x05, 'ModelName'],
  [0x06, 'UserApplicationName'],
]);

/** Conformity levels (V1.1b3 §6.21 "Conformity level"), in ICSNPP's wording. */
const CONFORMITY_NAMES: ReadonlyMap<number, string> = new Map([
  [0x01, 'Basic Identification (Stream)'],
  [0x02, 'Regular Identification (Stream)'],
  [0x03, 'Extended Identification (Stream)'],
  [0x81, 'Basic Identification (Stream, Individual)'],
  [0x82, 'Regular Identification (Stream, Individual)'],
  [0x83, 'Extended Identification (Stream, Individual)'],
]);

/** MEI type 13: CANopen General Reference (V1.1b3 §6.20). */
export const MEI_CANOPEN = 0x0d;
/** MEI type 14: Read Device Identification (V1.1b3 §6.21). */
export const MEI_READ_DEVICE_ID = 0x0e;

function table(f: (code: number) => string): readonly string[] {
  const out: string[] = [];
  for (let i = 0; i < 256; i++) out.push(f(i));
  return Object.freeze(out);
}

function unknown(code: number): string {
  return `unknown-${code}`;
}

/** Zeek `function_codes[fc]` (with its `unknown-N` default), indexed by the raw function code byte. */
const PLAIN_FUNC: readonly string[] = table((fc) => FUNCTION_NAMES.get(fc) ?? unknown(fc));

/**
 * Zeek's `build_func` (main.zeek): the table name when the raw code has one or its low 7 bits have none,
 * else the low-7-bit name with `_EXCEPTION` appended when bit 0x80 is set.
 */
const LOGGED_FUNC: readonly string[] = table((fc) => {
  const plain = FUNCTION_NAMES.get(fc);
  const masked = FUNCTION_NAMES.get(fc & 0x7f);
  if (plain !== undefined || masked === undefined) return plain ?? unknown(fc);
  return (fc & 0x80) === 0x80 ? `${masked}_EXCEPTION` : masked;
});

const EXCEPTION: readonly string[] = table((c) => EXCEPTION_NAMES.get(c) ?? unknown(c));
const IS_PUBLIC: readonly boolean[] = Object.freeze(Array.from({ length: 256 }, (_, fc) => PUBLIC_FUNCTION_CODES.includes(fc)));
const HEX2: readonly string[] = table((b) => `0x${b.toString(16).padStart(2, '0')}`);

/**
 * Function name as Zeek's modbus.log `func` writes it (Zeek `build_func`): `READ_COILS`,
 * `READ_HOLDING_REGISTERS_EXCEPTION` for 0x83, `unknown-156` for 0x9c (neither 0x9c nor 0x1c is named).
 * @param fc raw function code byte 0–255
 */
export function loggedFunctionName(fc: number): string {
  return LOGGED_FUNC[fc & 0xff];
}

/**
 * Function name as ICSNPP's modbus_detailed `func` writes it for requests and normal responses
 * (Zeek `Modbus::function_codes[fc]`, no `_EXCEPTION` suffix): `READ_COILS`, `unknown-131` for 0x83.
 * @param fc raw function code byte 0–255
 */
export function plainFunctionName(fc: number): string {
  return PLAIN_FUNC[fc & 0xff];
}

/** Exception name (Zeek `exception_codes`, V1.1b3 §7): `ILLEGAL_FUNCTION` … or `unknown-N`. @param code 0–255 */
export function exceptionName(code: number): string {
  return EXCEPTION[code & 0xff];
}

/** Diagnostics sub-function name (ICSNPP, V1.1b3 §6.8.1) or `unknown-N`. @param sub sub-function code 0–65535 */
export function diagnosticName(sub: number): string {
  return DIAGNOSTIC_NAMES.get(sub) ?? unknown(sub);
}

/** True when the 0x00–0x7F code is a public function code of V1.1b3 §5.1. @param fc 0–255 */
export function isPublicFunction(fc: number): boolean {
  return IS_PUBLIC[fc & 0xff];
}

/** Device identification object name (V1.1b3 §6.21) or ICSNPP's `Unknown`. @param id object id 0–255 */
export function objectName(id: number): string {
  return OBJECT_NAMES.get(id) ?? 'Unknown';
}

/** Conformity level name (V1.1b3 §6.21) or ICSNPP's `Unknown`. @param level conformity level byte */
export function conformityName(level: number): string {
  return CONFORMITY_NAMES.get(level) ?? 'Unknown';
}

/** A byte as ICSNPP formats codes (`fmt("0x%02x")`), e.g. `0x83`. @param b 0–255 */
export function hexByte(b: number): string {
  return HEX2[b & 0xff];
}
