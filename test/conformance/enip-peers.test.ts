/**
 * EtherNet/IP + CIP conformance against ICSNPP's expected logs and tshark (test/helpers/conformance/enip.ts):
 * every peer record must have a CraneWatch record that agrees on every compared field, or the
 * difference must be an accepted peer error documented by a unit test with the bytes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agreementRate, type ProtocolAgreement } from '../helpers/conformance/agreement.js';
import { enipConformance } from '../helpers/conformance/enip.js';
import { haveTshark, sharedFile, SHARED_DATA } from '../helpers/shared-data.js';

let results: Promise<ProtocolAgreement[]> | undefined;
const run = (): Promise<ProtocolAgreement[]> => (results ??= enipConformance(SHARED_DATA));

/** Assert that every difference is an accepted peer error, with the differences in the message. */
function assertAgreement(p: ProtocolAgreement): void {
  const open = p.captures.flatMap((c) => c.differences.filter((d) => !d.startsWith('accepted: ')).map((d) => `${c.capture} ${c.stream} ${d}`));
  assert.deepEqual(open.slice(0, 20), [], `${p.peer}: ${open.length} unaccepted differences, agreement ${(agreementRate(p) * 100).toFixed(3)} %`);
  for (const c of p.captures) assert.equal(c.matched + c.differences.filter((d) => d.includes('no CraneWatch')).length, c.peerRecords, `${c.capture} ${c.stream}`);
}

test('ICSNPP baselines: enip, cip, cip_io, cip_identity and conn service agree', async (t) => {
  if (sharedFile(t, 'icsnpp/enip/baseline/analyzer.basic/enip.log') === null) return;
  const p = (await run()).find((x) => x.peer === 'icsnpp');
  assert.ok(p);
  const streams = new Set(p.captures.map((c) => c.stream));
  for (const s of ['enip', 'cip', 'cip_io', 'cip_identity', 'conn']) assert.ok(streams.has(s), `stream ${s} compared`);
  const records = p.captures.reduce((n, c) => n + c.peerRecords, 0);
  assert.ok(records >= 1800, `${records} ICSNPP records compared`);
  assertAgreement(p);
});

test('tshark: every shared capture tshark dissects as EtherNet/IP agrees', async (t) => {
  if (sharedFile(t, 'iti-ics-pcaps/EthernetIP/enip_test.pcap') === null) return;
  if (!haveTshark(t)) return;
  const p = (await run()).find((x) => x.peer.startsWith('tshark'));
  assert.ok(p);
  const files = new Set(p.captures.map((c) => c.capture));
  assert.ok(files.size >= 20, `${files.size} captures compared`);
  for (const s of ['enip', 'cip', 'cip_io', 'cip_identity']) assert.ok(p.captures.some((c) => c.stream === s && c.peerRecords > 0), `stream ${s} compared`);
  assertAgreement(p);
});
