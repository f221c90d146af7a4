import { CwError } from '../../errors.js';
import { validateSite } from '../../policy/site-file.js';
import type { Site, SiteAsset, SiteCrane } from '../../policy/site-schema.js';

/** Most cranes a twin terminal has. */
export const MAX_CRANES = 100;

/** Two-digit crane number: STS-01 … STS-100. */
export function craneId(i: number): string {
  return `STS-${String(i).padStart(2, '0')}`;
}

/** MAC from an IEEE OUI (three octets "00:80:f4") and a 24-bit host part. */
function mac(oui: string, host: number): string {
  const h = (n: number): string => n.toString(16).padStart(2, '0');
  return `${oui}:${h((host >>> 16) & 0xff)}:${h((host >>> 8) & 0xff)}:${h(host & 0xff)}`;
}

/** PLC families of the twin's cranes: identity, OUI (IEEE registry name) and register layout. */
const PLC_FAMILIES = [
  { vendor: 'TELEMECANIQUE ELECTRIQUE', oui: '00:80:f4', base: 0, wordOrder: 'high_first' as const },
  { vendor: 'Siemens AG', oui: '00:0e:8c', base: 1000, wordOrder: 'low_first' as const },
  { vendor: 'ABB Automation products GmbH', oui: '00:24:59', base: 0, wordOrder: 'high_first' as const },
];

/** The register map of a crane PLC whose process values start at holding register `base`. */
function registerMap(base: number): SiteCrane['registers'] {
  const r = (address: number, type: 'u16' | 'i16' | 'u32' | 'i32', unit: string, scale: number, description: string) => ({
    address: base + address,
    table: 'holding' as const,
    type,
    scale,
    unit,
    access: 'read' as const,
    description,
  });
  return {
    hoist_position_mm: r(0, 'i32', 'mm', 1, 'spreader height above quay level (negative inside a hold)'),
    trolley_position_mm: r(2, 'u32', 'mm', 1, 'trolley position from the landside end stop'),
    gantry_position_mm: r(4, 'u32', 'mm', 1, 'crane position along the quay rail'),
    load_kg: r(6, 'u16', 'kg', 10, 'load-cell weight under the headblock (spreader ~15 t included)'),
    twistlock_locked: r(7, 'u16', '', 1, '0 unlocked, 1 locked'),
    spreader_landed: r(8, 'u16', '', 1, '0 hanging, 1 landed'),
    spreader_size_ft: r(9, 'u16', 'ft', 1, 'spreader telescope setting: 20, 40 or 45'),
    wind_speed_ms: r(10, 'u16', 'm/s', 0.1, 'boom-top anemometer'),
    operating_mode: r(11, 'u16', '', 1, '0 off, 1 manual, 2 semi-automatic, 3 remote, 4 maintenance'),
    emergency_stop: r(12, 'u16', '', 1, '0 clear, 1 pressed'),
    move_counter: r(13, 'u32', '', 1, 'container moves completed since power-up'),
    hoist_speed_mm_s: r(15, 'i16', 'mm/s', 1, 'hoist speed, positive up'),
    trolley_speed_mm_s: r(16, 'i16', 'mm/s', 1, 'trolley speed, positive seaward'),
    wind_stop_threshold_ms: { ...r(100, 'u16', 'm/s', 0.1, 'wind speed at which the crane must stop'), access: 'read_write' as const },
    hoist_speed_limit_pct: { ...r(101, 'u16', '%', 1, 'hoist speed limit, percent of rated speed'), access: 'read_write' as const },
    load_interlock_bypass: r(102, 'u16', '', 1, '1 bypasses the load interlocks (hoist only with twistlocks locked or fully open, overload cut-out); commissioning only, never written in operation'),
  };
}

/**
 * The twin terminal's site file for `cranes` STS cranes (1–100): zones and conduits (IEC 62443),
 * the asset inventory (per crane a PLC, an operator-cab HMI and an OCR controller; a CMS and a
 * historian in the supervisory zone; TOS, EDI gateway, DNS and NTP in the terminal DMZ; a vendor VPN
 * gateway),
 * and each crane's register map (three PLC families with different layouts and word orders; besides the
 * process values and the two cab setpoints, `load_interlock_bypass` at base + 102, a commissioning
 * switch that no client writes in operation and the CMS does not poll).
 * Addresses: crane i uses 10.20.i.0/24; MACs carry real IEEE OUIs. Fully determined by `cranes`.
 * @throws CwError CW_ERR_CONFIG when `cranes` is outside 1–100.
 */
export function buildTerminalSite(cranes: number): Site {
  if (!Number.isInteger(cranes) || cranes < 1 || cranes > MAX_CRANES) {
    throw new CwError('CW_ERR_CONFIG', `cranes must be an integer 1–${MAX_CRANES}, got ${cranes}`);
  }
  const assets: SiteAsset[] = [
    { name: 'cms', ip: '10.21.0.10', mac: 'b8:ca:3a:21:00:0a', vendor: 'Dell Inc.', role: 'cms', zone: 'crane-supervisory' },
    { name: 'historian', ip: '10.21.0.20', mac: 'b8:ca:3a:21:00:14', vendor: 'Dell Inc.', role: 'historian', zone: 'crane-supervisory' },
    { name: 'tos', ip: '10.30.0.10', mac: 'd4:f5:ef:30:00:0a', vendor: 'Hewlett Packard Enterprise', role: 'tos', zone: 'terminal-dmz' },
    { name: 'dns', ip: '10.30.0.53', mac: 'd4:f5:ef:30:00:35', vendor: 'Hewlett Packard Enterprise', role: 'dns', zone: 'terminal-dmz' },
    { name: 'edi-gw', ip: '10.30.0.25', mac: 'd4:f5:ef:30:00:19', vendor: 'Hewlett Packard Enterprise', role: 'edi_gateway', zone: 'terminal-dmz' },
    { name: 'ntp', ip: '10.30.0.123', mac: '00:1b:54:30:00:7b', vendor: 'Cisco Systems, Inc', role: 'ntp', zone: 'terminal-dmz' },
    { name: 'vpn-gw', ip: '10.50.0.1', mac: '00:1b:54:50:00:01', vendor: 'Cisco Systems, Inc', role: 'vpn_gateway', zone: 'vendor-remote' },
  ];
  const craneList: SiteCrane[] = [];
  for (let i = 1; i <= cranes; i++) {
    const id = craneId(i);
    const fam = PLC_FAMILIES[(i - 1) % PLC_FAMILIES.length];
    const lower = id.toLowerCase();
    assets.push(
      { name: `${lower}-plc`, ip: `10.20.${i}.10`, mac: mac(fam.oui, 0x200000 + i * 16), vendor: fam.vendor, role: 'plc', zone: 'crane-control', crane: id },
      { name: `${lower}-hmi`, ip: `10.20.${i}.20`, mac: mac('00:1b:1b', 0x300000 + i * 16), vendor: 'Siemens AG', role: 'hmi', zone: 'crane-control', crane: id },
      { name: `${lower}-ocr`, ip: `10.20.${i}.30`, mac: mac('00:40:8c', 0x400000 + i * 16), vendor: 'Axis Communications AB', role: 'ocr', zone: 'crane-control', crane: id },
    );
    craneList.push({ id, plc: `${lower}-plc`, unit_id: 1, word_order: fam.wordOrder, registers: registerMap(fam.base) });
  }
  return validateSite(
    {
    version: 1,
    site: { name: 'CraneWatch twin terminal', unlocode: 'NLRTM' },
    zones: [
      { id: 'crane-control', name: 'Crane control networks (PLC, cab HMI, OCR)', kind: 'crane_control', cidrs: ['10.20.0.0/16'] },
      { id: 'crane-supervisory', name: 'Crane management and historian', kind: 'crane_supervisory', cidrs: ['10.21.0.0/24'] },
      { id: 'terminal-dmz', name: 'Terminal DMZ (TOS gateway, DNS, NTP)', kind: 'terminal_dmz', cidrs: ['10.30.0.0/24'] },
      { id: 'enterprise', name: 'Terminal enterprise network', kind: 'enterprise', cidrs: ['10.40.0.0/16'] },
      { id: 'vendor-remote', name: 'Vendor remote maintenance', kind: 'vendor_remote_access', cidrs: ['10.50.0.0/24'] },
      { id: 'internet', name: 'Outside the terminal', kind: 'outside', cidrs: ['0.0.0.0/0'] },
    ],
    conduits: [
      { from: 'crane-supervisory', to: 'crane-control', services: [{ protocol: 'tcp', port: 502, service: 'modbus' }], description: 'CMS polls the crane PLCs' },
      { from: 'crane-control', to: 'crane-control', services: [{ protocol: 'tcp', port: 502, service: 'modbus' }], description: 'cab HMI commands its PLC' },
      { from: 'crane-control', to: 'terminal-dmz', services: [{ protocol: 'tcp', port: 8080, service: 'http' }, { protocol: 'udp', port: 53, service: 'dns' }, { protocol: 'udp', port: 123, service: 'ntp' }], description: 'OCR reads to the TOS; name and time service' },
      { from: 'crane-supervisory', to: 'terminal-dmz', services: [{ protocol: 'tcp', port: 8080, service: 'http' }, { protocol: 'udp', port: 53, service: 'dns' }, { protocol: 'udp', port: 123, service: 'ntp' }], description: 'job-done records to and work orders from the TOS; name and time service' },
      { from: 'terminal-dmz', to: 'terminal-dmz', services: [{ protocol: 'tcp', port: 4080, service: 'as2' }], description: 'EDIFACT over AS2: COARRI reports from the TOS to the EDI gateway, BAPLIE bay plans from the gateway to the TOS' },
      { from: 'internet', to: 'vendor-remote', services: [{ protocol: 'udp', port: 500, service: 'ike' }, { protocol: 'udp', port: 4500, service: 'ipsec-nat-t' }], description: 'crane vendor VPN (normally idle)' },
      { from: 'vendor-remote', to: 'crane-supervisory', services: [{ protocol: 'tcp', port: 22, service: 'ssh' }], description: 'vendor maintenance sessions in maintenance windows' },
    ],
    assets,
    cranes: craneList,
    maintenance_windows: [
      { weekdays: ['tue'], start: '06:00', end: '10:00', timezone: 'Europe/Amsterdam', description: 'weekly crane PLC maintenance' },
    ],
    container_data: { approved_destinations: { assets: ['tos', 'edi-gw'], cidrs: [] } },
    },
    'twin site',
  );
}
