import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { DEMO_START_TS, generateDemo, writeDemoCapture } from '../../src/sim/demo.js';
import { DEMO_REGISTER_MAP } from '../../src/sim/demo-site.js';
import { hex, type ParsedFrame, parseFrame, replayTcp } from './wire.js';
import { haveTshark, tsharkFields, tsharkProblems } from './tshark.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-sim-demo-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'demo.pcap');
const result = writeDemoCapture(file);
const { truth } = result;

/** Records of a little-endian microsecond pcap file (draft-ietf-opsawg-pcap §4–5), read independently. */
function readPcap(bytes: Uint8Array): Array<{ ts: number; data: Uint8Array }> {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.equal(v.getUint32(0, true), 0xa1b2c3d4, 'pcap magic, microseconds');
  assert.equal(v.getUint32(20, true), 1, 'LINKTYPE_ETHERNET');
  const out: Array<{ ts: number; data: Uint8Array }> = [];
  for (let o = 24; o < bytes.length; ) {
    const incl = v.getUint32(o + 8, true);
    assert.equal(v.getUint32(o + 12, true), incl, 'not truncated');
    out.push({ ts: v.getUint32(o, true) + v.getUint32(o + 4, true) / 1e6, data: bytes.subarray(o + 16, o + 16 + incl) });
    o += 16 + incl;
  }
  return out;
}

const records = readPcap(new Uint8Array(readFileSync(file)));
const frames: ParsedFrame[] = records.map((r) => parseFrame(r.data));

test('demo capture: size, packet count, time order, checksums', () => {
  assert.equal(statSync(file).size, result.bytes);
  assert.ok(result.bytes < 1_000_000, `${result.bytes} bytes is well under 1 MB`);
  assert.equal(records.length, result.packets);
  assert.ok(result.packets > 2500 && result.packets < 3500, `${result.packets} packets`);
  for (let i = 1; i < records.length; i++) assert.ok(records[i].ts >= records[i - 1].ts, `frame ${i + 1} in time order`);
  assert.ok(records[0].ts >= DEMO_START_TS && records[records.length - 1].ts < truth.endTs);
  for (const f of frames) {
    if (f.arp) continue;
    assert.equal(f.ipChecksumOk, true);
    assert.equal(f.tcp?.checksumOk ?? f.udp?.checksumOk, true);
  }
});

test('every TCP connection of the demo is seq/ack consistent and delayed-ACKs each poll response', () => {
  const conns = new Map<string, ParsedFrame[]>();
  const clients = new Map<string, string>();
  for (const f of frames) {
    if (!f.tcp) continue;
    const a = `${f.ipSrc}:${f.tcp.srcPort}`;
    const b = `${f.ipDst}:${f.tcp.dstPort}`;
    const key = a < b ? `${a}-${b}` : `${b}-${a}`;
    if (!conns.has(key)) {
      conns.set(key, []);
      assert.equal(f.tcp.flags, 0x02, 'every connection starts with its SYN');
      clients.set(key, f.ipSrc);
    }
    conns.get(key)!.push(f);
  }
  assert.equal(conns.size, 5, '2 polls, HMI, laptop, modem');
  for (const [key, list] of conns) {
    const { pureAcks } = replayTcp(list, clients.get(key)!);
    if (list[0].tcp!.dstPort === 502 && list.length > 1000) {
      // request, response, CMS delayed ACK (Windows, 200 ms) for every poll
      const polls = list.filter((f) => f.tcp!.payload.length === 12).length;
      assert.ok(pureAcks.length >= polls - 1 && pureAcks.length <= polls + 1, `${pureAcks.length} ACKs for ${polls} polls`);
    }
  }
});

test('ground truth: hosts, polls, the writes, the outside flow, ARP', () => {
  const byName = new Map(truth.hosts.map((h) => [h.name, h]));
  assert.equal(byName.get('laptop')!.inventoried, false);
  assert.equal(byName.get('modem')!.vendor, 'Teltonika');
  assert.equal(truth.polls.length, 2);
  for (const p of truth.polls) {
    assert.equal(p.functionCode, 3);
    assert.ok(p.requests >= 470 && p.requests <= 481, `${p.requests} polls in 120 s at 4 Hz`);
    assert.ok(p.responses >= p.requests - 1);
  }
  const w = truth.unexpectedWrite;
  assert.equal(w.src, '10.10.9.66');
  assert.equal(w.dst, '10.10.2.11');
  assert.equal(w.register, 100);
  assert.equal(w.signal, DEMO_REGISTER_MAP.signals.find((s) => s.address === 100)!.name);
  const wf = frames[w.frame - 1];
  assert.equal(wf.ipSrc, w.src);
  assert.equal(Math.abs(records[w.frame - 1].ts - w.ts) < 1e-6, true);
  // MBAP (7) + FC 6, register, value
  assert.equal(hex(wf.tcp!.payload.subarray(7)), '06' + '0064' + (450).toString(16).padStart(4, '0'));
  assert.equal(truth.legitimateWrite.src, '10.10.2.21');
  assert.ok(truth.legitimateWrite.ts < w.ts);
  assert.deepEqual(
    truth.reconnaissance.map((a) => [a.functionCode, a.exceptionCode]),
    [
      [43, -1],
      [43, -1],
      [3, -1],
      [0x83, 2],
    ],
  );
  const o = truth.outsideFlow;
  assert.match(o.dst, /^203\.0\.113\./, 'RFC 5737 documentation address');
  const syn = frames.find((f) => f.tcp && f.ipDst === o.dst && f.tcp.flags === 0x02)!;
  assert.equal(syn.ipSrc, o.src);
  assert.equal(syn.tcp!.srcPort, o.srcPort);
  assert.equal(syn.tcp!.dstPort, 443);
  assert.equal(syn.dst, truth.arp.targetMac, 'outside traffic goes to the gateway MAC');
  const arps = frames.filter((f) => f.arp);
  assert.equal(arps.length, 2);
  assert.equal(arps[0].arp!.targetIp, truth.arp.targetIp);
  assert.equal(arps[1].arp!.senderMac, truth.arp.targetMac);
  assert.equal(truth.modbusAdus.length, frames.filter((f) => f.tcp && f.tcp.payload.length > 0 && (f.tcp.srcPort === 502 || f.tcp.dstPort === 502)).length);
});

test('determinism: same seed gives identical bytes, another seed different bytes', () => {
  const run = (seed: number): Uint8Array => {
    const w = PcapWriter.toMemory({ linkType: 1 });
    generateDemo(w, { seed });
    w.close();
    return w.bytes();
  };
  const a = run(1);
  assert.deepEqual(Buffer.from(a), readFileSync(file), 'seed 1 in memory equals the default file');
  assert.deepEqual(Buffer.from(run(1)), Buffer.from(a));
  const b = run(2);
  assert.notDeepEqual(Buffer.from(b), Buffer.from(a));
  assert.throws(() => generateDemo(PcapWriter.toMemory({ linkType: 1 }), { durationSec: 3 }), { code: 'CW_ERR_CONFIG' });
  assert.throws(() => generateDemo(PcapWriter.toMemory({ linkType: 1 }), { seed: -1 }), { code: 'CW_ERR_CONFIG' });
});

test('a shorter demo still holds every scripted event', () => {
  const w = PcapWriter.toMemory({ linkType: 1 });
  const r = generateDemo(w, { seed: 7, durationSec: 10 });
  assert.ok(r.truth.unexpectedWrite.ts < r.truth.endTs);
  assert.ok(r.truth.outsideFlow.ts < r.truth.endTs);
  assert.ok(r.packets > 200);
});

test('tshark: no malformed frame, no expert warning, Modbus fields equal what was written', (t) => {
  if (!haveTshark()) {
    t.skip('tshark not installed');
    return;
  }
  assert.deepEqual(tsharkProblems(file), []);
  const rows = tsharkFields(file, 'mbtcp', ['frame.number', 'mbtcp.trans_id', 'mbtcp.unit_id', 'modbus.func_code', 'modbus.exception_code']);
  const got = rows.map((r) => r.join('|'));
  const want = truth.modbusAdus.map((a) => [a.frame, a.transId, a.unitId, a.functionCode & 0x7f, a.exceptionCode < 0 ? '' : a.exceptionCode].join('|'));
  assert.equal(got.length, want.length);
  assert.deepEqual(got, want);
  const tls = tsharkFields(file, 'tls.handshake.extensions_server_name', ['ip.src', 'ip.dst', 'tls.handshake.extensions_server_name']);
  assert.deepEqual(tls, [[truth.outsideFlow.src, truth.outsideFlow.dst, truth.outsideFlow.serverName]]);
  const w = truth.unexpectedWrite;
  const wr = tsharkFields(file, `frame.number == ${w.frame}`, ['ip.src', 'modbus.func_code', 'modbus.reference_num', 'modbus.data']);
  assert.deepEqual(wr, [[w.src, String(w.functionCode), String(w.register), w.value.toString(16).padStart(4, '0')]]);
  const eth = tsharkFields(file, 'eth.src == 00:1e:42:33:99:63', ['eth.src_resolved']);
  assert.match(eth[0][0], /^Teltonik/);
});
