import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openCapture } from '../../../src/capture/open.js';
import { captureFormat, runSimulate } from '../../../src/cli/simulate.js';
import { CwError } from '../../../src/errors.js';
import { haveTshark, tsharkProblems } from '../tshark.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-simulate-ng-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Run with stdout captured; returns the JSON summary. */
async function simulate(opts: Parameters<typeof runSimulate>[0]): Promise<{ format: string; packets: number; bytes: number }> {
  const orig = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    assert.equal(await runSimulate({ ...opts, json: true }), 0);
  } finally {
    process.stdout.write = orig;
  }
  return JSON.parse(out) as { format: string; packets: number; bytes: number };
}

async function frames(path: string): Promise<{ format: string; frames: Array<{ ts: number; linkType: number; data: string }> }> {
  const r = await openCapture(path, 0);
  const out: Array<{ ts: number; linkType: number; data: string }> = [];
  for await (const batch of r.batches()) for (const p of batch) out.push({ ts: p.ts, linkType: p.linkType, data: Buffer.from(p.data).toString('hex') });
  assert.deepEqual(r.warnings, []);
  return { format: r.format, frames: out };
}

test('captureFormat: by --format, else by the .pcapng file name', () => {
  assert.equal(captureFormat('x.pcap'), 'pcap');
  assert.equal(captureFormat('x.PCAPNG'), 'pcapng');
  assert.equal(captureFormat('x.cap', 'pcapng'), 'pcapng');
  assert.equal(captureFormat('x.pcapng', 'pcap'), 'pcap');
  assert.throws(() => captureFormat('x', 'erf'), (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_CONFIG' && /^--format: expected pcap or pcapng, got "erf"$/.test(e.message));
});

test('simulate writes pcapng (SHB, IDB, EPB) with the same frames as the pcap run', async () => {
  const opts = { cranes: 2, durationSec: '90s', seed: '4', progress: false };
  const pcap = join(dir, 'run.pcap');
  const ng = join(dir, 'run.pcapng');
  const ng2 = join(dir, 'run.cap');
  const a = await simulate({ ...opts, out: pcap });
  const b = await simulate({ ...opts, out: ng });
  const c = await simulate({ ...opts, out: ng2, format: 'pcapng' });
  assert.deepEqual([a.format, b.format, c.format], ['pcap', 'pcapng', 'pcapng']);
  assert.equal(b.bytes, statSync(ng).size, 'summary bytes = file size');
  assert.equal(a.bytes, statSync(pcap).size);
  assert.deepEqual(readFileSync(ng), readFileSync(ng2));
  const head = readFileSync(ng).subarray(0, 12);
  assert.equal(head.toString('hex'), '0a0d0d0a' + '1c000000' + '4d3c2b1a', 'SHB type, length 28, byte-order magic (little-endian)');
  const x = await frames(pcap);
  const y = await frames(ng);
  assert.equal(x.format, 'pcap');
  assert.equal(y.format, 'pcapng');
  assert.equal(y.frames.length, b.packets);
  assert.deepEqual(y.frames, x.frames, 'identical timestamps, link types and bytes');
});

test('tshark reads the pcapng: same frame count as the pcap, nothing malformed', (t) => {
  if (!haveTshark()) {
    t.skip('tshark not installed');
    return;
  }
  const ng = join(dir, 'run.pcapng');
  const info = spawnSync('capinfos', ['-t', '-c', '-M', ng], { encoding: 'utf8' });
  if (info.status === 0) assert.match(info.stdout, /File type:\s+(Wireshark\/\.\.\. - )?pcapng\n/);
  const count = (f: string): number => spawnSync('tshark', ['-r', f, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout.trim().split('\n').length;
  assert.equal(count(ng), count(join(dir, 'run.pcap')));
  assert.deepEqual(tsharkProblems(ng), []);
});
