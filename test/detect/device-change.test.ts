import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AssetBuilder } from '../../src/assets/asset-builder.js';
import { deviceChangeDetector } from '../../src/detect/detectors/device-change.js';
import { DetectionEngine } from '../../src/detect/engine.js';
import { SinkFanout, type LogRecord } from '../../src/events/record.js';
import { analyzeCaptures } from '../../src/pipeline/analyze.js';
import { sharedFile } from '../helpers/shared-data.js';
import { demoPolicy, MemorySink, runDetector } from './helpers.js';

const PLC = '10.10.2.11'; // STS-01's PLC in the demo site

function cip(ts: number, revision: string, serial = '0x00524d8e'): LogRecord {
  return { ts, uid: `C${ts}`, source_h: PLC, vendor_id: 1, vendor_name: 'Rockwell Automation/Allen-Bradley', product_name: '1756-L61', device_type_name: 'Programmable Logic Controller', revision, serial_number: serial } as LogRecord;
}

test('a new firmware revision is a high finding (T0857, T0839) naming both revisions; the same answer again is nothing', () => {
  const policy = demoPolicy();
  const fs = runDetector(deviceChangeDetector(policy), policy, [
    ['cip_identity', cip(100, '20.11')],
    ['cip_identity', cip(200, '20.11')],
    ['cip_identity', cip(300, '20.13')],
    ['cip_identity', cip(400, '20.13')],
  ]);
  assert.equal(fs.length, 1);
  const f = fs[0];
  assert.equal(f.detector, 'device_change');
  assert.equal(f.severity, 'high');
  assert.deepEqual(f.techniques.map((t) => t.id), ['T0857', 'T0839']);
  assert.deepEqual(f.cranes, ['STS-01']);
  assert.equal(f.firstTs, 300);
  assert.match(f.explanation, /answered with firmware revision 20\.13 \(cip_identity\); it had answered 20\.11 at 1970-01-01T00:01:40\.000Z, outside any maintenance window of STS-01/);
});

test('a new serial number behind the same address is critical masquerading; inside a maintenance window nothing is reported', () => {
  const policy = demoPolicy();
  const swapped = runDetector(deviceChangeDetector(policy), policy, [['cip_identity', cip(100, '20.11')], ['cip_identity', cip(150, '20.11', '0x11111111')]]);
  assert.deepEqual(swapped.map((f) => [f.severity, f.key, f.techniques.map((t) => t.id)]), [['critical', `${PLC}:serial`, ['T0849']]]);
  const planned = demoPolicy((s) => {
    s.maintenance_windows = [{ from: '1970-01-01T00:00:00Z', to: '1970-01-01T01:00:00Z', cranes: ['STS-01'], description: 'firmware update' }] as never;
  });
  assert.deepEqual(runDetector(deviceChangeDetector(planned), planned, [['cip_identity', cip(100, '20.11')], ['cip_identity', cip(200, '20.13')]]), []);
});

test('real captures: the EtherNet/IP adapter answering 4.3 in September and 4.7 in November 2008 (openics) is reported, and the inventory shows 4.7', async (t) => {
  const before = sharedFile(t, 'iti-ics-pcaps/openics/EIP-FirmwareChange.pcap');
  const after = sharedFile(t, 'iti-ics-pcaps/openics/EIP-IPAddressChangeAttempt.pcap');
  if (before === null || after === null) return;
  const policy = demoPolicy();
  const out = new MemorySink();
  const engine = new DetectionEngine([deviceChangeDetector(policy)], policy, out);
  const assets = new AssetBuilder();
  await analyzeCaptures([before, after], { sink: new SinkFanout([engine, assets]) });
  engine.finish();
  const findings = out.get('findings');
  assert.deepEqual(findings.map((x) => [x.detector, x.hosts]), [['device_change', ['192.168.10.120']]]);
  assert.match(findings[0].msg as string, /firmware revision 4\.7 .* it had answered 4\.3/);
  const plc = assets.records().find((r) => r.host === '192.168.10.120');
  assert.equal(plc?.device_firmware, '4.7');
});
