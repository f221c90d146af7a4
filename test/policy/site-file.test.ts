import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { CwError } from '../../src/errors.js';
import { formatPath, parseSiteYaml, readSiteFile, validateSite, writeSiteFile, writeSiteYaml } from '../../src/policy/site-file.js';
import type { SiteInput } from '../../src/policy/site-schema.js';
import { buildTerminalSite } from '../../src/sim/terminal/terminal-site.js';
import { SitePolicy } from '../../src/policy/site-policy.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-site-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A small valid site (one crane) as plain data. */
function minimal(): SiteInput & Record<string, unknown> {
  return {
    version: 1,
    site: { name: 'Quay 7', unlocode: 'DEHAM' },
    zones: [
      { id: 'cranes', name: 'Crane control', kind: 'crane_control', cidrs: ['10.1.0.0/16'] },
      { id: 'sup', name: 'Supervisory', kind: 'crane_supervisory', cidrs: ['10.2.0.0/24'] },
    ],
    conduits: [{ from: 'sup', to: 'cranes', services: [{ protocol: 'tcp', port: 502, service: 'modbus' }], description: 'polls' }],
    assets: [
      { name: 'plc1', ip: '10.1.1.10', mac: '00:80:f4:00:00:01', vendor: 'TELEMECANIQUE ELECTRIQUE', role: 'plc', zone: 'cranes', crane: 'QC1' },
      { name: 'cms', ip: '10.2.0.10', mac: 'b8:ca:3a:00:00:01', vendor: 'Dell Inc.', role: 'cms', zone: 'sup' },
    ],
    cranes: [
      {
        id: 'QC1',
        plc: 'plc1',
        unit_id: 1,
        registers: {
          hoist_position_mm: { address: 0, table: 'holding', type: 'i32', unit: 'mm' },
          wind_speed_ms: { address: 2, table: 'input', type: 'u16', scale: 0.1, unit: 'm/s' },
          twistlock_locked: { address: 5, table: 'discrete', type: 'bool' },
        },
      },
    ],
    maintenance_windows: [
      { weekdays: ['tue', 'thu'], start: '22:00', end: '02:00', timezone: 'Europe/Berlin' },
      { from: '2026-03-01T06:00:00Z', to: '2026-03-01T10:00:00+01:00' },
    ],
    container_data: { approved_destinations: { assets: ['cms'], cidrs: ['10.2.0.0/24'] } },
  };
}

/** The CW_ERR_CONFIG message `fn` throws. */
function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof CwError, String(e));
    assert.equal(e.code, 'CW_ERR_CONFIG');
    return e.message;
  }
  assert.fail('expected a CW_ERR_CONFIG error');
}

test('a valid site file validates and gets its defaults', () => {
  const s = validateSite(minimal());
  const reg = s.cranes[0].registers.hoist_position_mm;
  assert.deepEqual(reg, { address: 0, table: 'holding', type: 'i32', scale: 1, unit: 'mm', access: 'read', description: '' });
  assert.equal(s.cranes[0].word_order, 'high_first');
  assert.equal(s.cranes[0].registers.wind_speed_ms.scale, 0.1);
});

test('field errors name the path and the reason', () => {
  const cases: Array<[(s: ReturnType<typeof minimal>) => void, string]> = [
    [(s) => ((s.cranes as any)[0].registers.hoist_position_mm.address = 70_000), 'cranes[0].registers.hoist_position_mm.address: expected an integer 0–65535'],
    [(s) => ((s.cranes as any)[0].registers.hoist_position_mm.address = 1.5), 'cranes[0].registers.hoist_position_mm.address: expected an integer 0–65535'],
    [(s) => ((s.cranes as any)[0].registers.hoist_position_mm.table = 'holdings'), 'cranes[0].registers.hoist_position_mm.table: expected one of holding, input, coil, discrete'],
    [(s) => ((s.cranes as any)[0].unit_id = 300), 'cranes[0].unit_id: expected an integer 0–255'],
    [(s) => ((s.zones as any)[1].kind = 'dmz'), 'zones[1].kind: expected one of crane_control'],
    [(s) => ((s.zones as any)[0].cidrs = ['10.1.0.1/16']), 'zones[0].cidrs[0]: expected an IPv4 CIDR block'],
    [(s) => ((s.assets as any)[1].ip = '10.2.0.256'), 'assets[1].ip: expected an IPv4 address'],
    [(s) => ((s.assets as any)[0].mac = '00:80:F4:00:00:01'), 'assets[0].mac: expected a MAC address'],
    [(s) => ((s.site as any).unlocode = 'DE-HAM'), 'site.unlocode: expected a UN/LOCODE'],
    [(s) => ((s.site as any).unlocode = 'XXHAM'), 'site.unlocode: expected a UN/LOCODE whose first two letters are an ISO 3166-1 country code'],
    [(s) => ((s.maintenance_windows as any)[0].timezone = 'Mars/Olympus'), 'maintenance_windows[0]'],
    [(s) => (s.version = 2 as 1), 'version: expected version 1'],
    [(s) => ((s as any).colour = 'blue'), '(root): unknown field "colour"'],
    [(s) => delete (s.site as any).name, 'site.name: expected a site name'],
  ];
  for (const [mutate, expected] of cases) {
    const s = minimal();
    mutate(s);
    const msg = configError(() => validateSite(s, 'quay7.yaml'));
    assert.ok(msg.startsWith('quay7.yaml: '), msg);
    assert.ok(msg.includes(expected), `${msg}\n  should include: ${expected}`);
  }
});

test('references between sections are checked', () => {
  const cases: Array<[(s: ReturnType<typeof minimal>) => void, string]> = [
    [(s) => ((s.assets as any)[0].zone = 'nowhere'), 'assets[0].zone: unknown zone "nowhere"'],
    [(s) => ((s.conduits as any)[0].to = 'nowhere'), 'conduits[0].to: unknown zone "nowhere"'],
    [(s) => ((s.cranes as any)[0].plc = 'cms'), 'cranes[0].plc: asset "cms" has role cms, expected plc'],
    [(s) => ((s.assets as any)[1].ip = '10.1.1.10'), 'assets[1].ip: duplicate address 10.1.1.10'],
    [(s) => ((s.cranes as any)[0].registers.move_counter = { address: 1, table: 'holding', type: 'u32' }), 'cranes[0].registers.move_counter.address: overlaps signal "hoist_position_mm" at holding 1'],
    [(s) => ((s.cranes as any)[0].registers.hoist_position_mm.address = 65_535), 'cranes[0].registers.hoist_position_mm.address: expected the value to end at or below address 65535'],
    [(s) => ((s.cranes as any)[0].registers.twistlock_locked.type = 'u16'), 'cranes[0].registers.twistlock_locked.type: expected bool for a discrete signal'],
    [(s) => ((s.container_data as any).approved_destinations.assets = ['mail']), 'container_data.approved_destinations.assets[0]: unknown asset "mail"'],
    [(s) => ((s.maintenance_windows as any)[1].to = '2026-03-01T05:00:00Z'), 'maintenance_windows[1].to: expected an end after the start'],
  ];
  for (const [mutate, expected] of cases) {
    const s = minimal();
    mutate(s);
    const msg = configError(() => validateSite(s));
    assert.ok(msg.includes(expected), `${msg}\n  should include: ${expected}`);
  }
});

test('formatPath writes indexes in brackets', () => {
  assert.equal(formatPath(['cranes', 1, 'registers', 'hoist_position_mm', 'address']), 'cranes[1].registers.hoist_position_mm.address');
  assert.equal(formatPath([]), '(root)');
});

test('YAML round trip: write with comments, read back equal; JSON is accepted too', () => {
  for (const site of [validateSite(minimal()), buildTerminalSite(3)]) {
    const text = writeSiteYaml(site);
    assert.ok(text.startsWith('# CraneWatch site file'), 'header comment');
    assert.match(text, /# Security zones \(IEC 62443-3-2\)/);
    assert.match(text, /# Ship-to-shore cranes\. registers maps a signal name/);
    assert.deepEqual(parseSiteYaml(text), site);
    assert.deepEqual(parseYaml(text), JSON.parse(JSON.stringify(site)), 'the comments are comments, the data is the site');
    assert.deepEqual(parseSiteYaml(JSON.stringify(site)), site);
  }
  const f = join(dir, 'site.yaml');
  writeSiteFile(f, buildTerminalSite(2));
  assert.deepEqual(readSiteFile(f), buildTerminalSite(2));
});

test('YAML syntax errors and unreadable files are configuration / read errors', () => {
  assert.match(configError(() => parseSiteYaml('version: 1\nsite: [unclosed\n', 'bad.yaml')), /^bad\.yaml: YAML syntax error at line \d+, column \d+/);
  assert.match(configError(() => parseSiteYaml('version: 1\nversion: 1\n')), /YAML syntax error/);
  const missing = join(dir, 'absent.yaml');
  assert.throws(() => readSiteFile(missing), (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_CONFIG' && /does not exist/.test(e.message));
  const empty = join(dir, 'empty.yaml');
  writeFileSync(empty, '');
  assert.match(configError(() => readSiteFile(empty)), /empty\.yaml: \(root\)/);
});

test('the twin site: 1–100 cranes, each PLC a plc asset, register maps differ by PLC family', () => {
  const s = buildTerminalSite(100);
  assert.equal(s.cranes.length, 100);
  assert.equal(s.assets.filter((a) => a.role === 'plc').length, 100);
  assert.equal(s.cranes[0].registers.hoist_position_mm.address, 0);
  assert.equal(s.cranes[1].registers.hoist_position_mm.address, 1000);
  assert.equal(s.cranes[1].word_order, 'low_first');
  assert.throws(() => buildTerminalSite(0), /cranes must be an integer 1–100/);
  assert.throws(() => buildTerminalSite(101), /cranes must be an integer 1–100/);
});

test('a YAML alias bomb is one clear configuration error, not a crash', () => {
  const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  assert.throws(
    () => parseSiteYaml(`${levels.join('\n')}\n`, 'bomb.yaml'),
    (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_CONFIG' && /^bomb\.yaml: .*alias/i.test(e.message) && !e.message.includes('\n'),
  );
});

test('thresholds: defaults when absent, a crane overrides wind stop and spreader, a bad value names the field', () => {
  const input = buildTerminalSite(2) as unknown as SiteInput;
  const plain = validateSite({ ...input, thresholds: undefined } as SiteInput);
  assert.deepEqual(plain.thresholds, { wind_stop_ms: 20, spreader_kg: 15_000, standstill_sec: 120, crane_silence_sec: 30, wind_disagreement_ms: 8 });
  const tuned = validateSite({
    ...input,
    thresholds: { wind_stop_ms: 22 },
    cranes: input.cranes.map((c, i) => (i === 1 ? { ...c, thresholds: { spreader_kg: 0 } } : c)),
  } as SiteInput);
  const policy = new SitePolicy(tuned);
  assert.deepEqual(policy.thresholdsOf(tuned.cranes[0].id), { ...plain.thresholds, wind_stop_ms: 22 });
  assert.deepEqual(policy.thresholdsOf(tuned.cranes[1].id), { ...plain.thresholds, wind_stop_ms: 22, spreader_kg: 0 });
  assert.match(configError(() => validateSite({ ...input, thresholds: { wind_stop_ms: 200 } } as SiteInput)), /thresholds\.wind_stop_ms: expected a number 5–60 \(m\/s\)/);
  assert.match(configError(() => validateSite({ ...input, cranes: input.cranes.map((c) => ({ ...c, thresholds: { gust: 3 } })) } as SiteInput)), /cranes\[0\]\.thresholds/);
  assert.deepEqual(parseSiteYaml(writeSiteYaml(tuned), 'x.yaml'), tuned, 'thresholds survive the YAML round trip');
  assert.match(writeSiteYaml(tuned), /# Detector thresholds/);
});
