import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LinkType } from '../../../src/capture/packet.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import type { LogRecord } from '../../../src/events/record.js';
import { analyzeCaptures } from '../../../src/pipeline/analyze.js';
import type { FrameSink } from '../../../src/sim/net/frame-sink.js';
import { SCAN_PORTS } from '../../../src/sim/scenarios/recon.js';
import { generateTerminal } from '../../../src/sim/terminal/terminal.js';
import type { SiteCrane } from '../../../src/policy/site-schema.js';
import { haveTshark } from '../../helpers/shared-data.js';
import { tsharkFields } from '../tshark.js';
import { type ParsedFrame, parseFrame } from '../wire.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-scenarios-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Every scenario and variant once, on a 4-crane terminal (STS-01 and STS-04 Schneider, STS-02 Siemens, STS-03 ABB). */
const SCENARIOS = [
  { name: 'recon', params: { variant: 'unit-id-sweep', crane: 'STS-02', start: 60, duration: 200 } },
  { name: 'recon', params: { variant: 'function-code-sweep', crane: 'STS-01', start: '100', duration: 100, intensity: 10 } },
  { name: 'recon', params: { variant: 'register-scan', crane: 'STS-03', start: 130, duration: 100, intensity: 10 } },
  { name: 'recon', params: { variant: 'port-scan', crane: 'STS-04', start: 160, duration: 60, from: 'crane-subnet' } },
  { name: 'unauthorized-write', params: { action: 'stop-command', crane: 'STS-02', start: 300, duration: 300, from: 'crane-subnet' } },
  { name: 'unauthorized-write', params: { action: 'setpoint-change', crane: 'STS-03', start: 320, duration: 60 } },
  { name: 'unauthorized-write', params: { action: 'interlock-bypass', crane: 'STS-01', start: 340, duration: 60, intensity: 1 } },
  { name: 'crane-idle-at-shift-change', params: { crane: 'STS-01', start: 620, duration: 600 } },
  { name: 'plc-stop', params: { variant: 'download', crane: 'STS-04', start: 700, duration: 300 } },
  { name: 'fleet-stop', params: { start: 1300, duration: 300, crane: 'STS-03' } },
];
const DURATION = 1800;

/** A sink that writes the pcap and keeps every frame parsed. */
class Tee implements FrameSink {
  readonly frames: Array<{ ts: number; f: ParsedFrame }> = [];
  constructor(private readonly w: PcapWriter) {}
  writePacket(ts: number, data: Uint8Array): void {
    this.w.writePacket(ts, data);
    this.frames.push({ ts, f: parseFrame(data.slice()) });
  }
}

function simulate(file: string) {
  const w = PcapWriter.toFile(file, { linkType: LinkType.ETHERNET });
  const tee = new Tee(w);
  const r = generateTerminal(tee, { seed: 21, durationSec: DURATION, cranes: 4, scenarios: SCENARIOS });
  w.close();
  return { ...r, frames: tee.frames };
}

const file = join(dir, 'scenarios.pcap');
const run = simulate(file);
const { truth } = run;
const sc = (id: string) => {
  const s = truth.scenarios.find((x) => x.id === id);
  assert.ok(s !== undefined, id);
  return s;
};
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

test('determinism: the same seed and scenarios give byte-identical pcap and truth', () => {
  const again = join(dir, 'again.pcap');
  const r2 = simulate(again);
  assert.equal(sha(readFileSync(again)), sha(readFileSync(file)));
  assert.deepEqual(r2.truth, truth);
});

test('truth: one record per scenario, ids numbered per name, spans = the frames the attackers emitted', () => {
  assert.deepEqual(
    truth.scenarios.map((s) => s.id),
    ['recon#1', 'recon#2', 'recon#3', 'recon#4', 'unauthorized-write#1', 'unauthorized-write#2', 'unauthorized-write#3', 'crane-idle-at-shift-change#1', 'plc-stop#1', 'fleet-stop#1'],
  );
  const rogue = truth.hosts.filter((h) => h.inventoried === false);
  for (const s of truth.scenarios) {
    assert.equal(s.attackVersion, 'v17');
    if (s.benign) {
      assert.deepEqual(s.expected, []);
      continue;
    }
    assert.ok(s.expected.includes('rogue_device') && s.techniques.length > 0, s.id);
    const ip = s.hosts.attackers[0];
    assert.ok(rogue.some((h) => h.ip === ip), `${s.id}: attacker ${ip} listed as not inventoried`);
    const mine = run.frames.filter((x) => x.f.ipSrc === ip || x.f.ipDst === ip);
    assert.ok(mine.length > 0, s.id);
    assert.equal(s.startTs, Math.round(mine[0].ts * 1e6) / 1e6, `${s.id} start`);
    assert.equal(s.endTs, Math.round(mine[mine.length - 1].ts * 1e6) / 1e6, `${s.id} end`);
    assert.ok(s.startTs >= truth.startTs + (s.params.start as number) && s.endTs <= truth.startTs + (s.params.start as number) + (s.params.duration as number), `${s.id} inside its window`);
  }
  assert.equal(sc('recon#4').hosts.attackers[0].split('.').slice(0, 3).join('.'), '10.20.4', 'planted on the crane subnet');
  assert.ok(truth.hosts.some((h) => h.inventoried === false && h.ip === sc('recon#4').hosts.attackers[0] && h.vendor === 'Raspberry Pi Trading Ltd'));
  assert.deepEqual(sc('fleet-stop#1').craneIds, ['STS-03', 'STS-04', 'STS-01', 'STS-02']);
  assert.ok(sc('fleet-stop#1').endTs - sc('fleet-stop#1').startTs < 5, 'every crane within the spread');
});

test('the analyzer sees what the truth says: writes, sweeps, scans, UMAS', async () => {
  const detailed: LogRecord[] = [];
  const modbus: LogRecord[] = [];
  const conn: LogRecord[] = [];
  const sink = {
    write(stream: string, r: LogRecord): void {
      if (stream === 'modbus_detailed') detailed.push(r);
      else if (stream === 'modbus') modbus.push(r);
      else if (stream === 'conn') conn.push(r);
    },
    async close(): Promise<void> {},
  };
  const res = await analyzeCaptures([file], { sink });
  assert.equal(res.packets, run.packets);
  assert.equal(res.decode.malformed, 0);

  // Every write of the truth (HMIs and scenarios) is a write request on the wire, and vice versa.
  const key = (src: unknown, dst: unknown, tid: unknown, fc: unknown, addr: unknown) => [src, dst, tid, fc, addr].join(' ');
  const reqs = modbus.filter((r) => r.pdu_type === 'REQ' && [5, 6, 15, 16].includes(r.function_code as number));
  assert.deepEqual(
    reqs.map((r) => key(r['id.orig_h'], r['id.resp_h'], r.tid, r.function_code, '')).sort(),
    truth.modbusWrites.map((w) => key(w.src, w.dst, w.transId, w.functionCode, '')).sort(),
  );
  const scenarioWrites = truth.modbusWrites.filter((w) => w.scenario !== undefined);
  for (const s of truth.scenarios) assert.equal(scenarioWrites.filter((w) => w.scenario === s.id).length, s.modbusWrites, s.id);

  const stop = sc('unauthorized-write#1');
  const sw = scenarioWrites.filter((w) => w.scenario === stop.id);
  assert.deepEqual(sw.map((w) => [w.functionCode, w.signal, w.values[0], w.craneId]), Array(3).fill([6, 'operating_mode', 0, 'STS-02']));
  assert.deepEqual(scenarioWrites.filter((w) => w.scenario === 'unauthorized-write#2').map((w) => [w.signal, w.values[0]]), Array(3).fill(['wind_stop_threshold_ms', 450]));
  assert.deepEqual(scenarioWrites.filter((w) => w.scenario === 'unauthorized-write#3').map((w) => [w.signal, w.values[0]]), [['load_interlock_bypass', 1]]);
  for (const id of ['unauthorized-write#1', 'unauthorized-write#2', 'unauthorized-write#3']) {
    const rows = detailed.filter((r) => r['id.orig_h'] === sc(id).hosts.attackers[0] && r.function_code === 6);
    assert.equal(rows.length, sc(id).modbusWrites, `${id}: every write answered (echo)`);
    for (const r of rows) assert.equal(r.exception_code ?? null, null);
  }

  // Unit-id sweep: identification read of units 0–247, each answered.
  const uid = sc('recon#1');
  const sweep = modbus.filter((r) => r['id.orig_h'] === uid.hosts.attackers[0]);
  assert.deepEqual(sweep.filter((r) => r.pdu_type === 'REQ').map((r) => r.unit), Array.from({ length: 248 }, (_, i) => i));
  assert.ok(sweep.filter((r) => r.pdu_type === 'REQ').every((r) => r.function_code === 43));
  assert.equal(sweep.filter((r) => r.pdu_type === 'RESP' && (r.exception_code ?? null) === null).length, 248);
  assert.equal(uid.modbusRequests, 248);

  // Function-code sweep: 1…127 once; unsupported → exception 1, write probes at 0xFFFF → exception 2.
  const fcs = modbus.filter((r) => r['id.orig_h'] === sc('recon#2').hosts.attackers[0]);
  assert.deepEqual(fcs.filter((r) => r.pdu_type === 'REQ').map((r) => r.function_code), Array.from({ length: 127 }, (_, i) => i + 1));
  const exc = new Map(fcs.filter((r) => r.pdu_type === 'RESP').map((r) => [(r.function_code as number) & 0x7f, (r.exception_code as number | undefined) ?? 0]));
  assert.equal(exc.get(3), 0);
  assert.equal(exc.get(43), 0);
  assert.equal(exc.get(90), 0, 'the Schneider PLC answers UMAS READ_ID');
  for (const fc of [5, 6, 15, 16]) assert.equal(exc.get(fc), 2, `fc ${fc}`);
  for (const fc of [8, 17, 22, 23, 100, 127]) assert.equal(exc.get(fc), 1, `fc ${fc}`);

  // Register scan of the ABB PLC (holding registers 0–102 mapped): exception 2 beyond.
  const scan = detailed.filter((r) => r['id.orig_h'] === sc('recon#3').hosts.attackers[0]);
  assert.equal(scan.length, 200);
  for (const r of scan) assert.equal((r.exception_code ?? null) !== null, (r.address as number) + 10 > 103, `read at ${r.address}`);

  // Port scan: one connection attempt per host and port; closed ports reject, the open ones answer.
  const ps = sc('recon#4');
  const attempts = conn.filter((r) => r['id.orig_h'] === ps.hosts.attackers[0]);
  assert.equal(attempts.length, ps.tcpProbes);
  assert.equal(ps.tcpProbes, 3 * SCAN_PORTS.length);
  const open = attempts.filter((r) => r.conn_state !== 'REJ').map((r) => `${r['id.resp_h']}:${r['id.resp_p']}`).sort();
  assert.deepEqual(open, ['10.20.4.10:502', '10.20.4.20:3389', '10.20.4.30:443', '10.20.4.30:80']);
});

test('UMAS: reservation, STOP_PLC, program transfer, START_PLC with the PLC session key', () => {
  const ps = sc('plc-stop#1');
  const ip = ps.hosts.attackers[0];
  const reqs = run.frames.filter((x) => x.f.ipSrc === ip && x.f.tcp !== null && x.f.tcp.payload.length > 9 && x.f.tcp.payload[7] === 0x5a).map((x) => x.f.tcp!.payload);
  const resps = run.frames.filter((x) => x.f.ipDst === ip && x.f.tcp !== null && x.f.tcp.payload.length > 9 && x.f.tcp.payload[7] === 0x5a).map((x) => x.f.tcp!.payload);
  const codes = reqs.map((p) => p[9]);
  const open = [0x01, 0x02, 0x04, 0x10];
  assert.deepEqual(codes, [...open, 0x41, 0x30, ...Array(24).fill(0x31), 0x32, 0x11, ...open, 0x40, 0x11]);
  assert.equal(ps.modbusRequests, codes.length);
  assert.equal(resps.length, reqs.length);
  for (const r of resps) assert.equal(r[9], 0xfe, 'every step accepted');
  // The key the PLC handed out (byte after the status) is in every keyed request of that session.
  const key = resps[3][10];
  assert.ok(key !== 0);
  for (const p of reqs.slice(4, 4 + 28)) assert.equal(p[8], key);
  for (const p of reqs.slice(0, 4)) assert.equal(p[8], 0);
  // Upload blocks: 2 bytes 00 01, block number LE, length LE, 200 program bytes.
  const b1 = reqs[6];
  assert.deepEqual([...b1.subarray(10, 16)], [0x00, 0x01, 0x01, 0x00, 200, 0x00]);
  assert.equal(b1.length, 7 + 3 + 6 + 200);
});

test('the physical stop shows in the PLC values the CMS polls; moves wait for the crane', async () => {
  const polled = new Map<string, Array<{ ts: number; vals: readonly number[] }>>();
  const sink = {
    write(stream: string, r: LogRecord): void {
      if (stream !== 'modbus_detailed' || r['id.orig_h'] !== '10.21.0.10' || r.function_code !== 3) return;
      const list = polled.get(r['id.resp_h'] as string) ?? [];
      list.push({ ts: r.ts as number, vals: r.response_values as readonly number[] });
      polled.set(r['id.resp_h'] as string, list);
    },
    async close(): Promise<void> {},
  };
  await analyzeCaptures([file], { sink });
  const crane = (id: string): SiteCrane => run.site.cranes.find((c) => c.id === id) as SiteCrane;
  const reader = (id: string) => {
    const c = crane(id);
    const base = Math.min(...Object.values(c.registers).filter((r) => r.access === 'read').map((r) => r.address));
    const word = (vals: readonly number[], name: string): number => {
      const r = c.registers[name];
      const i = r.address - base;
      if (r.type === 'u16' || r.type === 'i16') return vals[i];
      const [hi, lo] = c.word_order === 'low_first' ? [vals[i + 1], vals[i]] : [vals[i], vals[i + 1]];
      return hi * 65536 + lo;
    };
    const ip = run.site.assets.find((a) => a.name === c.plc)?.ip as string;
    return (from: number, to: number) =>
      (polled.get(ip) ?? []).filter((p) => p.ts >= from && p.ts < to).map((p) => ({ hoist: word(p.vals, 'hoist_position_mm'), trolley: word(p.vals, 'trolley_position_mm'), mode: word(p.vals, 'operating_mode') }));
  };
  const stops = truth.scenarios.flatMap((s) => s.holds.map((h) => ({ ...h, id: s.id })));
  assert.equal(stops.length, 1 + 1 + 1 + 4, 'stop-command, idle, plc-stop, fleet-stop ×4');
  for (const h of stops) {
    const read = reader(h.craneId);
    const during = read(h.fromTs + 0.5, h.untilTs - 0.1);
    assert.ok(during.length > 100, `${h.id} ${h.craneId}: polled while held`);
    const positions = new Set(during.map((v) => `${v.hoist}/${v.trolley}`));
    assert.equal(positions.size, 1, `${h.id} ${h.craneId}: stands still`);
    assert.ok(during.every((v) => v.mode === h.mode), `${h.id}: mode ${h.mode}`);
    const before = new Set(read(h.fromTs - 240, h.fromTs).map((v) => `${v.hoist}/${v.trolley}`));
    assert.ok(before.size > 10, `${h.id} ${h.craneId}: moving before`);
    if (h.untilTs + 240 < truth.endTs) {
      const afterwards = new Set(read(h.untilTs, h.untilTs + 240).map((v) => `${v.hoist}/${v.trolley}`));
      assert.ok(afterwards.size > 10, `${h.id} ${h.craneId}: moving again after`);
    }
    for (const m of truth.moves.filter((x) => x.craneId === h.craneId)) {
      assert.ok(!(m.lockTs > h.fromTs && m.lockTs < h.untilTs) && !(m.unlockTs > h.fromTs && m.unlockTs < h.untilTs), `${h.id}: no twistlock action while held`);
    }
  }
});

/** Frames tshark flags as malformed or with an expert item of error severity (checksums verified). */
function tsharkErrors(f: string): string[] {
  const r = spawnSync('tshark', ['-r', f, '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-Y', '_ws.malformed || _ws.expert.severity >= error'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.trim().length > 0);
}

test('tshark: well-formed frames, and the writes it decodes are the truth\'s', (t) => {
  if (!haveTshark(t)) return;
  // The filter does catch a bad frame: a Mask Write Register request (fc 22) with 4 instead of 6 data bytes.
  const bad = join(dir, 'bad.pcap');
  const w = PcapWriter.toFile(bad, { linkType: LinkType.ETHERNET });
  const good = run.frames.find((x) => x.f.tcp !== null && x.f.tcp.dstPort === 502 && x.f.tcp.payload.length === 12);
  assert.ok(good !== undefined);
  const raw = new Uint8Array(readFileSync(file));
  // Re-read the chosen frame's bytes from the pcap: record header 16 bytes, frames in order.
  let off = 24;
  let frame: Uint8Array | null = null;
  for (let i = 0; off < raw.length; i++) {
    const incl = raw[off + 8] | (raw[off + 9] << 8) | (raw[off + 10] << 16) | (raw[off + 11] << 24);
    if (run.frames[i] === good) frame = raw.slice(off + 16, off + 16 + incl);
    off += 16 + incl;
  }
  assert.ok(frame !== null);
  const pay = frame.length - 12; // Ethernet 14 + IP 20 + TCP 20 = 54; the 12-byte ADU follows.
  assert.equal(pay, 54);
  frame[pay + 7] = 22; // function code → Mask Write Register, whose request needs 6 data bytes
  w.writePacket(good.ts, frame);
  w.close();
  assert.equal(tsharkErrors(bad).length, 1, 'the filter flags a malformed Modbus request');

  assert.deepEqual(tsharkErrors(file), []);
  const writes = tsharkFields(file, 'tcp.dstport == 502 && (modbus.func_code == 5 || modbus.func_code == 6 || modbus.func_code == 15 || modbus.func_code == 16)', ['frame.number', 'ip.src', 'ip.dst', 'mbtcp.trans_id', 'modbus.func_code']);
  assert.deepEqual(
    writes.map((r) => r.join(' ')),
    truth.modbusWrites.map((x) => [x.frame, x.src, x.dst, x.transId, x.functionCode].join(' ')),
  );
  const umas = tsharkFields(file, 'modbus.func_code == 90 && tcp.dstport == 502', ['ip.src']);
  assert.equal(umas.length, sc('plc-stop#1').modbusRequests + 1, 'the UMAS session plus the sweep\'s fc 90 probe');
});
