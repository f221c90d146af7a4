import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ConnId, PayloadTap } from '../../src/session/analyzer.js';
import type { LogRecord } from '../../src/events/record.js';
import { analyzeCaptures, openCaptures, type AnalyzeOptions, type AnalyzeResult } from '../../src/pipeline/analyze.js';
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

async function assertSame(inputs: string[], extra: Partial<AnalyzeOptions> = {}): Promise<number> {
  const one = await runOf(inputs, 1, extra);
  const two = await runOf(inputs, 2, extra);
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
          try {
            await assertSame([p]);
          } catch (e) {
            // A damaged header is refused before any packet, by either path alike.
            if (!(e instanceof CwError)) throw new Error(`${f} ${m.note}: ${(e as Error).message}`);
            await assert.rejects(runOf([p], 2), (e2: unknown) => e2 instanceof CwError && e2.code === e.code);
          }
        }
      }
    }
    t.diagnostic(`${n} mutants compared`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two threads: a capture that vanishes before the worker opens it fails with the same error code as one thread', async (t) => {
  const modbus = sharedFile(t, 'iti-ics-pcaps/ModbusTCP/ModbusTCP.pcap');
  if (modbus === null) return;
  const dir = mkdtempSync(join(tmpdir(), 'cw-threads-'));
  try {
    const p = join(dir, 'gone.pcap');
    writeFileSync(p, readFileSync(modbus));
    const opened = await openCaptures([p]);
    rmSync(p);
    await assert.rejects(
      analyzeCaptures(opened, { sink: { write: () => undefined, close: async () => undefined }, threads: 2 }),
      (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_NOT_FOUND',
    );
    assert.ok(!existsSync(p));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("'auto' takes one thread for a small capture and two threads only for files", async (t) => {
  const modbus = sharedFile(t, 'iti-ics-pcaps/ModbusTCP/ModbusTCP.pcap');
  if (modbus === null) return;
  assert.ok(statSync(modbus).size < 32 << 20);
  const r = await analyzeCaptures([modbus], { sink: { write: () => undefined, close: async () => undefined } });
  assert.equal(r.threads, 1);
});
