import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { CwError } from '../../src/errors.js';
import { openCapture, readCaptureStream } from '../../src/capture/open.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { PcapngWriter } from '../../src/capture/pcapng-writer.js';
import { chunked, hex, noisyView, readAll, tempDir, toHex } from './helpers.js';

const tmp = tempDir();
after(() => tmp.cleanup());

/** Microsecond timestamps of this era, including values next to a second boundary. */
const US_TIMES = [1700000000, 1700000000.000001, 1700000000.123456, 1700000000.999999, 1731234567.5, 0.25];

describe('PcapWriter', () => {
  it('writes the documented header and record bytes (µs, little-endian)', () => {
    const w = PcapWriter.toMemory({ linkType: 1 });
    w.writePacket(1700000000.123456, noisyView(hex('0102')), 60);
    w.close();
    assert.equal(
      toHex(w.bytes()),
      [
        'd4c3b2a1', // magic, µs, little-endian
        '0200', // major 2
        '0400', // minor 4
        '00000000', // reserved1
        '00000000', // reserved2
        '00000400', // snaplen 262144
        '01000000', // link type 1
        '00f15365', // ts_sec 1700000000
        '40e20100', // ts_usec 123456
        '02000000', // incl_len 2
        '3c000000', // orig_len 60
        '0102', // data
      ].join(''),
    );
  });

  for (const precision of ['micro', 'nano'] as const) {
    it(`round-trips µs timestamps exactly through a ${precision} pcap`, async () => {
      const w = PcapWriter.toMemory({ linkType: 101, precision });
      US_TIMES.forEach((ts, i) => w.writePacket(ts, noisyView(new Uint8Array(i + 1).fill(i))));
      const r = readCaptureStream(chunked(w.bytes(), 13), 'mem', 0);
      const { packets } = await readAll(r);
      assert.deepEqual(
        packets.map((p) => p.ts),
        US_TIMES,
      );
      assert.ok(packets.every((p, i) => p.linkType === 101 && p.data.length === i + 1 && p.data[0] === i));
    });
  }

  it('round-trips nanosecond values where a double holds them', async () => {
    const times = [1.000000001, 12345.678901234, 999999.999999999];
    const w = PcapWriter.toMemory({ linkType: 1, precision: 'nano' });
    for (const ts of times) w.writePacket(ts, new Uint8Array(1));
    const { packets } = await readAll(readCaptureStream(chunked(w.bytes(), 64), 'mem', 0));
    assert.deepEqual(
      packets.map((p) => p.ts),
      times,
    );
  });

  it('cuts packets to the snap length and keeps the original length', async () => {
    const w = PcapWriter.toMemory({ linkType: 1, snaplen: 4 });
    w.writePacket(1, hex('0102030405060708'));
    const { packets } = await readAll(readCaptureStream(chunked(w.bytes(), 64), 'mem', 0));
    assert.equal(toHex(packets[0].data), '01020304');
    assert.equal(packets[0].origLen, 8);
  });

  it('streams more than its 1 MiB buffer to a file that reads back whole', async () => {
    const path = `${tmp.dir}/big.pcap`;
    const w = PcapWriter.toFile(path, { linkType: 1, snaplen: 4 << 20 });
    const frame = new Uint8Array(1500);
    const big = new Uint8Array(2 << 20).fill(9); // larger than the buffer: written straight through
    for (let i = 0; i < 2000; i++) w.writePacket(1700000000 + i / 1000, frame.fill(i & 0xff), 1514);
    w.writePacket(1700000003, big);
    w.close();
    w.close();
    assert.equal(statSync(path).size, 24 + 2000 * (16 + 1500) + 16 + big.length);
    const r = await openCapture(path, 0);
    const { packets } = await readAll(r);
    assert.equal(packets.length, 2001);
    assert.equal(packets[1999].ts, 1700000001.999);
    assert.ok(packets[1999].data.every((x) => x === (1999 & 0xff)));
    assert.equal(packets[2000].data.length, big.length);
    assert.deepEqual(r.warnings, []);
    assert.throws(() => w.writePacket(1, frame), (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_WRITE');
    assert.throws(() => w.bytes(), (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_USAGE');
  });

  it('rejects bad options and unwritable paths with CwError', () => {
    assert.throws(() => PcapWriter.toMemory({ linkType: 70000 }), (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_CONFIG');
    assert.throws(
      () => PcapWriter.toFile(`${tmp.dir}/no/such/dir/x.pcap`, { linkType: 1 }),
      (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_WRITE',
    );
  });
});

describe('PcapngWriter', () => {
  it('writes SHB, one IDB per distinct interface, and EPBs that read back (µs, ns, 2^-20)', async () => {
    const w = PcapngWriter.toMemory({ linkType: 1 });
    const ns = w.addInterface(101, 0, 9);
    const bin = w.addInterface(113, 128, 0x80 | 20);
    assert.equal(w.addInterface(1), 0, 'same interface again gives the same id');
    assert.deepEqual([ns, bin], [1, 2]);
    US_TIMES.forEach((ts, i) => w.writePacket(0, ts, noisyView(new Uint8Array(i + 1).fill(i)), 100 + i));
    w.writePacket(ns, 1.000000001, hex('45'));
    w.writePacket(ns, 1700000000.123456, hex('4500'));
    w.writePacket(bin, 1000.5, new Uint8Array(200));
    const bytes = w.bytes();
    const { packets } = await readAll(readCaptureStream(chunked(bytes, 7), 'mem', 4));
    assert.deepEqual(
      packets.map((p) => [p.frame, p.linkType, p.ts, p.data.length, p.origLen, p.source]),
      [
        ...US_TIMES.map((ts, i) => [i + 1, 1, ts, i + 1, 100 + i, 4]),
        [7, 101, 1.000000001, 1, 1, 4],
        [8, 101, 1700000000.123456, 2, 2, 4],
        [9, 113, 1000.5, 128, 200, 4],
      ],
    );
    // The first bytes are the SHB and the IDB of interface 0 with its if_tsresol option.
    assert.equal(
      toHex(bytes.subarray(0, 60)),
      [
        '0a0d0d0a', // SHB
        '1c000000', // length 28
        '4d3c2b1a', // byte-order magic
        '0100', // major 1
        '0000', // minor 0
        'ffffffffffffffff', // section length -1
        '1c000000', // length 28
        '01000000', // IDB
        '20000000', // length 32
        '0100', // link type 1
        '0000', // reserved
        '00000400', // snaplen 262144
        '0900', // if_tsresol
        '0100', // length 1
        '06000000', // 10^-6, padding
        '00000000', // opt_endofopt
        '20000000', // length 32
      ].join(''),
    );
  });

  it('writes a file that openCapture reads, and refuses unknown interfaces and too fine resolutions', async () => {
    const path = `${tmp.dir}/w.pcapng`;
    const w = PcapngWriter.toFile(path);
    const id = w.addInterface(1);
    w.writePacket(id, 1700000000.000001, hex('aabbcc'));
    assert.throws(() => w.writePacket(5, 1, hex('00')), (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_USAGE');
    assert.throws(() => w.addInterface(1, 0, 12), (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_CONFIG');
    w.close();
    const r = await openCapture(path, 0);
    const { packets } = await readAll(r);
    assert.equal(r.format, 'pcapng');
    assert.deepEqual(
      packets.map((p) => [p.ts, toHex(p.data)]),
      [[1700000000.000001, 'aabbcc']],
    );
    assert.equal(readFileSync(path).length, 28 + 32 + 32 + 4);
  });
});
