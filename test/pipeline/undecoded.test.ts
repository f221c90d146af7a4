import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import type { LogRecord } from '../../src/events/record.js';
import { analyzeCaptures } from '../../src/pipeline/analyze.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-undecoded-'));

/** A pcap of `frames` with link type `linkType`, written with the project's writer. */
function pcap(name: string, linkType: number, frames: Uint8Array[]): string {
  const w = PcapWriter.toMemory({ linkType });
  frames.forEach((f, i) => w.writePacket(1_700_000_000 + i, f));
  w.close();
  const path = join(dir, name);
  writeFileSync(path, w.bytes());
  return path;
}

async function weirds(path: string): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  const r = await analyzeCaptures([path], { checksums: 'ignore', sink: { write: (s, rec) => void (s === 'weird' && out.push(rec)), close: async () => {} } });
  assert.ok(r.packets > 0);
  return out;
}

const ether = (type: number, payload: number[]): Uint8Array =>
  Uint8Array.from([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, type >> 8, type & 0xff, ...payload]); // dst MAC, src MAC, EtherType

/** IPv4 header (20 bytes, checksum 0) carrying protocol `proto`, then 8 bytes of payload. */
const ipv4 = (proto: number): number[] => [0x45, 0, 0, 28, 0, 1, 0, 0, 64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8];

test('frames nobody decodes are named once per run and kind: link type, EtherType, IP protocol', async () => {
  const link = await weirds(pcap('link.pcap', 999, [Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5, 6)]));
  assert.deepEqual(link.map((w) => [w.name, w.addl]), [['decode.unsupported_link_type', 'link type 999: frames not decoded']]);

  const frames = [ether(0x8892, [0xfe, 0xfe, 0, 0]), ether(0x8892, [0xfe, 0xff, 0, 0]), ether(0x0800, ipv4(4)), ether(0x0800, ipv4(47)), ether(0x0800, ipv4(4))];
  const mixed = await weirds(pcap('mixed.pcap', 1, frames));
  assert.deepEqual(
    mixed.map((w) => [w.name, w.addl, w['id.orig_h'] ?? null]),
    [
      ['decode.unsupported_ethertype', 'EtherType 0x8892: frames not decoded', null],
      ['ip.unsupported_protocol', 'IP protocol 4: packets not analyzed (no flow)', '10.0.0.1'],
      ['ip.unsupported_protocol', 'IP protocol 47: packets not analyzed (no flow)', '10.0.0.1'],
    ],
  );
});

test('IEEE 802.3 length frames (spanning tree over LLC) are named as LLC, not as an unknown link type', async () => {
  // Type field 0x0026 = length 38: an 802.3 frame with LLC DSAP/SSAP 0x42 (spanning tree BPDU).
  const stp = ether(0x0026, [0x42, 0x42, 0x03, 0, 0, 0, 0]);
  const w = await weirds(pcap('stp.pcap', 1, [stp, stp]));
  assert.deepEqual(w.map((x) => [x.name, x.addl]), [['decode.unsupported_llc', 'IEEE 802.3 LLC frames (spanning tree, CDP, NetBIOS over LLC …): not decoded']]);
});
