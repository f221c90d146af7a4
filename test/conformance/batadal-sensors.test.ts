import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { test } from 'node:test';
import { BATADAL_FILE, batadalSection, runBatadal } from '../helpers/batadal.js';
import { sharedFile } from '../helpers/shared-data.js';

/**
 * Sensor integrity on BATADAL training dataset 2 (C-Town water network, hourly, 5 labelled attack
 * periods): the process-consistency checks, with thresholds learned from the first 10 weeks (before
 * the first labelled attack), find at least 3 of the 5 periods and alarm in at most 2 % of the
 * unlabelled checked hours (measured: 5 of 5, 0.57 %).
 */
test('BATADAL: labelled attack periods detected, few alarms outside them', (t) => {
  const file = sharedFile(t, `batadal/${BATADAL_FILE}`);
  if (file === null) return;
  const r = runBatadal(dirname(file));
  t.diagnostic(batadalSection(r).replace(/\n+/g, ' / '));
  assert.equal(r.periods.length, 5);
  assert.deepEqual(
    r.periods.map((p) => p.hours),
    [42, 60, 37, 7, 73],
  );
  assert.ok(r.periods.filter((p) => p.detected).length >= 3, 'at least 3 of 5 attack periods detected');
  assert.ok(r.unlabelledHours > 2000);
  assert.ok(r.alarmedUnlabelledHours / r.unlabelledHours <= 0.02, 'at most 2 % of unlabelled hours alarmed');
});
