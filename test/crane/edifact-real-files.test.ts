import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { parseBaplie } from '../../src/crane/edifact/baplie.js';
import { parseCoarri } from '../../src/crane/edifact/coarri.js';
import { parseEdifact } from '../../src/crane/edifact/envelope.js';
import { tokenize } from '../../src/crane/edifact/tokenizer.js';
import { SHARED_DATA, sharedFile } from '../helpers/shared-data.js';
import { portEdiFile } from './port-edi.js';

/** Distinct container numbers first seen in each file, from iso6346_from_edi_samples.csv (null when absent). */
function firstSeen(): Map<string, Set<string>> | null {
  const csv = join(SHARED_DATA, 'port-edi', 'iso6346_from_edi_samples.csv');
  if (!existsSync(csv)) return null;
  const out = new Map<string, Set<string>>();
  for (const line of readFileSync(csv, 'utf8').split('\n').slice(1)) {
    if (line.trim() === '') continue;
    const [number, , file] = line.split(',');
    let set = out.get(file);
    if (set === undefined) out.set(file, (set = new Set()));
    set.add(number);
  }
  return out;
}

interface BaplieCase {
  file: string;
  association: string;
  /** Segments in the file (SOURCES.md). */
  segments: number;
  containers: number;
  /** Numbers that fail the ISO 6346 check digit. */
  invalid: number;
  invalidNumbers?: string[];
  /** Every container checked for a cell, a UN/LOCODE port of discharge and a mass (files whose content was inspected). */
  inspected: boolean;
  /** LOC+147 values that are not BBBRRTT (demo_v15.edi is synthetic: 3000 of its cells have 8 digits, one is `0391$$$`). */
  badPositions: number;
}

/** Container counts and check-digit failures documented in port-edi/SOURCES.md. */
const BAPLIES: BaplieCase[] = [
  { file: 'mjapdeva-readbaplie/BAPLIE_Export.EDI', association: 'SMDG20', segments: 6879, containers: 672, invalid: 0, badPositions: 0, inspected: true },
  { file: 'mjapdeva-readbaplie/DEPARTURE BAPLIE FINAL - DEL MONTE ROSE - 25360187.edi', association: 'SMDG22', segments: 7958, containers: 642, invalid: 0, badPositions: 0, inspected: false },
  { file: 'henry0hai-parse-baplie/demo_v22.edi', association: 'SMDG22', segments: 6026, containers: 609, invalid: 2, invalidNumbers: ['ETEU3598940', 'GLDU2028920'], badPositions: 0, inspected: true },
  { file: 'henry0hai-parse-baplie/demo_v15.edi', association: 'SMDG15', segments: 89_964, containers: 9995, invalid: 4498, badPositions: 3001, inspected: true },
];

for (const c of BAPLIES) {
  test(`BAPLIE ${c.file}: ${c.containers} containers, ${c.invalid} failing ISO 6346`, (t) => {
    const file = portEdiFile(t, c.file);
    if (file === null) return;
    const bytes = readFileSync(file);
    assert.equal(tokenize(bytes).segmentsRead, c.segments);
    const r = parseBaplie(bytes);
    assert.ok(r.ok);
    assert.equal(r.plans.length, 1);
    const p = r.plans[0];
    assert.equal(p.message.type, 'BAPLIE');
    assert.equal(p.message.association, c.association);
    assert.equal(p.containers.length, c.containers);
    const invalid = p.containers.filter((x) => !x.numberValid);
    assert.equal(invalid.length, c.invalid);
    if (c.invalidNumbers) assert.deepEqual(invalid.map((x) => x.number).sort(), c.invalidNumbers);
    assert.ok(r.anomalyTotal >= c.invalid);
    assert.ok(r.anomalies.length <= 256, 'kept anomalies are bounded');
    if (c.invalid < 100) assert.equal(r.anomalies.filter((a) => a.name === 'baplie.invalid_container_number').length, c.invalid);
    if (c.inspected) {
      assert.ok(p.vessel.name !== null && p.vessel.voyage !== null);
      // Every container has a stowage cell (or an anomaly says why not), a port of discharge and a mass.
      assert.equal(p.containers.filter((x) => x.position === null).length, c.badPositions);
      for (const x of p.containers) {
        assert.ok(x.portOfDischarge !== null && /^[A-Z]{2}[A-Z2-9]{3}$/.test(x.portOfDischarge), `${x.number} POD ${x.portOfDischarge}`);
        assert.ok(x.grossWeightKg !== null && x.grossWeightKg >= 0, `${x.number} mass`);
      }
    }
    // Every number the sample list records as first seen in this file is among the parsed ones.
    const seen = firstSeen()?.get(c.file);
    if (seen !== undefined) {
      const parsed = new Set(p.containers.map((x) => x.number));
      for (const n of seen) assert.ok(parsed.has(n), n);
    }
  });
}

test('BAPLIE details read from the real files', (t) => {
  const v22 = portEdiFile(t, 'henry0hai-parse-baplie/demo_v22.edi');
  const exp = portEdiFile(t, 'mjapdeva-readbaplie/BAPLIE_Export.EDI');
  if (v22 === null || exp === null) return;
  const a = parseBaplie(readFileSync(v22));
  assert.ok(a.ok);
  const p22 = a.plans[0];
  assert.deepEqual(p22.vessel, { name: 'X-PRESS EUPHRATES', callSign: '9V2036', imo: null, voyage: '0133', carrier: 'SEC' });
  assert.deepEqual(p22.ports, { departure: 'AEKHL', nextPortOfCall: 'BHBAH' });
  assert.equal(p22.interchange?.sender, 'ADTKP01');
  assert.equal(p22.interchange?.recipient, 'COSCO');
  assert.equal(p22.interchange?.date, '2017-11-20T08:24');
  assert.equal(p22.containers.filter((x) => x.vgmKg !== null).length, 598, 'MEA+VGM (SMDG 2.2)');
  assert.equal(p22.containers.filter((x) => x.reeferTempC !== null).length, 57, 'TMP segments');
  assert.equal(p22.containers.filter((x) => x.dangerousGoods.length > 0).length, 16, 'DGS segments');
  // demo_v22 writes DTM+132/133 with month 00: unreadable dates are anomalies, not errors.
  assert.equal(a.anomalies.filter((x) => x.name === 'edifact.bad_date').length, 2);
  const first = p22.containers[0];
  assert.equal(first.number, 'LMCU1049946');
  assert.deepEqual(first.position, { bay: 11, row: 3, tier: 82, text: '0110382' });
  assert.equal(first.grossWeightKg, 2280);
  assert.equal(first.fullEmpty, 'empty');
  assert.equal(first.operator, 'MES');
  const b = parseBaplie(readFileSync(exp));
  assert.ok(b.ok);
  assert.deepEqual(b.anomalies, [], 'BAPLIE_Export.EDI is clean');
  const pe = b.plans[0];
  assert.equal(pe.vessel.name, 'DEL MONTE GOLD');
  const reefer = pe.containers.find((x) => x.number === 'SEKU9206845');
  assert.equal(reefer?.reeferTempC, 13.8);
  assert.equal(reefer?.portOfDischarge, 'USGLC');
  assert.equal(reefer?.grossWeightKg, 24163);
});

test('BAPLIE DEPARTURE (SMDG 2.2, one segment per line) carries reefer settings and VGM', (t) => {
  const file = portEdiFile(t, 'mjapdeva-readbaplie/DEPARTURE BAPLIE FINAL - DEL MONTE ROSE - 25360187.edi');
  if (file === null) return;
  const r = parseBaplie(readFileSync(file));
  assert.ok(r.ok);
  const p = r.plans[0];
  assert.ok(p.containers.some((x) => x.reeferTempC !== null), 'TMP read');
  assert.ok(p.containers.some((x) => x.vgmKg !== null), 'MEA+VGM read');
});

for (const file of ['mjapdeva-readbaplie/COARRI.edi', 'mjapdeva-readbaplie/COARRI_NEW.edi']) {
  test(`COARRI ${file}: 74 moves, all ISO 6346 valid`, (t) => {
    const path = portEdiFile(t, file);
    if (path === null) return;
    const bytes = readFileSync(path);
    assert.equal(tokenize(bytes).segmentsRead, file.endsWith('NEW.edi') ? 762 : 835);
    const r = parseCoarri(bytes);
    assert.ok(r.ok);
    const rep = r.reports[0];
    assert.equal(rep.message.type, 'COARRI');
    assert.equal(rep.message.release, '23A');
    assert.equal(rep.message.association, 'ITG10');
    assert.equal(rep.moves.length, 74);
    assert.equal(rep.declaredMoves, 74);
    assert.ok(rep.moves.every((m) => m.numberValid));
    assert.ok(rep.moves.every((m) => m.portOfDischarge === 'CRMOB' && m.time !== null));
    // EQD 8249 = 3 (import) gives `discharge`; COARRI.edi leaves 8249 blank on its 12 empties, so their kind is unknown.
    const blank = file.endsWith('NEW.edi') ? 0 : 12;
    assert.equal(rep.moves.filter((m) => m.kind === 'discharge' && m.status === '3').length, 74 - blank);
    assert.equal(rep.moves.filter((m) => m.kind === 'unknown' && m.status === null && m.fullEmpty === 'empty').length, blank);
    assert.equal(rep.moves.filter((m) => m.fullEmpty === 'empty').length, 12);
    assert.deepEqual(rep.vessel, { name: 'CHARLOTTE', callSign: null, imo: '9118018', voyage: '133', carrier: null });
    assert.equal(rep.moves[0].number, 'KOSU4954710');
    assert.equal(rep.moves[0].time, '2025-02-27T23:02');
    assert.equal(rep.moves[0].vgmKg, 16733.08, 'decimal point (COARRI.edi) and decimal comma (COARRI_NEW.edi)');
    assert.deepEqual(rep.moves[0].seals, ['309046']);
    const names = new Set(r.anomalies.map((a) => a.name));
    if (file.endsWith('NEW.edi')) {
      assert.ok(!names.has('edifact.unt_count_mismatch'));
      assert.equal(r.anomalies.filter((a) => a.name === 'coarri.bad_position').length, 74, "LOC+147+0 is not a cell");
    } else {
      // The shared COARRI.edi declares UNT 907 for 833 segments.
      const unt = r.anomalies.find((a) => a.name === 'edifact.unt_count_mismatch');
      assert.equal(unt?.detail, 'UNT 000907, counted 833');
    }
    const seen = firstSeen()?.get(file);
    if (seen !== undefined) for (const n of seen) assert.ok(rep.moves.some((m) => m.number === n), n);
  });
}

test('MOVINS_VERSION2_NEW.edi: a MOVINS, so no BAPLIE', (t) => {
  const v2 = portEdiFile(t, 'mjapdeva-readbaplie/MOVINS_VERSION2_NEW.edi');
  if (v2 === null) return;
  const bytes = readFileSync(v2);
  const tok = tokenize(bytes);
  assert.equal(tok.segmentsRead, 3023);
  assert.equal(tok.segments.filter((s) => s.tag === 'EQD' && s.comp(0) === 'CN').length, 449);
  const r = parseBaplie(bytes);
  assert.equal(r.ok, false);
  assert.deepEqual(
    r.anomalies.map((a) => [a.name, a.detail]),
    [['edifact.other_message', 'MOVINS']],
  );
});

test('MOVINS DMR V09.edi: starts mid-segment, read without a crash, typed anomalies', (t) => {
  const dmr = portEdiFile(t, 'mjapdeva-readbaplie/MOVINS DMR V09.edi');
  if (dmr === null) return;
  const bytes = readFileSync(dmr);
  const doc = parseEdifact(bytes);
  assert.equal(doc.interchanges.length, 0, 'no UNB');
  assert.deepEqual(
    doc.messages.map((m) => m.header.type),
    [null],
  );
  const tok = tokenize(bytes);
  assert.equal(tok.segments.filter((s) => s.tag === 'EQD' && s.comp(0) === 'CN').length, 449);
  // Without a UNH the stowage groups are read as a bay-plan fragment: 449 slots without numbers.
  const r = parseBaplie(bytes);
  assert.ok(r.ok);
  assert.equal(r.plans[0].containers.length, 449);
  assert.ok(r.plans[0].containers.every((c) => c.number === '' && !c.numberValid && c.position !== null));
  assert.deepEqual(
    [r.anomalies[0].name, r.anomalies[0].segmentIndex, r.anomalies[0].offset],
    ['edifact.bad_segment_tag', 0, 0],
  );
  assert.equal(r.anomalies[1].name, 'edifact.missing_unh');
  assert.equal(parseCoarri(bytes).ok, false);
});

test('every EDI file under port-edi parses without throwing', (t) => {
  const root = sharedFile(t, 'port-edi');
  if (root === null) return;
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.edi$/i.test(name)) files.push(p);
    }
  };
  walk(root);
  assert.ok(files.length >= 6, `${files.length} EDI files`);
  for (const f of files) {
    const bytes = readFileSync(f);
    const doc = parseEdifact(bytes);
    const types = new Set(doc.messages.map((m) => m.header.type));
    const b = parseBaplie(bytes);
    const c = parseCoarri(bytes);
    assert.equal(b.ok, types.has('BAPLIE') || (types.has(null) && b.ok), relative(root, f));
    assert.equal(c.ok, types.has('COARRI') || (types.has(null) && c.ok), relative(root, f));
    t.diagnostic(`${relative(root, f)}: ${doc.segmentsRead} segments, messages ${[...types].map((x) => x ?? '(no UNH)').join(',')}`);
  }
});
