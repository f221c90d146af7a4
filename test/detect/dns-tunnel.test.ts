import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LinkType } from '../../src/capture/packet.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { TUNNEL_MIN_NAMES, TUNNEL_WINDOW_SEC, dataCarrying, dnsTunnelDetector, registeredDomain, shannonEntropy } from '../../src/detect/detectors/dns-tunnel.js';
import { DetectionEngine, type Finding } from '../../src/detect/engine.js';
import { createDetectors } from '../../src/detect/registry.js';
import { SinkFanout, type LogRecord } from '../../src/events/record.js';
import { analyzeCaptures } from '../../src/pipeline/analyze.js';
import { SitePolicy } from '../../src/policy/site-policy.js';
import { generateTerminal, type TerminalOptions } from '../../src/sim/terminal/terminal.js';
import { MemorySink, demoPolicy, runDetector } from './helpers.js';

const OT = '10.10.2.21'; // the demo site's cab HMI (crane control zone)
const LAN = '10.10.5.5'; // terminal LAN (enterprise zone)
const SITE_RESOLVER = '10.10.0.53';
const OUTSIDE = '203.0.113.9';

/** A dns record (Zeek dns.log fields). */
function dns(ts: number, client: string, resolver: string, query: string, qtype = 1): LogRecord {
  return { ts, uid: `CD${ts}`, 'id.orig_h': client, 'id.orig_p': 50000, 'id.resp_h': resolver, 'id.resp_p': 53, proto: 'udp', trans_id: ts & 0xffff, query, qtype, qtype_name: qtype === 16 ? 'TXT' : 'A' } as LogRecord;
}

/** Base32 text of `n` pseudo-random bytes (lower case), as tunnels encode chunks. */
function base32(seed: number, chars: number): string {
  const a = 'abcdefghijklmnopqrstuvwxyz234567';
  let s = '';
  let x = seed * 2654435761;
  for (let i = 0; i < chars; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += a[x >>> 27];
  }
  return s;
}

test('helpers: registered domain, entropy, data-carrying names', () => {
  assert.equal(registeredDomain('a.b.t.boxsync.example'), 'boxsync.example');
  assert.equal(registeredDomain('www.bbc.co.uk'), 'bbc.co.uk');
  assert.equal(registeredDomain('example'), 'example');
  assert.equal(shannonEntropy('aaaa'), 0);
  assert.equal(shannonEntropy('abcd'), 2);
  assert.equal(dataCarrying(`${base32(1, 63)}.t.boxsync.example`, 'boxsync.example'), true);
  assert.equal(dataCarrying(`${base32(2, 30)}.boxsync.example`, 'boxsync.example'), true, 'high entropy, short label');
  assert.equal(dataCarrying('tos.nlrtm.example', 'nlrtm.example'), false);
  assert.equal(dataCarrying('historian.nlrtm.example', 'nlrtm.example'), false);
  assert.equal(dataCarrying('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.com', 'example.com'), false, 'long but no entropy, under 40 octets');
});

test('TXT queries with base32 labels from an OT host straight outside: critical tunnel + direct-resolver finding', () => {
  const recs: [string, LogRecord][] = [];
  for (let i = 0; i < TUNNEL_MIN_NAMES; i++) recs.push(['dns', dns(1000 + i * 30, OT, OUTSIDE, `${base32(i, 63)}.${base32(i + 50, 40)}.t.boxsync.example`, 16)]);
  const fs = runDetector(dnsTunnelDetector(demoPolicy()), demoPolicy(), recs);
  const tunnel = fs.find((f) => f.key.startsWith('tunnel:')) as Finding;
  const direct = fs.find((f) => f.key.startsWith('direct:')) as Finding;
  assert.ok(tunnel && direct, fs.map((f) => f.key).join(', '));
  assert.equal(tunnel.severity, 'critical');
  assert.deepEqual(tunnel.techniques.map((t) => t.id), ['T0882', 'T0869']);
  assert.match(tunnel.explanation, /TXT\/NULL/);
  assert.equal(direct.severity, 'high');
  assert.equal(direct.count, TUNNEL_MIN_NAMES);
});

test('through the site resolver from the LAN: high; one name short of the threshold: nothing', () => {
  const recs: [string, LogRecord][] = [];
  for (let i = 0; i < TUNNEL_MIN_NAMES; i++) recs.push(['dns', dns(10 + i, LAN, SITE_RESOLVER, `${base32(i, 50)}.exfil.example.net`)]);
  const fs = runDetector(dnsTunnelDetector(demoPolicy()), demoPolicy(), recs);
  assert.deepEqual(fs.map((f) => [f.key, f.severity]), [['tunnel:10.10.5.5>example.net', 'high']]);
  assert.deepEqual(runDetector(dnsTunnelDetector(demoPolicy()), demoPolicy(), recs.slice(1)), []);
});

test('the window: names spread over more than TUNNEL_WINDOW_SEC do not add up; repeats of one name count once', () => {
  const spread: [string, LogRecord][] = [];
  for (let i = 0; i < TUNNEL_MIN_NAMES; i++) spread.push(['dns', dns(i * (TUNNEL_WINDOW_SEC / (TUNNEL_MIN_NAMES - 2)), LAN, SITE_RESOLVER, `${base32(i, 50)}.exfil.example.net`)]);
  assert.deepEqual(runDetector(dnsTunnelDetector(demoPolicy()), demoPolicy(), spread), []);
  const same: [string, LogRecord][] = [];
  for (let i = 0; i < 50; i++) same.push(['dns', dns(i, LAN, SITE_RESOLVER, `${base32(1, 50)}.exfil.example.net`)]);
  assert.deepEqual(runDetector(dnsTunnelDetector(demoPolicy()), demoPolicy(), same), []);
});

test('ordinary lookups raise nothing, from any zone, many times', () => {
  const recs: [string, LogRecord][] = [];
  for (let i = 0; i < 500; i++) recs.push(['dns', dns(i * 60, i % 2 === 0 ? OT : LAN, SITE_RESOLVER, ['tos.nlrtm.example', 'historian.nlrtm.example', 'ntp.nlrtm.example'][i % 3])]);
  assert.deepEqual(runDetector(dnsTunnelDetector(demoPolicy()), demoPolicy(), recs), []);
});

const dir = mkdtempSync(join(tmpdir(), 'cw-dns-tunnel-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The twin terminal (4 cranes, seed 3) analyzed with its own site: the findings of `dns_tunnel`, and the dns records. */
async function twin(scenarios: NonNullable<TerminalOptions['scenarios']>, durationSec: number): Promise<{ findings: Finding[]; dns: LogRecord[] }> {
  const file = join(dir, `t${scenarios.length}-${durationSec}.pcap`);
  const w = PcapWriter.toFile(file, { linkType: LinkType.ETHERNET });
  const { site } = generateTerminal(w, { cranes: 4, seed: 3, durationSec, scenarios });
  w.close();
  const policy = new SitePolicy(site);
  const out = new MemorySink();
  const engine = new DetectionEngine(createDetectors(policy), policy, out);
  await analyzeCaptures([file], { sink: new SinkFanout([out, engine]) });
  engine.finish();
  return { findings: engine.list().filter((f) => f.detector === 'dns_tunnel'), dns: out.get('dns') };
}

test('twin: container-exfil over DNS is found; the clean twin (CMS, historian, OCR lookups) raises nothing', async () => {
  const attack = await twin([{ name: 'container-exfil', params: { channel: 'dns', start: 300, duration: 600 } }], 1200);
  const keys = attack.findings.map((f) => `${f.key} ${f.severity}`).sort();
  assert.deepEqual(keys, ['direct:10.20.1.30>203.0.113.57 high', 'tunnel:10.20.1.30>boxsync.example critical']);
  const clean = await twin([], 3600);
  assert.ok(clean.dns.length > 50, `${clean.dns.length} dns records in the clean run`);
  assert.ok(clean.dns.every((r) => typeof r.rcode === 'number' && r.rcode_name === 'NOERROR'), 'every twin lookup is answered and paired');
  assert.deepEqual(clean.findings, []);
});
