import { fieldString } from '../events/fields.js';
import type { LogRecord } from '../events/record.js';

/**
 * What a device says about itself on the wire (identity requests answered by PLCs and controllers):
 * maker, product, model, firmware revision and serial number, as text. Empty string: not told.
 */
export interface DeviceIdentity {
  vendor: string;
  product: string;
  model: string;
  firmware: string;
  serial: string;
}

/** The fields of DeviceIdentity, in the order the `assets` log lists them (`device_<field>`). */
export const IDENTITY_FIELDS: readonly (keyof DeviceIdentity)[] = ['vendor', 'product', 'model', 'firmware', 'serial'];

/** One protocol record's statement about a device: which host it describes and what it gives. */
export interface IdentityFact {
  /** Address of the device described (the server that answered the identity request). */
  readonly host: string;
  readonly fields: Partial<DeviceIdentity>;
}

/** Reads one record of a protocol's identity stream; null when the record says nothing about a device. */
export type IdentityReader = (r: LogRecord) => IdentityFact | null;

/**
 * Modbus Read Device Identification (function 43 / MEI 14, Modbus AP V1.1b3 §6.21): each response
 * object row of `modbus_read_device_identification` (ICSNPP) — VendorName (0x00), ProductCode (0x01),
 * MajorMinorRevision (0x02), ProductName (0x04), ModelName (0x05) — describes the server that sent it.
 */
function modbusDeviceId(r: LogRecord): IdentityFact | null {
  if (fieldString(r, 'request_response') !== 'RESPONSE') return null;
  const value = fieldString(r, 'object_value');
  if (value === '') return null;
  const host = fieldString(r, 'source_h');
  switch (fieldString(r, 'object_id_code')) {
    case '0x00':
      return { host, fields: { vendor: value } };
    case '0x01':
      return { host, fields: { product: value } };
    case '0x02':
      return { host, fields: { firmware: value } };
    case '0x04':
    case '0x05':
      return { host, fields: { model: value } };
    default:
      return null;
  }
}

/**
 * EtherNet/IP identity (`cip_identity`, ICSNPP): a ListIdentity reply item or a Get_Attributes_All reply
 * of the Identity object (ODVA CIP Vol 1 §5-2, class 0x01) describes the device that sent it: vendor
 * (attribute 1, by name), device profile (2), revision (4), serial number (6), product name (7).
 */
function cipIdentity(r: LogRecord): IdentityFact | null {
  const host = fieldString(r, 'source_h');
  if (host === '') return null;
  const vendorId = r.vendor_id;
  const vendor = fieldString(r, 'vendor_name') || (typeof vendorId === 'number' ? `CIP vendor ${vendorId}` : '');
  return {
    host,
    fields: { vendor, product: fieldString(r, 'product_name'), model: fieldString(r, 'device_type_name'), firmware: fieldString(r, 'revision'), serial: fieldString(r, 'serial_number') },
  };
}

/**
 * S7comm identity (`s7comm_known_devices`, ICSNPP plus this project's fields; Read SZL 0x0011 module
 * identification and 0x001c component identification) of the PLC that answered the Read SZL requests.
 * The vendor is `Siemens`: S7comm and S7comm-plus are Siemens' own protocols (SIMATIC S7), so a device
 * answering an SZL read is a Siemens CPU or a compatible one presenting itself as such. Product is the
 * module type name (0x001c index 7, `CPU 315-2 PN/DP`), model the order number (MLFB, 0x0011 index 1,
 * `6ES7 315-2EH14-0AB0`), firmware the basic firmware version (0x0011 index 7, `V 3.2.7`), serial the
 * module serial number (0x001c index 5). The user-given station and module names (0x001c indices 1
 * and 2) stay in the stream: they name the project's configuration, not the device.
 */
function s7KnownDevice(r: LogRecord): IdentityFact | null {
  const host = fieldString(r, 'source_h');
  if (host === '') return null;
  return {
    host,
    fields: {
      vendor: 'Siemens',
      product: fieldString(r, 'module_type_name'),
      model: fieldString(r, 'order_number'),
      firmware: fieldString(r, 'firmware_version'),
      serial: fieldString(r, 'module_serial'),
    },
  };
}

/**
 * Identity streams and their readers: the asset inventory (asset-builder.ts) feeds every record of
 * these streams through its reader and keeps, per host and field, the latest value told; the
 * `device_change` detector reports a value that changes.
 */
export const IDENTITY_READERS: ReadonlyMap<string, IdentityReader> = new Map([
  ['modbus_read_device_identification', modbusDeviceId],
  ['cip_identity', cipIdentity],
  ['s7comm_known_devices', s7KnownDevice],
]);
