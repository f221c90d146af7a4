import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AssetBuilder } from '../../src/assets/asset-builder.js';
import type { LogRecord } from '../../src/events/record.js';
import { streamSchema } from '../../src/events/schema.js';

const PLC = '10.20.1.10';
const CMS = '10.21.0.10';

/** A modbus_read_device_identification row (ICSNPP fields): a response object sent by the PLC, or the request. */
function deviceId(ts: number, code: string, value: string, response = true): LogRecord {
  return {
    ts,
    uid: 'CDevId',
    'id.orig_h': CMS,
    'id.orig_p': 50000,
    'id.resp_h': PLC,
    'id.resp_p': 502,
    is_orig: !response,
    source_h: response ? PLC : CMS,
    source_p: response ? 502 : 50000,
    destination_h: response ? CMS : PLC,
    destination_p: response ? 50000 : 502,
    request_response: response ? 'RESPONSE' : 'REQUEST',
    mei_type: 'READ-DEVICE-IDENTIFICATION',
    object_id_code: code,
    object_value: value,
  } as LogRecord;
}

test('Modbus device identification answers become the PLC\u2019s device_* fields; the first value per field is kept', () => {
  const b = new AssetBuilder();
  b.write('modbus_read_device_identification', deviceId(10, '0x00', '', false)); // the request: nothing told
  b.write('modbus_read_device_identification', deviceId(10.1, '0x00', 'Schneider Electric'));
  b.write('modbus_read_device_identification', deviceId(10.1, '0x01', 'BMX P34 2020'));
  b.write('modbus_read_device_identification', deviceId(10.1, '0x02', 'v3.10'));
  b.write('modbus_read_device_identification', deviceId(10.1, '0x04', 'Modicon M340'));
  b.write('modbus_read_device_identification', deviceId(20, '0x02', 'v9.99')); // later answers do not overwrite
  b.write('modbus_read_device_identification', deviceId(20, '0x80', 'private object'));
  const byHost = new Map(b.records().map((r) => [r.host, r]));
  const plc = byHost.get(PLC);
  assert.ok(plc !== undefined);
  assert.deepEqual(
    [plc.device_vendor, plc.device_product, plc.device_model, plc.device_firmware, plc.device_serial, plc.identified_by],
    ['Schneider Electric', 'BMX P34 2020', 'Modicon M340', 'v3.10', undefined, ['modbus_read_device_identification']],
  );
  assert.equal(byHost.get(CMS), undefined, 'the client that asked is not described (and no conn record named it)');
  const names = new Set(streamSchema('assets')?.fields.map((f) => f.name));
  for (const k of Object.keys(plc)) assert.ok(names.has(k), `${k} is a field of the assets schema`);
});
