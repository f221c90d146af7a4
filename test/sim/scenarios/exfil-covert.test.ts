import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openCapture } from '../../../src/capture/open.js';
import { LinkType } from '../../../src/capture/packet.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import { parseContainerNumber } from '../../../src/crane/iso6346.js';
import { containerRegisters, DROP_SLOT_WORDS } from '../../../src/sim/scenarios/covert-drop-script.js';
import { resolveScenario } from '../../../src/sim/scenarios/params.js';
import { generateTerminal } from '../../../src/sim/terminal/terminal.js';
import type { TruthCovertModbus } from '../../../src/sim/terminal/truth.js';
import { haveTshark } from '../../helpers/shared-data.js';
import { tsharkFields, tsharkProblems } from '../tshark.js';
import { type ParsedFrame, parseFrame } from '../wire.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-covert-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** STS-01 (Schneider, map at 0) from its OCR controller; STS-02 (Siemens, map at 1000) from a planted device. */
const SCENARIOS = [
  { name: 'covert-modbus', params: { crane: 'STS-01', start: 60, duration: 1300, rate: 300 } },
  { name: 'covert-modbus', params: { crane: 'STS-02', start: 200, duration: 1100, rate: 250, from: 'rogue', reader: 'crane-subnet' } },
];

function simulate(file: string) {
  const w = PcapWriter.toFile(file, { linkType: LinkType.ETHERNET });
  const r = generateTerminal(w, { seed: 3, durationSec: 1500, cranes: 2, scenarios: SCENARIOS });
  w.close();
  return r;
}
const file = join(dir, 'covert.pcap');
const { truth } = simulate(file);
const drops = truth.scenarios.map((s) => ({ s, c: s.covert as TruthCovertModbus }));

test('containerRegisters: two ASCII characters per register, high byte first, NUL after the 11th', () => {
  assert.deepEqual(containerRegisters('CSQU3054383'), [0x4353 /* C S */, 0x5155 /* Q U */, 0x3330 /* 3 0 */, 0x3534 /* 5 4 */, 0x3338 /* 3 8 */, 0x3300 /* 3 NUL */]);
});

test('params: rate below 10 s and unknown writers are refused', () => {
  assert.throws(() => resolveScenario({ name: 'covert-modbus', params: { rate: '5' } }), /rate/);
  assert.throws(() => resolveScenario({ name: 'covert-modbus', params: { from: 'cms' } }), /from/);
});

test('truth: the drop lies in unmapped registers the CMS never polls; each write holds a container the crane moved', () => {
  for (const { s, c } of drops) {
    assert.ok(c !== undefined, s.id);
    assert.ok(c.containers.length >= 6, `${s.id}: ${c.containers.length} containers`);
    const poll = truth.polls.find((p) => p.craneId === c.craneId);
    assert.ok(poll !== undefined);
    for (const b of poll.blocks) assert.ok(b.address + b.quantity <= c.address || b.address >= c.address + c.quantity, 'poll blocks miss the drop');
    const writes = truth.modbusWrites.filter((w) => w.scenario === s.id);
    assert.equal(writes.length, c.containers.length);
    assert.equal(s.modbusWrites, writes.length);
    const moves = new Map(truth.moves.filter((m) => m.craneId === c.craneId).map((m) => [m.container, m]));
    writes.forEach((w, k) => {
      assert.equal(w.functionCode, 16);
      assert.equal(w.signal, '');
      assert.equal(w.src, c.writer);
      assert.equal(w.address, c.address + (k % 8) * DROP_SLOT_WORDS);
      const text = String.fromCharCode(...w.values.flatMap((v) => [v >>> 8, v & 0xff])).replace(/\0+$/, '');
      assert.equal(text, c.containers[k]);
      assert.ok(parseContainerNumber(text).ok, text);
      const mv = moves.get(text);
      assert.ok(mv !== undefined && w.ts > mv.unlockTs, `${text} written after its move`);
    });
    assert.ok(s.expected.includes('covert_channel_modbus') && s.expected.includes('unauthorized_write'));
  }
  assert.equal(drops[0].c.address, 20);
  assert.equal(drops[1].c.address, 0);
  assert.equal(drops[0].c.writer, truth.hosts.find((h) => h.name === 'sts-01-ocr')?.ip);
});

test('wire: the reader\'s fc 3 answers return exactly the numbers written before each pickup', async () => {
  const frames: Array<{ ts: number; f: ParsedFrame }> = [];
  const reader = await openCapture(file, 0);
  for await (const batch of reader.batches()) for (const raw of batch) frames.push({ ts: raw.ts, f: parseFrame(raw.data) });
  for (const { s, c } of drops) {
    const answers = frames.filter((x) => x.f.ipDst === c.reader && x.f.tcp?.srcPort === 502 && x.f.tcp.payload.length > 0);
    assert.ok(answers.length >= 3, s.id);
    const writes = truth.modbusWrites.filter((w) => w.scenario === s.id);
    for (const a of answers) {
      const p = a.f.tcp?.payload as Uint8Array;
      assert.equal(p[7], 3);
      assert.equal(p[8], 2 * c.quantity); // byte count
      const slots = new Map<number, string>();
      for (const w of writes) if (w.ts < a.ts) slots.set((w.address - c.address) / DROP_SLOT_WORDS, String.fromCharCode(...w.values.flatMap((v) => [v >>> 8, v & 0xff])));
      for (let k = 0; k < c.quantity / DROP_SLOT_WORDS; k++) {
        const got = Buffer.from(p.subarray(9 + 2 * DROP_SLOT_WORDS * k, 9 + 2 * DROP_SLOT_WORDS * (k + 1))).toString('latin1');
        assert.equal(got, slots.get(k) ?? '\0'.repeat(12), `${s.id} slot ${k} at ${a.ts}`);
      }
    }
  }
});

test('determinism: the same seed gives byte-identical pcap and truth', () => {
  const again = join(dir, 'again.pcap');
  const r2 = simulate(again);
  const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');
  assert.equal(sha(again), sha(file));
  assert.deepEqual(r2.truth, truth);
});

test('tshark: no malformed frames; fc 16 writes and fc 3 reads at the drop addresses', (t) => {
  if (!haveTshark(t)) return;
  assert.deepEqual(tsharkProblems(file), []);
  for (const { c } of drops) {
    const w = tsharkFields(file, `ip.src == ${c.writer} && modbus.func_code == 16`, ['modbus.reference_num']);
    assert.equal(w.length, c.containers.length);
    w.forEach((r, k) => assert.equal(Number(r[0]), c.address + (k % 8) * DROP_SLOT_WORDS));
    const r = tsharkFields(file, `ip.src == ${c.reader} && modbus.func_code == 3`, ['modbus.reference_num', 'modbus.word_cnt']);
    assert.ok(r.length >= 3);
    for (const row of r) assert.deepEqual(row.map(Number), [c.address, c.quantity]);
  }
});
