/**
 * HTTP conformance against tshark, record for record per TCP connection, on every capture of the
 * shared data set that carries HTTP (zipped captures included), on two digital-twin captures (the CMS,
 * OCR and EDI hosts talk HTTP/1.1 to the TOS on ports 8080 and 4080; and an hour with container data
 * sent out over HTTP), and on a small capture of the framing cases the twin does not use (pipelining,
 * HEAD, 100 Continue, chunked bodies, 204 / 304, a start line split over segments, a request never
 * answered). How pairs are built and compared: test/helpers/conformance/http.ts (the same code writes
 * docs/CONFORMANCE.md).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compareHttpCapture, httpSharedComparisons, TWIN_RUNS, writeFramingCases, writeTwinCapture, type HttpComparison } from '../helpers/conformance/http.js';
import { haveTshark, SHARED_DATA, sharedFile } from '../helpers/shared-data.js';

function summary(r: HttpComparison): string {
  const a = r.agreement;
  return `${a.capture}: ${a.agreed}/${r.compared} pairs agree (tshark ${a.peerRecords} pairs, CraneWatch ${r.cwRecords} http records)`;
}

/** The first 20 differences of `r`, one line each with the capture name. */
function misses(r: HttpComparison): string[] {
  return r.agreement.differences.slice(0, 20).map((d) => `${r.agreement.capture} ${d}`);
}

test('HTTP: CraneWatch http records agree with tshark pair for pair on every HTTP capture of the shared data', async (t) => {
  if (sharedFile(t, '.') === null || !haveTshark(t)) return;
  const { scanned, results } = await httpSharedComparisons(SHARED_DATA);
  if (results.length === 0) {
    t.diagnostic(`none of ${scanned} captures (zipped ones included) carries HTTP for tshark or CraneWatch; the twin test compares`);
    return;
  }
  for (const r of results) t.diagnostic(summary(r));
  const agreeing = results.reduce((s, r) => s + r.agreement.agreed, 0);
  const compared = results.reduce((s, r) => s + r.compared, 0);
  t.diagnostic(`overall: ${agreeing}/${compared} pairs agree (${((100 * agreeing) / compared).toFixed(2)} %) over ${results.length} captures`);
  const all = results.flatMap(misses);
  for (const m of all) t.diagnostic(`differs: ${m}`);
  assert.equal(agreeing, compared, all.join('\n'));
});

test('HTTP: CraneWatch http records agree with tshark pair for pair on digital-twin captures', async (t) => {
  if (!haveTshark(t)) return;
  const tmp = mkdtempSync(join(tmpdir(), 'cranewatch-http-twin-'));
  try {
    let agreeing = 0;
    let compared = 0;
    for (const run of TWIN_RUNS) {
      const pcap = join(tmp, 'twin.pcap');
      writeTwinCapture(pcap, run.opts);
      const r = await compareHttpCapture(run.name, pcap);
      t.diagnostic(summary(r));
      for (const m of misses(r)) t.diagnostic(`differs: ${m}`);
      assert.ok(r.agreement.peerRecords > 0, `tshark dissects HTTP in ${run.name}`);
      assert.equal(r.agreement.agreed, r.compared, misses(r).join('\n'));
      agreeing += r.agreement.agreed;
      compared += r.compared;
    }
    t.diagnostic(`overall: ${agreeing}/${compared} pairs agree (${((100 * agreeing) / compared).toFixed(2)} %) over ${TWIN_RUNS.length} twin captures`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('HTTP: CraneWatch http records agree with tshark pair for pair on pipelining, HEAD, 1xx, chunked, 204/304 and split lines', async (t) => {
  if (!haveTshark(t)) return;
  const tmp = mkdtempSync(join(tmpdir(), 'cranewatch-http-framing-'));
  try {
    const pcap = join(tmp, 'framing.pcap');
    writeFramingCases(pcap);
    const r = await compareHttpCapture('framing cases', pcap);
    t.diagnostic(summary(r));
    for (const m of misses(r)) t.diagnostic(`differs: ${m}`);
    assert.equal(r.compared, 7, 'seven requests, six of them answered');
    assert.equal(r.agreement.agreed, r.compared, misses(r).join('\n'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
