import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateSite } from '../../../src/policy/site-file.js';
import { ModbusServer } from '../../../src/sim/modbus/server.js';
import { CRANE_SIGNALS, Sig } from '../../../src/sim/terminal/crane-model.js';
import { CompiledRegisterMap } from '../../../src/sim/terminal/register-map.js';
import { buildTerminalSite } from '../../../src/sim/terminal/terminal-site.js';

/** A crane map mixing tables, types and the low-word-first order. */
function crane() {
  return validateSite({
    version: 1,
    site: { name: 'T', unlocode: 'NLRTM' },
    zones: [{ id: 'c', name: 'c', kind: 'crane_control', cidrs: ['10.0.0.0/8'] }],
    assets: [{ name: 'plc', ip: '10.0.0.1', mac: '00:80:f4:00:00:01', vendor: 'x', role: 'plc', zone: 'c' }],
    cranes: [
      {
        id: 'QC1',
        plc: 'plc',
        unit_id: 3,
        word_order: 'low_first',
        registers: {
          hoist_position_mm: { address: 10, table: 'input', type: 'i32' },
          load_kg: { address: 12, table: 'input', type: 'u16', scale: 10 },
          hoist_speed_mm_s: { address: 13, table: 'input', type: 'i16' },
          twistlock_locked: { address: 4, table: 'discrete', type: 'bool' },
          wind_speed_ms: { address: 200, table: 'holding', type: 'u16', scale: 0.1 },
          hoist_speed_limit_pct: { address: 300, table: 'holding', type: 'u16', access: 'read_write' },
        },
      },
    ],
  }).cranes[0];
}

test('values land where the map puts them: scale, sign, word order, bits', () => {
  const map = new CompiledRegisterMap(crane());
  const bank = map.newBank();
  assert.deepEqual(map.sizes, { coils: 1, discreteInputs: 5, inputRegisters: 14, holdingRegisters: 301 });
  const v = new Float64Array(CRANE_SIGNALS.length);
  v[Sig.HOIST] = -9_400; // 0xFFFFDB48 as int32
  v[Sig.LOAD] = 40_250; // kg, scale 10 → 4025
  v[Sig.HOIST_SPEED] = -1_500; // int16 0xFA24
  v[Sig.LOCKED] = 1;
  v[Sig.WIND] = 7.36; // m/s, scale 0.1 → 74 (rounded)
  map.store(v, bank);
  assert.equal(bank.inputRegisters[10], 0xdb48, 'low word first');
  assert.equal(bank.inputRegisters[11], 0xffff, 'then the high word');
  assert.equal(bank.inputRegisters[12], 4025);
  assert.equal(bank.inputRegisters[13], 0xfa24);
  assert.equal(bank.discreteInputs[4], 1);
  assert.equal(bank.holdingRegisters[200], 74);
  map.initSetpoint(bank, 'hoist_speed_limit_pct', 100);
  assert.equal(bank.holdingRegisters[300], 100);
  v[Sig.LOAD] = 1e9; // clamps to the u16 range instead of wrapping
  map.store(v, bank);
  assert.equal(bank.inputRegisters[12], 0xffff);
  assert.equal(map.signalAt('input', 11), 'hoist_position_mm');
  assert.equal(map.signalAt('holding', 299), '');
  assert.deepEqual(map.setpoints().map((s) => s.name), ['hoist_speed_limit_pct']);
});

test('poll blocks cover the read-only signals per table, one request each (fc 3, 4, 2)', () => {
  const map = new CompiledRegisterMap(crane());
  assert.deepEqual(map.pollBlocks, [
    { fc: 3, address: 200, quantity: 1 },
    { fc: 4, address: 10, quantity: 4 },
    { fc: 2, address: 4, quantity: 1 },
  ]);
  const twin = new CompiledRegisterMap(buildTerminalSite(2).cranes[1]);
  assert.deepEqual(twin.pollBlocks, [{ fc: 3, address: 1000, quantity: 17 }], 'Siemens-family layout starts at 1000');
});

test('a PLC serves the mapped values over Modbus (request in a sub-view buffer)', () => {
  const map = new CompiledRegisterMap(crane());
  const bank = map.newBank();
  const v = new Float64Array(CRANE_SIGNALS.length);
  v[Sig.HOIST] = 30_000;
  const server = new ModbusServer(bank, { vendorName: 'v', productCode: 'p', revision: 'r' }, { update: (_ts, b) => map.store(v, b) });
  const big = new Uint8Array(32);
  // prettier-ignore
  big.set([
    0x00, 0x07, // transaction id 7
    0x00, 0x00, // protocol id 0
    0x00, 0x06, // length 6
    0x03,       // unit id 3
    0x04,       // function 4 Read Input Registers
    0x00, 0x0a, // start address 10
    0x00, 0x02, // quantity 2
  ], 5);
  const out = new Uint8Array(260);
  const n = server.handle(1, big, 5, 12, out, 0);
  // MBAP (7) + fc + byte count 4 + 0x7530 0x0000 (30000, low word first)
  assert.deepEqual([...out.subarray(0, n)], [0, 7, 0, 0, 0, 7, 3, 4, 4, 0x75, 0x30, 0x00, 0x00]);
});
