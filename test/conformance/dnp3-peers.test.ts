/**
 * DNP3 conformance against Zeek's and ICSNPP's expected logs and tshark (test/helpers/conformance/dnp3.ts).
 * Zeek (dnp3.log of every zeek-ics-baselines DNP3 baseline) and ICSNPP (dnp3, dnp3_control, dnp3_objects)
 * must agree record for record. tshark is compared on every shared capture it dissects as DNP3, the
 * qut-dnp3 attacker captures included (recorded at a man in the middle: both legs of each connection,
 * injected segments with stale acknowledgements or foreign sequence numbers); every difference must be
 * an accepted peer error, each shown on the bytes by a test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agreementRate, type ProtocolAgreement } from '../helpers/conformance/agreement.js';
import { dnp3Conformance } from '../helpers/conformance/dnp3.js';
import { haveTshark, sharedFile, SHARED_DATA } from '../helpers/shared-data.js';

let results: Promise<ProtocolAgreement[]> | undefined;
const run = (): Promise<ProtocolAgreement[]> => (results ??= dnp3Conformance(SHARED_DATA));

/** Unaccepted differences of `p`, one line each with its capture. */
function open(p: ProtocolAgreement): string[] {
  return p.captures.flatMap((c) => c.differences.filter((d) => !d.startsWith('accepted: ')).map((d) => `${c.capture} ${c.stream} ${d}`));
}

test('Zeek baselines: dnp3.log of every DNP3 baseline agrees record for record', async (t) => {
  if (sharedFile(t, 'zeek-ics-baselines/traces/dnp3/dnp3.pcap') === null) return;
  const p = (await run()).find((x) => x.peer === 'zeek');
  assert.ok(p);
  assert.ok(p.captures.length >= 13, `${p.captures.length} baselines compared`);
  t.diagnostic(`zeek: ${p.captures.reduce((n, c) => n + c.peerRecords, 0)} records, agreement ${(agreementRate(p) * 100).toFixed(3)} %`);
  assert.deepEqual(open(p), []);
  assert.equal(agreementRate(p), 1);
});

test('ICSNPP baseline: dnp3, dnp3_control and dnp3_objects agree record for record', async (t) => {
  if (sharedFile(t, 'icsnpp/dnp3/traces/dnp3_example.pcap') === null) return;
  const p = (await run()).find((x) => x.peer === 'icsnpp');
  assert.ok(p);
  assert.deepEqual(p.captures.map((c) => [c.stream, c.peerRecords]), [
    ['dnp3', 368],
    ['dnp3_control', 534],
    ['dnp3_objects', 503],
  ]);
  assert.deepEqual(open(p), []);
  assert.equal(agreementRate(p), 1);
});

const QUT = (capture: string): boolean => capture.startsWith('qut-dnp3/');

test('tshark: every shared capture tshark dissects as DNP3 agrees, message for message', async (t) => {
  if (sharedFile(t, 'iti-ics-pcaps/dnp3') === null || !haveTshark(t)) return;
  const p = (await run()).find((x) => x.peer.startsWith('tshark'));
  assert.ok(p);
  const records = p.captures.reduce((n, c) => n + c.peerRecords, 0);
  const rate = agreementRate(p);
  t.diagnostic(`${p.peer}: ${p.captures.length} captures, ${records} records, agreement ${(rate * 100).toFixed(3)} %`);
  for (const c of p.captures) if (c.agreed < c.peerRecords) t.diagnostic(`${c.capture}: ${c.agreed}/${c.peerRecords}`);
  for (const line of open(p).slice(0, 60)) t.diagnostic(line);
  assert.ok(p.captures.length >= 100, `${p.captures.length} captures compared`);
  assert.ok(p.captures.some((c) => QUT(c.capture)), 'the qut-dnp3 captures are compared');
  assert.deepEqual(open(p), [], 'every difference is an accepted peer error');
  assert.equal(rate, 1);
});
