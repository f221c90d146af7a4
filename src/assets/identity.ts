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
 * S7comm component identification (`s7comm_known_devices`, ICSNPP; SZL 0x001c): the module type name
 * (index 7, e.g. `CPU 315-2 PN/DP`), the module name (index 2) and its serial number (index 5) of
 * the PLC that answered the Read SZL request.
 */
function s7KnownDevice(r: LogRecord): IdentityFact | null {
  const host = fieldString(r, 'source_h');
  if (host === '') return null;
  return { host, fields: { product: fieldString(r, 'module_type_name'), model: fieldString(r, 'module_name'), serial: fieldString(r, 'module_serial') } };
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
