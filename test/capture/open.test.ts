import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { CwError } from '../../src/errors.js';
import { openCapture, readCaptureStream } from '../../src/capture/open.js';
import { chunked, concat, hex, readAll, tempDir } from './helpers.js';

/** Minimal little-endian µs pcap with one 2-byte record. */
const PCAP = hex(
  'd4c3b2a1', // magic (LE, µs)
  '0200', // major 2
  '0400', // minor 4
  '00000000', // reserved1
  '00000000', // reserved2
  '00000400', // snaplen 262144
  '01000000', // link type 1
  '0a000000', // ts_sec 10
  '00000000', // ts_usec 0
  '02000000', // incl_len 2
  '02000000', // orig_len 2
  'abcd', // data
);

/** Minimal little-endian pcapng: SHB, IDB, one EPB. */
const PCAPNG = hex(
  '0a0d0d0a', // SHB block type
  '1c000000', // total length 28
  '4d3c2b1a', // byte-order magic (LE)
  '0100', // major 1
  '0000', // minor 0
  'ffffffffffffffff', // section length -1
  '1c000000', // total length 28
  '01000000', // IDB block type
  '14000000', // total length 20
  '0100', // link type 1
  '0000', // reserved
  '00000000', // snaplen 0
  '14000000', // total length 20
  '06000000', // EPB block type
  '24000000', // total length 36
  '00000000', // interface 0
  '00000000', // timestamp high
  '40420f00', // timestamp low 1000000 µs = 1 s
  '04000000', // captured length 4
  '04000000', // original length 4
  '01020304', // data
  '24000000', // total length 36
);

const tmp = tempDir();
after(() => tmp.cleanup());

async function rejectsWith(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof CwError, `CwError expected, got ${String(e)}`);
    assert.equal(e.code, code);
    if (message) assert.match(e.message, message);
    return true;
  });
}

describe('openCapture', () => {
  it('chooses the format by magic number, not by the (lying) extension', async () => {
    const a = await openCapture(tmp.file('really-pcap.pcapng', PCAP), 0);
    assert.equal(a.format, 'pcap');
    assert.equal(a.sizeBytes, PCAP.length);
    assert.equal((await readAll(a)).packets.length, 1);
    const b = await openCapture(tmp.file('really-pcapng.pcap', PCAPNG), 0);
    assert.equal(b.format, 'pcapng');
    const pk = (await readAll(b)).packets;
    assert.equal(pk.length, 1);
    assert.equal(pk[0].ts, 1);
    assert.equal(b.bytesRead, PCAPNG.length);
  });

  it('CW_ERR_NOT_FOUND for a missing file', async () => {
    await rejectsWith(openCapture(`${tmp.dir}/nope.pcap`, 0), 'CW_ERR_NOT_FOUND', /nope\.pcap does not exist/);
  });

  it('CW_ERR_READ for a directory', async () => {
    await rejectsWith(openCapture(tmp.dir, 0), 'CW_ERR_READ', /is a directory/);
  });

  it('CW_ERR_READ for a file without read permission', async (t) => {
    if (process.getuid?.() === 0) {
      t.skip('running as root: permissions do not stop reads');
      return;
    }
    const p = tmp.file('locked.pcap', PCAP);
    chmodSync(p, 0o000);
    await rejectsWith(openCapture(p, 0), 'CW_ERR_READ');
  });

  it('CW_ERR_EMPTY for a 0-byte file', async () => {
    await rejectsWith(openCapture(tmp.file('empty.pcap', new Uint8Array(0)), 0), 'CW_ERR_EMPTY', /empty/);
  });

  it('CW_ERR_NOT_CAPTURE names the bytes found', async () => {
    const p = tmp.file('x.txt', 'HELLO, this is text\n');
    await rejectsWith(
      openCapture(p, 0),
      'CW_ERR_NOT_CAPTURE',
      new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a pcap or pcapng capture \\(starts with 0x48454c4c\\)$`),
    );
    await rejectsWith(openCapture(tmp.file('two.bin', hex('1f8b')), 0), 'CW_ERR_NOT_CAPTURE', /0x1f8b/);
  });

  it('CW_ERR_BAD_CAPTURE_HEADER for a header cut short or damaged', async () => {
    await rejectsWith(openCapture(tmp.file('short.pcap', PCAP.subarray(0, 20)), 0), 'CW_ERR_BAD_CAPTURE_HEADER', /20 of the 24/);
    await rejectsWith(openCapture(tmp.file('short2.pcap', PCAP.subarray(0, 3)), 0), 'CW_ERR_BAD_CAPTURE_HEADER');
    await rejectsWith(openCapture(tmp.file('short.pcapng', PCAPNG.subarray(0, 16)), 0), 'CW_ERR_BAD_CAPTURE_HEADER');
    const badBom = PCAPNG.slice();
    badBom[8] = 0; // byte-order magic damaged
    await rejectsWith(openCapture(tmp.file('bom.pcapng', badBom), 0), 'CW_ERR_BAD_CAPTURE_HEADER', /byte-order magic/);
    const badLen = PCAPNG.slice();
    badLen[24] = 0x20; // trailing SHB length 32 differs from 28
    await rejectsWith(openCapture(tmp.file('len.pcapng', badLen), 0), 'CW_ERR_BAD_CAPTURE_HEADER', /trailing length/);
    const badVersion = PCAP.slice();
    badVersion[4] = 3; // pcap major version 3
    await rejectsWith(openCapture(tmp.file('v3.pcap', badVersion), 0), 'CW_ERR_BAD_CAPTURE_HEADER', /major version 3/);
  });

  it('reads a header probe that arrives one byte at a time (first chunk shorter than the header)', async () => {
    const r = await openCapture(tmp.file('tiny-chunks.pcap', PCAP), 7, { chunkBytes: 1 });
    const { packets } = await readAll(r);
    assert.deepEqual(
      packets.map((p) => [p.frame, p.source, p.ts, p.data.length]),
      [[1, 7, 10, 2]],
    );
  });
});

describe('readCaptureStream', () => {
  it('detects pcap and pcapng from the first bytes of a stream', async () => {
    const a = readCaptureStream(chunked(PCAP, 3), 'tcpdump', 2);
    assert.throws(() => a.format, (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_USAGE');
    const pa = (await readAll(a)).packets;
    assert.equal(a.format, 'pcap');
    assert.equal(pa[0].source, 2);
    assert.equal(a.sizeBytes, null);
    assert.equal(a.bytesRead, PCAP.length);
    const b = readCaptureStream(chunked(concat(PCAPNG, PCAPNG.subarray(28)), 10), 'dumpcap', 0);
    const pb = (await readAll(b)).packets;
    assert.equal(b.format, 'pcapng');
    assert.deepEqual(
      pb.map((p) => p.frame),
      [1, 2],
    );
  });

  it('throws the header errors on the first step of batches()', async () => {
    await rejectsWith(readAll(readCaptureStream(chunked(new Uint8Array(0), 1), 'stdin', 0)), 'CW_ERR_EMPTY');
    await rejectsWith(readAll(readCaptureStream(chunked(hex('48454c4c4f'), 2), 'stdin', 0)), 'CW_ERR_NOT_CAPTURE', /0x48454c4c/);
    await rejectsWith(readAll(readCaptureStream(chunked(PCAP.subarray(0, 10), 4), 'stdin', 0)), 'CW_ERR_BAD_CAPTURE_HEADER');
  });

  it('turns a failing stream into CW_ERR_READ', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield PCAP.subarray(0, 30);
      throw new Error('pipe broke');
    }
    await rejectsWith(readAll(readCaptureStream(failing(), 'dumpcap', 0)), 'CW_ERR_READ', /pipe broke/);
  });

  it('can be iterated only once', async () => {
    const r = readCaptureStream(chunked(PCAP, 100), 's', 0);
    await readAll(r);
    await rejectsWith(readAll(r), 'CW_ERR_USAGE');
  });
});
