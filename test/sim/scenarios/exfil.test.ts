import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import { openCapture } from '../../../src/capture/open.js';
import { LinkType } from '../../../src/capture/packet.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import { parseContainerNumber } from '../../../src/crane/iso6346.js';
import { TUNNEL_CHUNK_HEADER_LEN } from '../../../src/sim/scenarios/dns-tunnel-upload.js';
import { LEAK_PATH, uploadRequest } from '../../../src/sim/scenarios/leak-channels.js';
import { LEAK_CSV_HEADER, leakMediaType } from '../../../src/sim/scenarios/leak-format.js';
import { generateTerminal } from '../../../src/sim/terminal/terminal.js';
import type { TruthExfil, TruthMove } from '../../../src/sim/terminal/truth.js';
import { haveTshark } from '../../helpers/shared-data.js';
import { tsharkFields, tsharkProblems } from '../tshark.js';
import { type ParsedFrame, parseFrame } from '../wire.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-exfil-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const CHANNELS = ['http', 'https', 'dns', 'mqtt'] as const;
const ENCODINGS = ['plain', 'base64', 'hex', 'gzip'] as const;

/** Every channel × encoding once, alternating cranes and record layouts, each to its own outside address. */
const SCENARIOS: Array<{ name: string; params: Record<string, unknown> }> = [];
for (const [i, channel] of CHANNELS.entries()) {
  for (const [j, encoding] of ENCODINGS.entries()) {
    const n = i * ENCODINGS.length + j;
    SCENARIOS.push({
      name: 'container-exfil',
      params: { channel, encoding, format: n % 2 === 0 ? 'json' : 'csv', crane: n % 2 === 0 ? 'STS-01' : 'STS-02', start: 120 + n, duration: 1200, rate: 240, dest: `203.0.113.${10 + n}` },
    });
  }
}
// A burst from the CMS, a drip of 3 records per message from a planted device.
SCENARIOS.push({ name: 'container-exfil', params: { channel: 'http', encoding: 'gzip', from: 'cms', crane: 'STS-02', start: 900, duration: 400, rate: 0, dest: '198.51.100.77' } });
SCENARIOS.push({ name: 'container-exfil', params: { channel: 'dns', encoding: 'plain', format: 'csv', from: 'rogue', crane: 'STS-01', start: 300, duration: 1000, rate: 200, intensity: 3, dest: '198.51.100.78' } });
const DURATION = 1500;

function simulate(file: string) {
  const w = PcapWriter.toFile(file, { linkType: LinkType.ETHERNET });
  const r = generateTerminal(w, { seed: 7, durationSec: DURATION, cranes: 2, scenarios: SCENARIOS });
  w.close();
  return r;
}

const file = join(dir, 'exfil.pcap');
const { truth } = simulate(file);
const exfils = truth.scenarios.map((s) => ({ s, x: s.exfil as TruthExfil }));

/** Every frame of the capture as read back through `openCapture`, by frame number (1-based). */
async function readFrames(path: string): Promise<ParsedFrame[]> {
  const out: ParsedFrame[] = [];
  const reader = await openCapture(path, 0);
  for await (const batch of reader.batches()) for (const raw of batch) out[raw.frame - 1] = parseFrame(raw.data);
  return out;
}
const framesP = readFrames(file);

/** RFC 4648 §6 base32 (lower-case, no padding) back to bytes. */
function base32Decode(text: string): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of text) {
    acc = ((acc << 5) | 'abcdefghijklmnopqrstuvwxyz234567'.indexOf(ch)) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >>> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** The encoded payload back to the laid-out text. */
function decodePayload(x: TruthExfil, body: Uint8Array): string {
  const b = Buffer.from(body);
  switch (x.encoding) {
    case 'plain':
      return b.toString('utf8');
    case 'base64':
      assert.match(b.toString('latin1'), /^[A-Za-z0-9+/]+=*$/);
      return Buffer.from(b.toString('latin1'), 'base64').toString('utf8');
    case 'hex':
      assert.match(b.toString('latin1'), /^[0-9a-f]+$/);
      return Buffer.from(b.toString('latin1'), 'hex').toString('utf8');
    case 'gzip':
      assert.deepEqual([...b.subarray(0, 3)], [0x1f, 0x8b, 0x08]); // gzip ID1 ID2, CM deflate (RFC 1952 §2.3.1)
      return gunzipSync(b).toString('utf8');
  }
}

/** Container numbers and a few fields of the records in `text`. */
function parseRecords(x: TruthExfil, text: string): Array<{ container: string; iso: string; pol: string; pod: string; crane: string }> {
  if (x.format === 'json') {
    const rows = JSON.parse(text) as Array<Record<string, string>>;
    return rows.map((r) => ({ container: r.container, iso: r.iso_type, pol: r.pol, pod: r.pod, crane: r.crane }));
  }
  const lines = text.split('\r\n');
  assert.equal(lines[0], LEAK_CSV_HEADER);
  assert.equal(lines[lines.length - 1], '');
  return lines.slice(1, -1).map((l) => {
    const f = l.split(',');
    return { container: f[0], iso: f[1], crane: f[3], pol: f[6], pod: f[7] };
  });
}

/** Client → server TCP payload per client port, for flows to `dst`:`port`. */
function clientStreams(frames: ParsedFrame[], src: string, dst: string, port: number): Map<number, { bytes: Buffer; frames: number[] }> {
  const out = new Map<number, { bytes: Buffer; frames: number[] }>();
  frames.forEach((f, i) => {
    if (f.tcp === null || f.ipSrc !== src || f.ipDst !== dst || f.tcp.dstPort !== port) return;
    const s = out.get(f.tcp.srcPort) ?? { bytes: Buffer.alloc(0), frames: [] };
    if (f.tcp.payload.length > 0) {
      s.bytes = Buffer.concat([s.bytes, f.tcp.payload]);
      s.frames.push(i + 1);
    }
    out.set(f.tcp.srcPort, s);
  });
  return out;
}

/** The payloads one scenario put on the wire, one per message, in order: decoded from the frames. */
function wirePayloads(frames: ParsedFrame[], x: TruthExfil): Array<{ body: Uint8Array; frames: number[] }> {
  const out: Array<{ body: Uint8Array; frames: number[] }> = [];
  if (x.channel === 'http') {
    for (const s of clientStreams(frames, x.src, x.dst, 80).values()) {
      const sep = s.bytes.indexOf('\r\n\r\n');
      const head = s.bytes.subarray(0, sep).toString('latin1').split('\r\n');
      assert.equal(head[0], `POST ${LEAK_PATH} HTTP/1.1`);
      assert.equal(head[1], `Host: ${x.name}`);
      assert.ok(head.includes(`Content-Type: ${leakMediaType(x.format, x.encoding)}`));
      const body = s.bytes.subarray(sep + 4);
      assert.ok(head.includes(`Content-Length: ${body.length}`));
      out.push({ body, frames: s.frames });
    }
  } else if (x.channel === 'mqtt') {
    for (const s of clientStreams(frames, x.src, x.dst, 1883).values()) {
      const b = s.bytes;
      for (let p = 0; p < b.length; ) {
        const type = b[p] >>> 4;
        let len = 0;
        let mul = 1;
        let q = p + 1;
        for (;;) {
          const d = b[q++];
          len += (d & 0x7f) * mul;
          mul *= 128;
          if ((d & 0x80) === 0) break;
        }
        if (type === 3) {
          const qos = (b[p] >>> 1) & 3;
          const tlen = b.readUInt16BE(q);
          assert.equal(b.subarray(q + 2, q + 2 + tlen).toString('utf8'), x.name);
          assert.equal(qos, 1);
          out.push({ body: b.subarray(q + 2 + tlen + 2, q + len), frames: s.frames });
        }
        p = q + len;
      }
    }
  } else if (x.channel === 'dns') {
    const messages = new Map<number, { chunks: Uint8Array[]; total: number; frames: number[] }>();
    frames.forEach((f, i) => {
      if (f.udp === null || f.ipSrc !== x.src || f.ipDst !== x.dst || f.udp.dstPort !== 53) return;
      const m = f.udp.payload;
      assert.equal(m[2] & 0x80, 0); // QR 0: a query (RFC 1035 §4.1.1)
      const labels: string[] = [];
      for (let p = 12; m[p] !== 0; p += m[p] + 1) labels.push(Buffer.from(m.subarray(p + 1, p + 1 + m[p])).toString('latin1'));
      const name = labels.join('.');
      assert.ok(name.endsWith(`.${x.name}`), name);
      const data = base32Decode(labels.slice(0, labels.length - x.name.split('.').length).join(''));
      const no = (data[0] << 8) | data[1];
      const idx = (data[2] << 8) | data[3];
      const total = (data[4] << 8) | data[5];
      const msg = messages.get(no) ?? { chunks: [], total, frames: [] };
      assert.equal(idx, msg.chunks.length, 'chunks in order');
      msg.chunks.push(data.subarray(TUNNEL_CHUNK_HEADER_LEN));
      msg.frames.push(i + 1);
      messages.set(no, msg);
    });
    for (const m of [...messages.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1])) {
      assert.equal(m.chunks.length, m.total);
      out.push({ body: Buffer.concat(m.chunks), frames: m.frames });
    }
  }
  return out;
}

test('truth: every channel × encoding ran, leaked only moves the crane really made, with the expected detections', () => {
  assert.equal(exfils.length, SCENARIOS.length);
  for (const { s, x } of exfils) {
    assert.ok(x !== undefined, s.id);
    assert.ok(x.messages.length >= 1, `${s.id}: ${x.channel}/${x.encoding} sent nothing`);
    assert.equal(x.dst, s.hosts.targets[0]);
    assert.equal(x.bytes, x.messages.reduce((a, m) => a + m.bytes, 0));
    assert.deepEqual(x.containers, [...new Set(x.messages.flatMap((m) => m.containers))]);
    const crane = s.craneIds[0];
    const moves = new Map(truth.moves.filter((m) => m.craneId === crane).map((m) => [m.container, m]));
    for (const c of x.containers) {
      assert.ok(parseContainerNumber(c).ok, c);
      assert.ok(moves.has(c), `${s.id}: ${c} is not a move of ${crane}`);
    }
    assert.ok(s.expected.includes('egress_violation'));
    assert.equal(s.expected.includes('container_data_exfil'), x.channel !== 'https');
    assert.equal(s.expected.includes('dns_tunnel'), x.channel === 'dns');
    assert.ok(s.techniques.some((t) => t.id === 'T0882'));
    // The span the truth gives covers every message.
    for (const m of x.messages) assert.ok(m.ts >= s.startTs && m.ts <= s.endTs, `${s.id}: message at ${m.ts} outside ${s.startTs}–${s.endTs}`);
  }
  const drip = exfils.find((e) => e.s.params.intensity === 3);
  assert.ok(drip !== undefined && drip.x.messages.some((m) => m.containers.length === 3), 'a drip of 3 records per message');
  const burst = exfils.find((e) => e.s.params.rate === 0);
  assert.ok(burst !== undefined && burst.x.messages.length === 1 && burst.x.messages[0].containers.length >= 5, 'one burst with the history');
  assert.equal(burst.x.src, truth.hosts.find((h) => h.role === 'cms')?.ip);
  const rogue = truth.hosts.find((h) => h.inventoried === false);
  assert.ok(rogue !== undefined && drip.x.src === rogue.ip && drip.s.expected.includes('rogue_device'));
});

test('wire: http, dns and mqtt payloads decode back to the truth\'s containers and move records', async () => {
  const frames = await framesP;
  let checked = 0;
  for (const { s, x } of exfils) {
    if (x.channel === 'https') continue;
    const payloads = wirePayloads(frames, x);
    assert.equal(payloads.length, x.messages.length, `${s.id}: messages on the wire`);
    const moves = new Map<string, TruthMove>(truth.moves.filter((m) => m.craneId === s.craneIds[0]).map((m) => [m.container, m]));
    payloads.forEach((p, k) => {
      const m = x.messages[k];
      assert.equal(p.body.length, m.bytes, `${s.id} #${k + 1}: payload bytes`);
      assert.ok(p.frames.includes(m.frame), `${s.id} #${k + 1}: frame ${m.frame} carries the data`);
      const records = parseRecords(x, decodePayload(x, p.body));
      assert.deepEqual(records.map((r) => r.container), m.containers);
      for (const r of records) {
        const mv = moves.get(r.container) as TruthMove;
        assert.deepEqual([r.iso, r.pol, r.pod, r.crane], [mv.isoType, mv.portOfLoading, mv.portOfDischarge, mv.craneId]);
      }
      checked++;
    });
  }
  assert.ok(checked >= 40, `${checked} messages checked`);
});

test('wire: https uploads are TLS whose request records are as long as the clear POST would be', async () => {
  const frames = await framesP;
  for (const { s, x } of exfils.filter((e) => e.x.channel === 'https')) {
    const streams = [...clientStreams(frames, x.src, x.dst, 443).values()];
    assert.equal(streams.length, x.messages.length, s.id);
    streams.forEach((st, k) => {
      const b = st.bytes;
      assert.equal(b[0], 22); // handshake record: ClientHello (RFC 8446 §5.1)
      const records: Array<{ type: number; len: number }> = [];
      for (let p = 0; p < b.length; p += 5 + b.readUInt16BE(p + 3)) records.push({ type: b[p], len: b.readUInt16BE(p + 3) });
      // ClientHello, ChangeCipherSpec, Finished (53), the request records, close_notify (19).
      const request = records.slice(3, -1);
      assert.ok(request.length >= 1 && request.every((r) => r.type === 23));
      const plaintext = request.reduce((a, r) => a + r.len - 17, 0);
      const clear = uploadRequest(x.name, leakMediaType(x.format, x.encoding), new Uint8Array(x.messages[k].bytes)).length;
      assert.equal(plaintext, clear, `${s.id} #${k + 1}`);
    });
  }
});

test('determinism: the same seed and scenarios give byte-identical pcap and truth', () => {
  const again = join(dir, 'again.pcap');
  const r2 = simulate(again);
  const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');
  assert.equal(sha(again), sha(file));
  assert.deepEqual(r2.truth, truth);
});

test('tshark: no malformed frames; http.request.uri, dns.qry.name, tls SNI and mqtt.topic as the truth says', (t) => {
  if (!haveTshark(t)) return;
  assert.deepEqual(tsharkProblems(file), []);
  const rowsBy = (filter: string, fields: string[]): Map<string, string[][]> => {
    const m = new Map<string, string[][]>();
    for (const r of tsharkFields(file, filter, ['ip.dst', ...fields])) m.set(r[0], [...(m.get(r[0]) ?? []), r.slice(1)]);
    return m;
  };
  const http = rowsBy('http.request', ['http.request.method', 'http.request.uri', 'http.host']);
  const tls = rowsBy('tls.handshake.type == 1', ['tls.handshake.extensions_server_name']);
  const dns = rowsBy('dns.flags.response == 0 && ip.dst != 10.30.0.53', ['dns.qry.name', 'dns.qry.type']);
  const mqtt = rowsBy('mqtt.msgtype == 3 && tcp.dstport == 1883', ['mqtt.topic']);
  for (const { s, x } of exfils) {
    const rows = { http, https: tls, dns, mqtt }[x.channel].get(x.dst) ?? [];
    if (x.channel === 'dns') {
      assert.ok(rows.length >= x.messages.length, s.id);
      for (const r of rows) {
        assert.ok(r[0].endsWith(`.${x.name}`), r[0]);
        assert.equal(r[1], '16'); // TXT
      }
      continue;
    }
    assert.equal(rows.length, x.messages.length, s.id);
    const want = x.channel === 'http' ? ['POST', LEAK_PATH, x.name] : [x.name];
    for (const r of rows) assert.deepEqual(r, want, s.id);
  }
});
