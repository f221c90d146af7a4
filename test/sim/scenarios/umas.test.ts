import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RegisterBank } from '../../../src/sim/modbus/register-bank.js';
import { ModbusServer } from '../../../src/sim/modbus/server.js';
import { SweepScript } from '../../../src/sim/scenarios/sweep-script.js';
import { fromHex, hex } from '../wire.js';

const IDENTITY = { vendorName: 'Schneider Electric', productCode: 'BMEP582040', revision: 'v3.20' };

/** `text` as bytes inside a larger buffer (byteOffset 5), as a capture reader hands them over. */
function subView(text: string): Uint8Array {
  const b = fromHex(text);
  const big = new Uint8Array(b.length + 9).fill(0xee);
  big.set(b, 5);
  return big.subarray(5, 5 + b.length);
}

/** Answer `reqHex` (given as a sub-view); the response as hex. */
function ask(server: ModbusServer, reqHex: string): string {
  const req = subView(reqHex);
  const out = new Uint8Array(300);
  const n = server.handle(1, req, 0, req.length, out, 3);
  return hex(out.subarray(3, 3 + n));
}

test('UMAS (fc 90): reservation key, keyed STOP/START, refusals; other PLCs answer exception 1', () => {
  const plc = new ModbusServer(new RegisterBank({ coils: 1, discreteInputs: 1, inputRegisters: 1, holdingRegisters: 1 }), IDENTITY, null, { umas: true });
  // STOP_PLC without a reservation: tid 0001, proto 0000, len 0004, unit 00 | fc 5a, key 00, code 41.
  assert.equal(ask(plc, '0001' + '0000' + '0004' + '00' + '5a' + '00' + '41'), '0001' + '0000' + '0004' + '00' + '5a' + '00' + 'fd');
  assert.equal(plc.running, true);
  // TAKE_PLC_RESERVATION: fc 5a, key 00, code 10, 00 00, name length 03, "ENG".
  const take = ask(plc, '0002' + '0000' + '000a' + '00' + '5a' + '00' + '10' + '0000' + '03' + '454e47');
  // → fc 5a, key 00, status fe (OK), new key 41.
  assert.equal(take, '0002' + '0000' + '0005' + '00' + '5a' + '00' + 'fe' + '41');
  // A second reservation while one is held is refused.
  assert.equal(ask(plc, '0003' + '0000' + '0004' + '00' + '5a' + '00' + '10'), '0003' + '0000' + '0004' + '00' + '5a' + '00' + 'fd');
  // STOP_PLC with a wrong key (42) is refused, with the key (41) accepted.
  assert.equal(ask(plc, '0004' + '0000' + '0004' + '00' + '5a' + '42' + '41').slice(-2), 'fd');
  assert.equal(ask(plc, '0005' + '0000' + '0004' + '00' + '5a' + '41' + '41'), '0005' + '0000' + '0004' + '00' + '5a' + '41' + 'fe');
  assert.equal(plc.running, false);
  // START_PLC (40), then RELEASE_PLC_RESERVATION (11), both keyed.
  assert.equal(ask(plc, '0006' + '0000' + '0004' + '00' + '5a' + '41' + '40').slice(-2), 'fe');
  assert.equal(plc.running, true);
  assert.equal(ask(plc, '0007' + '0000' + '0004' + '00' + '5a' + '41' + '11').slice(-2), 'fe');
  // READ_ID (02): status fe, product code length 0a, "BMEP582040".
  assert.equal(ask(plc, '0008' + '0000' + '0004' + '00' + '5a' + '00' + '02'), '0008' + '0000' + '000f' + '00' + '5a' + '00' + 'fe' + '0a' + '424d4550353832303430');
  // An unknown UMAS code → status fd.
  assert.equal(ask(plc, '0009' + '0000' + '0004' + '00' + '5a' + '00' + '7f').slice(-2), 'fd');
  assert.equal(plc.exceptionResponses, 0, 'UMAS refusals are UMAS statuses, not Modbus exceptions');

  const other = new ModbusServer(new RegisterBank({ coils: 1, discreteInputs: 1, inputRegisters: 1, holdingRegisters: 1 }), IDENTITY, null);
  // → exception: fc da (5a | 80), code 01 ILLEGAL FUNCTION.
  assert.equal(ask(other, '000a' + '0000' + '0004' + '00' + '5a' + '00' + '41'), '000a' + '0000' + '0003' + '00' + 'da' + '01');
});

test('SweepScript: request layouts of the function-code sweep and the pacing', () => {
  const s = new SweepScript({ kind: 'function-code', firstTs: 100, intervalSec: 0.1, stopTs: 200, unit: 1, firstUnit: 0, lastUnit: 247, quantity: 10, lastAddress: 99 });
  const big = new Uint8Array(600);
  const out = big.subarray(40, 340);
  const got: string[] = [];
  let t = 0;
  for (let fc = 1; fc <= 127; fc++) {
    const at = s.nextRequestTs(t);
    assert.ok(Math.abs(at - (100 + (fc - 1) * 0.1)) < 1e-9, `fc ${fc} slot`);
    t = at + 0.01;
    const n = s.writeRequest(at, fc, out, 7);
    got[fc] = hex(out.subarray(7, 7 + n));
  }
  assert.equal(s.nextRequestTs(t), Infinity, 'done after 127 codes');
  // fc 3: tid 0003, proto 0000, len 0006, unit 01 | fc 03, address 0000, quantity 0001.
  assert.equal(got[3], '0003' + '0000' + '0006' + '01' + '03' + '0000' + '0001');
  // fc 6: address ffff (beyond any map), value 0000.
  assert.equal(got[6], '0006' + '0000' + '0006' + '01' + '06' + 'ffff' + '0000');
  // fc 16: address ffff, quantity 0001, byte count 02, value 0000.
  assert.equal(got[16], '0010' + '0000' + '0009' + '01' + '10' + 'ffff' + '0001' + '02' + '0000');
  // fc 22 mask write: reference ffff, AND mask ffff, OR mask 0000.
  assert.equal(got[22], '0016' + '0000' + '0008' + '01' + '16' + 'ffff' + 'ffff' + '0000');
  // fc 23: read 0000 ×0001, write ffff ×0001, byte count 02, value 0000.
  assert.equal(got[23], '0017' + '0000' + '000d' + '01' + '17' + '0000' + '0001' + 'ffff' + '0001' + '02' + '0000');
  // fc 17 (report server id) has no request data.
  assert.equal(got[17], '0011' + '0000' + '0002' + '01' + '11');
  // fc 43 / MEI 0e, read device id code 01, object 00.
  assert.equal(got[43], '002b' + '0000' + '0005' + '01' + '2b' + '0e' + '01' + '00');
  // fc 90: UMAS key 00, READ_ID 02.
  assert.equal(got[90], '005a' + '0000' + '0004' + '01' + '5a' + '00' + '02');
  // Any other code: four zero data bytes.
  assert.equal(got[100], '0064' + '0000' + '0006' + '01' + '64' + '00000000');
  assert.ok(big.subarray(0, 47).every((b) => b === 0), 'nothing written before the requested offset');
});
