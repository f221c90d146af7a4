import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LinkType } from '../../src/capture/packet.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { plcCommandDetector } from '../../src/detect/detectors/plc-command.js';
import { DetectionEngine, type Finding } from '../../src/detect/engine.js';
import { createDetectors } from '../../src/detect/registry.js';
import { SinkFanout, type LogRecord } from '../../src/events/record.js';
import { analyzeCaptures } from '../../src/pipeline/analyze.js';
import { SitePolicy } from '../../src/policy/site-policy.js';
import { generateTerminal, type TerminalOptions } from '../../src/sim/terminal/terminal.js';
import { MemorySink, demoPolicy, detailed, runDetector } from './helpers.js';
import { sharedFile } from '../helpers/shared-data.js';

const PLC = '10.10.2.11'; // STS-01's PLC in the demo site
const CMS = '10.10.1.10';
const LAPTOP = '10.10.9.66'; // not in the inventory

/** A modbus_umas request row (umas-log.ts fields). */
function umas(ts: number, src: string, code: number, extra: Record<string, unknown> = {}): LogRecord {
  return {
    ts,
    uid: `CU${Math.round(ts)}`,
    'id.orig_h': src,
    'id.orig_p': 50000,
    'id.resp_h': PLC,
    'id.resp_p': 502,
    source_h: src,
    destination_h: PLC,
    unit: 0,
    tid: 1,
    pdu_type: 'REQ',
    umas_code: code,
    umas_name: '',
    session_key: 0x41,
    status: null,
    status_name: null,
    block: null,
    ...extra,
  } as LogRecord;
}

const ids = (f: Finding): string[] => f.techniques.map((t) => t.id);

test('STOP_PLC from an unlisted host: critical, Service Stop + Change Operating Mode + Rogue Master', () => {
  const fs = runDetector(plcCommandDetector(demoPolicy()), demoPolicy(), [['modbus_umas', umas(100, LAPTOP, 0x41)]]);
  assert.equal(fs.length, 1);
  assert.equal(fs[0].severity, 'critical');
  assert.deepEqual(ids(fs[0]), ['T0881', 'T0858', 'T0848']);
  assert.deepEqual(fs[0].cranes, ['STS-01']);
});

test('program transfer both ways, start and reservation; one finding per kind, blocks merged', () => {
  const recs: [string, LogRecord][] = [
    ['modbus_umas', umas(1, CMS, 0x10)],
    ['modbus_umas', umas(2, CMS, 0x30)],
    ['modbus_umas', umas(3, CMS, 0x31, { block: 1 })],
    ['modbus_umas', umas(4, CMS, 0x31, { block: 2 })],
    ['modbus_umas', umas(5, CMS, 0x32)],
    ['modbus_umas', umas(6, CMS, 0x33)],
    ['modbus_umas', umas(7, CMS, 0x40)],
    ['modbus_umas', umas(8, CMS, 0x02)], // READ_ID: not a command
    ['modbus_umas', { ...umas(9, CMS, 0x41), pdu_type: 'RESP' }], // responses are not commands
  ];
  const fs = runDetector(plcCommandDetector(demoPolicy()), demoPolicy(), recs);
  const by = new Map(fs.map((f) => [f.key.split(':').at(-1), f]));
  assert.deepEqual([...by.keys()].sort(), ['program_download', 'program_upload', 'reservation', 'start']);
  assert.equal(by.get('program_download')?.count, 4);
  assert.equal(by.get('program_download')?.severity, 'critical');
  assert.deepEqual(ids(by.get('program_download') as Finding), ['T0843']);
  assert.deepEqual(ids(by.get('program_upload') as Finding), ['T0845']);
  assert.equal(by.get('program_upload')?.severity, 'high');
  assert.deepEqual(ids(by.get('start') as Finding), ['T0858']);
});

test('a listed client with function 90 may; a vendor-zone host only inside a maintenance window', () => {
  const edit = (s: Parameters<NonNullable<Parameters<typeof demoPolicy>[0]>>[0]): void => {
    s.zones.push({ id: 'vendor', name: 'Vendor VPN', kind: 'vendor_remote_access', cidrs: ['10.99.0.0/24'] });
    s.assets.push({ name: 'vendor-pc', ip: '10.99.0.5', mac: '00:11:22:33:44:55', vendor: 'x', role: 'other', zone: 'vendor' } as never);
    for (const c of s.cranes) if (c.id === 'STS-01') c.clients = [...(c.clients ?? []), { asset: 'cms', functions: [90], writes: [], description: '' }, { asset: 'vendor-pc', functions: [90], writes: [], description: '' }];
    s.maintenance_windows = [{ from: '2025-03-14T08:00:00Z', to: '2025-03-14T10:00:00Z', cranes: ['STS-01'], description: '' }] as never;
  };
  const policy = demoPolicy(edit);
  const inside = Date.parse('2025-03-14T09:00:00Z') / 1000;
  const outside = Date.parse('2025-03-14T12:00:00Z') / 1000;
  const fs = runDetector(plcCommandDetector(policy), policy, [
    ['modbus_umas', umas(inside, CMS, 0x41)],
    ['modbus_umas', umas(inside, '10.99.0.5', 0x41)],
    ['modbus_umas', umas(outside, '10.99.0.5', 0x30)],
  ]);
  assert.deepEqual(fs.map((f) => f.key), ['10.99.0.5>10.10.2.11:program_download']);
  assert.match(fs[0].explanation, /vendor remote-access zone/);
});

test('Modbus Diagnostics restart / listen-only from modbus_detailed', () => {
  const fs = runDetector(plcCommandDetector(demoPolicy()), demoPolicy(), [
    ['modbus_detailed', detailed(1, LAPTOP, PLC, 8, 0, 0, { request_subfunction_code: 'Force Listen Only Mode' })],
    ['modbus_detailed', detailed(2, LAPTOP, PLC, 8, 0, 0, { request_subfunction_code: 'Return Query Data' })],
  ]);
  assert.deepEqual(fs.map((f) => [f.key, f.severity]), [['10.10.9.66>10.10.2.11:listen_only', 'critical']]);
});

const dir = mkdtempSync(join(tmpdir(), 'cw-plc-command-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The twin terminal (4 cranes, seed 3) analyzed with its own site: the findings of `plc_command`. */
async function twin(scenarios: NonNullable<TerminalOptions['scenarios']>, durationSec: number): Promise<Finding[]> {
  const file = join(dir, `t${scenarios.length}-${durationSec}.pcap`);
  const w = PcapWriter.toFile(file, { linkType: LinkType.ETHERNET });
  const { site } = generateTerminal(w, { cranes: 4, seed: 3, durationSec, scenarios });
  w.close();
  const policy = new SitePolicy(site);
  const out = new MemorySink();
  const engine = new DetectionEngine(createDetectors(policy), policy, out);
  await analyzeCaptures([file], { sink: new SinkFanout([out, engine]) });
  engine.finish();
  return engine.list().filter((f) => f.detector === 'plc_command');
}

test('twin: plc-stop with a program download raises stop, download and start; a clean run none', async () => {
  const fs = await twin([{ name: 'plc-stop', params: { variant: 'download', crane: 'STS-01', blocks: 4 } }], 1800);
  const kinds = fs.map((f) => `${f.key.split(':').at(-1)} ${f.severity}`).sort();
  assert.deepEqual(kinds, ['program_download critical', 'reservation high', 'start high', 'stop critical']);
  assert.ok(fs.every((f) => f.cranes.includes('STS-01')));
  assert.deepEqual(await twin([], 1800), []);
});

test('S7comm (snap7 session against a CPU 315-2): PLC Stop, PLC Control, block upload and an unknown host\u2019s variable writes are reported', async (t) => {
  const f = sharedFile(t, 'icsnpp/s7comm/traces/snap7.pcap');
  if (f === null) return;
  const s7 = (engineer: boolean, window: boolean) =>
    demoPolicy((s) => {
      s.zones.push({ id: 'lab', name: 'S7 lab', kind: 'crane_control', cidrs: ['134.217.61.0/24'] });
      s.assets.push({ name: 's7-plc', ip: '134.217.61.211', mac: '00:1b:1b:00:00:01', vendor: 'Siemens AG', role: 'plc', zone: 'lab', crane: 'STS-01' } as never);
      if (engineer) s.assets.push({ name: 'eng-ws', ip: '134.217.61.131', mac: '00:1b:1b:00:00:02', vendor: 'x', role: 'workstation', zone: 'lab' } as never);
      if (window) s.maintenance_windows = [{ from: '2016-02-08T00:00:00Z', to: '2016-02-09T23:59:00Z', cranes: ['STS-01'], description: 'PLC work' }] as never;
    });
  const findingsOf = async (p: SitePolicy) => {
    const out = new MemorySink();
    const engine = new DetectionEngine([plcCommandDetector(p)], p, out);
    await analyzeCaptures([f], { sink: engine });
    engine.finish();
    return out.get('findings');
  };
  const unknown = await findingsOf(s7(false, false));
  const kinds = unknown.map((x) => `${x.severity}:${String(x.title)}`).sort();
  assert.deepEqual(kinds, [
    'critical:PLC stop command to STS-01',
    'high:PLC plc control command to STS-01',
    'high:PLC program upload command to STS-01',
    'high:PLC write variable command to STS-01',
  ]);
  assert.ok(unknown.every((x) => (x.techniques as string[]).includes('T0848')), 'an uninventoried client is a rogue master');
  const stop = unknown.find((x) => String(x.title).includes('stop'));
  assert.deepEqual(stop?.techniques, ['T0881', 'T0858', 'T0848']);
  const engineer = await findingsOf(s7(true, false));
  assert.deepEqual(engineer.map((x) => String(x.title)).sort(), ['PLC plc control command to STS-01', 'PLC program upload command to STS-01', 'PLC stop command to STS-01'], 'an inventoried workstation may write variables, not stop the PLC outside maintenance');
  assert.deepEqual(await findingsOf(s7(true, true)), [], 'inside the crane\u2019s maintenance window the engineer\u2019s session is planned work');
});

test('DNP3 restarts and CIP Reset to a crane PLC are critical; reads and other services are nothing', () => {
  const policy = demoPolicy();
  const dnp3 = (ts: number, fc: string): [string, LogRecord] => ['dnp3', { ts, uid: `CD${ts}`, 'id.orig_h': LAPTOP, 'id.orig_p': 40000, 'id.resp_h': PLC, 'id.resp_p': 20000, fc_request: fc, fc_reply: 'RESPONSE', iin: 0 } as LogRecord];
  const cip = (ts: number, code: string, direction = 'request'): [string, LogRecord] => ['cip', { ts, uid: `CC${ts}`, source_h: CMS, destination_h: PLC, direction, cip_service_code: code, cip_service: code === '0x05' ? 'Reset' : 'Get Attribute All', class_id: '0x01', class_name: 'Identity' } as LogRecord];
  const fs = runDetector(plcCommandDetector(policy), policy, [dnp3(1, 'READ'), dnp3(2, 'COLD_RESTART'), dnp3(3, 'WARM_RESTART'), cip(4, '0x01'), cip(5, '0x05'), cip(6, '0x05', 'response')]);
  assert.deepEqual(
    fs.map((f) => [f.key, f.severity, f.count, ids(f)]),
    [
      [`${LAPTOP}>${PLC}:restart`, 'critical', 2, ['T0816', 'T0848']],
      [`${CMS}>${PLC}:reset`, 'critical', 1, ['T0816']],
    ],
  );
  assert.match(fs[1].explanation, /reset the device \(CIP Reset service\) on STS-01's PLC 10\.10\.2\.11 \(Reset on the Identity object\), outside any maintenance window of the crane/);
});
