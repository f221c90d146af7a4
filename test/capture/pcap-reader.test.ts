import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { openCapture, readCaptureStream } from '../../src/capture/open.js';
import { chunked, concat, hex, readAll, tempDir, toHex } from './helpers.js';

/** Little-endian, microsecond pcap: header + two records (draft-ietf-opsawg-pcap §4, §5). */
const PCAP_LE_US = hex(
  'd4c3b2a1', // magic 0xa1b2c3d4 stored little-endian: µs timestamps
  '0200', // major version 2
  '0400', // minor version 4
  '00000000', // reserved1 (thiszone)
  '00000000', // reserved2 (sigfigs)
  'ffff0000', // snaplen 65535
  '01000014', // link type 1 (ETHERNET) with FCS bits set in the top byte (0x14000001): masked out
  // record 1
  '00f15365', // ts_sec 0x6553f100 = 1700000000
  '40e20100', // ts_usec 0x0001e240 = 123456
  '04000000', // incl_len 4
  '3c000000', // orig_len 60
  'deadbeef', // data (cut by the snap length)
  // record 2
  '01f15365', // ts_sec 1700000001
  '3f420f00', // ts_usec 999999
  '06000000', // incl_len 6
  '06000000', // orig_len 6
  '010203040506', // data
);

/** The same two records, big-endian (magic bytes a1 b2 c3 d4). */
const PCAP_BE_US = hex(
  'a1b2c3d4', // magic, big-endian: µs
  '0002', // major 2
  '0004', // minor 4
  '00000000', // reserved1
  '00000000', // reserved2
  '0000ffff', // snaplen 65535
  '00000001', // link type 1
  '6553f100', // ts_sec 1700000000
  '0001e240', // ts_usec 123456
  '00000004', // incl_len 4
  '0000003c', // orig_len 60
  'deadbeef', // data
  '6553f101', // ts_sec 1700000001
  '000f423f', // ts_usec 999999
  '00000006', // incl_len 6
  '00000006', // orig_len 6
  '010203040506', // data
);

/** Nanosecond pcap, little-endian (magic 0xa1b23c4d). */
const PCAP_LE_NS = hex(
  '4d3cb2a1', // magic 0xa1b23c4d stored little-endian: ns timestamps
  '0200', // major 2
  '0400', // minor 4
  '00000000', // reserved1
  '00000000', // reserved2
  '00000400', // snaplen 262144
  '65000000', // link type 101 (RAW)
  '00f15365', // ts_sec 1700000000
  '15cd5b07', // ts_nsec 0x075bcd15 = 123456789
  '02000000', // incl_len 2
  '02000000', // orig_len 2
  '4500', // data
  '01000000', // ts_sec 1
  '05000000', // ts_nsec 5
  '01000000', // incl_len 1
  '01000000', // orig_len 1
  '60', // data
);

/** Nanosecond pcap, big-endian. */
const PCAP_BE_NS = hex(
  'a1b23c4d', // magic, big-endian: ns
  '0002', // major 2
  '0004', // minor 4
  '00000000', // reserved1
  '00000000', // reserved2
  '00040000', // snaplen 262144
  '00000065', // link type 101
  '6553f100', // ts_sec 1700000000
  '075bcd15', // ts_nsec 123456789
  '00000002', // incl_len 2
  '00000002', // orig_len 2
  '4500', // data
  '00000001', // ts_sec 1
  '00000005', // ts_nsec 5
  '00000001', // incl_len 1
  '00000001', // orig_len 1
  '60', // data
);

const tmp = tempDir();
after(() => tmp.cleanup());

describe('pcap reader', () => {
  for (const [label, bytes] of [
    ['little-endian µs', PCAP_LE_US],
    ['big-endian µs', PCAP_BE_US],
  ] as const) {
    it(`reads ${label}: timestamps, lengths, link type, frames, source`, async () => {
      const r = readCaptureStream(chunked(bytes, bytes.length), label, 3);
      const { packets } = await readAll(r);
      assert.equal(r.format, 'pcap');
      assert.equal(packets.length, 2);
      const [a, b] = packets;
      assert.equal(a.ts, 1700000000.123456);
      assert.equal(b.ts, 1700000001.999999);
      assert.equal(a.linkType, 1);
      assert.equal(toHex(a.data), 'deadbeef');
      assert.equal(a.origLen, 60);
      assert.equal(toHex(b.data), '010203040506');
      assert.equal(b.origLen, 6);
      assert.deepEqual([a.frame, b.frame], [1, 2]);
      assert.deepEqual([a.source, b.source], [3, 3]);
      assert.deepEqual(r.warnings, []);
    });
  }

  for (const [label, bytes] of [
    ['little-endian ns', PCAP_LE_NS],
    ['big-endian ns', PCAP_BE_NS],
  ] as const) {
    it(`reads ${label}`, async () => {
      const { packets } = await readAll(readCaptureStream(chunked(bytes, 5), label, 0));
      assert.equal(packets.length, 2);
      assert.equal(packets[0].linkType, 101);
      // 1700000000.123456789 s: a double holds it to about 0.24 µs.
      assert.ok(Math.abs(packets[0].ts - 1700000000.123456789) < 2.4e-7, String(packets[0].ts));
      assert.equal(Math.round((packets[0].ts - 1700000000) * 1e6), 123457);
      // Small tick counts are exact: 1.000000005 s.
      assert.equal(packets[1].ts, 1.000000005);
      assert.equal(toHex(packets[1].data), '60');
    });
  }

  it('keeps packet views valid across buffers and reads records cut by chunk boundaries (7 and 64 bytes)', async () => {
    const header = PCAP_LE_US.subarray(0, 24);
    const recs: Uint8Array[] = [header];
    for (let i = 0; i < 40; i++) {
      const len = i === 20 ? 300 : (i * 13) % 50; // includes 0-byte and larger-than-chunk records
      const rec = new Uint8Array(16 + len);
      const dv = new DataView(rec.buffer);
      dv.setUint32(0, 1700000000 + i, true); // ts_sec
      dv.setUint32(4, i * 1000, true); // ts_usec
      dv.setUint32(8, len, true); // incl_len
      dv.setUint32(12, len + 1, true); // orig_len
      rec.fill(i, 16);
      recs.push(rec);
    }
    const file = tmp.file('chunks.bin', concat(...recs));
    const whole = await readAll(await openCapture(file, 0));
    assert.equal(whole.packets.length, 40);
    assert.equal(whole.batchSizes.length, 1);
    for (const chunkBytes of [7, 64]) {
      const r = await openCapture(file, 0, { chunkBytes });
      const got = await readAll(r);
      assert.ok(got.batchSizes.length > 1, 'several batches');
      assert.ok(got.batchSizes.every((n) => n > 0), 'no empty batch');
      assert.equal(got.packets.length, 40);
      for (let i = 0; i < 40; i++) {
        const p = got.packets[i];
        assert.equal(p.frame, i + 1);
        assert.equal(p.ts, Number(`${1700000000 + i}.${String(i * 1000).padStart(6, '0')}`));
        assert.equal(p.data.length, whole.packets[i].data.length);
        assert.equal(p.origLen, p.data.length + 1);
        assert.ok(p.data.every((x) => x === i), `data of frame ${i + 1} intact after later reads`);
      }
      assert.deepEqual(r.warnings, []);
      assert.equal(r.bytesRead, r.sizeBytes);
    }
    // The stream path with the same odd chunk sizes.
    for (const size of [7, 64]) {
      const got = await readAll(readCaptureStream(chunked(concat(...recs), size), 'stream', 0));
      assert.equal(got.packets.length, 40);
      assert.equal(got.packets[20].data.length, 300);
      assert.ok(got.packets[20].data.every((x) => x === 20));
    }
  });

  it('warns capture.truncated_record at the cut record and keeps the earlier packets', async () => {
    const cut = PCAP_LE_US.subarray(0, PCAP_LE_US.length - 3); // record 2 has 3 of its 6 data bytes
    const r = readCaptureStream(chunked(cut, 11), 'cut.pcap', 0);
    const { packets } = await readAll(r);
    assert.equal(packets.length, 1);
    assert.equal(r.warnings.length, 1);
    assert.equal(r.warnings[0].code, 'capture.truncated_record');
    assert.equal(r.warnings[0].offset, 24 + 16 + 4); // start of record 2
    assert.equal(r.warnings[0].file, 'cut.pcap');
    // A record header cut short is reported the same way.
    const cutHeader = PCAP_LE_US.subarray(0, 24 + 16 + 4 + 9);
    const r2 = readCaptureStream(chunked(cutHeader, 64), 'cut2.pcap', 0);
    assert.equal((await readAll(r2)).packets.length, 1);
    assert.deepEqual(
      r2.warnings.map((w) => [w.code, w.offset]),
      [['capture.truncated_record', 44]],
    );
  });

  it('stops with capture.bad_record_length when incl_len exceeds max(snaplen, 262144)', async () => {
    const bad = concat(
      PCAP_LE_US.subarray(0, 24 + 16 + 4),
      hex(
        '01f15365', // ts_sec
        '00000000', // ts_usec
        '01000400', // incl_len 0x00040001 = 262145: above max(65535, 262144)
        '01000400', // orig_len 262145
      ),
      PCAP_LE_US.subarray(24), // more records that must not be read
    );
    const r = readCaptureStream(chunked(bad, 1000), 'bad.pcap', 0);
    const { packets } = await readAll(r);
    assert.equal(packets.length, 1);
    assert.deepEqual(
      r.warnings.map((w) => [w.code, w.offset]),
      [['capture.bad_record_length', 44]],
    );
  });

  it('stops with capture.bad_record_length when incl_len exceeds orig_len by a lot', async () => {
    const bad = concat(
      PCAP_LE_NS.subarray(0, 24), // snaplen 262144
      hex(
        '00000000', // ts_sec
        '00000000', // ts_nsec
        'a0860100', // incl_len 100000
        '3c000000', // orig_len 60
      ),
      new Uint8Array(100000),
    );
    const r = readCaptureStream(chunked(bad, 4096), 'excess.pcap', 0);
    assert.equal((await readAll(r)).packets.length, 0);
    assert.equal(r.warnings[0].code, 'capture.bad_record_length');
    assert.equal(r.warnings[0].offset, 24);
  });

  it('reads a header-only file as zero packets without warnings', async () => {
    const r = await openCapture(tmp.file('header-only.dat', PCAP_BE_US.subarray(0, 24)), 0);
    assert.deepEqual((await readAll(r)).packets, []);
    assert.deepEqual(r.warnings, []);
    assert.equal(r.format, 'pcap');
  });
});
