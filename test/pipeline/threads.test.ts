import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ConnId, PayloadTap } from '../../src/session/analyzer.js';
import type { LogRecord } from '../../src/events/record.js';
import { analyzeCaptures, openCaptures, THREADS_AUTO_MIN_BYTES, threadsFor, type AnalyzeOptions, type AnalyzeResult } from '../../src/pipeline/analyze.js';
import { findCaptures } from '../helpers/capture-files.js';
import { MUTATIONS, mutate } from '../helpers/capture-mutate.js';
import { SHARED_DATA, sharedFile } from '../helpers/shared-data.js';
import { CwError } from '../../src/errors.js';

/**
 * Everything a run hands its caller, in order: records, flow openings, ARP packets and tapped
 * payload, then the result (without the thread count).
 */
async function runOf(inputs: string[], threads: 1 | 2, extra: Partial<AnalyzeOptions> = {}): Promise<{ events: string[]; result: Omit<AnalyzeResult, 'threads'>; threads: number }> {
  const events: string[] = [];
  const tap: PayloadTap = {
    open: (uid: string, id: ConnId) =>
      id.resp_p === 502 || id.resp_p === 44818 || id.proto === 'udp'
        ? { payload: (isOrig, data, ts) => events.push(`tap ${uid} ${isOrig} ${data.length} ${data[0] ?? -1} ${ts}`), end: (ts) => events.push(`tap-end ${uid} ${ts}`) }
        : null,
  };
  const result = await analyzeCaptures(inputs, {
    sink: { write: (stream: string, r: LogRecord) => void events.push(`${stream} ${JSON.stringify(r)}`), close: async () => undefined },
    threads,
    payloadTap: tap,
    onFlowOpen: (uid, id, ts, origMac, respMac) => events.push(`open ${uid} ${JSON.stringify(id)} ${ts} ${origMac} ${respMac}`),
    onArp: (arp, ts) => events.push(`arp ${JSON.stringify(arp)} ${ts}`),
    ...extra,
  });
  const { threads: used, ...rest } = result;
  return { events, result: rest, threads: used };
}

/** First difference of two event lists, for a readable failure. */
function firstDifference(a: string[], b: string[]): string {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return `event ${i}:\n  one thread:  ${a[i]}\n  two threads: ${b[i]}`;
  return `lengths ${a.length} and ${b.length}`;
}

/**
 * Runs `inputs` with one thread and with two and asserts the same outcome: the same events and
 * result, or the same error (a capture refused at its header). @returns the events compared
 */
async function assertSame(inputs: string[], extra: Partial<AnalyzeOptions> = {}): Promise<number> {
  const one = await runOf(inputs, 1, extra).catch((e: unknown) => e as Error);
  const two = await runOf(inputs, 2, extra).catch((e: unknown) => e as Error);
  if (one instanceof Error || two instanceof Error) {
    assert.ok(one instanceof CwError && two instanceof CwError, `${inputs.join(' + ')}: ${String(one)} / ${String(two)}`);
    assert.equal(two.code, one.code);
    assert.equal(two.message, one.message);
    return 0;
  }
  assert.equal(one.threads, 1);
  assert.equal(two.threads, 2);
  if (one.events.length !== two.events.length || one.events.some((e, i) => e !== two.events[i])) {
    assert.fail(`${inputs.join(' + ')}: ${firstDifference(one.events, two.events)}`);
  }
  assert.deepEqual(two.result, one.result, `${inputs.join(' + ')}: results differ`);
  return one.events.length;
}

test('two threads give the same records, callbacks, order and result as one, on every capture of the shared data set', async (t) => {
  if (sharedFile(t, '.') === null) return;
  const captures = findCaptures(SHARED_DATA);
  assert.ok(captures.length > 100, `${captures.length} captures found`);
  let events = 0;
  for (const rel of captures) events += await assertSame([join(SHARED_DATA, rel)]);
  t.diagnostic(`${captures.length} captures, ${events} events compared`);
});

test('two threads: merged inputs, a truncated capture and every checksum mode give the same as one', async (t) => {
  const modbus = sharedFile(t, 'iti-ics-pcaps/ModbusTCP/ModbusTCP.pcap');
  const enip = sharedFile(t, 'iti-ics-pcaps/EthernetIP/EthernetIP-CIP.pcap');
  if (modbus === null || enip === null) return;
  const dir = mkdtempSync(join(tmpdir(), 'cw-threads-'));
  try {
    const cut = join(dir, 'cut.pcap');
    const bytes = readFileSync(enip);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await assertSame([modbus, enip]);
    const r = await runOf([cut], 2);
    assert.ok(r.result.warnings.some((w) => w.code === 'capture.truncated_record'), 'the cut capture is reported');
    await assertSame([cut]);
    for (const checksums of ['verify', 'ignore', 'auto'] as const) await assertSame([enip], { checksums });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two threads: damaged captures (every mutation kind, fixed seeds) give the same as one', async (t) => {
  const sources = ['iti-ics-pcaps/EthernetIP/EthernetIP-CIP.pcap', 'icsnpp/s7comm/traces/snap7.pcap', 'icsnpp/opcua-binary/traces/opcua_with-gap_with-handshake.pcap', 'malcolm-pcap/protocols/MQTT.pcap'];
  const files = sources.map((rel) => sharedFile(t, rel));
  if (files.some((f) => f === null)) return;
  const dir = mkdtempSync(join(tmpdir(), 'cw-threads-'));
  try {
    let n = 0;
    for (const f of files as string[]) {
      const original = readFileSync(f);
      for (const kind of MUTATIONS) {
        for (let seed = 1; seed <= 2; seed++) {
          const m = mutate(original, kind, seed);
          const p = join(dir, `m${n++}.pcap`);
          writeFileSync(p, m.bytes);
          await assertSame([p]).catch((e: Error) => assert.fail(`${f} ${m.note}: ${e.message}`));
        }
      }
    }
    t.diagnostic(`${n} mutants compared`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two threads: a capture deleted after it was opened and checked is still read whole, as with one thread', async (t) => {
  const modbus = sharedFile(t, 'iti-ics-pcaps/ModbusTCP/ModbusTCP.pcap');
  if (modbus === null) return;
  const dir = mkdtempSync(join(tmpdir(), 'cw-threads-'));
  try {
    const p = join(dir, 'gone.pcap');
    writeFileSync(p, readFileSync(modbus));
    const sink = { write: () => undefined, close: async () => undefined };
    const forOne = await openCaptures([p]);
    const forTwo = await openCaptures([p]);
    rmSync(p);
    assert.ok(!existsSync(p));
    const one = await analyzeCaptures(forOne, { sink, threads: 1 });
    const two = await analyzeCaptures(forTwo, { sink, threads: 2 });
    assert.equal(two.threads, 2);
    assert.ok(one.packets > 1000);
    assert.deepEqual({ ...two, threads: 1 }, one);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two threads: progress only moves forward, never reports 0, and ends at the input size', async (t) => {
  const enip = sharedFile(t, 'iti-ics-pcaps/EthernetIP/EthernetIP-CIP.pcap');
  if (enip === null) return;
  const seen: [number, number][] = [];
  await analyzeCaptures([enip], { sink: { write: () => undefined, close: async () => undefined }, threads: 2, onProgress: (done, total) => seen.push([done, total]) });
  const size = statSync(enip).size;
  assert.ok(seen.length > 0);
  for (let i = 0; i < seen.length; i++) {
    assert.ok(seen[i][0] > 0, `report ${i} is ${seen[i][0]}`);
    assert.equal(seen[i][1], size);
    if (i > 0) assert.ok(seen[i][0] > seen[i - 1][0], `report ${i} does not move forward`);
  }
  assert.equal(seen[seen.length - 1][0], size);
});

test("threads: 'auto' takes two for 32 MiB or more of files on a multi-core machine, one otherwise; a pipe always gets one", async (t) => {
  assert.equal(threadsFor('auto', true, THREADS_AUTO_MIN_BYTES, 2), 2);
  assert.equal(threadsFor('auto', true, THREADS_AUTO_MIN_BYTES - 1, 2), 1);
  assert.equal(threadsFor('auto', true, 10 * THREADS_AUTO_MIN_BYTES, 1), 1);
  assert.equal(threadsFor('auto', false, 10 * THREADS_AUTO_MIN_BYTES, 8), 1);
  assert.equal(threadsFor(2, false, 10 * THREADS_AUTO_MIN_BYTES, 8), 1);
  assert.equal(threadsFor(2, true, 0, 1), 2);
  assert.equal(threadsFor(1, true, 10 * THREADS_AUTO_MIN_BYTES, 8), 1);
  const modbus = sharedFile(t, 'iti-ics-pcaps/ModbusTCP/ModbusTCP.pcap');
  if (modbus === null) return;
  assert.ok(statSync(modbus).size < THREADS_AUTO_MIN_BYTES);
  const r = await analyzeCaptures([modbus], { sink: { write: () => undefined, close: async () => undefined } });
  assert.equal(r.threads, 1);
});
