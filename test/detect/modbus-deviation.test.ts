import assert from 'node:assert/strict';
import { test } from 'node:test';
import { modbusDeviationDetector } from '../../src/detect/detectors/modbus-deviation.js';
import type { Finding } from '../../src/detect/engine.js';
import { registerWords } from '../../src/policy/site-schema.js';
import { demoSiteFile } from '../../src/sim/demo-site-file.js';
import { demoPolicy, detailed, runDetector } from './helpers.js';

const PLC = '10.10.2.11'; // STS-01's PLC in the demo site
const CMS = '10.10.1.10'; // the CMS: the demo site lets it use functions 3 and 43 on STS-01
const LAPTOP = '10.10.9.66'; // not in the inventory

/** The lowest and highest holding-register address of STS-01's map in the demo site. */
function holdingEnvelope(): { first: number; last: number } {
  const crane = demoSiteFile().cranes.find((c) => c.id === 'STS-01');
  assert.ok(crane !== undefined);
  const regs = Object.values(crane.registers).filter((r) => r.table === 'holding');
  assert.ok(regs.length > 0);
  return {
    first: Math.min(...regs.map((r) => r.address)),
    last: Math.max(...regs.map((r) => r.address + registerWords(r.type ?? 'u16') - 1)),
  };
}

const ids = (f: Finding): string[] => f.techniques.map((t) => t.id);

test('a listed client reading inside the map with its own functions raises nothing', () => {
  const { first, last } = holdingEnvelope();
  const fs = runDetector(modbusDeviationDetector(demoPolicy()), demoPolicy(), [
    ['modbus_detailed', detailed(1, CMS, PLC, 3, first, last - first + 1)],
    ['modbus_detailed', detailed(2, CMS, PLC, 3, first, 1)],
  ]);
  assert.deepEqual(fs, []);
});

test('a read past the end of the map: one finding per client, PLC and table, repeats merged', () => {
  const { first, last } = holdingEnvelope();
  const fs = runDetector(modbusDeviationDetector(demoPolicy()), demoPolicy(), [
    ['modbus_detailed', detailed(10, CMS, PLC, 3, first, last - first + 2)],
    ['modbus_detailed', detailed(11, CMS, PLC, 3, last + 100, 10)],
  ]);
  assert.equal(fs.length, 1);
  assert.equal(fs[0].detector, 'modbus_deviation');
  assert.equal(fs[0].count, 2);
  assert.equal(fs[0].severity, 'medium');
  assert.deepEqual(ids(fs[0]), ['T0861', 'T0801']);
  assert.deepEqual(fs[0].cranes, ['STS-01']);
  assert.match(fs[0].explanation, new RegExp(`holding addresses ${first}–${last + 1}`));
  assert.match(fs[0].explanation, new RegExp(`maps holding addresses ${first}–${last} only`));
});

test('a function the client rule does not list: status reads are discovery, data reads monitoring', () => {
  const fs = runDetector(modbusDeviationDetector(demoPolicy()), demoPolicy(), [
    ['modbus_detailed', detailed(20, CMS, PLC, 17, -1, 0)], // Report Server ID
    ['modbus_detailed', detailed(21, CMS, PLC, 1, 0, 8)], // Read Coils: a data read it was not given
    ['modbus_detailed', detailed(22, CMS, PLC, 0x91, -1, 0)], // exception response to 17: same function
  ]);
  const byKey = new Map(fs.map((f) => [f.key.split(':').at(-1), f]));
  assert.deepEqual([...byKey.keys()].sort(), ['fc1', 'fc17']);
  assert.deepEqual(ids(byKey.get('fc17') as Finding), ['T0888']);
  assert.equal(byKey.get('fc17')?.count, 2);
  assert.deepEqual(ids(byKey.get('fc1') as Finding), ['T0801']);
  assert.match(byKey.get('fc17')?.explanation ?? '', /the site file's rule lists only functions 3, 43\./);
});

test('writes, diagnostics, UMAS, device identification and unlisted clients are left to their detectors', () => {
  const fs = runDetector(modbusDeviationDetector(demoPolicy()), demoPolicy(), [
    ['modbus_detailed', detailed(30, CMS, PLC, 6, 9999, 1)],
    ['modbus_detailed', detailed(31, CMS, PLC, 8, -1, 0)],
    ['modbus_detailed', detailed(32, CMS, PLC, 43, -1, 0)],
    ['modbus_detailed', detailed(33, CMS, PLC, 90, -1, 0)],
    ['modbus_detailed', detailed(34, LAPTOP, PLC, 3, 60000, 10)],
  ]);
  assert.deepEqual(fs, []);
});

test('a vendor-zone client inside a maintenance window of the crane may read anything', () => {
  const edit = (s: Parameters<NonNullable<Parameters<typeof demoPolicy>[0]>>[0]): void => {
    s.zones.push({ id: 'vendor', name: 'Vendor VPN', kind: 'vendor_remote_access', cidrs: ['10.99.0.0/24'] });
    s.assets.push({ name: 'vendor-eng', ip: '10.99.0.5', mac: '00:11:22:33:44:55', vendor: 'x', role: 'other', zone: 'vendor' } as never);
    const crane = s.cranes.find((c) => c.id === 'STS-01');
    assert.ok(crane !== undefined);
    crane.clients = [{ asset: 'vendor-eng', functions: [3], writes: [], description: '' }];
    s.maintenance_windows = [{ from: '1970-01-01T00:00:00Z', to: '1970-01-01T01:00:00Z', cranes: ['STS-01'], description: '' }] as never;
  };
  const policy = demoPolicy(edit);
  const inside = runDetector(modbusDeviationDetector(policy), policy, [['modbus_detailed', detailed(60, '10.99.0.5', PLC, 3, 65000, 5)]]);
  assert.deepEqual(inside, []);
  const outside = runDetector(modbusDeviationDetector(policy), policy, [['modbus_detailed', detailed(7200, '10.99.0.5', PLC, 3, 65000, 5)]]);
  assert.equal(outside.length, 1);
});
