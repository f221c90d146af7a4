import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AssetBuilder } from '../../src/assets/asset-builder.js';
import type { LogRecord } from '../../src/events/record.js';
import { streamSchema } from '../../src/events/schema.js';
import { analyzeCaptures } from '../../src/pipeline/analyze.js';
import { sharedFile } from '../helpers/shared-data.js';

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

test('Modbus device identification answers become the PLC\u2019s device_* fields; the latest value per field is kept', () => {
  const b = new AssetBuilder();
  b.write('modbus_read_device_identification', deviceId(10, '0x00', '', false)); // the request: nothing told
  b.write('modbus_read_device_identification', deviceId(10.1, '0x00', 'Schneider Electric'));
  b.write('modbus_read_device_identification', deviceId(10.1, '0x01', 'BMX P34 2020'));
  b.write('modbus_read_device_identification', deviceId(10.1, '0x02', 'v3.10'));
  b.write('modbus_read_device_identification', deviceId(10.1, '0x04', 'Modicon M340'));
  b.write('modbus_read_device_identification', deviceId(20, '0x02', 'v3.20')); // a firmware update: the new revision is shown
  b.write('modbus_read_device_identification', deviceId(20, '0x80', 'private object'));
  const byHost = new Map(b.records().map((r) => [r.host, r]));
  const plc = byHost.get(PLC);
  assert.ok(plc !== undefined);
  assert.deepEqual(
    [plc.device_vendor, plc.device_product, plc.device_model, plc.device_firmware, plc.device_serial, plc.identified_by],
    ['Schneider Electric', 'BMX P34 2020', 'Modicon M340', 'v3.20', undefined, ['modbus_read_device_identification']],
  );
  assert.equal(byHost.get(CMS), undefined, 'the client that asked is not described (and no conn record named it)');
  const names = new Set(streamSchema('assets')?.fields.map((f) => f.name));
  for (const k of Object.keys(plc)) assert.ok(names.has(k), `${k} is a field of the assets schema`);
});

test('EtherNet/IP and S7comm identity records describe the device that answered', () => {
  const b = new AssetBuilder();
  b.write('cip_identity', {
    ts: 1,
    uid: 'CEnip',
    source_h: '10.1.1.164',
    destination_h: '10.1.1.10',
    vendor_id: 1,
    vendor_name: 'Rockwell Automation/Allen-Bradley',
    device_type_name: 'Communications Adapter',
    product_name: '1756-ENBT/A',
    revision: '4.3',
    serial_number: '0x00524d8e',
  } as LogRecord);
  b.write('cip_identity', { ts: 2, uid: 'CEnip2', source_h: '10.1.1.165', vendor_id: 4242, vendor_name: '' } as LogRecord);
  b.write('s7comm_known_devices', {
    ts: 3,
    uid: 'CS7',
    source_h: '10.1.2.20',
    automation_system_name: 'S7300/ET200M station_1',
    module_type_name: 'CPU 315-2 PN/DP',
    module_name: 'PLC_1',
    module_serial: 'S C-B1U393142011',
    order_number: '6ES7 315-2EH14-0AB0',
    firmware_version: 'V 3.2.7',
  } as LogRecord);
  b.write('s7comm_known_devices', { ts: 4, uid: 'CS7b', source_h: '10.1.2.21', module_name: 'PLC_2', order_number: null, firmware_version: null } as LogRecord);
  const byHost = new Map(b.records().map((r) => [r.host, r]));
  const pick = (ip: string) => {
    const r = byHost.get(ip);
    return r && [r.device_vendor, r.device_product, r.device_model, r.device_firmware, r.device_serial, r.identified_by];
  };
  assert.deepEqual(pick('10.1.1.164'), ['Rockwell Automation/Allen-Bradley', '1756-ENBT/A', 'Communications Adapter', '4.3', '0x00524d8e', ['cip_identity']]);
  assert.deepEqual(pick('10.1.1.165'), ['CIP vendor 4242', undefined, undefined, undefined, undefined, ['cip_identity']], 'an unlisted vendor id is still told');
  assert.deepEqual(
    pick('10.1.2.20'),
    ['Siemens', 'CPU 315-2 PN/DP', '6ES7 315-2EH14-0AB0', 'V 3.2.7', 'S C-B1U393142011', ['s7comm_known_devices']],
    'S7: Siemens, module type name, order number (MLFB), firmware; the user-given station and module names are not the model',
  );
  assert.deepEqual(pick('10.1.2.21'), ['Siemens', undefined, undefined, undefined, undefined, ['s7comm_known_devices']], 'a CPU that answered only with its names is still a Siemens device');
});

test('real captures: the snap7 S7-300 and the ControlLogix EtherNet/IP adapter are identified in the inventory', async (t) => {
  const s7 = sharedFile(t, 'icsnpp/s7comm/traces/snap7.pcap');
  const enip = sharedFile(t, 'icsnpp/enip/traces/enip_cip_example.pcap');
  if (s7 === null || enip === null) return;
  const b = new AssetBuilder();
  await analyzeCaptures([s7], { sink: b });
  await analyzeCaptures([enip], { sink: b });
  const found = b.records().filter((r) => r.identified_by !== undefined).map((r) => [r.host, r.device_vendor, r.device_product, r.device_model, r.device_firmware, r.device_serial]);
  assert.deepEqual(found, [
    ['10.1.1.164', 'Rockwell Automation/Allen-Bradley', '1756-ENBT/A', 'Communications Adapter', '4.3', '0x00524d8e'],
    ['134.217.61.211', 'Siemens', 'CPU 315-2 PN/DP', '6ES7 315-2EH14-0AB0', 'V 3.2.7', 'S C-B1U393142011'],
  ]);
});

test('industrial services give both ends a role: an S7 client and its PLC, a DNP3 master and its outstation', () => {
  const b = new AssetBuilder();
  const conn = (orig: string, resp: string, port: number, service: string): LogRecord =>
    ({ ts: 1, uid: `C${port}`, 'id.orig_h': orig, 'id.orig_p': 50000, 'id.resp_h': resp, 'id.resp_p': port, proto: 'tcp', service, duration: 1, conn_state: 'SF' }) as LogRecord;
  b.write('conn', conn('10.1.0.5', '10.1.0.10', 102, 'cotp,s7comm'));
  b.write('conn', conn('10.1.0.6', '10.1.0.11', 20000, 'dnp3_tcp'));
  const roles = new Map(b.records().map((r) => [r.host, r.roles]));
  assert.deepEqual(Object.fromEntries(roles), {
    '10.1.0.5': ['s7comm_client'],
    '10.1.0.6': ['dnp3_master'],
    '10.1.0.10': ['s7comm_server'],
    '10.1.0.11': ['dnp3_outstation'],
  });
});
