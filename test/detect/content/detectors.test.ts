import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containerExfilDetector } from '../../../src/detect/detectors/container-exfil.js';
import { covertModbusDetector } from '../../../src/detect/detectors/covert-modbus.js';
import type { LogRecord } from '../../../src/events/record.js';
import { SitePolicy } from '../../../src/policy/site-policy.js';
import { buildTerminalSite } from '../../../src/sim/terminal/terminal-site.js';
import { detailed, runDetector } from '../helpers.js';

const policy = new SitePolicy(buildTerminalSite(1));

function leak(resp: string, numbers: string[], extra: Record<string, unknown> = {}): LogRecord {
  return { ts: 10, uid: `C${resp}`, 'id.orig_h': '10.20.1.30', 'id.orig_p': 40000, 'id.resp_h': resp, 'id.resp_p': 80, proto: 'tcp', direction: 'orig', encoding: 'base64', channel: 'http', count: numbers.length, numbers, bytes_scanned: 500, ...extra } as LogRecord;
}

test('container_data_exfil: critical to the outside, high inside; names count, encoding, channel and the approved destinations', () => {
  const out = runDetector(containerExfilDetector(policy), policy, [['container_data', leak('203.0.113.57', ['CSQU3054383', 'TGHU4487722'])]]);
  assert.equal(out.length, 1);
  assert.equal(out[0].severity, 'critical');
  assert.equal(
    out[0].explanation,
    '10.20.1.30 (sts-01-ocr) sent 2 container numbers (e.g. CSQU3054383) base64 in HTTP to 203.0.113.57 outside the terminal; the site approves container data only to tos, edi-gw.',
  );
  assert.deepEqual(out[0].evidence, [{ stream: 'container_data', uid: 'C203.0.113.57' }]);
  assert.deepEqual(out[0].techniques.map((t) => t.id), ['T0882', 'T0869']);
  const inside = runDetector(containerExfilDetector(policy), policy, [['container_data', leak('10.40.0.9', ['CSQU3054383'], { direction: 'resp' })]]);
  assert.equal(inside[0].severity, 'high');
  assert.deepEqual(inside[0].hosts, ['10.40.0.9', '10.20.1.30'], 'the responder sent them');
});

test('covert_channel_modbus: ASCII in either byte order, unmapped writes, the reader named with the writer', () => {
  const plc = '10.20.1.10';
  const regs = (s: string, swap: boolean) => Array.from({ length: 6 }, (_, k) => {
    const hi = s.charCodeAt(2 * k) || 0;
    const lo = s.charCodeAt(2 * k + 1) || 0;
    return swap ? (lo << 8) | hi : (hi << 8) | lo;
  });
  const rows: Array<[string, LogRecord]> = [
    ['modbus_detailed', detailed(1, '10.20.1.30', plc, 16, 2000, 6, { request_values: regs('CSQU3054383', false) })],
    ['modbus_detailed', detailed(2, '10.20.1.30', plc, 16, 2006, 6, { request_values: regs('TGHU4487722', true) })],
    ['modbus_detailed', detailed(3, '10.40.0.77', plc, 3, 2000, 12, { response_values: [...regs('CSQU3054383', false), ...regs('TGHU4487722', false)] })],
    ['modbus_detailed', detailed(4, '10.20.1.20', plc, 6, 100, 1, { request_values: [90] })], // HMI setpoint, mapped: nothing
    ['modbus_detailed', detailed(5, '10.20.1.20', plc, 6, 500, 1, { request_values: [1] })], // unmapped register
  ];
  const out = runDetector(covertModbusDetector(policy), policy, rows);
  const byActor = new Map(out.map((f) => [f.hosts[0], f]));
  assert.equal(out.length, 3);
  assert.equal(byActor.get('10.20.1.30')?.count, 2);
  assert.match(byActor.get('10.20.1.30')?.explanation ?? '', /CSQU3054383/);
  const reader = byActor.get('10.40.0.77');
  assert.equal(reader?.severity, 'critical');
  assert.match(reader?.explanation ?? '', /read 2 container numbers .*hidden there by 10\.20\.1\.30 \(sts-01-ocr\)/);
  assert.match(byActor.get('10.20.1.20')?.explanation ?? '', /holding register 500 .* does not define/);
});

test('container_data_exfil acts on the early container_data_found record; the flow-end record merges into the same finding', () => {
  const early = leak('203.0.113.57', ['CSQU3054383'], { ts: 10 });
  const final = leak('203.0.113.57', ['CSQU3054383', 'TGHU4487722'], { ts: 10 });
  const out = runDetector(containerExfilDetector(policy), policy, [
    ['container_data_found', early],
    ['conn', { ts: 10, uid: 'Cother', duration: 3_000 } as LogRecord],
    ['container_data', final],
  ]);
  assert.equal(out.length, 1);
  assert.equal(out[0].firstTs, 10);
  assert.equal(out[0].detectedTs, 10, 'detected at the first find, not when the flow ended');
  assert.deepEqual(out[0].evidence, [{ stream: 'container_data', uid: 'C203.0.113.57' }], 'evidence names the logged record');
});
