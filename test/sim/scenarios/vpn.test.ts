import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LinkType } from '../../../src/capture/packet.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import { CwError } from '../../../src/errors.js';
import type { LogRecord } from '../../../src/events/record.js';
import { analyzeCaptures } from '../../../src/pipeline/analyze.js';
import { maintenanceWindows } from '../../../src/policy/maintenance-window.js';
import type { FrameSink } from '../../../src/sim/net/frame-sink.js';
import { generateTerminal } from '../../../src/sim/terminal/terminal.js';
import { buildTerminalSite } from '../../../src/sim/terminal/terminal-site.js';
import { haveTshark, tsharkFields, tsharkProblems } from '../tshark.js';
import { type ParsedFrame, parseFrame } from '../wire.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-vpn-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** 2025-03-14 (a Friday) 08:00Z: the twin site's only window is Tuesday 06:00–10:00 Europe/Amsterdam. */
const FRIDAY = 1_741_939_200;
/** 2025-03-11 (a Tuesday) 05:00Z = 06:00 CET, when the window opens. */
const TUESDAY_WINDOW = 1_741_669_200;

class Tee implements FrameSink {
  readonly frames: ParsedFrame[] = [];
  constructor(private readonly w: PcapWriter) {}
  writePacket(ts: number, data: Uint8Array): void {
    this.w.writePacket(ts, data);
    this.frames.push(parseFrame(data.slice()));
  }
}

function simulate(name: string, params: Record<string, unknown>) {
  const file = join(dir, name);
  const w = PcapWriter.toFile(file, { linkType: LinkType.ETHERNET });
  const tee = new Tee(w);
  const r = generateTerminal(tee, { seed: 4, durationSec: 900, cranes: 3, startTs: FRIDAY, scenarios: [{ name: 'vendor-vpn-off-hours', params }] });
  w.close();
  return { file, frames: tee.frames, ...r };
}

const run = simulate('vpn.pcap', { crane: 'STS-02', start: 120, duration: 400, intensity: 3 });
const s = run.truth.scenarios[0];
const engineer = s.hosts.attackers[0];
const vpn = run.site.assets.find((a) => a.role === 'vpn_gateway');

async function modbusRows(file: string): Promise<{ detailed: LogRecord[]; conn: LogRecord[] }> {
  const detailed: LogRecord[] = [];
  const conn: LogRecord[] = [];
  await analyzeCaptures([file], {
    sink: {
      write(stream: string, record: LogRecord): void {
        if (stream === 'modbus_detailed') detailed.push(record);
        else if (stream === 'conn') conn.push(record);
      },
      async close(): Promise<void> {},
    },
  });
  return { detailed, conn };
}

test('truth: an off-hours vendor session through the VPN gateway, its techniques and expected detections', () => {
  assert.equal(s.id, 'vendor-vpn-off-hours#1');
  assert.equal(s.kind, 'attack');
  assert.deepEqual(s.techniques.map((t) => t.id), ['T0822', 'T0859', 'T0888', 'T0855', 'T0836']);
  assert.deepEqual(s.expected, ['external_remote_access', 'unauthorized_write']);
  assert.equal(s.maintenanceWindow, null);
  assert.match(engineer, /^10\.50\.0\.(1[01][0-9])$/);
  assert.deepEqual(s.hosts.targets, ['10.20.2.10']);
  assert.deepEqual(maintenanceWindows(run.site, 'STS-02', s.startTs, s.endTs + 1), [], 'outside every maintenance window');
  assert.ok(s.startTs >= FRIDAY + 120 && s.endTs <= FRIDAY + 520);
  assert.equal(s.modbusWrites, 3);
  const host = run.truth.hosts.find((h) => h.ip === engineer);
  assert.deepEqual(host && [host.zone, host.mac, host.inventoried], ['vendor-remote', vpn?.mac, false]);
  const writes = run.truth.modbusWrites.filter((w) => w.scenario === s.id);
  assert.equal(writes.length, 3);
  assert.ok(writes.every((w) => w.src === engineer && w.dst === '10.20.2.10' && w.functionCode === 6 && w.signal === 'hoist_speed_limit_pct' && w.values[0] === 50));
});

test('on the wire: frames from the pool address carry the gateway MAC and a TTL one hop down', () => {
  const mine = run.frames.filter((f) => f.ipSrc === engineer);
  assert.ok(mine.length > 10);
  assert.ok(mine.every((f) => f.src === vpn?.mac && f.ttl === 127 && f.tcp !== null && f.tcp.dstPort === 502));
  assert.equal(mine.filter((f) => f.tcp !== null && (f.tcp.flags & 0x02) !== 0).length, 1, 'one connection');
});

test('the analyzer sees identity read, block and setpoint reads, the writes and the read-back', async () => {
  const { detailed, conn } = await modbusRows(run.file);
  const rows = detailed.filter((d) => d['id.orig_h'] === engineer);
  assert.deepEqual(
    rows.map((d) => d.func),
    ['ENCAP_INTERFACE_TRANSPORT', 'READ_HOLDING_REGISTERS', 'READ_HOLDING_REGISTERS', 'WRITE_SINGLE_REGISTER', 'WRITE_SINGLE_REGISTER', 'WRITE_SINGLE_REGISTER', 'READ_HOLDING_REGISTERS'],
  );
  // STS-02 is a Siemens-layout PLC: process values from 1000, setpoints from 1100.
  assert.deepEqual(rows.slice(1).map((d) => d.address), [1000, 1101, 1101, 1101, 1101, 1101]);
  assert.deepEqual(rows.at(-1)?.response_values, [50], 'the PLC holds the new limit');
  const c = conn.filter((r) => r['id.orig_h'] === engineer);
  assert.deepEqual(c.map((r) => [r['id.resp_h'], r['id.resp_p'], r.proto]), [['10.20.2.10', 502, 'tcp']]);
});

test('identify=no and a wind setpoint: no identity read, T0888 absent, value in the map scale', () => {
  const r = generateTerminal({ writePacket() {} }, { seed: 4, durationSec: 900, cranes: 3, startTs: FRIDAY, scenarios: [{ name: 'vendor-vpn-off-hours', params: { crane: 'STS-01', start: '60', duration: '300', identify: 'no', setpoint: 'wind_stop_threshold_ms', value: '35', intensity: '1' } }] });
  const x = r.truth.scenarios[0];
  assert.ok(!x.techniques.some((t) => t.id === 'T0888'));
  assert.equal(x.modbusRequests, 4);
  const w = r.truth.modbusWrites.filter((m) => m.scenario === x.id);
  assert.deepEqual(w.map((m) => [m.signal, m.values]), [['wind_stop_threshold_ms', [350]]]);
});

test('inside a maintenance window, or without a VPN gateway, the scenario is refused', () => {
  const config = (re: RegExp) => (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_CONFIG' && re.test(e.message);
  assert.throws(
    () => generateTerminal({ writePacket() {} }, { seed: 4, durationSec: 900, cranes: 1, startTs: TUESDAY_WINDOW, scenarios: [{ name: 'vendor-vpn-off-hours', params: { start: 60, duration: 300 } }] }),
    config(/overlaps a maintenance window of STS-01.*maintenance-write-in-window/),
  );
  // The window's counterpart plays at the same time without complaint.
  const ok = generateTerminal({ writePacket() {} }, { seed: 4, durationSec: 900, cranes: 1, startTs: TUESDAY_WINDOW, scenarios: [{ name: 'maintenance-write-in-window', params: { start: 0, duration: 300 } }] });
  assert.equal(ok.truth.scenarios[0].benign, true);
  assert.throws(
    () => generateTerminal({ writePacket() {} }, { seed: 4, durationSec: 900, cranes: 1, scenarios: [{ name: 'vendor-vpn-off-hours', params: { start: 60, duration: 30 } }] }),
    config(/duration: expected at least 60 s/),
  );
  const site = buildTerminalSite(1);
  site.assets = site.assets.filter((a) => a.role !== 'vpn_gateway');
  assert.throws(
    () => generateTerminal({ writePacket() {} }, { seed: 4, durationSec: 900, site, scenarios: [{ name: 'vendor-vpn-off-hours', params: { start: 60, duration: 300 } }] }),
    config(/the site has no vpn_gateway asset/),
  );
});

test('two vendor sessions take distinct pool addresses', () => {
  const r = generateTerminal({ writePacket() {} }, { seed: 4, durationSec: 900, cranes: 2, scenarios: [
    { name: 'vendor-vpn-off-hours', params: { crane: 'STS-01', start: 60, duration: 300 } },
    { name: 'vendor-vpn-off-hours', params: { crane: 'STS-02', start: 100, duration: 300 } },
  ] });
  const [a, b] = r.truth.scenarios.map((x) => x.hosts.attackers[0]);
  assert.notEqual(a, b);
});

test('tshark: no malformed frames; it decodes the three writes to register 1101', (t) => {
  if (!haveTshark()) {
    t.skip('tshark not installed');
    return;
  }
  assert.deepEqual(tsharkProblems(run.file), []);
  const rows = tsharkFields(run.file, `ip.src == ${engineer} && modbus.func_code == 6`, ['modbus.reference_num', 'modbus.data']);
  assert.deepEqual(rows, [['1101', '0032'], ['1101', '0032'], ['1101', '0032']]);
});
