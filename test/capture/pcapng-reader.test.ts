import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { openCapture, readCaptureStream } from '../../src/capture/open.js';
import { PcapngWriter } from '../../src/capture/pcapng-writer.js';
import { chunked, concat, hex, readAll, tempDir, toHex } from './helpers.js';

// Section 1, little-endian (draft-ietf-opsawg-pcapng §4.1–4.4, Appendix A).
const SHB_LE = hex(
  '0a0d0d0a', // block type: Section Header Block
  '1c000000', // block total length 28
  '4d3c2b1a', // byte-order magic 0x1a2b3c4d, little-endian
  '0100', // major version 1
  '0000', // minor version 0
  'ffffffffffffffff', // section length -1 (unspecified)
  '1c000000', // block total length 28
);
const IDB0_LE = hex(
  '01000000', // block type: Interface Description Block
  '20000000', // block total length 32
  '0100', // link type 1 (ETHERNET)
  '0000', // reserved
  '40000000', // snaplen 64
  '0900', // option if_tsresol
  '0100', // option length 1
  '09000000', // 9: 10^-9 s (nanoseconds), 3 padding bytes
  '00000000', // opt_endofopt
  '20000000', // block total length 32
);
const IDB1_LE = hex(
  '01000000', // block type: IDB
  '2c000000', // block total length 44
  '6500', // link type 101 (RAW)
  '0000', // reserved
  '00000000', // snaplen 0 (none)
  '0900', // option if_tsresol
  '0100', // option length 1
  '94000000', // 0x94: 2^-20 s, 3 padding bytes
  '0e00', // option if_tsoffset
  '0800', // option length 8
  '0a00000000000000', // +10 seconds (little-endian int64)
  '00000000', // opt_endofopt
  '2c000000', // block total length 44
);
const NRB_LE = hex(
  '04000000', // block type: Name Resolution Block (skipped)
  '10000000', // block total length 16
  '00000000', // nrb_record_end
  '10000000', // block total length 16
);
const EPB0_LE = hex(
  '06000000', // block type: Enhanced Packet Block
  '28000000', // block total length 40
  '00000000', // interface id 0
  'fe9c9717', // timestamp high 0x17979cfe
  '15cd853d', // timestamp low 0x3d85cd15: 1700000000123456789 ns
  '05000000', // captured length 5
  '3c000000', // original length 60
  '0102030405', // packet data
  '000000', // padding to 32 bits
  '28000000', // block total length 40
);
const EPB1_LE = hex(
  '06000000', // block type: EPB
  '24000000', // block total length 36
  '01000000', // interface id 1
  '00000000', // timestamp high 0
  '0000883e', // timestamp low 0x3e880000 = 1000.5 × 2^20 ticks
  '04000000', // captured length 4
  '04000000', // original length 4
  '45000014', // packet data
  '24000000', // block total length 36
);
const SPB_LONG_LE = hex(
  '03000000', // block type: Simple Packet Block
  '50000000', // block total length 80: room for 64 data bytes
  '64000000', // original length 100
  'aa'.repeat(64), // packet data: min(original length 100, snaplen 64) bytes
  '50000000', // block total length 80
);
const SPB_SHORT_LE = hex(
  '03000000', // block type: SPB
  '14000000', // block total length 20
  '03000000', // original length 3
  'bbbbbb', // packet data
  '00', // padding
  '14000000', // block total length 20
);
const CUSTOM_LE = hex(
  'ad0b0000', // block type 0x00000BAD: custom block (skipped)
  '14000000', // block total length 20
  '7b000000', // private enterprise number 123
  '11223344', // custom data
  '14000000', // block total length 20
);
const PB_LE = hex(
  '02000000', // block type: obsolete Packet Block
  '24000000', // block total length 36
  '0000', // interface id 0
  '0000', // drops count
  '00000000', // timestamp high
  'e8030000', // timestamp low 1000 ticks (ns) = 1 µs
  '02000000', // captured length 2
  '08000000', // original length 8
  'c0de', // packet data
  '0000', // padding
  '24000000', // block total length 36
);
const ISB_LE = hex(
  '05000000', // block type: Interface Statistics Block (skipped)
  '18000000', // block total length 24
  '00000000', // interface id
  '00000000', // timestamp high
  '00000000', // timestamp low
  '18000000', // block total length 24
);

// Section 2, big-endian: interfaces start over.
const SHB_BE = hex(
  '0a0d0d0a', // block type: SHB
  '0000001c', // block total length 28
  '1a2b3c4d', // byte-order magic, big-endian
  '0001', // major 1
  '0000', // minor 0
  'ffffffffffffffff', // section length -1
  '0000001c', // block total length 28
);
const EPB_NO_IF_BE = hex(
  '00000006', // block type: EPB
  '00000024', // block total length 36
  '00000000', // interface id 0: not described yet in this section
  '00000000', // timestamp high
  '00000001', // timestamp low
  '00000004', // captured length 4
  '00000004', // original length 4
  'ffffffff', // packet data
  '00000024', // block total length 36
);
const IDB0_BE = hex(
  '00000001', // block type: IDB
  '00000014', // block total length 20
  '0071', // link type 113 (LINUX_SLL)
  '0000', // reserved
  '00000000', // snaplen 0
  '00000014', // block total length 20 (no options: µs resolution)
);
const EPB0_BE = hex(
  '00000006', // block type: EPB
  '00000024', // block total length 36
  '00000000', // interface id 0
  '00060a24', // timestamp high
  '18202240', // timestamp low: 1700000000123456 µs
  '00000003', // captured length 3
  '00000005', // original length 5
  '0a0b0c00', // packet data + 1 padding byte
  '00000024', // block total length 36
);
const EPB_IF3_BE = hex(
  '00000006', // block type: EPB
  '00000020', // block total length 32
  '00000003', // interface id 3: unknown
  '00000000', // timestamp high
  '00000000', // timestamp low
  '00000000', // captured length 0
  '00000000', // original length 0
  '00000020', // block total length 32
);

const SECTION1 = concat(SHB_LE, IDB0_LE, IDB1_LE, NRB_LE, EPB0_LE, EPB1_LE, SPB_LONG_LE, SPB_SHORT_LE, CUSTOM_LE, PB_LE, ISB_LE);
const SECTION2 = concat(SHB_BE, EPB_NO_IF_BE, IDB0_BE, EPB0_BE, EPB_IF3_BE);
const FILE = concat(SECTION1, SECTION2);

const tmp = tempDir();
after(() => tmp.cleanup());

describe('pcapng reader', () => {
  it('reads two sections (LE then BE), two interfaces, SPB, PB, and skips NRB/ISB/custom blocks', async () => {
    const r = readCaptureStream(chunked(FILE, FILE.length), 'two.pcapng', 1);
    const { packets } = await readAll(r);
    assert.equal(r.format, 'pcapng');
    assert.deepEqual(
      packets.map((p) => [p.frame, p.linkType, toHex(p.data), p.origLen, p.source]),
      [
        [1, 1, '0102030405', 60, 1],
        [2, 101, '45000014', 4, 1],
        [3, 1, 'aa'.repeat(64), 100, 1], // SPB: min(orig 100, snaplen 64, room 64)
        [4, 1, 'bbbbbb', 3, 1], // SPB cut to its original length
        [5, 1, 'c0de', 8, 1],
        [6, 113, '0a0b0c', 5, 1],
      ],
    );
    assert.ok(Math.abs(packets[0].ts - 1700000000.123456789) < 2.4e-7);
    assert.equal(Math.round((packets[0].ts % 1) * 1e6), 123457);
    assert.equal(packets[1].ts, 1010.5); // 2^-20 resolution, +10 s if_tsoffset
    assert.equal(packets[2].ts, 1010.5); // SPB: no timestamp, takes the previous packet's
    assert.equal(packets[3].ts, 1010.5);
    assert.equal(packets[4].ts, 0.000001);
    assert.equal(packets[5].ts, 1700000000.123456);
    assert.deepEqual(
      r.warnings.map((w) => [w.code, w.offset]),
      [
        ['capture.unknown_interface', SECTION1.length + SHB_BE.length],
        ['capture.unknown_interface', FILE.length - EPB_IF3_BE.length],
      ],
    );
  });

  it('gives the same packets for every chunk size (7, 64, whole) from a file', async () => {
    const file = tmp.file('two.bin', FILE);
    const ref = (await readAll(await openCapture(file, 0))).packets;
    for (const chunkBytes of [7, 64]) {
      const got = await readAll(await openCapture(file, 0, { chunkBytes }));
      assert.ok(got.batchSizes.length > 1);
      assert.deepEqual(
        got.packets.map((p) => [p.frame, p.ts, p.linkType, toHex(p.data), p.origLen]),
        ref.map((p) => [p.frame, p.ts, p.linkType, toHex(p.data), p.origLen]),
      );
    }
  });

  it('stops with capture.bad_block_length when the trailing length differs, keeping earlier packets', async () => {
    const bad = EPB1_LE.slice();
    bad[bad.length - 4] = 0x28; // trailing copy says 40, the header says 36
    const bytes = concat(SHB_LE, IDB0_LE, IDB1_LE, EPB0_LE, bad, EPB0_LE);
    const r = readCaptureStream(chunked(bytes, 16), 'bad.pcapng', 0);
    const { packets } = await readAll(r);
    assert.equal(packets.length, 1);
    assert.deepEqual(
      r.warnings.map((w) => [w.code, w.offset]),
      [['capture.bad_block_length', SHB_LE.length + IDB0_LE.length + IDB1_LE.length + EPB0_LE.length]],
    );
  });

  for (const [label, len] of [
    ['not a multiple of 4', '26000000'],
    ['shorter than 12', '08000000'],
    ['beyond 16 MiB', '00000002'],
  ] as const) {
    it(`stops with capture.bad_block_length when the block length is ${label}`, async () => {
      const bad = concat(
        hex(
          '06000000', // block type: EPB
          len, // damaged block total length
        ),
        EPB0_LE.subarray(8),
      );
      const r = readCaptureStream(chunked(concat(SHB_LE, IDB0_LE, EPB0_LE, bad, EPB0_LE), 64), 'bad.pcapng', 0);
      assert.equal((await readAll(r)).packets.length, 1);
      assert.equal(r.warnings.length, 1);
      assert.equal(r.warnings[0].code, 'capture.bad_block_length');
      assert.equal(r.warnings[0].offset, SHB_LE.length + IDB0_LE.length + EPB0_LE.length);
    });
  }

  it('stops with capture.bad_record_length when an EPB captured length overruns its block', async () => {
    const bad = EPB0_LE.slice();
    bad[20] = 9; // captured length 9 in a block with room for 8
    const r = readCaptureStream(chunked(concat(SHB_LE, IDB0_LE, bad), 64), 'overrun.pcapng', 0);
    assert.equal((await readAll(r)).packets.length, 0);
    assert.equal(r.warnings[0].code, 'capture.bad_record_length');
  });

  it('stops with capture.bad_section_header at a later section of major version 2', async () => {
    const shb2 = SHB_BE.slice();
    shb2[13] = 2; // major version 2 (big-endian u16 at offset 12)
    const r = readCaptureStream(chunked(concat(SECTION1, shb2, IDB0_BE, EPB0_BE), 64), 'v2.pcapng', 0);
    assert.equal((await readAll(r)).packets.length, 5);
    assert.deepEqual(
      r.warnings.map((w) => [w.code, w.offset]),
      [['capture.bad_section_header', SECTION1.length]],
    );
  });

  it('warns capture.bad_option_length for an IDB option running past its block, keeping the interface', async () => {
    const idb = hex(
      '01000000', // block type: IDB
      '1c000000', // block total length 28
      '0100', // link type 1
      '0000', // reserved
      '00000000', // snaplen 0
      '0900', // option if_tsresol
      '0900', // option length 9: runs past the 8 bytes left before the trailer
      '09000000', // value
      '1c000000', // block total length 28
    );
    const r = readCaptureStream(chunked(concat(SHB_LE, idb, EPB0_LE), 64), 'opt.pcapng', 0);
    const { packets } = await readAll(r);
    assert.equal(packets.length, 1);
    // if_tsresol was not applied: the default µs resolution reads the ns tick count.
    assert.equal(Math.floor(packets[0].ts), Math.floor(1700000000123456789 / 1e6));
    assert.deepEqual(
      r.warnings.map((w) => [w.code, w.offset]),
      [['capture.bad_option_length', SHB_LE.length + 16]],
    );
  });

  it('keeps at most 4096 interfaces per section (capture.too_many_interfaces)', async () => {
    const w = PcapngWriter.toMemory();
    for (let i = 0; i <= 4096; i++) w.addInterface(1, 1000 + i); // 4097 distinct IDBs
    w.writePacket(4095, 1, hex('01'));
    w.writePacket(4096, 2, hex('02'));
    const r = readCaptureStream(chunked(w.bytes(), 65536), 'many.pcapng', 0);
    const { packets } = await readAll(r);
    assert.deepEqual(
      packets.map((p) => toHex(p.data)),
      ['01'],
    );
    assert.deepEqual(
      r.warnings.map((w) => w.code),
      ['capture.too_many_interfaces', 'capture.unknown_interface'],
    );
  });

  it('warns capture.truncated_record when the file ends inside a block', async () => {
    const bytes = concat(SHB_LE, IDB0_LE, EPB0_LE, EPB0_LE.subarray(0, 30));
    const file = tmp.file('cut.pcapng.bin', bytes);
    const r = await openCapture(file, 0, { chunkBytes: 7 });
    assert.equal((await readAll(r)).packets.length, 1);
    assert.deepEqual(
      r.warnings.map((w) => [w.code, w.offset, w.file]),
      [['capture.truncated_record', SHB_LE.length + IDB0_LE.length + EPB0_LE.length, file]],
    );
  });
});
