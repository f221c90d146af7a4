import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LinkType } from '../../../src/capture/packet.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import {
  DNS_FLAGS_QUERY,
  DNS_FLAGS_RESPONSE,
  DnsMessageWriter,
  DnsType,
  encodedNameLength,
  writeDnsName,
} from '../../../src/sim/dns/message.js';
import { tunnelName, tunnelNameCapacity } from '../../../src/sim/dns/tunnel-name.js';
import { FrameBuilder } from '../../../src/sim/net/frame-builder.js';
import { createHost } from '../../../src/sim/net/host.js';
import { Prng } from '../../../src/sim/random.js';
import { haveTshark, tsharkFields, tsharkProblems } from '../tshark.js';
import { fromHex, hex } from '../wire.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-dns-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const ascii = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

test('query and TXT response in RFC 1035 §4.1 wire format', () => {
  const w = new DnsMessageWriter();
  const buf = new Uint8Array(512);
  assert.ok(w.begin(buf, 0, 0x1234, DNS_FLAGS_QUERY));
  assert.ok(w.question('a.b', DnsType.TXT));
  const question = `
    01 61 01 62 00 # name "a.b": labels 1 "a", 1 "b", root
    00 10          # QTYPE TXT (16)
    00 01          # QCLASS IN
  `;
  assert.equal(
    hex(buf.subarray(0, w.finish())),
    hex(
      fromHex(`
        12 34 # ID
        01 00 # flags: standard query, RD
        00 01 # QDCOUNT 1
        00 00 # ANCOUNT 0
        00 00 # NSCOUNT 0
        00 00 # ARCOUNT 0
        ${question}
      `),
    ),
  );
  w.begin(buf, 0, 0x1234, DNS_FLAGS_RESPONSE);
  w.question('a.b', DnsType.TXT);
  assert.ok(w.answerTxt(60, ascii('hello'), 0, 5));
  assert.equal(
    hex(buf.subarray(0, w.finish())),
    hex(
      fromHex(`
        12 34 81 80 # ID, flags: response, RD, RA, NOERROR
        00 01 00 01 00 00 00 00 # QDCOUNT 1, ANCOUNT 1, NSCOUNT 0, ARCOUNT 0
        ${question}
        c0 0c       # owner: pointer to the question name (offset 12)
        00 10 00 01 # TYPE TXT, CLASS IN
        00 00 00 3c # TTL 60 s
        00 06       # RDLENGTH 6
        05 68656c6c6f # character-string "hello"
      `),
    ),
  );
});

test('A, AAAA, CNAME, NULL, long TXT and EDNS(0) OPT records, written into a sub-view', () => {
  const big = new Uint8Array(1200).fill(0xee);
  const view = big.subarray(7); // byteOffset 7
  const w = new DnsMessageWriter();
  w.begin(view, 3, 0xbeef, DNS_FLAGS_RESPONSE);
  w.question('x.example', DnsType.A);
  assert.ok(w.answerA(300, 0x0a1e000a));
  const v6 = fromHex('20010db8000000000000000000000001');
  assert.ok(w.answerAaaa(300, v6, 0));
  assert.ok(w.answerCname(30, 'y.example.'));
  assert.ok(w.answerNull(0, ascii('zz'), 0, 2));
  const data = new Uint8Array(300).map((_, i) => i & 0xff);
  assert.ok(w.answerTxt(0, data, 0, 300));
  assert.ok(w.answerTxt(0, data, 0, 0));
  assert.ok(w.opt(4096));
  const len = w.finish();
  const m = big.subarray(10, 10 + len);
  assert.equal(hex(m.subarray(0, 12)), 'beef' + '8180' + '0001' + '0006' + '0000' + '0001', 'QD 1, AN 6, AR 1');
  let p = 12 + 11 + 4; // question "x.example" + type + class
  const rr = (type: string, ttl: string, rdata: string): void => {
    assert.equal(hex(m.subarray(p, p + 12 + rdata.length / 2)), `c00c${type}0001${ttl}${(rdata.length / 2).toString(16).padStart(4, '0')}${rdata}`);
    p += 12 + rdata.length / 2;
  };
  rr('0001', '0000012c', '0a1e000a'); // A 10.30.0.10, TTL 300
  rr('001c', '0000012c', '20010db8000000000000000000000001'); // AAAA 2001:db8::1
  rr('0005', '0000001e', '0179076578616d706c6500'); // CNAME y.example
  rr('000a', '00000000', '7a7a'); // NULL "zz"
  rr('0010', '00000000', `ff${hex(data.subarray(0, 255))}2d${hex(data.subarray(255))}`); // TXT 255 + 45 octets
  rr('0010', '00000000', '00'); // TXT with one empty string
  assert.equal(hex(m.subarray(p)), '00' + '0029' + '1000' + '00000000' + '0000', 'OPT: root, type 41, UDP size 4096, TTL 0, RDLENGTH 0');
  assert.equal(big[9], 0xee, 'nothing written before the message');
  assert.equal(big[10 + len], 0xee, 'nothing written after it');
});

test('name limits: labels ≤ 63 octets, names ≤ 253 octets (RFC 1035 §2.3.4); failures give -1', () => {
  const l63 = 'a'.repeat(63);
  assert.equal(encodedNameLength(l63), 65);
  assert.equal(encodedNameLength('a'.repeat(64)), -1);
  const n253 = `${l63}.${l63}.${l63}.${'b'.repeat(61)}`;
  assert.equal(n253.length, 253);
  assert.equal(encodedNameLength(n253), 255, '255 octets on the wire');
  assert.equal(encodedNameLength(`${n253}.`), 255, 'trailing dot allowed');
  assert.equal(encodedNameLength(`${n253}c`), -1);
  assert.equal(encodedNameLength('a..b'), -1, 'empty label');
  assert.equal(encodedNameLength('.a'), -1);
  assert.equal(encodedNameLength('kräne.example'), 15, 'Latin-1 octet allowed');
  assert.equal(encodedNameLength('€.example'), -1);
  const out = new Uint8Array(4);
  assert.equal(writeDnsName(out, 0, ''), 1, 'root');
  assert.equal(out[0], 0);
  assert.equal(writeDnsName(out, 0, 'abc.d'), -1, 'does not fit');
  const w = new DnsMessageWriter();
  const buf = new Uint8Array(40);
  w.begin(buf, 0, 1, DNS_FLAGS_QUERY);
  assert.equal(w.question('a'.repeat(64), DnsType.A), false);
  assert.equal(w.finish(), -1);
  w.begin(buf, 0, 1, DNS_FLAGS_QUERY);
  assert.ok(w.question('a.b', DnsType.NULL));
  assert.equal(w.answerTxt(0, new Uint8Array(40), 0, 40), false, 'answer does not fit the buffer');
  assert.equal(w.finish(), -1);
});

test('tshark decodes tunnel-style queries and TXT / NULL / AAAA / CNAME answers without errors', (t) => {
  if (!haveTshark()) {
    t.skip('tshark not installed');
    return;
  }
  const pw = PcapWriter.toMemory({ linkType: LinkType.ETHERNET });
  const fb = new FrameBuilder(pw);
  const client = createHost({ name: 'ocr', mac: '02:00:00:00:00:1e', ip: '10.20.1.30', stack: 'linux' }, new Prng(1));
  const server = createHost({ name: 'dns', mac: '02:00:00:00:00:35', ip: '10.30.0.53', stack: 'linux' }, new Prng(2));
  const w = new DnsMessageWriter();
  const buf = new Uint8Array(1500);
  const label = 'mzxw6ytboi'.repeat(6).slice(0, 63); // base32-looking data label
  const qname = `${label}.${label}.${label}.t.exfil.example`;
  const payload = ascii('MSCU1234565 NLRTM CNSHA 24000kg');
  const cases: Array<[number, (w: DnsMessageWriter) => boolean]> = [
    [DnsType.TXT, (x) => x.answerTxt(0, payload, 0, payload.length)],
    [DnsType.NULL, (x) => x.answerNull(0, payload, 0, payload.length)],
    [DnsType.AAAA, (x) => x.answerAaaa(60, payload, 0)],
    [DnsType.CNAME, (x) => x.answerCname(60, 'ack.t.exfil.example')],
    [DnsType.A, (x) => x.answerA(60, 0xc0000201)],
  ];
  let ts = 1000;
  let id = 100;
  for (const [type, answer] of cases) {
    w.begin(buf, 0, id, DNS_FLAGS_QUERY);
    w.question(qname, type);
    w.opt(1232);
    fb.udp(ts, client, server, 40000 + id, 53, buf, 0, w.finish());
    w.begin(buf, 0, id, DNS_FLAGS_RESPONSE);
    w.question(qname, type);
    assert.ok(answer(w));
    fb.udp(ts + 0.001, server, client, 53, 40000 + id, buf, 0, w.finish());
    ts += 1;
    id++;
  }
  const file = join(dir, 'dns.pcap');
  writeFileSync(file, pw.bytes());
  assert.deepEqual(tsharkProblems(file), []);
  const rows = tsharkFields(file, 'dns.flags.response == 1', ['dns.qry.name', 'dns.qry.type', 'dns.txt', 'dns.aaaa', 'dns.cname', 'dns.a', 'dns.null']);
  assert.equal(rows.length, 5);
  for (const r of rows) assert.equal(r[0], qname);
  assert.deepEqual(rows.map((r) => r[1]), ['16', '10', '28', '5', '1']);
  assert.equal(rows[0][2], 'MSCU1234565 NLRTM CNSHA 24000kg');
  assert.equal(rows[2][3], '4d53:4355:3132:3334:3536:3520:4e4c:5254');
  assert.equal(rows[3][4], 'ack.t.exfil.example');
  assert.equal(rows[4][5], '192.0.2.1');
});

test('tunnel names: data as base32 labels ≤ 63 characters, the whole name ≤ 253 octets', () => {
  const data = ascii('MSCU1234565');
  assert.equal(tunnelName(data, 0, 5, 't.x'), 'jvjugvjr.t.x', 'RFC 4648 §10 style: "MSCU1" → JVJUGVJR');
  assert.equal(tunnelName(ascii('f'), 0, 1, 'x'), 'my.x', '"f" → MY (padding dropped)');
  const suffix = 't.exfil.example';
  const cap = tunnelNameCapacity(suffix);
  assert.equal(cap, 146, '253 − 15 = 238 octets: 234 base32 characters in 4 labels + 4 dots → 146 bytes');
  const bytes = new Uint8Array(400).map((_, i) => (i * 37) & 0xff);
  const name = tunnelName(bytes.subarray(3), 1, cap, suffix);
  assert.ok(name.length <= 253, `${name.length} octets`);
  assert.ok(name.split('.').every((l) => l.length >= 1 && l.length <= 63));
  assert.ok(encodedNameLength(name) > 0);
  // Decode independently: base32 → bits → bytes.
  const text = name.slice(0, name.length - suffix.length - 1).replaceAll('.', '');
  const back: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of text) {
    acc = (acc << 5) | 'abcdefghijklmnopqrstuvwxyz234567'.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      back.push((acc >> bits) & 0xff);
    }
  }
  assert.deepEqual(back, Array.from(bytes.subarray(4, 4 + cap)), 'round trip of a sub-view');
  assert.equal(tunnelName(bytes, 0, cap + 1, suffix), '', 'one byte too many');
  assert.equal(tunnelNameCapacity('bad..suffix'), 0);
});
