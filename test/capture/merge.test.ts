import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeByTime } from '../../src/capture/merge.js';
import { readCaptureStream } from '../../src/capture/open.js';
import type { CaptureFormat, CaptureWarning, RawPacket } from '../../src/capture/packet.js';
import type { CaptureReader } from '../../src/capture/reader.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { chunked } from './helpers.js';

/** A pcap in memory with one 1-byte packet per timestamp; the byte is the packet's index. */
function pcapOf(times: number[]): Uint8Array {
  const w = PcapWriter.toMemory({ linkType: 1 });
  times.forEach((ts, i) => w.writePacket(ts, Uint8Array.of(i)));
  return w.bytes();
}

/** A reader over given batches that records how many it handed out and whether it was closed. */
class FakeReader implements CaptureReader {
  readonly name: string;
  readonly format: CaptureFormat = 'pcap';
  readonly warnings: CaptureWarning[] = [];
  readonly bytesRead = 0;
  readonly sizeBytes = null;
  pulled = 0;
  closed = false;
  constructor(
    readonly source: number,
    readonly data: RawPacket[][],
  ) {
    this.name = `fake${source}`;
  }
  async *batches(): AsyncGenerator<RawPacket[]> {
    try {
      for (const b of this.data) {
        this.pulled++;
        yield b;
      }
    } finally {
      this.closed = true;
    }
  }
  async close(): Promise<void> {
    this.closed = true;
  }

  async handOver(): Promise<null> {
    return null;
  }
}

function pkt(source: number, frame: number, ts: number): RawPacket {
  return { ts, linkType: 1, data: new Uint8Array(0), origLen: 0, source, frame };
}

/** Splits the timestamps of one source into batches of the given sizes. */
function batchesOf(source: number, times: number[], sizes: number[]): RawPacket[][] {
  const out: RawPacket[][] = [];
  let f = 0;
  for (const n of sizes) {
    out.push(times.slice(f, f + n).map((ts, i) => pkt(source, f + i + 1, ts)));
    f += n;
  }
  return out;
}

describe('mergeByTime', () => {
  it('merges two captures in timestamp order; ties go to the lower source, then the lower frame', async () => {
    const a = readCaptureStream(chunked(pcapOf([1, 3, 3, 5, 9]), 40), 'a.pcap', 0);
    const b = readCaptureStream(chunked(pcapOf([2, 3, 4, 10]), 23), 'b.pcap', 1);
    const got: string[] = [];
    for await (const batch of mergeByTime([b, a])) for (const p of batch) got.push(`${p.ts}:${p.source}:${p.frame}`);
    assert.deepEqual(got, ['1:0:1', '2:1:1', '3:0:2', '3:0:3', '3:1:2', '4:1:3', '5:0:4', '9:0:5', '10:1:4']);
  });

  it("keeps each file's own order where its timestamps go back", async () => {
    const a = new FakeReader(0, batchesOf(0, [5, 1, 6], [3]));
    const b = new FakeReader(1, batchesOf(1, [2, 7], [1, 1]));
    const got: string[] = [];
    for await (const batch of mergeByTime([a, b])) for (const p of batch) got.push(`${p.source}:${p.frame}`);
    assert.deepEqual(got, ['1:1', '0:1', '0:2', '0:3', '1:2']);
  });

  it('orders many readers like a stable sort, holding one batch per reader', async () => {
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const readers: FakeReader[] = [];
    const all: RawPacket[] = [];
    for (let s = 0; s < 6; s++) {
      let t = 100;
      const times: number[] = [];
      for (let i = 0; i < 200; i++) times.push((t += Math.floor(rand() * 4) * 0.5));
      const sizes: number[] = [];
      for (let left = 200; left > 0; ) {
        const n = Math.min(left, 1 + Math.floor(rand() * 30));
        sizes.push(n);
        left -= n;
      }
      const r = new FakeReader(s, batchesOf(s, times, sizes));
      readers.push(r);
      for (const b of r.data) all.push(...b);
    }
    const expected = [...all].sort((x, y) => x.ts - y.ts || x.source - y.source || x.frame - y.frame);
    const got: RawPacket[] = [];
    const emitted = readers.map(() => 0);
    for await (const batch of mergeByTime(readers)) {
      got.push(...batch);
      for (const p of batch) emitted[p.source]++;
      for (const r of readers) {
        let full = 0;
        for (let k = 0, n = 0; k < r.data.length; k++) {
          n += r.data[k].length;
          if (n <= emitted[r.source]) full++;
        }
        assert.ok(r.pulled - full <= 1, `reader ${r.source} holds ${r.pulled - full} batches`);
      }
    }
    assert.equal(got.length, expected.length);
    assert.ok(got.every((p, i) => p === expected[i]));
  });

  it('passes the batches of a single reader through untouched', async () => {
    const r = new FakeReader(0, batchesOf(0, [3, 1, 2, 4], [2, 2]));
    const seen: RawPacket[][] = [];
    for await (const b of mergeByTime([r])) seen.push(b);
    assert.equal(seen.length, 2);
    assert.ok(seen[0] === r.data[0] && seen[1] === r.data[1]);
  });

  it('yields nothing for no readers and closes every reader when the consumer stops early', async () => {
    for await (const b of mergeByTime([])) assert.fail(`unexpected batch of ${b.length}`);
    const a = new FakeReader(0, batchesOf(0, [1, 2, 3], [1, 1, 1]));
    const b = new FakeReader(1, batchesOf(1, [1.5, 2.5], [1, 1]));
    for await (const batch of mergeByTime([a, b])) {
      assert.ok(batch.length > 0);
      break;
    }
    assert.ok(a.closed && b.closed);
  });
});
