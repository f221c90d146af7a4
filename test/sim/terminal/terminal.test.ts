import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LinkType } from '../../../src/capture/packet.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import { parseCoarri } from '../../../src/crane/edifact/coarri.js';
import { isValidContainerNumberAt } from '../../../src/crane/iso6346.js';
import type { LogRecord } from '../../../src/events/record.js';
import { analyzeCaptures } from '../../../src/pipeline/analyze.js';
import { generateTerminal, TERMINAL_START_TS } from '../../../src/sim/terminal/terminal.js';
import { haveTshark } from '../../helpers/shared-data.js';
import { tsharkFields, tsharkProblems } from '../tshark.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-terminal-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A run's capture bytes (in memory) and result. */
function capture(seed: number, durationSec: number, cranes = 4) {
  const w = PcapWriter.toMemory({ linkType: LinkType.ETHERNET });
  const r = generateTerminal(w, { seed, durationSec, cranes });
  w.close();
  return { bytes: w.bytes(), ...r };
}

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

test('deterministic: the same seed gives byte-identical captures and truth, another seed differs', () => {
  const a = capture(11, 300);
  const b = capture(11, 300);
  const c = capture(12, 300);
  assert.equal(sha(a.bytes), sha(b.bytes));
  assert.deepEqual(a.truth, b.truth);
  assert.notEqual(sha(a.bytes), sha(c.bytes));
  assert.notDeepEqual(a.truth.moves, c.truth.moves);
  assert.equal(a.bytes.length, 24 + 16 * a.packets + a.frameBytes);
});

test('options are validated', () => {
  const w = PcapWriter.toMemory({ linkType: LinkType.ETHERNET });
  assert.throws(() => generateTerminal(w, { durationSec: 0 }), /duration must be more than 0 s/);
  assert.throws(() => generateTerminal(w, { durationSec: 10, seed: -1 }), /seed must be an integer/);
  assert.throws(() => generateTerminal(w, { durationSec: 10, cranes: 101 }), /cranes must be an integer 1–100/);
});

// One 10-minute capture of 4 cranes, shared by the tshark and analyzer checks.
const file = join(dir, 'terminal.pcap');
const writer = PcapWriter.toFile(file, { linkType: LinkType.ETHERNET });
const run = generateTerminal(writer, { seed: 7, durationSec: 600, cranes: 4 });
writer.close();
const { truth } = run;

test('truth: moves with valid container numbers, writes, HTTP, DNS, NTP, time order', () => {
  assert.ok(truth.moves.length >= 4 * 3 && truth.moves.length <= 4 * 8, `${truth.moves.length} moves in 10 min`);
  for (const m of truth.moves) {
    assert.ok(isValidContainerNumberAt(m.container, 0), m.container);
    assert.ok(m.unlockTs >= TERMINAL_START_TS && m.unlockTs < truth.endTs);
    assert.ok(m.lockTs < m.unlockTs);
    // A discharge comes off the vessel, a load goes on; a restow leg does either (ashore, then back).
    if (m.kind === 'discharge') assert.equal(m.from.type, 'vessel');
    else if (m.kind === 'load') assert.equal(m.to.type, 'vessel');
    else assert.ok((m.from.type === 'vessel') !== (m.to.type === 'vessel'), 'a restow leg has the vessel at one end');
  }
  assert.ok(truth.modbusWrites.length >= 1, 'the cab HMIs wrote setpoints');
  assert.ok(truth.httpRequests.some((h) => h.kind === 'ocr_read') && truth.httpRequests.some((h) => h.kind === 'job_done'));
  assert.ok(truth.dnsQueries.length > 0 && truth.ntpExchanges > 0);
  for (const p of truth.polls) {
    assert.ok(p.intervalSec >= 0.1 && p.intervalSec <= 0.5);
    assert.ok(Math.abs(p.requests - 600 / p.intervalSec) < 5, `${p.craneId}: ${p.requests} polls`);
    assert.ok(p.responses >= p.requests - 1);
  }
  const jobs = truth.httpRequests.filter((h) => h.kind === 'job_done').map((h) => h.container);
  for (const c of jobs) assert.ok(truth.moves.some((m) => m.container === c), `job-done ${c} is a move`);
});

test('tshark: no malformed frames, no expert warnings, no TCP analysis flags; fields agree with the truth', (t) => {
  if (!haveTshark(t)) return;
  assert.deepEqual(tsharkProblems(file), []);
  assert.deepEqual(tsharkFields(file, 'tcp.analysis.flags', ['frame.number']), []);
  assert.equal(tsharkFields(file, 'frame', ['frame.number']).length, run.packets);

  const writes = tsharkFields(file, 'tcp.dstport == 502 && (modbus.func_code == 5 || modbus.func_code == 6 || modbus.func_code == 15 || modbus.func_code == 16)', [
    'frame.number',
    'ip.src',
    'ip.dst',
    'mbtcp.trans_id',
    'mbtcp.unit_id',
    'modbus.func_code',
    'modbus.reference_num',
  ]);
  assert.deepEqual(
    writes.map((r) => r.join(' ')),
    truth.modbusWrites.map((w) => [w.frame, w.src, w.dst, w.transId, w.unitId, w.functionCode, w.address].join(' ')),
  );

  const http = tsharkFields(file, 'http.request && tcp.dstport == 8080', ['frame.number', 'ip.src', 'tcp.srcport', 'http.request.method', 'http.request.uri', 'http.host', 'http.file_data']);
  assert.equal(http.length, truth.httpRequests.length);
  http.forEach((r, i) => {
    const h = truth.httpRequests[i];
    assert.deepEqual(r.slice(0, 6), [String(h.frame), h.src, String(h.srcPort), h.method, h.uri, h.host]);
    // A POST carries its record; a work-order GET has no body (the order comes back in the answer).
    if (h.method === 'POST') assert.ok(r[6].includes(`"container":"${h.container}"`), r[6]);
    else assert.equal(r[6] ?? '', '');
  });
  const posts = truth.httpRequests.filter((h) => h.method === 'POST').length;
  assert.equal(tsharkFields(file, 'http.response.code == 201', ['frame.number']).length, posts);
  const orders = tsharkFields(file, 'http.response.code == 200 && tcp.srcport == 8080', ['frame.number', 'http.file_data']);
  assert.deepEqual(orders.map((r) => Number(r[0])), truth.workOrders.map((w) => w.frame));
  orders.forEach((r, i) => assert.ok(r[1].includes(`"container":"${truth.workOrders[i].container}"`), r[1]));

  const dns = tsharkFields(file, 'dns.flags.response == 0', ['frame.number', 'ip.src', 'dns.id', 'dns.qry.name']);
  assert.deepEqual(
    dns.map((r) => [r[0], r[1], Number(r[2]), r[3]].join(' ')),
    truth.dnsQueries.map((q) => [q.frame, q.src, q.id, q.qname].join(' ')),
  );
  const answers = tsharkFields(file, 'dns.flags.response == 1', ['dns.a']);
  assert.deepEqual(answers.map((r) => r[0]), truth.dnsQueries.map((q) => q.answer));
  assert.equal(tsharkFields(file, 'ntp.flags.mode == 4', ['frame.number']).length, truth.ntpExchanges);

  // COARRI reports: the EDIFACT body tshark reassembles parses back to the reported moves.
  const as2 = tsharkFields(file, 'http.request.uri == "/as2/inbound" && ip.dst == 10.30.0.25', ['frame.number', 'ip.src', 'ip.dst', 'http.content_type', 'http.file_data']);
  assert.equal(as2.length, truth.coarriReports.length);
  assert.ok(as2.length >= 2, 'both berths reported within 10 minutes');
  as2.forEach((r, i) => {
    const rep = truth.coarriReports[i];
    assert.deepEqual(r.slice(0, 4), [String(rep.frame), rep.src, rep.dst, 'application/EDIFACT']);
    const parsed = parseCoarri(r[4].replace(/\\n/g, '\n'));
    assert.ok(parsed.ok, 'a COARRI interchange');
    assert.deepEqual(parsed.anomalies, []);
    const report = parsed.reports[0];
    assert.equal(report.documentCode, rep.documentCode);
    assert.equal(report.vessel.name, rep.vessel);
    assert.deepEqual(report.moves.map((m) => m.number), rep.containers);
    for (const m of report.moves) {
      // A restowed box has two legs: the one this report covers goes off (98) or on (46) the vessel.
      const t = truth.moves.find((x) => x.container === m.number && (x.from.type === 'vessel') === (rep.documentCode === '98'));
      assert.ok(t !== undefined, `${m.number} is a move of the truth`);
      assert.equal(m.kind, t.kind);
      assert.equal(m.numberValid, true);
      assert.equal(m.grossWeightKg, t.grossKg);
      assert.equal(m.portOfLoading, t.portOfLoading);
      assert.equal(m.portOfDischarge, t.portOfDischarge);
      const cell = t.from.type === 'vessel' ? t.from : t.to;
      assert.equal(m.positionRaw, cell.type === 'vessel' ? cell.code : null);
    }
  });
});

test('round trip through the analyzer: the Modbus writes of the truth and the HTTP flows to the TOS', async () => {
  const detailed: LogRecord[] = [];
  const conn: LogRecord[] = [];
  const weird: LogRecord[] = [];
  const sink = {
    write(stream: string, r: LogRecord): void {
      if (stream === 'modbus_detailed') detailed.push(r);
      else if (stream === 'conn') conn.push(r);
      else if (stream === 'weird') weird.push(r);
    },
    async close(): Promise<void> {},
  };
  const res = await analyzeCaptures([file], { sink });
  assert.equal(res.packets, run.packets);
  assert.equal(res.decode.malformed, 0);
  assert.deepEqual(weird, []);
  const writes = detailed.filter((r) => [5, 6, 15, 16].includes(r.function_code as number));
  assert.deepEqual(
    writes.map((r) => [r['id.orig_h'], r['id.resp_h'], r.tid, r.unit, r.function_code, r.address, JSON.stringify(r.request_values)].join(' ')).sort(),
    truth.modbusWrites.map((w) => [w.src, w.dst, w.transId, w.unitId, w.functionCode, w.address, JSON.stringify(w.values)].join(' ')).sort(),
  );
  const tos = conn.filter((r) => r['id.resp_h'] === '10.30.0.10' && r['id.resp_p'] === 8080);
  assert.equal(tos.length, truth.httpRequests.length);
  const key = (h: string, p: number): string => `${h}:${p}`;
  assert.deepEqual(
    tos.map((r) => key(r['id.orig_h'] as string, r['id.orig_p'] as number)).sort(),
    truth.httpRequests.map((h) => key(h.src, h.srcPort)).sort(),
  );
  for (const r of tos) assert.equal(r.conn_state, 'SF', 'each POST connection opens and closes normally');
  const as2 = conn.filter((r) => r['id.resp_p'] === 4080);
  assert.deepEqual(
    as2.map((r) => `${r['id.orig_h']}>${r['id.resp_h']} ${r.conn_state}`).sort(),
    [...truth.coarriReports, ...truth.baplieMessages].map((c) => `${c.src}>${c.dst} SF`).sort(),
  );

  // The crane physics as the CMS sees it on the wire: decode each poll response with the site's map.
  for (const p of truth.polls) {
    const crane = run.site.cranes.find((c) => c.id === p.craneId);
    assert.ok(crane !== undefined);
    const block = p.blocks[0];
    const rows = detailed.filter((r) => r['id.resp_h'] === p.server && r.function_code === 3 && r.address === block.address);
    assert.ok(Math.abs(rows.length - p.responses) <= 1, `${p.craneId}: ${rows.length} poll rows`);
    const word = (vals: readonly number[], name: string, signed: boolean): number => {
      const reg = crane.registers[name];
      const i = reg.address - block.address;
      const [hi, lo] = crane.word_order === 'low_first' ? [vals[i + 1], vals[i]] : [vals[i], vals[i + 1]];
      const u = hi * 65536 + lo;
      return signed && u >= 2 ** 31 ? u - 2 ** 32 : u;
    };
    let prev: { ts: number; hoist: number; trolley: number; locked: number } | null = null;
    let locks = 0;
    let maxHoist = 0;
    let maxTrolley = 0;
    for (const r of rows) {
      const vals = r.response_values as readonly number[];
      const cur = {
        ts: r.ts as number,
        hoist: word(vals, 'hoist_position_mm', true),
        trolley: word(vals, 'trolley_position_mm', false),
        locked: vals[crane.registers.twistlock_locked.address - block.address],
      };
      if (prev !== null && cur.ts - prev.ts > 0.05) {
        maxHoist = Math.max(maxHoist, Math.abs(cur.hoist - prev.hoist) / (cur.ts - prev.ts));
        maxTrolley = Math.max(maxTrolley, Math.abs(cur.trolley - prev.trolley) / (cur.ts - prev.ts));
        if (cur.locked === 1 && prev.locked === 0) locks++;
      }
      prev = cur;
    }
    // Request timestamps vs. sampling at the response: allow a few percent.
    assert.ok(maxHoist <= 3_000 * 1.06 && maxHoist > 1_000, `${p.craneId}: hoist ${maxHoist.toFixed(0)} mm/s on the wire`);
    assert.ok(maxTrolley <= 4_000 * 1.06 && maxTrolley > 1_000, `${p.craneId}: trolley ${maxTrolley.toFixed(0)} mm/s on the wire`);
    const reads = truth.httpRequests.filter((h) => h.kind === 'ocr_read' && h.craneId === p.craneId).length;
    assert.ok(Math.abs(locks - reads) <= 1, `${p.craneId}: ${locks} twistlock locks seen, ${reads} OCR reads`);
  }
});
