/**
 * OPC UA binary against its peers (test/helpers/conformance/opcua.ts): the ICSNPP opcua-binary
 * baselines and tshark over every shared capture carrying OPC UA. Every difference must be an
 * accepted peer error documented by a unit test; the links between CraneWatch's OPC UA logs must hold.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { agreementRate } from '../helpers/conformance/agreement.js';
import { ICSNPP_OPCUA_PAIRS, cranewatchOpcua, linkProblems, opcuaConformance } from '../helpers/conformance/opcua.js';
import { haveTshark, sharedFile } from '../helpers/shared-data.js';

test('OPC UA binary agrees with ICSNPP and tshark (every difference an accepted peer error)', async (t) => {
  const root = sharedFile(t, 'icsnpp/opcua-binary');
  if (root === null) return;
  const peers = await opcuaConformance(join(root, '..', '..'));
  const icsnpp = peers.find((p) => p.peer === 'icsnpp');
  assert.ok(icsnpp);
  // Every log of the baselines is compared (22 streams; conn.log is the session layer's).
  const baselineStreams = new Set(readdirSync(join(root, 'baseline', 'analyzer.basic')).map((f) => f.replace(/\.log$/, '')));
  baselineStreams.delete('conn');
  assert.deepEqual([...new Set(icsnpp.captures.map((c) => c.stream))].sort(), [...baselineStreams].sort());
  assert.equal(icsnpp.captures.filter((c) => c.stream === 'opcua_binary').length, 5, 'all five baselines');
  for (const p of peers) {
    const open = p.captures.flatMap((c) => c.differences.filter((d) => !d.includes('(accepted:')).map((d) => `${c.capture} ${c.stream}: ${d}`));
    assert.deepEqual(open, [], `${p.peer}: unaccepted differences`);
    for (const c of p.captures) assert.equal(c.matched, c.peerRecords, `${p.peer} ${c.capture} ${c.stream}: every peer record matched`);
    t.diagnostic(`${p.peer}: agreement ${(agreementRate(p) * 100).toFixed(1)} % over ${p.captures.reduce((s, c) => s + c.peerRecords, 0)} records`);
  }
  if (haveTshark(t)) {
    const ts = peers.find((p) => p.peer.startsWith('tshark'));
    assert.ok(ts);
    assert.equal(agreementRate(ts), 1);
    assert.ok(ts.captures.some((c) => c.capture.includes('malcolm-pcap')), 'the Malcolm capture is found by content');
    // Call, Publish, DeleteSubscriptions and Write parameters are compared message for message.
    const services = (stream: string): number => ts.captures.filter((c) => c.stream === stream).reduce((n, c) => n + c.matched, 0);
    assert.deepEqual(
      ['opcua_binary_call', 'opcua_binary_publish', 'opcua_binary_delete_subscriptions', 'opcua_binary_write'].map((s) => services(s) > 0),
      [true, true, true, true],
    );
    const publish = ts.captures.filter((c) => c.stream === 'opcua_binary_publish').flatMap((c) => c.fields);
    assert.ok(publish.some((f) => f.field === 'monitored_item_notifications' && f.compared > 0));
  }
});

test('OPC UA links: every child record is named by exactly one opcua_binary record', async (t) => {
  const root = sharedFile(t, 'icsnpp/opcua-binary');
  if (root === null) return;
  for (const { trace } of ICSNPP_OPCUA_PAIRS) {
    const s = await cranewatchOpcua(join(root, 'traces', trace));
    assert.deepEqual(linkProblems(s), [], trace);
    assert.ok((s.get('opcua_binary_status_code_detail') ?? []).length > 0, trace);
  }
});

test('pending_overflow.pcap (no baseline): no crash, every message logged, nothing left waiting', async (t) => {
  const file = sharedFile(t, 'icsnpp/opcua-binary/traces/pending_overflow.pcap');
  if (file === null) return;
  const s = await cranewatchOpcua(file);
  assert.equal((s.get('opcua_binary') ?? []).length, 24);
  assert.deepEqual(linkProblems(s), []);
});
