/**
 * Modbus numbers the twin's PLC and CMS use (MODBUS Application Protocol Specification V1.1b3,
 * "Modbus AP"; MODBUS Messaging on TCP/IP Implementation Guide V1.0b, "Modbus TCP guide").
 */

/** Public function codes (Modbus AP §5.1 "Public Function Code Definition"). */
export const FunctionCode = {
  READ_COILS: 1,
  READ_DISCRETE_INPUTS: 2,
  READ_HOLDING_REGISTERS: 3,
  READ_INPUT_REGISTERS: 4,
  WRITE_SINGLE_COIL: 5,
  WRITE_SINGLE_REGISTER: 6,
  WRITE_MULTIPLE_COILS: 15,
  WRITE_MULTIPLE_REGISTERS: 16,
  ENCAPSULATED_INTERFACE_TRANSPORT: 43,
} as const;

/** Exception codes (Modbus AP §7 "MODBUS Exception Responses"). */
export const ExceptionCode = {
  ILLEGAL_FUNCTION: 1,
  ILLEGAL_DATA_ADDRESS: 2,
  ILLEGAL_DATA_VALUE: 3,
  SERVER_DEVICE_FAILURE: 4,
  ACKNOWLEDGE: 5,
  SERVER_DEVICE_BUSY: 6,
  GATEWAY_PATH_UNAVAILABLE: 10,
  GATEWAY_TARGET_FAILED: 11,
} as const;

/** MEI type of Read Device Identification (Modbus AP §6.21, function 43 / MEI 14). */
export const MEI_READ_DEVICE_ID = 14;

/** Read Device ID codes (Modbus AP §6.21): 1 basic, 2 regular, 3 extended stream; 4 one object. */
export const ReadDeviceIdCode = { BASIC: 1, REGULAR: 2, EXTENDED: 3, INDIVIDUAL: 4 } as const;

/** Basic device identification object ids (Modbus AP §6.21, category "Basic"). */
export const DeviceIdObject = { VENDOR_NAME: 0, PRODUCT_CODE: 1, MAJOR_MINOR_REVISION: 2 } as const;

/** Coil ON value of Write Single Coil (Modbus AP §6.5). */
export const COIL_ON = 0xff00;
/** Coil OFF value of Write Single Coil (Modbus AP §6.5). */
export const COIL_OFF = 0x0000;

/** Registered Modbus/TCP server port (Modbus TCP guide §4.4.1). */
export const MODBUS_TCP_PORT = 502;

/** MBAP header length, bytes (Modbus TCP guide §3.1.3). */
export const MBAP_LEN = 7;
/** Largest PDU, bytes (Modbus AP §4.1: 253). */
export const MAX_PDU_LEN = 253;
/** Largest Modbus/TCP ADU, bytes (MBAP 7 + PDU 253 = 260). */
export const MAX_ADU_LEN = 260;

/** Quantity limits of the request PDUs (Modbus AP §6.1–§6.4, §6.11, §6.12). */
export const QuantityLimit = {
  READ_BITS: 2000,
  READ_REGISTERS: 125,
  WRITE_COILS: 1968,
  WRITE_REGISTERS: 123,
} as const;
