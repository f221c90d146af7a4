import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { align8, getString, newRingMemory, putString, SLOT_HEADER_BYTES, SlotReader, SlotWriter, stringBytes } from '../../src/pipeline/ring-slots.js';

const never = new Promise<never>(() => undefined);

test('strings round-trip through a slot, empty and non-ASCII ones included', () => {
  const mem = newRingMemory(1024, 4096, 2);
  const w = new SlotWriter(mem);
  const texts = ['', 'fe80::1', 'CSZ12345', 'Kranführer ✓', 'x'.repeat(301)];
  const at = w.reserve(texts.reduce((n, s) => n + stringBytes(s), 0));
  let p = at;
  for (const s of texts) p = putString(w.f64[w.slot], w.u16[w.slot], p, s);
  assert.equal(p - at, texts.reduce((n, s) => n + stringBytes(s), 0));
  let q = at;
  for (const s of texts) {
    assert.equal(getString(w.f64[w.slot], w.u16[w.slot], q), s);
    q += stringBytes(s);
  }
});

test('messages come out in order across many slot hand-overs, with the progress stamp of each slot', async () => {
  const mem = newRingMemory(256, 64, 3);
  const w = new SlotWriter(mem);
  const r = new SlotReader(mem);
  const got: unknown[] = [];
  const progress: number[] = [];
  let sent = 0;
  // Three slots at a time: write until all are the reader's, then drain, as two threads would take turns.
  while (sent < 40) {
    for (let k = 0; k < 6 && sent < 40; k++) {
      w.progress = sent;
      w.writeJson(7, { n: sent, text: `message ${sent}` });
      sent++;
    }
    w.flush();
    for (;;) {
      const s = r.slot;
      if (Atomics.load(r.states, s) !== 1) break;
      await r.take(never);
      progress.push(r.progress(s));
      for (let at = SLOT_HEADER_BYTES; at < r.used(s); ) {
        assert.equal(r.f64[s][at >> 3], 7);
        const { value, next } = r.readJson(s, at);
        got.push(value);
        at = next;
      }
      r.release();
    }
  }
  assert.deepEqual(
    got,
    Array.from({ length: 40 }, (_, n) => ({ n, text: `message ${n}` })),
  );
  assert.ok(progress.length > 3, 'several slots were used');
  assert.deepEqual([...progress].sort((a, b) => a - b), progress, 'progress stamps never go back');
});

test('a message larger than a slot is refused with a RangeError instead of overrunning it', () => {
  const mem = newRingMemory(128, 64, 2);
  const w = new SlotWriter(mem);
  assert.throws(() => w.reserve(align8(SLOT_HEADER_BYTES + 64 + 128) + 8), RangeError);
  assert.equal(w.reserve(64), SLOT_HEADER_BYTES, 'the ring stays usable');
});

test('a writer in another thread waits while every slot is the reader\'s, and goes on as soon as one is released', async () => {
  const mem = newRingMemory(64, 8, 2);
  const written = new Int32Array(new SharedArrayBuffer(4));
  const url = new URL('../../src/pipeline/ring-slots.ts', import.meta.url).href;
  // The worker writes 6 one-message slots, counting each message once it is written.
  const code = `const { workerData: d } = require('node:worker_threads');
    import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); }).then(({ SlotWriter }) => {
      const w = new SlotWriter(d.mem);
      for (let i = 0; i < 6; i++) { w.writeJson(1, i); w.flush(); Atomics.add(d.written, 0, 1); }
    });`;
  const worker = new Worker(code, { eval: true, workerData: { mem, written } });
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 300));
  try {
    const r = new SlotReader(mem);
    await settle();
    assert.equal(Atomics.load(written, 0), 2, 'both slots filled, the third message waits');
    const got: unknown[] = [];
    for (let k = 0; k < 6; k++) {
      const s = await r.take(exited);
      got.push(r.readJson(s, SLOT_HEADER_BYTES).value);
      r.release();
      if (k === 0) {
        await settle();
        assert.equal(Atomics.load(written, 0), 3, 'one slot released, one more message written');
      }
    }
    assert.deepEqual(got, [0, 1, 2, 3, 4, 5]);
  } finally {
    await worker.terminate();
  }
});

test('big messages pass one at a time through the big buffer, in their place among the slot messages', async () => {
  const mem = newRingMemory(64, 8, 2, 4096);
  const url = new URL('../../src/pipeline/ring-slots.ts', import.meta.url).href;
  // Each round: a small message, then a big one (its bytes in the big buffer, a marker in the slot).
  const code = `const { workerData: d } = require('node:worker_threads');
    import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); }).then(({ SlotWriter }) => {
      const w = new SlotWriter(d.mem);
      for (let i = 0; i < 5; i++) { w.writeJson(1, 'small ' + i); w.putBig(new Uint8Array(3000 + i).fill(i + 1)); w.writeJson(2, 3000 + i); }
      w.writeJson(3, 'end'); w.flush();
    });`;
  const worker = new Worker(code, { eval: true, workerData: { mem } });
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  try {
    const r = new SlotReader(mem);
    const got: string[] = [];
    for (let done = false; !done; ) {
      const s = await r.take(exited);
      for (let at = SLOT_HEADER_BYTES; at < r.used(s); ) {
        const kind = r.f64[s][at >> 3];
        const { value, next } = r.readJson(s, at);
        at = next;
        if (kind === 2) {
          const big = r.bigView(value as number);
          got.push(`big ${big.length} of ${big[0]}, last ${big[big.length - 1]}`);
          r.releaseBig();
        } else got.push(String(value));
        if (kind === 3) done = true;
      }
      r.release();
    }
    assert.deepEqual(got, [0, 1, 2, 3, 4].flatMap((i) => [`small ${i}`, `big ${3000 + i} of ${i + 1}, last ${i + 1}`]).concat('end'));
    assert.throws(() => new SlotWriter(newRingMemory(64, 8, 2, 16)).putBig(new Uint8Array(17)), RangeError);
  } finally {
    await worker.terminate();
  }
});

test('a reader whose writer ended without handing the next slot over gets an error, not a hang', async () => {
  const mem = newRingMemory(64, 8, 2);
  const r = new SlotReader(mem);
  await assert.rejects(r.take(Promise.resolve()), /ended before the end of its messages/);
});

test('a reader waiting for a slot gives up when the stop promise rejects', async () => {
  const mem = newRingMemory(64, 8, 2);
  const r = new SlotReader(mem);
  await assert.rejects(r.take(Promise.reject(new Error('writer failed'))), /writer failed/);
});
