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
