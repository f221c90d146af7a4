import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LinkType } from '../../../src/capture/packet.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import { parseBaplie, type BapliePlan } from '../../../src/crane/edifact/baplie.js';
import { lookupUnlocode } from '../../../src/crane/unlocode.js';
import { generateTerminal } from '../../../src/sim/terminal/terminal.js';
import { haveTshark } from '../../helpers/shared-data.js';
import { tsharkFields } from '../tshark.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-baplie-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// A 20-minute run of 4 cranes (two vessels: cranes 1–3 and crane 4), written to a file for tshark.
const file = join(dir, 'baplie.pcap');
const writer = PcapWriter.toFile(file, { linkType: LinkType.ETHERNET });
const run = generateTerminal(writer, { seed: 5, durationSec: 1200, cranes: 4 });
writer.close();
const { truth } = run;

/** The one plan of a BAPLIE text, read from a sub-view of a larger buffer (non-zero byteOffset). */
function readPlan(text: string): BapliePlan {
  const body = Buffer.from(text, 'latin1');
  const big = new Uint8Array(body.length + 37);
  big.fill(0x2a);
  big.set(body, 19);
  const view = big.subarray(19, 19 + body.length);
  assert.notEqual(view.byteOffset, 0);
  const r = parseBaplie(view);
  assert.ok(r.ok, 'a BAPLIE interchange');
  assert.deepEqual(r.anomalies, []);
  assert.equal(r.plans.length, 1);
  return r.plans[0];
}

test('BAPLIE: one per vessel, parses back, and every discharge move is the box the plan has in that cell', () => {
  assert.equal(run.baplies.length, 2);
  assert.deepEqual(
    truth.baplieMessages.map((b) => [b.berth, b.vessel, b.voyage, b.messageRef, b.containers]),
    run.baplies.map((b) => [b.vessel.berth, b.vessel.name, b.vessel.voyage, b.messageRef, b.containers]),
  );
  const discharges = truth.moves.filter((m) => m.kind === 'discharge');
  assert.ok(discharges.length >= 10, `${discharges.length} discharges in 20 minutes`);
  let matched = 0;
  for (const b of run.baplies) {
    const plan = readPlan(b.text);
    assert.equal(plan.message.type, 'BAPLIE');
    assert.equal(plan.vessel.name, b.vessel.name);
    assert.equal(plan.ports.nextPortOfCall, truth.site.unlocode);
    assert.equal(plan.containers.length, b.containers);
    const byNumber = new Map(plan.containers.map((c) => [c.number, c]));
    assert.equal(byNumber.size, plan.containers.length, 'each box once');
    assert.equal(new Set(plan.containers.map((c) => c.positionRaw)).size, plan.containers.length, 'each cell once');
    for (const c of plan.containers) {
      assert.equal(c.numberValid, true, c.number);
      assert.equal(c.fullEmpty, 'full');
      for (const port of [c.portOfLoading, c.portOfDischarge]) {
        assert.equal(lookupUnlocode(port ?? '').status, 'known', `${c.number}: ${port} is a UN/LOCODE`);
      }
      assert.ok(b.vessel.previousPorts.includes(c.portOfLoading ?? ''), `${c.number} loaded at a previous port`);
      // Boxes for here, or a restow that stays on board for one of the vessel's next ports.
      assert.ok(c.portOfDischarge === truth.site.unlocode || b.vessel.nextPorts.includes(c.portOfDischarge ?? ''), `${c.number} for ${c.portOfDischarge}`);
    }
    // Boxes taken off: discharges, and restows taken ashore (the plan's cell is where they came from).
    for (const m of truth.moves.filter((x) => x.vessel.voyage === b.vessel.voyage && x.from.type === 'vessel')) {
      const c = byNumber.get(m.container);
      assert.ok(c !== undefined, `${m.craneId} discharged ${m.container}, which the plan lists`);
      assert.equal(m.from.type, 'vessel');
      assert.equal(c.positionRaw, m.from.type === 'vessel' ? m.from.code : null);
      assert.equal(c.isoSizeType, m.isoType);
      assert.equal(c.grossWeightKg, m.grossKg);
      assert.equal(c.portOfLoading, m.portOfLoading);
      assert.equal(c.portOfDischarge, m.portOfDischarge);
      if (m.kind === 'restow') assert.ok(b.vessel.nextPorts.includes(c.portOfDischarge ?? ''), `restow ${m.container} stays on board`);
      else matched++;
    }
  }
  assert.equal(matched, discharges.length);
  // Boxes loaded here leave for one of the vessel's next ports.
  for (const m of truth.moves.filter((x) => x.kind === 'load')) {
    assert.equal(m.portOfLoading, truth.site.unlocode);
    assert.equal(lookupUnlocode(m.portOfDischarge).status, 'known');
  }
});

test('BAPLIE on the wire: the EDI gateway POSTs each plan to the TOS, and tshark reassembles it to the same boxes', (t) => {
  if (!haveTshark(t)) return;
  const rows = tsharkFields(file, 'http.request.uri == "/as2/inbound" && ip.dst == 10.30.0.10', ['frame.number', 'ip.src', 'http.content_type', 'http.file_data']);
  assert.equal(rows.length, truth.baplieMessages.length);
  rows.forEach((r, i) => {
    const m = truth.baplieMessages[i];
    assert.deepEqual(r.slice(0, 3), [String(m.frame), m.src, 'application/EDIFACT']);
    const plan = readPlan(r[3].replace(/\\n/g, '\n'));
    const fromRun = readPlan(run.baplies[i].text);
    assert.deepEqual(plan.containers.map((c) => c.number), fromRun.containers.map((c) => c.number));
  });
});

test('work orders: one per move, fetched 3–9 s before it starts, naming its box and cells', () => {
  const orders = truth.workOrders;
  const key = (crane: string, container: string): string => `${crane} ${container}`;
  const byMove = new Map(orders.map((o) => [key(o.craneId, o.container), o]));
  assert.equal(byMove.size, orders.length, 'no move ordered twice');
  let due = 0;
  for (const m of truth.moves) {
    const o = byMove.get(key(m.craneId, m.container));
    if (m.startTs - 9 < truth.startTs) continue; // ordered before the capture began, or not
    due++;
    assert.ok(o !== undefined, `${m.craneId} ${m.container} has a work order`);
    assert.ok(o.ts < m.startTs && o.ts > m.startTs - 10, `${o.id} at ${o.ts}, move starts ${m.startTs}`);
    assert.equal(o.kind, m.kind);
    assert.deepEqual([o.from, o.to], [m.from, m.to]);
    assert.ok(o.requestFrame < o.frame);
    assert.equal(o.id, `${m.craneId}-WO${String(m.seq + 1).padStart(6, '0')}`);
  }
  assert.ok(due >= truth.moves.length - 8, `${due} of ${truth.moves.length} moves ordered within the run`);
  // Every GET the truth lists as a work order got its answer.
  assert.equal(truth.httpRequests.filter((h) => h.kind === 'work_order').length, orders.length);
});

test('deterministic: the same seed gives the same BAPLIE bytes, work orders and capture', () => {
  const one = (): { sha: string; r: ReturnType<typeof generateTerminal> } => {
    const w = PcapWriter.toMemory({ linkType: LinkType.ETHERNET });
    const r = generateTerminal(w, { seed: 21, durationSec: 240, cranes: 2 });
    w.close();
    return { sha: createHash('sha256').update(w.bytes()).digest('hex'), r };
  };
  const a = one();
  const b = one();
  assert.equal(a.sha, b.sha);
  assert.deepEqual(a.r.baplies.map((x) => x.text), b.r.baplies.map((x) => x.text));
  assert.deepEqual(a.r.truth.workOrders, b.r.truth.workOrders);
  assert.ok(a.r.truth.workOrders.length > 0);
});
