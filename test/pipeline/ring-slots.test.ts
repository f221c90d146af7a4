import assert from 'node:assert/strict';
import { test } from 'node:test';
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

test('the writer waits for the reader when every slot is full, and goes on once one is freed', async () => {
  const mem = newRingMemory(64, 8, 2);
  const w = new SlotWriter(mem);
  w.writeJson(1, 'a');
  w.flush();
  w.writeJson(1, 'b');
  w.flush();
  // Both slots are the reader's now: a third message would block this thread, so free one first.
  const r = new SlotReader(mem);
  const s = await r.take(never);
  assert.equal(r.readJson(s, SLOT_HEADER_BYTES).value, 'a');
  r.release();
  w.writeJson(1, 'c');
  w.flush();
  const s2 = await r.take(never);
  assert.equal(r.readJson(s2, SLOT_HEADER_BYTES).value, 'b');
  r.release();
  const s3 = await r.take(never);
  assert.equal(r.readJson(s3, SLOT_HEADER_BYTES).value, 'c');
  r.release();
});

test('a reader waiting for a slot gives up when the stop promise rejects', async () => {
  const mem = newRingMemory(64, 8, 2);
  const r = new SlotReader(mem);
  await assert.rejects(r.take(Promise.reject(new Error('writer failed'))), /writer failed/);
});
