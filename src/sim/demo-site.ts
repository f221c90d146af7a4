import type { StackKind } from './net/host.js';

/**
 * The demo terminal's crane network and register map, as data (the same facts a site file will
 * carry). One flat OT network 10.10.0.0/16 (VLAN-less access ports mirrored to the sensor) with the
 * gateway 10.10.0.1 to the outside. MAC prefixes are real IEEE MA-L assignments (registry names as
 * in the `oui-data` package): B8:CA:3A "Dell Inc.", 00:80:F4 "TELEMECANIQUE ELECTRIQUE" (Schneider
 * Electric's Modicon line), 00:24:59 "ABB Automation products GmbH", 00:1B:1B "Siemens AG",
 * 00:14:22 "Dell Inc.", 00:1E:42 "Teltonika", 00:1B:54 "Cisco Systems, Inc".
 * Addresses outside the terminal are from RFC 5737 documentation space (203.0.113.0/24).
 */

/** A host of the demo network. */
export interface DemoHostSpec {
  /** Stable name used in the ground truth. */
  readonly name: string;
  readonly role: 'cms' | 'plc' | 'hmi' | 'unknown-laptop' | 'cellular-modem' | 'gateway' | 'external-server';
  readonly ip: string;
  /** The MAC its frames carry on the mirrored segment (the gateway's for the external server). */
  readonly mac: string;
  /** IEEE registry name of the MAC's OUI. */
  readonly vendor: string;
  readonly stack: StackKind;
  /** TTL as seen at the sensor, when routing changed it from the stack's initial value. */
  readonly ttl?: number;
  /** In the site's asset inventory (false for the intruder's laptop and the unapproved modem). */
  readonly inventoried: boolean;
}

/** Crane id → PLC identity (Modbus AP V1.1b3 §6.21 basic objects) of the demo cranes. */
export interface DemoCraneSpec {
  readonly craneId: string;
  readonly plc: string;
  readonly unitId: number;
  /** Gantry position along the quay rail while working, mm. */
  readonly gantryMm: number;
  readonly identity: { readonly vendorName: string; readonly productCode: string; readonly revision: string };
}

/** Every host of the demo network: inventoried assets, the intruder's laptop, the modem, the outside peer. */
export const DEMO_HOSTS: readonly DemoHostSpec[] = [
  { name: 'cms', role: 'cms', ip: '10.10.1.10', mac: 'b8:ca:3a:4f:10:0a', vendor: 'Dell Inc.', stack: 'windows', inventoried: true },
  { name: 'sts-01-plc', role: 'plc', ip: '10.10.2.11', mac: '00:80:f4:2c:11:0b', vendor: 'TELEMECANIQUE ELECTRIQUE', stack: 'embedded', inventoried: true },
  { name: 'sts-02-plc', role: 'plc', ip: '10.10.2.12', mac: '00:24:59:3e:12:0c', vendor: 'ABB Automation products GmbH', stack: 'embedded', inventoried: true },
  { name: 'sts-hmi', role: 'hmi', ip: '10.10.2.21', mac: '00:1b:1b:7a:21:15', vendor: 'Siemens AG', stack: 'linux', inventoried: true },
  { name: 'laptop', role: 'unknown-laptop', ip: '10.10.9.66', mac: '00:14:22:9c:66:42', vendor: 'Dell Inc.', stack: 'windows', inventoried: false },
  { name: 'modem', role: 'cellular-modem', ip: '10.10.2.99', mac: '00:1e:42:33:99:63', vendor: 'Teltonika', stack: 'linux', inventoried: false },
  { name: 'gateway', role: 'gateway', ip: '10.10.0.1', mac: '00:1b:54:e0:00:01', vendor: 'Cisco Systems, Inc', stack: 'embedded', inventoried: true },
  {
    name: 'vendor-cloud',
    role: 'external-server',
    ip: '203.0.113.50',
    mac: '00:1b:54:e0:00:01',
    vendor: 'Cisco Systems, Inc',
    stack: 'linux',
    ttl: 52,
    inventoried: false,
  },
];

/** The two demo cranes and their PLCs (Modbus/TCP servers, unit id 1). */
export const DEMO_CRANES: readonly DemoCraneSpec[] = [
  {
    craneId: 'STS-01',
    plc: 'sts-01-plc',
    unitId: 1,
    gantryMm: 152_300,
    identity: { vendorName: 'Schneider Electric', productCode: 'BMEP582040', revision: 'v3.20' },
  },
  {
    craneId: 'STS-02',
    plc: 'sts-02-plc',
    unitId: 1,
    gantryMm: 215_800,
    identity: { vendorName: 'ABB', productCode: 'PM5650-2ETH', revision: '3.4.1' },
  },
];

/** How one crane signal is stored in holding registers. */
export interface RegisterSignal {
  /** First holding register, 0-based protocol address (Modbus AP V1.1b3 §4.4). */
  readonly address: number;
  /** 1 register, or 2 for a 32-bit value (high word first). */
  readonly words: 1 | 2;
  readonly type: 'uint16' | 'int16' | 'uint32' | 'int32';
  /** Signal name, snake_case. */
  readonly name: string;
  /** Engineering unit after scaling ('' for enumerations and flags). */
  readonly unit: string;
  /** Engineering value = raw value × scale. */
  readonly scale: number;
  /** 'read' for process values, 'read-write' for setpoints an HMI may change. */
  readonly access: 'read' | 'read-write';
  readonly description: string;
}

/** The register map shared by the demo cranes' PLCs (unit id 1). */
export const DEMO_REGISTER_MAP: {
  readonly wordOrder: 'high-first';
  /** Block the CMS polls with function 3 every 250 ms. */
  readonly poll: { readonly address: number; readonly quantity: number };
  readonly signals: readonly RegisterSignal[];
} = {
  wordOrder: 'high-first',
  poll: { address: 0, quantity: 12 },
  signals: [
    { address: 0, words: 2, type: 'int32', name: 'hoist_position', unit: 'mm', scale: 1, access: 'read', description: 'spreader height above quay level (negative inside a vessel hold)' },
    { address: 2, words: 2, type: 'uint32', name: 'trolley_position', unit: 'mm', scale: 1, access: 'read', description: 'trolley position from the landside end stop' },
    { address: 4, words: 2, type: 'uint32', name: 'gantry_position', unit: 'mm', scale: 1, access: 'read', description: 'crane position along the quay rail' },
    { address: 6, words: 1, type: 'uint16', name: 'load', unit: 'kg', scale: 1, access: 'read', description: 'load-cell weight under the spreader' },
    { address: 7, words: 1, type: 'uint16', name: 'twistlock_state', unit: '', scale: 1, access: 'read', description: '0 unlocked, 1 locked' },
    { address: 8, words: 1, type: 'uint16', name: 'spreader_size', unit: 'ft', scale: 1, access: 'read', description: 'spreader telescope setting: 20, 40 or 45' },
    { address: 9, words: 1, type: 'uint16', name: 'wind_speed', unit: 'm/s', scale: 0.1, access: 'read', description: 'boom-top anemometer' },
    { address: 10, words: 1, type: 'uint16', name: 'operating_mode', unit: '', scale: 1, access: 'read', description: '0 off, 1 manual, 2 semi-automatic, 3 remote, 4 maintenance' },
    { address: 11, words: 1, type: 'uint16', name: 'emergency_stop', unit: '', scale: 1, access: 'read', description: '0 clear, 1 pressed' },
    { address: 100, words: 1, type: 'uint16', name: 'wind_stop_threshold', unit: 'm/s', scale: 0.1, access: 'read-write', description: 'wind speed at which the crane must stop' },
    { address: 101, words: 1, type: 'uint16', name: 'hoist_speed_limit', unit: '%', scale: 1, access: 'read-write', description: 'hoist speed limit, percent of rated speed' },
  ],
};

/** Holding register addresses of the demo map, by signal name. */
export const DemoRegister = {
  HOIST_POSITION: 0,
  TROLLEY_POSITION: 2,
  GANTRY_POSITION: 4,
  LOAD: 6,
  TWISTLOCK_STATE: 7,
  SPREADER_SIZE: 8,
  WIND_SPEED: 9,
  OPERATING_MODE: 10,
  EMERGENCY_STOP: 11,
  WIND_STOP_THRESHOLD: 100,
  HOIST_SPEED_LIMIT: 101,
} as const;
