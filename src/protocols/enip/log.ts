import { defineStream, type StreamSchema } from '../../events/schema.js';
import { ICSNPP_SIDE_FIELDS } from '../icsnpp-fields.js';

/**
 * The EtherNet/IP and CIP log streams, fields named and ordered as ICSNPP's EtherNet/IP analyzer
 * writes them (github.com/cisagov/icsnpp-enip scripts/icsnpp/enip/main.zeek) minus its
 * `packet_correlation_id` (a random per-packet id, not deterministic).
 */


/** `enip`: one row per encapsulation message (CIP Vol 2 §2-3). */
export const ENIP_STREAM: StreamSchema = defineStream({
  name: 'enip',
  doc: 'EtherNet/IP encapsulation messages, one row per message in either direction (ICSNPP enip.log).',
  fields: [
    ...ICSNPP_SIDE_FIELDS,
    { name: 'enip_command_code', type: 'string', doc: 'Encapsulation command, 0xNN (enip.command).' },
    { name: 'enip_command', type: 'string', doc: 'Command name (List Identity, Send RR Data, …; unknown).' },
    { name: 'length', type: 'count', doc: 'Bytes of data after the 24-byte header (enip.length).' },
    { name: 'session_handle', type: 'string', doc: 'Session handle, 0xNNNNNNNN (enip.session).' },
    { name: 'enip_status', type: 'string', doc: 'Encapsulation status name (enip.status).' },
    { name: 'sender_context', type: 'string', doc: 'Sender context, 0x and 16 hex digits in wire order (enip.context).' },
    { name: 'options', type: 'string', doc: 'Options field, 0xNNNNNNNN (enip.options).' },
  ],
});

/** `cip`: one row per CIP request or response, each service of a Multiple Service Packet on its own row. */
export const CIP_STREAM: StreamSchema = defineStream({
  name: 'cip',
  doc: 'CIP Message Router requests and responses (CIP Vol 1 §2-4); Multiple Service Packets are split into their services (ICSNPP cip.log).',
  fields: [
    ...ICSNPP_SIDE_FIELDS,
    { name: 'cip_sequence_count', type: 'count', doc: 'Connected-data sequence count (cip.seq); unset for unconnected messages and for 0.' },
    { name: 'direction', type: 'string', doc: 'request or response (service code bit 7).' },
    { name: 'cip_service_code', type: 'string', doc: 'Service code without the response bit, 0xNN (cip.sc).' },
    { name: 'cip_service', type: 'string', doc: 'Common service name; unknown for object-specific codes.' },
    { name: 'cip_status_code', type: 'string', doc: 'General status of a response, 0xNN (cip.genstat).' },
    { name: 'cip_status', type: 'string', doc: 'General status name.' },
    { name: 'cip_extended_status_code', type: 'string', doc: 'First additional status word of a response, 0xNNNN (cip.ext_status).' },
    { name: 'cip_extended_status', type: 'string', doc: 'Extended status name.' },
    { name: 'class_id', type: 'string', doc: 'Request path class id, 0xNN (cip.class).' },
    { name: 'class_name', type: 'string', doc: 'Object class name.' },
    { name: 'instance_id', type: 'string', doc: 'Request path instance id, 0xNN (cip.instance).' },
    { name: 'attribute_id', type: 'string', doc: 'Request path attribute id, 0xNN (cip.attribute).' },
  ],
});

/** `cip_io`: one row per class-1 I/O datagram. */
export const CIP_IO_STREAM: StreamSchema = defineStream({
  name: 'cip_io',
  doc: 'Implicit (connected class 0/1) I/O datagrams, UDP 2222 (CIP Vol 2 §3-2.2; ICSNPP cip_io.log).',
  fields: [
    ...ICSNPP_SIDE_FIELDS,
    { name: 'connection_id', type: 'string', doc: 'Connection id of the sequenced address item, 0xNNNNNNNN (enip.cpf.cai.connid).' },
    { name: 'sequence_number', type: 'count', doc: 'Encapsulation sequence number (enip.cpf.sai.seq).' },
    { name: 'data_length', type: 'count', doc: 'Bytes of the connected data item (its CIP sequence count included).' },
    { name: 'io_data', type: 'string', doc: 'Connected data item as lowercase hex, cut at limits.maxStringLength characters.' },
  ],
});

/** `cip_identity`: one row per identity a device reports. */
export const CIP_IDENTITY_STREAM: StreamSchema = defineStream({
  name: 'cip_identity',
  doc: 'Device identities from ListIdentity replies (CIP Vol 2 §2-4.3) and Get_Attributes_All replies of the Identity object (ICSNPP cip_identity.log).',
  fields: [
    ...ICSNPP_SIDE_FIELDS,
    { name: 'encapsulation_version', type: 'count', doc: 'Encapsulation protocol version (ListIdentity only).' },
    { name: 'socket_address', type: 'addr', doc: 'Socket address of the ListIdentity item.' },
    { name: 'socket_port', type: 'count', doc: 'Socket port of the ListIdentity item.' },
    { name: 'vendor_id', type: 'count', doc: 'Vendor ID (Identity attribute 1).' },
    { name: 'vendor_name', type: 'string', doc: 'Vendor name from the ODVA vendor list (vendors.ts).' },
    { name: 'device_type_id', type: 'count', doc: 'Device type (attribute 2).' },
    { name: 'device_type_name', type: 'string', doc: 'Device profile name.' },
    { name: 'product_code', type: 'count', doc: 'Product code (attribute 3).' },
    { name: 'revision', type: 'string', doc: 'Revision major.minor (attribute 4).' },
    { name: 'device_status', type: 'string', doc: 'Status word, 0xNNNN (attribute 5).' },
    { name: 'serial_number', type: 'string', doc: 'Serial number, 0xNNNNNNNN (attribute 6).' },
    { name: 'product_name', type: 'string', doc: 'Product name (attribute 7), escaped as Zeek writes strings.' },
    { name: 'device_state', type: 'string', doc: 'State (attribute 8), 0xNNNN; unset when absent.' },
  ],
});

/** Character codes of the lowercase hex digits. */
const HEX_CODES: readonly number[] = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** Character codes of the text being built by hexBytes (one string allocation per call, not one per byte). */
const hexScratch: number[] = [];

/** Two lowercase hex digits of every byte value. */
const HEX_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, v) => v.toString(16).padStart(2, '0'));
/** Bytes up to which hexBytes joins the digit pairs of HEX_PAIRS (faster for short fields, such as the 8-byte sender context). */
const SHORT_HEX_BYTES = 16;

/** Lowercase hex of `b[off, off+len)`, at most `maxChars` characters (whole bytes). */
export function hexBytes(b: Uint8Array, off: number, len: number, maxChars: number): string {
  const n = Math.min(len, maxChars >> 1);
  if (n <= SHORT_HEX_BYTES) {
    let text = '';
    for (let i = 0; i < n; i++) text += HEX_PAIRS[b[off + i]];
    return text;
  }
  hexScratch.length = 2 * n;
  for (let i = 0; i < n; i++) {
    const v = b[off + i];
    hexScratch[2 * i] = HEX_CODES[v >> 4];
    hexScratch[2 * i + 1] = HEX_CODES[v & 15];
  }
  return String.fromCharCode.apply(null, hexScratch);
}

/** `n` as `0x` and at least `digits` lowercase hex digits (printf `0x%0Nx`). */
export function hexCode(n: number, digits: number): string {
  return `0x${n.toString(16).padStart(digits, '0')}`;
}

/** Dotted IPv4 text of a host-order 32-bit address. */
export function ipv4Text(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}
