import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SEVERITIES } from '../../src/detect/finding.js';
import { REPORT_CSS } from '../../src/report/template.js';
import { SEVERITY_COLOURS } from '../../src/server/severity-colours.js';

test('the dashboard stylesheet and the report colour each severity as SEVERITY_COLOURS does', () => {
  const css = readFileSync(new URL('../../web/src/styles.css', import.meta.url), 'utf8');
  for (const s of SEVERITIES) {
    const v = new RegExp(`--${s}:\\s*(#[0-9a-fA-F]{3,8})\\s*;`).exec(css);
    assert.ok(v !== null, `web/src/styles.css has no --${s} variable`);
    assert.equal(v[1].toLowerCase(), SEVERITY_COLOURS[s], `--${s} in web/src/styles.css`);
    assert.ok(REPORT_CSS.includes(`.sev.${s} { background: ${SEVERITY_COLOURS[s]}; }`), `report badge of ${s}`);
  }
});
