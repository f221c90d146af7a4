import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_LIMITS } from '../../src/config/limits.js';
import type { LogRecord } from '../../src/events/record.js';
import { SummaryCollector, type SummaryInputs } from '../../src/output/summary.js';

const conn = (ts: number, o: string, r: string, rp: number, proto: string, service: string | undefined, ob: number, rb: number): LogRecord => ({
  ts,
  uid: `C${ts}`,
  'id.orig_h': o,
  'id.orig_p': 50000,
  'id.resp_h': r,
  'id.resp_p': rp,
  proto,
  service,
  orig_ip_bytes: ob,
  resp_ip_bytes: rb,
});

const INPUTS: SummaryInputs = {
  inputs: [{ path: '/captures/crane-07/plc-link.pcapng', format: 'pcapng', packets: 12345, bytes: 2_345_678 }],
  packets: 12345,
  bytes: 2_345_678,
  firstTs: 1700000000.123456,
  lastTs: 1700000090.5,
  warnings: [{ file: '/captures/crane-07/plc-link.pcapng', offset: 2345600, code: 'capture.truncated_record', message: 'the last record is cut short' }],
};

function collect(): SummaryCollector {
  const s = new SummaryCollector();
  s.write('conn', conn(1, '10.0.0.9', '10.0.0.3', 502, 'tcp', 'modbus', 720, 437));
  s.write('conn', conn(2, '10.0.0.10', '10.0.0.3', 502, 'tcp', 'modbus', 100, 200));
  s.write('conn', conn(3, '10.0.0.9', '8.8.8.8', 53, 'udp', 'dns', 60, 120));
  s.write('conn', conn(4, '10.0.0.10', '203.0.113.5', 443, 'tcp', undefined, 2_000_000, 3_500_000));
  s.write('conn', conn(5, '10.0.0.9', '224.0.0.251', 5353, 'udp', 'dns', 70, 0)); // multicast: a flow, not a host
  const pdus: [string, string, string | null][] = [
    ['READ_HOLDING_REGISTERS', 'REQ', null],
    ['READ_HOLDING_REGISTERS', 'RESP', null],
    ['READ_HOLDING_REGISTERS', 'REQ', null],
    ['READ_HOLDING_REGISTERS', 'RESP', null],
    ['WRITE_SINGLE_REGISTER', 'REQ', null],
    ['WRITE_SINGLE_REGISTER', 'RESP', 'ILLEGAL_DATA_ADDRESS'],
  ];
  for (const [func, pdu_type, exception] of pdus) s.write('modbus', { ts: 1, uid: 'C1', func, pdu_type, exception });
  s.write('weird', { ts: 1, name: 'tcp.seq_gap' });
  s.write('weird', { ts: 2, name: 'modbus.invalid_length' });
  s.write('weird', { ts: 3, name: 'tcp.seq_gap' });
  s.setInputs(INPUTS);
  return s;
}

const EXPECTED_RENDER = `Inputs
  file                                format  packets    bytes
  /captures/crane-07/plc-link.pcapng  pcapng   12,345  2.2 MiB
  packets   12,345 (2.2 MiB captured)
  span      2023-11-14T22:13:20.123Z .. 2023-11-14T22:14:50.500Z (90.377 s)
  warnings  1
    capture.truncated_record /captures/crane-07/plc-link.pcapng@2345600: the la…

Hosts
  5 in the asset inventory

Logs
  stream  records
  modbus        6
  conn          5
  weird         3

Flows (5)
  proto  flows
  tcp        3
  udp        2

  service  flows
  dns          2
  modbus       2
  -            1

Top talkers by IP bytes (5 of 5 hosts in flows)
  host         IP bytes     sent  received  flows
  10.0.0.10     5.2 MiB  1.9 MiB   3.3 MiB      2
  203.0.113.5   5.2 MiB  3.3 MiB   1.9 MiB      1
  10.0.0.3      1.4 KiB    637 B     820 B      2
  10.0.0.9      1.4 KiB    850 B     557 B      3
  8.8.8.8         180 B    120 B      60 B      1

Modbus (6 PDUs)
  function                req  resp  exceptions
  READ_HOLDING_REGISTERS    2     2           0
  WRITE_SINGLE_REGISTER     1     1           1

  exception             count
  ILLEGAL_DATA_ADDRESS      1

Anomalies (3)
  name                   count
  tcp.seq_gap                2
  modbus.invalid_length      1

Incidents
  detection off: give the site file with --site to run the detectors
`;

describe('SummaryCollector', () => {
  it('produces the documented JSON shape', () => {
    assert.deepEqual(collect().toJSON(), {
      summary_version: 1,
      inputs: {
        files: [{ path: '/captures/crane-07/plc-link.pcapng', format: 'pcapng', packets: 12345, bytes: 2345678 }],
        packets: 12345,
        bytes: 2345678,
        first_ts: 1700000000.123456,
        last_ts: 1700000090.5,
        span_sec: 90.376544,
        warnings: 1,
        warning_list: INPUTS.warnings,
      },
      hosts: 5,
      hosts_truncated: false,
      devices: [],
      records: [
        { stream: 'modbus', count: 6 },
        { stream: 'conn', count: 5 },
        { stream: 'weird', count: 3 },
      ],
      flows: {
        total: 5,
        by_proto: [
          { proto: 'tcp', flows: 3 },
          { proto: 'udp', flows: 2 },
        ],
        by_service: [
          { service: 'dns', flows: 2 },
          { service: 'modbus', flows: 2 },
          { service: '-', flows: 1 },
        ],
      },
      top_talkers: [
        { host: '10.0.0.10', bytes: 5500300, bytes_sent: 2000100, bytes_received: 3500200, flows: 2 },
        { host: '203.0.113.5', bytes: 5500000, bytes_sent: 3500000, bytes_received: 2000000, flows: 1 },
        { host: '10.0.0.3', bytes: 1457, bytes_sent: 637, bytes_received: 820, flows: 2 },
        { host: '10.0.0.9', bytes: 1407, bytes_sent: 850, bytes_received: 557, flows: 3 },
        { host: '8.8.8.8', bytes: 180, bytes_sent: 120, bytes_received: 60, flows: 1 },
      ],
      modbus: {
        pdus: 6,
        functions: [
          { func: 'READ_HOLDING_REGISTERS', req: 2, resp: 2, exceptions: 0 },
          { func: 'WRITE_SINGLE_REGISTER', req: 1, resp: 1, exceptions: 1 },
        ],
        exceptions: [{ exception: 'ILLEGAL_DATA_ADDRESS', count: 1 }],
      },
      anomalies: {
        total: 3,
        by_name: [
          { name: 'tcp.seq_gap', count: 2 },
          { name: 'modbus.invalid_length', count: 1 },
        ],
      },
      detection: null,
    });
  });

  it('survives a JSON round trip unchanged (plain data only)', () => {
    const j = collect().toJSON();
    assert.deepEqual(JSON.parse(JSON.stringify(j)), j);
  });

  it('renders plain aligned tables (snapshot)', () => {
    assert.equal(collect().render({ color: false, width: 80 }), EXPECTED_RENDER);
  });

  it('colors only when asked', () => {
    const colored = collect().render({ color: true, width: 80 });
    assert.ok(colored.includes('\x1b[1mInputs\x1b[0m'));
    assert.ok(colored.includes('Anomalies (\x1b[33m3\x1b[0m)'));
    assert.equal(colored.replace(/\x1b\[[0-9;]*m/g, ''), EXPECTED_RENDER);
    assert.ok(!EXPECTED_RENDER.includes('\x1b'));
  });

  it('fits a narrow terminal by cutting paths from the start and names from the end, never addresses', () => {
    const out = collect().render({ color: false, width: 40 });
    assert.ok(out.includes('  …link.pcapng  pcapng   12,345  2.2 MiB\n'));
    assert.ok(out.includes('  203.0.113.5   5.2 MiB'));
    assert.ok(out.includes('  READ_HOLDING_R…    2     2           0\n'));
  });

  it('renders an empty run', () => {
    const s = new SummaryCollector();
    const j = s.toJSON();
    assert.equal(j.hosts, 0);
    assert.equal(j.inputs.span_sec, null);
    const out = s.render({ color: false, width: 80 });
    assert.ok(out.includes('  span      -\n'));
    assert.ok(out.endsWith('Anomalies (0)\n  none\n\nIncidents\n  detection off: give the site file with --site to run the detectors\n'));
    assert.ok(!out.includes('Modbus'));
  });

  it('lists incidents most severe first when detection ran', () => {
    const s = new SummaryCollector();
    s.setDetection(true);
    const inc = (id: string, severity: string, ts: number, title: string): LogRecord => ({
      ts,
      incident_id: id,
      last_ts: ts + 5,
      severity,
      title,
      msg: `${title}.`,
      findings: 2,
      hosts: ['10.10.9.66', '10.10.2.11', '10.10.2.12', '10.10.2.13'],
      cranes: ['STS-01'],
      techniques: ['T0855'],
    });
    s.write('findings', {});
    s.write('incidents', inc('I2', 'high', 1_741_939_300, 'Scan'));
    s.write('incidents', inc('I1', 'critical', 1_741_939_400, 'Write'));
    const j = s.toJSON();
    assert.equal(j.detection?.findings, 1);
    assert.deepEqual(j.detection?.incidents.map((x) => x.incident_id), ['I1', 'I2']);
    const out = s.render({ color: false, width: 120 });
    assert.ok(out.includes('Incidents (2, from 1 finding)\n'), out);
    assert.ok(out.includes('  critical  2025-03-14T08:03:20.000Z  Write  10.10.9.66 10.10.2.11 10.10.2.12 …         2\n'), out);
    const none = new SummaryCollector();
    none.setDetection(true);
    assert.ok(none.render({ color: false, width: 80 }).endsWith('Incidents (0, from 0 findings)\n  none\n'));
  });

  it('bounds hosts by limits.maxAssets', () => {
    const s = new SummaryCollector({ limits: { ...DEFAULT_LIMITS, maxAssets: 2 } });
    s.write('conn', conn(1, '10.0.0.1', '10.0.0.2', 502, 'tcp', 'modbus', 1, 1));
    s.write('conn', conn(2, '10.0.0.3', '10.0.0.4', 502, 'tcp', 'modbus', 1, 1));
    const j = s.toJSON();
    assert.equal(j.hosts, 2);
    assert.equal(j.hosts_truncated, true);
    assert.equal(j.flows.total, 2);
  });
});

describe('SummaryCollector counting rules', () => {
  it('counts an exception response on its function row and hosts from the asset inventory', () => {
    const s = new SummaryCollector();
    s.write('modbus', { func: 'READ_INPUT_REGISTERS', pdu_type: 'REQ' });
    s.write('modbus', { func: 'READ_INPUT_REGISTERS_EXCEPTION', pdu_type: 'RESP', exception: 'ILLEGAL_DATA_ADDRESS' });
    s.write('assets', { host: '10.0.0.1' });
    s.write('assets', { host: '10.0.0.2' });
    const j = s.toJSON();
    assert.deepEqual(j.modbus.functions, [{ func: 'READ_INPUT_REGISTERS', req: 1, resp: 1, exceptions: 1 }]);
    assert.equal(j.hosts, 2);
  });

  it('lists the devices that told their identity, and shows 12 Modbus functions with a count of the rest', () => {
    const s = new SummaryCollector();
    s.write('assets', { host: '10.0.0.1' });
    s.write('assets', { host: '10.0.0.2', device_vendor: 'Siemens AG', device_product: 'CPU 315-2 PN/DP', device_firmware: 'V3.2', identified_by: ['s7comm_known_devices'] });
    for (let fc = 100; fc < 120; fc++) s.write('modbus', { func: `unknown-${fc}`, pdu_type: 'REQ' });
    const j = s.toJSON();
    assert.deepEqual(j.devices, [{ host: '10.0.0.2', vendor: 'Siemens AG', product: 'CPU 315-2 PN/DP', model: '', firmware: 'V3.2', serial: '' }]);
    const text = s.render({ width: 120, color: false });
    assert.match(text, /Devices that told their identity \(1\)\n  host +vendor +product +model +firmware +serial\n  10\.0\.0\.2 +Siemens AG +CPU 315-2 PN\/DP +- +V3\.2 +-\n/);
    assert.equal(j.modbus.functions.length, 20, 'the JSON keeps every function');
    assert.equal((text.match(/unknown-1\d\d/g) ?? []).length, 12);
    assert.match(text, /… and 8 more functions \(modbus\.log; --json lists them all\)/);
  });
});
