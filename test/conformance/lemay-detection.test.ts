import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LEMAY_SCENARIOS, runLemay } from '../helpers/lemay.js';
import { sharedFile } from '../helpers/shared-data.js';

// Lemay & Fernandez (CSET 2016) labelled Modbus captures: a site learned by the baseline learner from
// the attack-free (label 0) packets finds every scenario; packet-level precision and recall against
// the label files. Figures are written to docs/DETECTION.md by scripts/detection-report.ts.
test('lemay-modbus: every attack scenario found, benign polling and the master’s writes raise nothing', async (t) => {
  const dir = sharedFile(t, 'lemay-modbus');
  if (dir === null) return;
  const results = await runLemay(dir, 'all');
  assert.equal(results.length, LEMAY_SCENARIOS.length);
  for (const r of results) {
    assert.ok(r.findings.some((f) => f.malicious), `${r.capture}: a finding on the attack`);
    assert.deepEqual(r.findings.filter((f) => !f.malicious), [], `${r.capture}: no finding on normal traffic`);
    assert.ok((r.score.precision ?? 0) >= 0.99, `${r.capture}: precision ${r.score.precision}`);
  }
  const recall = Object.fromEntries(results.map((r) => [r.capture, r.score.recall ?? 0]));
  assert.equal(recall['characterization_modbus_6RTU_with_operate.pcap'], 1);
  assert.equal(recall['exploit_ms08_netapi_modbus_6RTU_with_operate.pcap'], 1);
  assert.ok(recall['CnC_uploading_exe_modbus_6RTU_with_operate.pcap'] >= 0.99);
  // The NetBIOS session .104 → .100:139 is labelled normal in characterization and malicious here:
  // a baseline that learned the former accepts the latter (33 packets).
  assert.ok(recall['moving_two_files_modbus_6RTU.pcap'] >= 0.5);
});
