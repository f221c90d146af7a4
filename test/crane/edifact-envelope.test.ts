import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EdiAnomalyLog } from '../../src/crane/edifact/anomaly.js';
import { parseEdifact } from '../../src/crane/edifact/envelope.js';
import { DEFAULT_EDI_LIMITS } from '../../src/crane/edifact/limits.js';
import { celsius, ediDateTime, isoParts, massKg, parseDecimal, toFormat203 } from '../../src/crane/edifact/values.js';

function parse(text: string) {
  const log = new EdiAnomalyLog(DEFAULT_EDI_LIMITS.maxAnomalies);
  const doc = parseEdifact(text, DEFAULT_EDI_LIMITS, log);
  return { doc, log, names: log.list.map((a) => a.name) };
}

const GOOD = [
  "UNB+UNOA:2+JAPDEVACRMOB:ZZ+CRCUSTOMS01+250402:1516+0402'", // 0  S002 sender:qualifier, S003, S004 YYMMDD:HHMM, 0020
  "UNH+M1+COARRI:D:95B:UN:ITG12'", //                              1  message 1, S009 with association
  "BGM+119+DOC1+9'", //                                             2
  "UNT+3+M1'", //                                                   3  UNH, BGM, UNT
  "UNH+M2+BAPLIE:D:95B:UN+SMDG22'", //                              4  association written as 0068
  "BGM++DOC2+9'", //                                                5
  "DTM+137:2504021516:201'", //                                     6
  "UNT+4+M2'", //                                                   7
  "UNZ+2+0402'", //                                                 8  two messages
].join('\n');

test('a well-formed interchange: headers, message bodies, no anomalies', () => {
  const { doc, names } = parse(GOOD);
  assert.deepEqual(names, []);
  assert.equal(doc.interchanges.length, 1);
  assert.deepEqual(doc.interchanges[0], {
    syntaxId: 'UNOA',
    syntaxVersion: '2',
    sender: 'JAPDEVACRMOB',
    senderQualifier: 'ZZ',
    recipient: 'CRCUSTOMS01',
    recipientQualifier: null,
    date: '2025-04-02T15:16',
    controlRef: '0402',
    segmentIndex: 0,
  });
  assert.equal(doc.messages.length, 2);
  const [m1, m2] = doc.messages;
  assert.deepEqual(m1.header, { reference: 'M1', type: 'COARRI', version: 'D', release: '95B', agency: 'UN', association: 'ITG12' });
  assert.deepEqual(
    m1.segments.map((s) => s.tag),
    ['BGM'],
  );
  assert.equal(m1.unhIndex, 1);
  assert.equal(m1.interchange, doc.interchanges[0]);
  assert.equal(m2.header.association, 'SMDG22', 'UNH 0068 used when S009 0057 is absent');
  assert.deepEqual(
    m2.segments.map((s) => s.tag),
    ['BGM', 'DTM'],
  );
});

test('control counts and references are checked', () => {
  const bad = GOOD.replace("UNT+3+M1'", "UNT+000907+M1'").replace("UNT+4+M2'", "UNT+4+MX'").replace("UNZ+2+0402'", "UNZ+3+9999'");
  const { doc, log } = parse(bad);
  assert.equal(doc.messages.length, 2, 'data is still delivered');
  assert.deepEqual(
    log.list.map((a) => [a.name, a.segmentIndex, a.detail]),
    [
      ['edifact.unt_count_mismatch', 3, 'UNT 000907, counted 3'],
      ['edifact.unt_reference_mismatch', 7, 'MX vs M2'],
      ['edifact.unz_count_mismatch', 8, 'UNZ 3, counted 2'],
      ['edifact.unz_reference_mismatch', 8, '9999 vs 0402'],
    ],
  );
  // The count runs from UNH to UNT by segment position, so a dropped garbage segment still counts.
  const withGarbage = parse("UNH+1+BAPLIE:D:95B:UN'%%%'BGM++X+9'UNT+4+1'");
  assert.deepEqual(withGarbage.names, ['edifact.bad_segment_tag', 'edifact.missing_unb']);
});

test('UNZ counts functional groups when there are any', () => {
  const { names } = parse("UNB+UNOA:2+A+B+250402:1516+R'UNG+BAPLIE+A+B'UNH+1+BAPLIE:D:95B:UN'UNT+2+1'UNE+1+1'UNZ+1+R'");
  assert.deepEqual(names, []);
});

test('missing envelope segments are anomalies, and the data is kept', () => {
  const noUnt = parse("UNB+UNOA:2+A+B+250402:1516+R'UNH+1+BAPLIE:D:95B:UN'BGM++X+9'UNH+2+BAPLIE:D:95B:UN'BGM++Y+9'");
  assert.deepEqual(noUnt.names, ['edifact.missing_unt', 'edifact.missing_unt', 'edifact.missing_unz']);
  assert.deepEqual(
    noUnt.doc.messages.map((m) => [m.header.reference, m.segments.length]),
    [
      ['1', 1],
      ['2', 1],
    ],
  );
  const fragment = parse("LOC+147+0381182::5'EQD+CN+TEMU9544485+45R1+++5'UNT+3+1'");
  assert.deepEqual(fragment.names, ['edifact.missing_unh']);
  assert.equal(fragment.doc.messages.length, 1);
  assert.deepEqual(fragment.doc.messages[0].header, { reference: null, type: null, version: null, release: null, agency: null, association: null });
  assert.equal(fragment.doc.messages[0].unhIndex, -1);
  assert.equal(fragment.doc.messages[0].interchange, null);
  const strayTrailers = parse("UNT+2+1'UNZ+1+R'");
  assert.deepEqual(strayTrailers.names, ['edifact.missing_unh', 'edifact.missing_unb']);
});

test('ediDateTime: formats 101–204, inferred formats, calendar checks', () => {
  assert.equal(ediDateTime('250402', '101'), '2025-04-02');
  assert.equal(ediDateTime('20250402', '102'), '2025-04-02');
  assert.equal(ediDateTime('2410131441', '201'), '2024-10-13T14:41');
  assert.equal(ediDateTime('241013144159', '202'), '2024-10-13T14:41:59');
  assert.equal(ediDateTime('202502272302', '203'), '2025-02-27T23:02');
  assert.equal(ediDateTime('20250227230259', '204'), '2025-02-27T23:02:59');
  assert.equal(ediDateTime('0912112349', null), '2009-12-11T23:49', 'no format: 10 digits read as 201');
  assert.equal(ediDateTime('991231', ''), '1999-12-31', 'two-digit years 70–99 are 19xx');
  assert.equal(ediDateTime('202402290000', '203'), '2024-02-29T00:00', 'leap day');
  assert.equal(ediDateTime('202302290000', '203'), null, 'not a leap year');
  assert.equal(ediDateTime('1700200200', '201'), null, 'month 00 (as in demo_v22.edi)');
  assert.equal(ediDateTime('202502272400', '203'), '2025-02-27T24:00');
  assert.equal(ediDateTime('202502272401', '203'), null);
  assert.equal(ediDateTime('202502271960', '203'), null);
  assert.equal(ediDateTime('2025022723', '203'), null, 'length does not fit the format');
  assert.equal(ediDateTime('20250227230A', '203'), null);
  assert.equal(ediDateTime('202502272302', '999'), null, 'unsupported format');
  assert.equal(ediDateTime('1234567', null), null);
});

test('decimal numbers, units and ISO dates for writers', () => {
  assert.equal(parseDecimal('16733.08'), 16733.08);
  assert.equal(parseDecimal('16733,08'), 16733.08, 'decimal comma (ISO 9735-1 allows either mark)');
  assert.equal(parseDecimal('-28.0'), -28);
  assert.equal(parseDecimal('+5'), 5);
  assert.equal(parseDecimal('.5'), 0.5);
  assert.equal(parseDecimal('5.'), 5);
  for (const bad of ['', '1e5', '1,000.5', 'abc', '--1', '1.2.3']) assert.equal(parseDecimal(bad), null, bad);
  assert.equal(massKg(1000, 'KGM'), 1000);
  assert.equal(massKg(1000, 'LBR'), 453.592);
  assert.equal(massKg(24.5, 'TNE'), 24500);
  assert.equal(massKg(1, 'GRM'), null);
  assert.equal(celsius(-18, 'CEL'), -18);
  assert.equal(celsius(0, 'FAH'), -17.78);
  assert.equal(celsius(55.4, 'FAH'), 13);
  assert.equal(celsius(1, 'KEL'), null);
  assert.deepEqual(isoParts('2025-04-02T15:16'), { year: 2025, month: 4, day: 2, hour: 15, minute: 16 });
  assert.equal(isoParts('2025-04-31T15:16'), null);
  assert.equal(isoParts('2025-04-02 15:16'), null);
  assert.equal(toFormat203('2025-04-02T15:16:59'), '202504021516');
});
