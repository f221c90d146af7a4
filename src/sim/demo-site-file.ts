import type { SiteInput, SiteRegister } from '../policy/site-schema.js';
import { DEMO_CRANES, DEMO_HOSTS, DEMO_REGISTER_MAP } from './demo-site.js';

/** Site-file register types of the demo map's types. */
const TYPES: Readonly<Record<string, SiteRegister['type']>> = { uint16: 'u16', int16: 'i16', uint32: 'u32', int32: 'i32' };

/**
 * The demo terminal's site file (policy/site-schema.ts, version 1): what the port declares about
 * the network of sim/demo.ts. IEC 62443 zones: crane control 10.10.2.0/24 (PLCs, cab HMI), crane
 * supervisory 10.10.1.0/24 (CMS), the terminal LAN 10.10.0.0/16 (enterprise: gateway, offices) and
 * the outside; one conduit, supervisory → control on TCP 502 (Modbus). The inventory lists the
 * CMS, both PLCs, the HMI and the gateway — not the intruder's laptop nor the cellular modem. Each
 * PLC's clients: the CMS reads (function 3, and 43 for its asset inventory); the HMI also writes
 * STS-01's two setpoints with function 6. No container data may leave (no approved destination).
 */
export function demoSiteFile(): SiteInput {
  const registers: Record<string, SiteInput['cranes'][number]['registers'][string]> = {};
  for (const s of DEMO_REGISTER_MAP.signals) {
    registers[s.name] = {
      address: s.address,
      table: 'holding',
      type: TYPES[s.type],
      scale: s.scale,
      unit: s.unit,
      access: s.access === 'read-write' ? 'read_write' : 'read',
      description: s.description,
    };
  }
  const zoneOf = (ip: string): string => (ip.startsWith('10.10.2.') ? 'crane-control' : ip.startsWith('10.10.1.') ? 'crane-supervisory' : 'terminal-lan');
  return {
    version: 1,
    site: { name: 'CraneWatch demo terminal', unlocode: 'NLRTM' },
    zones: [
      { id: 'crane-control', name: 'Crane control (PLCs, cab HMI)', kind: 'crane_control', cidrs: ['10.10.2.0/24'] },
      { id: 'crane-supervisory', name: 'Crane management system', kind: 'crane_supervisory', cidrs: ['10.10.1.0/24'] },
      { id: 'terminal-lan', name: 'Terminal LAN', kind: 'enterprise', cidrs: ['10.10.0.0/16'] },
      { id: 'internet', name: 'Outside the terminal', kind: 'outside', cidrs: ['0.0.0.0/0'] },
    ],
    conduits: [{ from: 'crane-supervisory', to: 'crane-control', services: [{ protocol: 'tcp', port: 502, service: 'modbus' }], description: 'CMS polling the crane PLCs' }],
    assets: DEMO_HOSTS.filter((h) => h.inventoried && h.role !== 'external-server').map((h) => ({
      name: h.name,
      ip: h.ip,
      mac: h.mac,
      vendor: h.vendor,
      role: h.role === 'cms' || h.role === 'plc' || h.role === 'hmi' || h.role === 'gateway' ? h.role : 'other',
      zone: zoneOf(h.ip),
      ...(h.role === 'plc' ? { crane: DEMO_CRANES.find((c) => c.plc === h.name)?.craneId } : {}),
    })),
    cranes: DEMO_CRANES.map((c) => ({
      id: c.craneId,
      plc: c.plc,
      unit_id: c.unitId,
      word_order: 'high_first' as const,
      registers,
      clients: [
        { asset: 'cms', functions: [3, 43], writes: [], description: 'polls the process values' },
        ...(c.craneId === 'STS-01' ? [{ asset: 'sts-hmi', functions: [3, 6], writes: ['wind_stop_threshold', 'hoist_speed_limit'], description: 'cab HMI setpoints' }] : []),
      ],
    })),
    maintenance_windows: [],
    container_data: { approved_destinations: { assets: [], cidrs: [] } },
  };
}
