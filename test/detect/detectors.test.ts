import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baselineDeviationDetector } from '../../src/detect/detectors/baseline-deviation.js';
import { conduitDetector } from '../../src/detect/detectors/conduit.js';
import { modbusEnds } from '../../src/detect/detectors/modbus-ends.js';
import { egressDetector } from '../../src/detect/detectors/egress.js';
import { PORT_SCAN_TARGETS, reconDetector, UNIT_SWEEP_UNITS } from '../../src/detect/detectors/recon.js';
import { remoteAccessDetector } from '../../src/detect/detectors/remote-access.js';
import { rogueDeviceDetector } from '../../src/detect/detectors/rogue-device.js';
import { unauthorizedWriteDetector } from '../../src/detect/detectors/unauthorized-write.js';
import type { LogRecord } from '../../src/events/record.js';
import { conn, demoPolicy, detailed, runDetector } from './helpers.js';

// Demo site: CMS 10.10.1.10 (reads fc 3, 43), HMI 10.10.2.21 (writes STS-01's setpoints 100, 101 with fc 6),
// STS-01 PLC 10.10.2.11, STS-02 PLC 10.10.2.12; zones crane-control 10.10.2.0/24, crane-supervisory
// 10.10.1.0/24, terminal-lan 10.10.0.0/16, internet 0.0.0.0/0; conduit supervisory → control tcp/502.
const T = 1_741_939_200;

describe('unauthorized_write', () => {
  const policy = demoPolicy();
  const d = (): ReturnType<typeof unauthorizedWriteDetector> => unauthorizedWriteDetector(policy);

  it('lets the site’s own writers through: the HMI writing its setpoints, reads of anyone', () => {
    const f = runDetector(d(), policy, [
      ['modbus_detailed', detailed(T, '10.10.2.21', '10.10.2.11', 6, 101, 1, { request_values: [80] })],
      ['modbus_detailed', detailed(T + 1, '10.10.2.21', '10.10.2.11', 6, 100, 1, { request_values: [200] })],
      ['modbus_detailed', detailed(T + 2, '10.10.9.66', '10.10.2.11', 3, 0, 12)],
    ]);
    assert.deepEqual(f, []);
  });

  it('reports an uninventoried writer, a listed client using another function, and a write outside the allowed signals', () => {
    const f = runDetector(d(), policy, [
      ['modbus_detailed', detailed(T, '10.10.9.66', '10.10.2.11', 6, 100, 1, { request_values: [450] })],
      ['modbus_detailed', detailed(T + 1, '10.10.9.66', '10.10.2.11', 6, 100, 1, { request_values: [450] })],
      ['modbus_detailed', detailed(T + 2, '10.10.1.10', '10.10.2.12', 16, 100, 2, { request_values: [1, 2] })],
      ['modbus_detailed', detailed(T + 3, '10.10.2.21', '10.10.2.11', 6, 10, 1, { request_values: [0] })],
    ]);
    assert.equal(f.length, 3);
    const [laptop, cms, hmi] = f;
    assert.equal(laptop.count, 2, 'repeats merge into one finding');
    assert.equal(laptop.severity, 'critical', 'wind_stop_threshold is a protection');
    assert.deepEqual(laptop.techniques.map((t) => t.id), ['T0855', 'T0848', 'T0837', 'T0836']);
    assert.match(laptop.explanation, /10\.10\.9\.66 \(not in the site inventory\) wrote wind_stop_threshold = 45 m\/s \(raw 450\) on STS-01/);
    assert.deepEqual(laptop.cranes, ['STS-01']);
    assert.match(cms.explanation, /cms may not use function 16/);
    assert.equal(cms.severity, 'critical', 'it touched the wind-stop threshold');
    assert.match(hmi.explanation, /operating_mode .*sts-hmi may not write these registers/);
    assert.equal(hmi.severity, 'critical');
    assert.ok(hmi.techniques.some((t) => t.id === 'T0858'), 'mode change');
  });

  it('accepts vendor-zone writes inside a maintenance window only', () => {
    const windowed = demoPolicy((s) => {
      s.zones.splice(0, 0, { id: 'vendor', name: 'Vendor VPN', kind: 'vendor_remote_access', cidrs: ['10.10.50.0/24'] });
      s.maintenance_windows = [{ from: '2025-03-14T08:00:00Z', to: '2025-03-14T09:00:00Z', cranes: ['STS-01'], description: '' }];
    });
    const f = runDetector(unauthorizedWriteDetector(windowed), windowed, [
      ['modbus_detailed', detailed(T + 60, '10.10.50.7', '10.10.2.11', 6, 101, 1)],
      ['modbus_detailed', detailed(T + 3700, '10.10.50.7', '10.10.2.11', 6, 101, 1)],
    ]);
    assert.equal(f.length, 1);
    assert.equal(f[0].firstTs, T + 3700);
  });
});

describe('flow detectors', () => {
  const policy = demoPolicy();

  it('egress_violation: crane zones to the outside, high when answered, medium for attempts', () => {
    const f = runDetector(egressDetector(policy), policy, [
      ['conn', conn(T, '10.10.2.99', '203.0.113.50', 443)],
      ['conn', conn(T + 1, '10.10.1.10', '198.51.100.7', 8443, 'S0')],
      ['conn', conn(T + 2, '10.10.9.66', '203.0.113.50', 443)], // terminal LAN, not an OT zone
      ['conn', conn(T + 3, '10.10.1.10', '10.10.2.11', 502)],
    ]);
    assert.deepEqual(f.map((x) => [x.hosts[1], x.severity]), [['203.0.113.50', 'high'], ['198.51.100.7', 'medium']]);
    assert.deepEqual(f[0].techniques.map((t) => t.id), ['T0869', 'T0885']);
  });

  it('conduit_violation: internal zones without a conduit; the conduit supervisory → control 502 is respected', () => {
    const f = runDetector(conduitDetector(policy), policy, [
      ['conn', conn(T, '10.10.1.10', '10.10.2.11', 502)],
      ['conn', conn(T + 1, '10.10.9.66', '10.10.2.11', 502)],
      ['conn', conn(T + 2, '10.10.1.10', '10.10.2.11', 22, 'REJ')],
    ]);
    assert.equal(f.length, 2);
    assert.equal(f[0].severity, 'high');
    assert.deepEqual(f[1].techniques.map((t) => t.id), ['T0846'], 'unanswered attempt');
  });

  it('external_remote_access: from the outside always; from the vendor zone outside windows', () => {
    const p = demoPolicy((s) => {
      s.zones.splice(0, 0, { id: 'vendor', name: 'Vendor VPN', kind: 'vendor_remote_access', cidrs: ['10.10.50.0/24'] });
      s.maintenance_windows = [{ weekdays: ['fri'], start: '09:00', end: '10:00', timezone: 'Europe/Amsterdam', description: '' }];
    });
    // 2025-03-14 is a Friday; 08:30Z = 09:30 in Amsterdam (CET).
    const f = runDetector(remoteAccessDetector(p), p, [
      ['conn', conn(T + 1800, '10.10.50.7', '10.10.2.11', 502)],
      ['conn', conn(T + 7200, '10.10.50.7', '10.10.2.12', 502)],
      ['conn', conn(T, '198.51.100.9', '10.10.2.11', 502)],
    ]);
    assert.deepEqual(f.map((x) => [x.hosts[0], x.hosts[1], x.severity]), [['198.51.100.9', '10.10.2.11', 'critical'], ['10.10.50.7', '10.10.2.12', 'high']]);
  });
});

describe('rogue_device', () => {
  const policy = demoPolicy();
  const asset = (host: string, macs: string[], vendors: string[], roles: string[] = []): LogRecord => ({ ts: T, host, macs, vendors, roles, first_seen: T });

  it('reports uninventoried hosts in site zones, cellular makers as critical, address takeovers; not outside hosts', () => {
    const f = runDetector(rogueDeviceDetector(policy), policy, [
      ['conn', conn(T, '10.10.2.99', '203.0.113.50', 443)],
      ['assets', asset('10.10.1.10', ['b8:ca:3a:4f:10:0a'], ['Dell Inc.'])],
      ['assets', asset('10.10.2.11', ['02:00:00:00:00:01'], [])],
      ['assets', asset('10.10.2.99', ['00:1e:42:33:99:63'], ['Teltonika'])],
      ['assets', asset('10.10.9.66', ['00:14:22:9c:66:42'], ['Dell Inc.'], ['modbus_client'])],
      ['assets', asset('203.0.113.50', [], [])],
    ]);
    assert.deepEqual(
      f.map((x) => [x.hosts[0], x.severity]),
      [['10.10.2.11', 'high'], ['10.10.2.99', 'critical'], ['10.10.9.66', 'high']].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    );
    const modem = f.find((x) => x.hosts[0] === '10.10.2.99');
    assert.ok(modem?.techniques.some((t) => t.id === 'T0883'));
    assert.equal(modem?.evidence[0].stream, 'conn', 'its first flow is the evidence');
    assert.match(f.find((x) => x.hosts[0] === '10.10.2.11')?.explanation ?? '', /another device uses its address/);
  });
});

describe('recon_scan', () => {
  const policy = demoPolicy();

  it('finds a port scan, a unit-id sweep and an unlisted identification read; not the CMS polling', () => {
    const recs: Array<[string, LogRecord]> = [];
    for (let i = 0; i < PORT_SCAN_TARGETS; i++) recs.push(['conn', conn(T + i * 0.1, '10.10.9.66', '10.10.2.11', 20 + i, 'REJ')]);
    for (let u = 0; u < UNIT_SWEEP_UNITS; u++) recs.push(['modbus_detailed', detailed(T + 10 + u, '10.10.9.66', '10.10.2.12', 43, -1, 0, { unit: u })]);
    for (let i = 0; i < 50; i++) recs.push(['modbus_detailed', detailed(T + i * 0.25, '10.10.1.10', '10.10.2.11', 3, 0, 12)]);
    recs.push(['modbus_detailed', detailed(T + 30, '10.10.1.10', '10.10.2.11', 43, -1, 0)]);
    const f = runDetector(reconDetector(policy), policy, recs);
    const titles = f.map((x) => x.title).sort();
    assert.deepEqual(titles, [
      'Reconnaissance: Modbus unit-id sweep from 10.10.9.66',
      'Reconnaissance: PLC identification read from 10.10.9.66',
      'Reconnaissance: port scan from 10.10.9.66',
    ]);
  });

  it('forgets probes older than the window: slow, spread-out failures are not a scan', () => {
    const recs: Array<[string, LogRecord]> = [];
    for (let i = 0; i < PORT_SCAN_TARGETS * 3; i++) recs.push(['conn', conn(T + i * 30, '10.10.9.66', '10.10.2.11', 20 + i, 'S0')]);
    assert.deepEqual(runDetector(reconDetector(policy), policy, recs), []);
  });
});

describe('baseline_deviation', () => {
  it('is off without a baseline; with one, reports new pairs and services, not learned ones, broadcasts or IPv6', () => {
    assert.equal(baselineDeviationDetector(demoPolicy()), null);
    const p = demoPolicy((s) => {
      s.baseline = { learned_from: ['clean.pcap'], flows: [{ client: '10.10.1.10', server: '10.10.2.11', protocol: 'tcp', port: 502, count: 4 }] };
    });
    const d = baselineDeviationDetector(p);
    assert.ok(d !== null);
    const f = runDetector(d, p, [
      ['conn', conn(T, '10.10.1.10', '10.10.2.11', 502)],
      ['conn', conn(T + 1, '10.10.1.10', '10.10.2.11', 445)],
      ['conn', conn(T + 2, '10.10.9.66', '10.10.2.12', 502, 'S0')],
      ['conn', conn(T + 3, '10.10.1.10', '10.10.255.255', 138, 'S0', 'udp')],
      ['conn', conn(T + 4, 'fe80::1', 'ff02::1:2', 547, 'S0', 'udp')],
    ]);
    assert.deepEqual(f.map((x) => [x.key, x.severity, x.techniques.map((t) => t.id).join('+')]), [
      ['10.10.1.10>10.10.2.11:tcp/445', 'high', 'T0869+T0886'],
      ['10.10.9.66>10.10.2.12:tcp/502', 'high', 'T0846'],
    ]);
  });
});

describe('Modbus client and server of a row', () => {
  const policy = demoPolicy();
  it('by the server port, then by the site’s PLCs', () => {
    const row = (src: string, sp: number, dst: string, dp: number): LogRecord => ({ source_h: src, source_p: sp, destination_h: dst, destination_p: dp });
    assert.deepEqual(modbusEnds(row('10.10.2.11', 502, '10.10.2.12', 49152), policy), { client: '10.10.2.12', server: '10.10.2.11' });
    assert.deepEqual(modbusEnds(row('10.10.2.12', 49152, '10.10.2.11', 502), policy), { client: '10.10.2.12', server: '10.10.2.11' });
    assert.deepEqual(modbusEnds(row('10.10.2.11', 5020, '10.10.9.66', 5020), policy), { client: '10.10.9.66', server: '10.10.2.11' });
  });
});
