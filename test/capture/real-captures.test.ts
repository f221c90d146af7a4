import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, openSync, readdirSync, readSync, closeSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { openCapture } from '../../src/capture/open.js';
import type { RawPacket } from '../../src/capture/packet.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { PcapngWriter } from '../../src/capture/pcapng-writer.js';
import { readAll, tempDir } from './helpers.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const DATA = process.env.CRANEWATCH_SHARED_DATA ?? resolve(REPO, '../shared/data');
const HAVE_DATA = existsSync(DATA);
const HAVE_TSHARK = spawnSync('tshark', ['-v'], { stdio: 'ignore' }).status === 0;

/** tshark's view of every frame: number, epoch time (text), wire length, captured length. */
function tsharkFrames(path: string): { rows: [number, string, number, number][]; stderr: string } {
  const r = spawnSync(
    'tshark',
    ['-n', '-r', path, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len'],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const rows = r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [n, t, len, cap] = l.split('\t');
      return [Number(n), t, Number(len), Number(cap)] as [number, string, number, number];
    });
  return { rows, stderr: r.stderr };
}

/** Compares our packets with tshark's rows field by field (timestamps as the nearest double of tshark's decimal). */
function assertSameAsTshark(packets: RawPacket[], rows: [number, string, number, number][], label: string): void {
  assert.equal(packets.length, rows.length, `${label}: packet count`);
  for (let i = 0; i < rows.length; i++) {
    const p = packets[i];
    const [n, t, len, cap] = rows[i];
    assert.deepEqual([p.frame, p.ts, p.origLen, p.data.length], [n, Number(t), len, cap], `${label}: frame ${n}`);
  }
}

/** A handful of real captures: file, expected format, link type (extensions lie on purpose). */
const HANDFUL: [string, 'pcap' | 'pcapng', number][] = [
  ['icsnpp/enip/traces/set_attribute_single_service_cip.pcapng', 'pcapng', 1],
  ['icsnpp/opcua-binary/traces/opcua_with-gap_with-handshake.pcap', 'pcapng', 1], // pcapng named .pcap
  ['icsnpp/opcua-binary/traces/open62541_client-server_mainloop-no-handshake.pcap', 'pcapng', 0],
  ['iti-ics-pcaps/s7/snap7_s300_stop.pcapng', 'pcap', 1], // pcap named .pcapng
  ['iti-ics-pcaps/beckoff/beckoffiplink.pcapng', 'pcapng', 1],
  ['icsnpp/s7comm/traces/s7comm_plus.pcap', 'pcap', 113],
  ['zeek-ics-baselines/traces/modbus/modbusBig.pcap', 'pcap', 1],
];

/** Captures in the shared data known to be damaged, with the one warning each must give. */
const KNOWN_DAMAGE: Record<string, string> = {
  'iti-ics-pcaps/MELSEC/melsoft_129_clean.pcap': 'capture.truncated_record',
};

/** Every file under `dir` whose first four bytes are a pcap or pcapng magic number. */
function capturesUnder(dir: string): string[] {
  const out: string[] = [];
  const magics = new Set(['a1b2c3d4', 'd4c3b2a1', 'a1b23c4d', '4d3cb2a1', '0a0d0d0a']);
  const head = Buffer.alloc(4);
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.size >= 4) {
        const fd = openSync(p, 'r');
        readSync(fd, head, 0, 4, 0);
        closeSync(fd);
        if (magics.has(head.toString('hex'))) out.push(p);
      }
    }
  };
  walk(dir);
  return out;
}

const tmp = tempDir();
after(() => tmp.cleanup());

describe('real captures against tshark', () => {
  for (const [rel, format, linkType] of HANDFUL) {
    it(rel, async (t) => {
      if (!HAVE_DATA) return t.skip(`shared data not found at ${DATA}`);
      if (!HAVE_TSHARK) return t.skip('tshark not installed');
      const path = join(DATA, rel);
      const r = await openCapture(path, 0);
      const { packets } = await readAll(r);
      assert.equal(r.format, format);
      assert.ok(packets.length > 0);
      assert.ok(packets.every((p) => p.linkType === linkType), `link type ${linkType}`);
      assert.deepEqual(r.warnings, []);
      const { rows } = tsharkFrames(path);
      assertSameAsTshark(packets, rows, rel);
      // First and last timestamps, as tshark prints them.
      assert.equal(packets[0].ts, Number(rows[0][1]));
      assert.equal(packets[packets.length - 1].ts, Number(rows[rows.length - 1][1]));
      // Odd chunk sizes give the same packets.
      const small = await readAll(await openCapture(path, 0, { chunkBytes: 4093 }));
      assertSameAsTshark(small.packets, rows, `${rel} (4093-byte chunks)`);
    });
  }

  it('a truncated real capture: the complete packets match tshark and the cut one is reported', async (t) => {
    if (!HAVE_DATA) return t.skip(`shared data not found at ${DATA}`);
    if (!HAVE_TSHARK) return t.skip('tshark not installed');
    const rel = 'iti-ics-pcaps/MELSEC/melsoft_129_clean.pcap';
    const path = join(DATA, rel);
    const r = await openCapture(path, 0);
    const { packets } = await readAll(r);
    const { rows, stderr } = tsharkFrames(path);
    assert.match(stderr, /cut short/);
    assertSameAsTshark(packets, rows, rel);
    assert.deepEqual(
      r.warnings.map((w) => w.code),
      ['capture.truncated_record'],
    );
    assert.equal(r.warnings[0].offset + 111, statSync(path).size);
  });

  it('files written by PcapWriter and PcapngWriter read the same in tshark', async (t) => {
    if (!HAVE_TSHARK) return t.skip('tshark not installed');
    const times = [1700000000.000001, 1700000000.5, 1731234567.999999];
    const pcapUs = PcapWriter.toFile(join(tmp.dir, 'us.pcap'), { linkType: 1 });
    const pcapNs = PcapWriter.toFile(join(tmp.dir, 'ns.pcap'), { linkType: 1, precision: 'nano' });
    const ng = PcapngWriter.toFile(join(tmp.dir, 'two.pcapng'));
    const a = ng.addInterface(1, 262144, 6);
    const b = ng.addInterface(101, 0, 9);
    times.forEach((ts, i) => {
      const frame = new Uint8Array(60 + i).fill(i);
      pcapUs.writePacket(ts, frame, 70);
      pcapNs.writePacket(ts, frame);
      ng.writePacket(i % 2 === 0 ? a : b, ts, frame, 80);
    });
    for (const w of [pcapUs, pcapNs, ng]) w.close();
    for (const name of ['us.pcap', 'ns.pcap', 'two.pcapng']) {
      const path = join(tmp.dir, name);
      const { packets } = await readAll(await openCapture(path, 0));
      assertSameAsTshark(packets, tsharkFrames(path).rows, name);
      assert.deepEqual(
        packets.map((p) => p.ts),
        times,
      );
    }
  });
});

describe('every capture in the shared data', () => {
  it('reads to the end without throwing; frames count from 1; only known damage is reported', async (t) => {
    if (!HAVE_DATA) return t.skip(`shared data not found at ${DATA}`);
    const files = capturesUnder(DATA);
    assert.ok(files.length > 100, `found ${files.length} captures`);
    const seen: string[] = [];
    for (const path of files) {
      const r = await openCapture(path, 0);
      let frame = 0;
      for await (const batch of r.batches()) {
        for (const p of batch) {
          assert.equal(p.frame, ++frame, path);
          assert.ok(p.data.length <= 262144 && Number.isFinite(p.ts), path);
        }
      }
      assert.equal(r.bytesRead, r.sizeBytes, path);
      for (const w of r.warnings) seen.push(`${path.slice(DATA.length + 1)} ${w.code}`);
    }
    assert.deepEqual(
      seen,
      Object.entries(KNOWN_DAMAGE).map(([f, code]) => `${f} ${code}`),
    );
  });
});
