/**
 * Code-to-name tables of EtherNet/IP encapsulation and CIP, spelled as the ICSNPP EtherNet/IP
 * logs write them (enip_command, enip_status, cip_service, cip_status, cip_extended_status,
 * class_name) so records compare equal with that peer. Codes: ODVA CIP Vol 2 §2-3.2 (commands),
 * §2-3.3 (encapsulation status), CIP Vol 1 Appendix A (services A-3, classes A-5), Appendix B
 * (general status B-1, Connection Manager extended status 3-5.6).
 */

/** Encapsulation command names (CIP Vol 2 Table 2-3.2). */
const COMMANDS: ReadonlyMap<number, string> = new Map([
  [0x00, 'NOP'],
  [0x04, 'List Services'],
  [0x63, 'List Identity'],
  [0x64, 'List Interfaces'],
  [0x65, 'Register Session'],
  [0x66, 'Unregister Session'],
  [0x6f, 'Send RR Data'],
  [0x70, 'Send Unit Data'],
  [0x72, 'Indicate Status'],
  [0x73, 'Cancel'],
]);

/** Encapsulation status names (CIP Vol 2 Table 2-3.3). */
const ENCAP_STATUSES: ReadonlyMap<number, string> = new Map([
  [0x00, 'Success'],
  [0x01, 'Invalid/Unsupported Command'],
  [0x02, 'Insufficient Memory Resources'],
  [0x03, 'Malformed or Incorrect Data'],
  [0x64, 'Invalid Session Handle'],
  [0x65, 'Invalid Length'],
  [0x69, 'Unsupported Protocol Version'],
  [0x6a, 'CIP Service Not Allowed'],
]);

/** Common service names (CIP Vol 1 Table ); object-specific codes ≥ 0x32 have no common name. */
const SERVICES: ReadonlyMap<number, string> = new Map([
  [0x01, 'Get Attributes All'],
  [0x02, 'Set Attributes All'],
  [0x03, 'Get Attribute List'],
  [0x04, 'Set Attribute List'],
  [0x05, 'Reset'],
  [0x06, 'Start'],
  [0x07, 'Stop'],
  [0x08, 'Create'],
  [0x09, 'Delete'],
  [0x0a, 'Multiple Service Packet'],
  [0x0d, 'Apply Attributes'],
  [0x0e, 'Get Attributes Single'],
  [0x10, 'Set Attributes Single'],
  [0x11, 'Find Next Object Instance'],
  [0x15, 'Restore'],
  [0x16, 'Save'],
  [0x17, 'No Operation'],
  [0x18, 'Get Member'],
  [0x19, 'Set Member'],
  [0x1a, 'Insert Member'],
  [0x1b, 'Remove Member'],
  [0x1c, 'Group Sync'],
  [0x1d, 'Get Connection Point Member List'],
]);

/** General status names (CIP Vol 1 Table B-1.1). */
const STATUSES: readonly string[] = [
  'Success',
  'Connection Failure',
  'Resource Unavailable',
  'Invalid Parameter Value',
  'Path Segment Error',
  'Path Destination Unknown',
  'Partial Transfer',
  'Connection Lost',
  'Service Not Supported',
  'Invalid Attribute Value',
  'Attribute List Error',
  'Already In Requested Mode/State',
  'Object State Conflict',
  'Object Already Exists',
  'Attribute Not Settable',
  'Privilege Violation',
  'Device State Conflict',
  'Reply Data Too Large',
  'Fragmentation Of A Primitive Value',
  'Not Enough Data',
  'Attribute Not Supported',
  'Too Much Data',
  'Object Does Not Exist',
  'Service Fragmentation Sequence Not In Progress',
  'No Stored Attribute Data',
  'Store Operation Failure',
  'Routing Failure, Request Packet Too Large',
  'Routing Failure, Response Packet Too Large',
  'Missing Attribute List Entry Data',
  'Invalid Attribute Value List',
  'Embedded Service Error',
  'Vendor Specific Error',
  'Invalid Parameter',
  'Write-Once Value Or Medium Already Written',
  'Invalid Reply Received',
  'Buffer Overflow',
  'Invalid Message Format',
  'Key Failure In Path',
  'Path Size Invalid',
  'Unexpected Attribute In List',
  'Invalid Member ID',
  'Member Not Settable',
  'Group 2 Only Server General Failure',
  'Unknown Modbus Error',
  'Attribute Not Gettable',
];

/** Connection Manager extended status names (CIP Vol 1 Table 3-5.33), the ones devices commonly return. */
const EXTENDED_STATUSES: ReadonlyMap<number, string> = new Map([
  [0x100, 'Connection in use or duplicate Forward Open'],
  [0x103, 'Transport class and trigger combination not supported'],
  [0x106, 'Ownership conflict'],
  [0x107, 'Target connection not found'],
  [0x108, 'Invalid network connection parameter'],
  [0x109, 'Invalid connection size'],
  [0x110, 'Target for connection not configured'],
  [0x111, 'RPI not supported'],
  [0x112, 'RPI value(s) not acceptable'],
  [0x113, 'Out of connections'],
  [0x114, 'Vendor ID or product code mismatch'],
  [0x115, 'Device type mismatch'],
  [0x116, 'Revision mismatch'],
  [0x117, 'Invalid produced or consumed application path'],
  [0x118, 'Invalid or inconsistent configuration application path'],
  [0x119, 'Non-listen only connection not opened'],
  [0x11a, 'Target object out of connections'],
  [0x11b, 'RPI is smaller than the production inhibit time'],
  [0x126, 'Invalid configuration size'],
  [0x127, 'Invalid O->T size'],
  [0x128, 'Invalid T->O size'],
  [0x203, 'Connection timed out'],
  [0x204, 'Unconnected request timed out'],
  [0x205, 'Parameter error in unconnected request'],
  [0x206, 'Message too large for UnconnectedSend'],
  [0x207, 'Unconnected acknowledged without reply'],
  [0x301, 'No buffer memory available'],
  [0x302, 'Network bandwidth not available for data'],
  [0x303, 'No consumed connection ID filter available'],
  [0x311, 'Port not available'],
  [0x312, 'Link address not valid'],
  [0x315, 'Invalid segment in connection path'],
  [0x316, 'ForwardClose connection path mismatch'],
  [0x31c, 'Miscellaneous'],
  [0x800, 'Network link offline'],
]);

/** Object class names (CIP Vol 1 Table 5-1.1 and the network volumes), by class id. */
const CLASSES: ReadonlyMap<number, string> = new Map([
  [0x01, 'Identity'],
  [0x02, 'Message Router'],
  [0x03, 'DeviceNet'],
  [0x04, 'Assembly'],
  [0x05, 'Connection'],
  [0x06, 'Connection Manager'],
  [0x07, 'Register'],
  [0x08, 'Discrete Input Point'],
  [0x09, 'Discrete Output Point'],
  [0x0a, 'Analog Input Point'],
  [0x0b, 'Analog Output Point'],
  [0x0e, 'Presence Sensing'],
  [0x0f, 'Parameter'],
  [0x10, 'Parameter Group'],
  [0x12, 'Group'],
  [0x1d, 'Discrete Input Group'],
  [0x1e, 'Discrete Output Group'],
  [0x1f, 'Discrete Group'],
  [0x20, 'Analog Input Group'],
  [0x21, 'Analog Output Group'],
  [0x22, 'Analog Group'],
  [0x23, 'Position Sensor'],
  [0x24, 'Position Controller Supervisor'],
  [0x25, 'Position Controller'],
  [0x26, 'Block Sequencer'],
  [0x27, 'Command Block'],
  [0x28, 'Motor Data'],
  [0x29, 'Control Supervisor'],
  [0x2a, 'AC/DC Drive'],
  [0x2b, 'Acknowledge Handler'],
  [0x2c, 'Overload'],
  [0x2d, 'Softstart'],
  [0x2e, 'Selection'],
  [0x30, 'S-Device Supervisor'],
  [0x31, 'S-Analog Sensor'],
  [0x32, 'S-Analog Actuator'],
  [0x33, 'S-Single Stage Controller'],
  [0x34, 'S-Gas Calibration'],
  [0x35, 'Trip Point'],
  [0x37, 'File'],
  [0x38, 'S-Partial Pressure'],
  [0x39, 'Safety Supervisor'],
  [0x3a, 'Safety Validator'],
  [0x3b, 'Safety Discrete Output Point'],
  [0x3c, 'Safety Discrete Output Group'],
  [0x3d, 'Safety Discrete Input Point'],
  [0x3e, 'Safety Discrete Input Group'],
  [0x3f, 'Safety Dual Channel Output'],
  [0x40, 'S-Sensor Calibration'],
  [0x41, 'Event Log'],
  [0x42, 'Motion Device Axis'],
  [0x43, 'Time Sync'],
  [0x44, 'Modbus'],
  [0x45, 'Originator Connection List'],
  [0x46, 'Modbus Serial Link'],
  [0x47, 'Device Level Ring (DLR)'],
  [0x48, 'QoS'],
  [0x4d, 'Target Connection List'],
  [0x4e, 'Base Energy'],
  [0x4f, 'Electrical Energy'],
  [0x50, 'Non-Electrical Energy'],
  [0x51, 'Base Switch'],
  [0x52, 'SNMP'],
  [0x53, 'Power Management'],
  [0x54, 'RSTP Bridge'],
  [0x55, 'RSTP Port'],
  [0x56, 'PRP/HSR Protocol'],
  [0x57, 'PRP/HSR Nodes Table'],
  [0x5d, 'CIP Security'],
  [0x5e, 'EtherNet/IP Security'],
  [0x5f, 'Certificate Management'],
  [0x67, 'PCCC Class'],
  [0xf0, 'ControlNet'],
  [0xf1, 'ControlNet Keeper'],
  [0xf2, 'ControlNet Scheduling'],
  [0xf3, 'Connection Configuration'],
  [0xf4, 'Port'],
  [0xf5, 'TCP/IP Interface'],
  [0xf6, 'Ethernet Link'],
  [0xf7, 'CompoNet'],
  [0xf8, 'CompoNet Repeater'],
]);

/** Encapsulation command name; `unknown` for codes the specification does not define. */
export function commandName(command: number): string {
  return COMMANDS.get(command) ?? 'unknown';
}

/** True for the encapsulation commands CIP Vol 2 §2-3.2 defines. */
export function knownCommand(command: number): boolean {
  return COMMANDS.has(command);
}

/** True for the encapsulation status codes CIP Vol 2 §2-3.3 defines. */
export function knownEncapStatus(status: number): boolean {
  return ENCAP_STATUSES.has(status);
}

/** Encapsulation status name; `Unknown ENIP Status-0xNN` otherwise (ICSNPP's default text). */
export function encapStatusName(status: number): string {
  return ENCAP_STATUSES.get(status) ?? `Unknown ENIP Status-0x${hex2(status)}`;
}

/** CIP service name of the 7-bit service code; `unknown` for object-specific codes. */
export function serviceName(service: number): string {
  return SERVICES.get(service) ?? 'unknown';
}

/** CIP general status name; `Unknown CIP Status-0xNN` otherwise. */
export function statusName(status: number): string {
  if (status < STATUSES.length) return STATUSES[status];
  return status === 0xff ? 'Still Processing' : `Unknown CIP Status-0x${hex2(status)}`;
}

/** CIP extended status name; `Unknown Extended Status-0xNNNN` otherwise. */
export function extendedStatusName(status: number): string {
  return EXTENDED_STATUSES.get(status) ?? `Unknown Extended Status-0x${status.toString(16).padStart(4, '0')}`;
}

/** CIP object class name; `unknown` for vendor-specific or unlisted classes. */
export function className(classId: number): string {
  return CLASSES.get(classId) ?? 'unknown';
}

/** `n` as at least two lowercase hex digits (printf `%02x`). */
export function hex2(n: number): string {
  return n < 16 ? `0${n.toString(16)}` : n.toString(16);
}

/** `0x` and two hex digits of every byte value, built once (the codes every CIP row carries). */
const CODE8: readonly string[] = Array.from({ length: 256 }, (_, n) => `0x${hex2(n)}`);

/** `0x` + hex2(n): a table lookup for 0–255 (service, status, class … codes), computed above. */
export function code8(n: number): string {
  return n >= 0 && n < 256 ? CODE8[n] : `0x${hex2(n)}`;
}
