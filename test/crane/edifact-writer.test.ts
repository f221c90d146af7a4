import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanContainerNumbers } from '../../src/crane/container-scan.js';
import { parseBaplie } from '../../src/crane/edifact/baplie.js';
import { writeBaplie, type BaplieContainerInput, type BaplieWriteInput } from '../../src/crane/edifact/baplie-writer.js';
import { parseCoarri } from '../../src/crane/edifact/coarri.js';
import { writeCoarri, type CoarriMoveInput, type CoarriWriteInput } from '../../src/crane/edifact/coarri-writer.js';
import { parseEdifact } from '../../src/crane/edifact/envelope.js';
import { tokenize } from '../../src/crane/edifact/tokenizer.js';
import { EdiBuilder, ediNumber, escapeEdi } from '../../src/crane/edifact/writer.js';
import { makeContainerNumber } from '../../src/crane/iso6346.js';
import { CwError } from '../../src/errors.js';

const isConfigError = (e: unknown): boolean => e instanceof CwError && e.code === 'CW_ERR_CONFIG';

test('EdiBuilder: UNA, escaping, truncation of empty trailing parts, control counts', () => {
  const b = new EdiBuilder({ sender: 'TWIN', recipient: 'TOS', date: '2025-04-02T15:16', controlRef: 'R1' });
  b.beginMessage('M1', 'BAPLIE', 'D', '95B', 'UN', 'SMDG22');
  b.segment('FTX', 'AAA', null, null, "O'HARA + SONS: 50% ?");
  b.segment('LOC', '147', ['0381182', null, '5'], null, '');
  b.segment('MEA', 'WT', null, ['KGM', '100', null, '']);
  b.endMessage();
  b.beginMessage('M2', 'COARRI', 'D', '95B', 'UN', null);
  b.endMessage();
  const text = b.finish();
  assert.equal(
    text,
    "UNA:+.? '" +
      "UNB+UNOA:2+TWIN+TOS+250402:1516+R1'" + //        S004 written as YYMMDD:HHMM
      "UNH+M1+BAPLIE:D:95B:UN:SMDG22'" +
      "FTX+AAA+++O?'HARA ?+ SONS?: 50% ??'" + //        service characters released
      "LOC+147+0381182::5'" + //                        empty trailing elements omitted, inner kept
      "MEA+WT++KGM:100'" + //                           empty trailing components omitted
      "UNT+5+M1'" + //                                  UNH FTX LOC MEA UNT
      "UNH+M2+COARRI:D:95B:UN'" +
      "UNT+2+M2'" +
      "UNZ+2+R1'", //                                   two messages
  );
  assert.equal(b.finish(), text, 'finish is idempotent');
  const doc = parseEdifact(text);
  assert.equal(doc.messages[0].segments[0].comp(3), "O'HARA + SONS: 50% ?");
  assert.equal(escapeEdi("a?b:c+d'e"), "a??b?:c?+d?'e");
});

test('EdiBuilder misuse and bad values are configuration errors', () => {
  assert.throws(() => new EdiBuilder({ sender: 'A', recipient: 'B', date: '2025-13-01T00:00', controlRef: 'R' }), isConfigError);
  const b = new EdiBuilder({ sender: 'A', recipient: 'B', date: '2025-01-01T00:00', controlRef: 'R' });
  assert.throws(() => b.segment('BGM', 'X'), isConfigError);
  assert.throws(() => b.endMessage(), isConfigError);
  b.beginMessage('1', 'BAPLIE', 'D', '95B', 'UN', null);
  assert.throws(() => b.beginMessage('2', 'BAPLIE', 'D', '95B', 'UN', null), isConfigError);
  assert.throws(() => b.segment('bgm', 'X'), isConfigError);
  assert.throws(() => b.finish(), isConfigError);
  assert.equal(ediNumber(24000, 'x'), '24000');
  assert.equal(ediNumber(16733.08, 'x'), '16733.08');
  assert.equal(ediNumber(-18.0004, 'x'), '-18');
  assert.equal(ediNumber(-0.0001, 'x'), '0');
  assert.equal(ediNumber(1e14, 'x'), '100000000000000');
  assert.throws(() => ediNumber(Number.NaN, 'x'), isConfigError);
  assert.throws(() => ediNumber(1e21, 'x'), isConfigError);
});

/** A twin's bay plan: deterministic containers of every kind the writer supports. */
function twinPlan(n: number): BaplieWriteInput {
  const pods = ['USLGB', 'NLRTM', 'SGSIN', 'CNSHA'];
  const containers: BaplieContainerInput[] = [];
  for (let i = 0; i < n; i++) {
    containers.push({
      number: makeContainerNumber(['MSK', 'CSQ', 'TCN'][i % 3], 'U', 100000 + i * 37),
      isoSizeType: ['22G1', '45G1', '45R1'][i % 3],
      position: { bay: 1 + (i % 40) * 2, row: i % 12, tier: i % 2 === 0 ? 82 + (i % 5) * 2 : 2 + (i % 7) * 2 },
      portOfLoading: 'CRMOB',
      portOfDischarge: pods[i % pods.length],
      placeOfDelivery: i % 5 === 0 ? 'USNYC' : null,
      grossWeightKg: 2200 + ((i * 7919) % 28000) + (i % 4) * 0.25,
      vgmKg: i % 2 === 0 ? 2250 + ((i * 7919) % 28000) : null,
      fullEmpty: i % 6 === 0 ? 'empty' : 'full',
      status: i % 4 === 0 ? '6' : null,
      operator: i % 3 === 1 ? 'NQSH' : null,
      reeferTempC: i % 3 === 2 ? -18.5 + (i % 10) : null,
      dangerousGoods: i % 11 === 0 ? [{ imdgClass: '3', unNumber: '1993' }] : [],
    });
  }
  return {
    interchange: { sender: 'CRANEWATCH-TWIN', recipient: 'TOS', date: '2025-04-02T15:16', controlRef: '4242' },
    messageRef: 'BP0001',
    documentNumber: 'PLAN:042+A', // service characters in data
    documentDate: '2025-04-02T15:16',
    vessel: { name: "O'HARA STAR", callSign: '9V2036', voyage: '042E', carrier: 'SEC' },
    ports: { departure: 'CRMOB', nextPortOfCall: 'USLGB' },
    schedule: { eta: '2025-04-01T06:00', etd: '2025-04-02T22:30' },
    containers,
  };
}

test('writeBaplie → parseBaplie gives the same containers, with every newline style', () => {
  const plan = twinPlan(120);
  for (const nl of ['', '\n', '\r\n'] as const) {
    const text = writeBaplie(plan, nl);
    const r = parseBaplie(text);
    assert.ok(r.ok);
    assert.deepEqual(r.anomalies, [], `no anomalies (UNT/UNZ counts correct) with newline ${JSON.stringify(nl)}`);
    const p = r.plans[0];
    assert.deepEqual(p.message, { reference: 'BP0001', type: 'BAPLIE', version: 'D', release: '95B', agency: 'UN', association: 'SMDG22' });
    assert.equal(p.documentNumber, 'PLAN:042+A');
    assert.deepEqual(p.vessel, { name: "O'HARA STAR", callSign: '9V2036', imo: null, voyage: '042E', carrier: 'SEC' });
    assert.deepEqual(p.ports, plan.ports);
    assert.deepEqual(p.schedule, plan.schedule);
    assert.equal(p.interchange?.date, '2025-04-02T15:16');
    assert.equal(p.containers.length, plan.containers.length);
    p.containers.forEach((got, i) => {
      const want = plan.containers[i];
      assert.deepEqual(
        {
          number: got.number,
          numberValid: got.numberValid,
          isoSizeType: got.isoSizeType,
          position: got.position && { bay: got.position.bay, row: got.position.row, tier: got.position.tier },
          portOfLoading: got.portOfLoading,
          portOfDischarge: got.portOfDischarge,
          placeOfDelivery: got.placeOfDelivery,
          grossWeightKg: got.grossWeightKg,
          vgmKg: got.vgmKg,
          fullEmpty: got.fullEmpty,
          status: got.status,
          operator: got.operator,
          reeferTempC: got.reeferTempC,
          dangerousGoods: got.dangerousGoods,
        },
        { ...want, numberValid: true, placeOfDelivery: want.placeOfDelivery ?? null },
        `container ${i}`,
      );
    });
  }
  // The number scanner finds every box of the plan in the written message.
  const bytes = new Uint8Array(Buffer.from(writeBaplie(plan), 'latin1'));
  assert.deepEqual(
    scanContainerNumbers(bytes, 1000).hits.map((h) => h.number),
    plan.containers.map((c) => c.number),
  );
});

test('writeBaplie output follows the D.95B segment table order', () => {
  const text = writeBaplie(twinPlan(2), '\n');
  assert.ok(text.startsWith("UNA:+.? '\n"));
  const tags = tokenize(text).segments.map((s) => (['LOC', 'MEA', 'DTM'].includes(s.tag) ? `${s.tag}+${s.comp(0)}` : s.tag));
  assert.deepEqual(tags, [
    'UNB',
    'UNH',
    'BGM',
    'DTM+137',
    'TDT',
    'LOC+5',
    'LOC+61',
    'DTM+132',
    'DTM+133',
    // container 0: reefer-free, VGM, delivery, DG
    'LOC+147',
    'MEA+WT',
    'MEA+VGM',
    'LOC+9',
    'LOC+11',
    'LOC+83',
    'RFF',
    'EQD',
    'DGS',
    // container 1: operator
    'LOC+147',
    'MEA+WT',
    'LOC+9',
    'LOC+11',
    'RFF',
    'EQD',
    'NAD',
    'UNT',
    'UNZ',
  ]);
  assert.match(text, /^UNT\+25\+BP0001'$/m); // UNH … UNT: 8 header, 9 + 7 container, UNT
  assert.throws(() => writeBaplie({ ...twinPlan(1), documentDate: 'yesterday' }), isConfigError);
  assert.throws(
    () => writeBaplie({ ...twinPlan(1), containers: [{ ...twinPlan(1).containers[0], position: { bay: 1000, row: 0, tier: 2 } }] }),
    isConfigError,
  );
});

/** A twin's loading/discharge report. */
function twinReport(n: number): CoarriWriteInput {
  const moves: CoarriMoveInput[] = [];
  const kinds = ['load', 'discharge', 'restow'] as const;
  for (let i = 0; i < n; i++) {
    const kind = kinds[i % 3];
    moves.push({
      number: makeContainerNumber('KOS', 'U', 495000 + i),
      isoSizeType: i % 2 === 0 ? '45R1' : null,
      kind,
      fullEmpty: i % 5 === 0 ? 'empty' : 'full',
      time: `2025-02-27T${String(10 + (i % 12)).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}`,
      position: kind === 'discharge' ? null : { bay: 3 + (i % 20) * 2, row: i % 10, tier: 82 },
      portOfLoading: kind === 'discharge' ? 'NIELB' : 'CRMOB',
      portOfDischarge: kind === 'discharge' ? 'CRMOB' : 'USGLC',
      grossWeightKg: i % 3 === 0 ? 12000 + i : null,
      vgmKg: 12050.5 + i,
      reeferTempC: i % 2 === 0 ? 0 : null,
      seals: i % 4 === 0 ? [`S${i}`, `S${i}B`] : [`S${i}`],
      operator: i % 2 === 0 ? '3101250531' : null,
      billOfLading: `BL?${i}`,
      booking: i % 3 === 0 ? `BK${i}` : null,
    });
  }
  return {
    interchange: { sender: 'JAPDEVACRMOB', recipient: 'CRCUSTOMS01', date: '2025-04-02T15:16', controlRef: '0402' },
    messageRef: 'C0001',
    documentCode: '119',
    documentNumber: 'REP1',
    documentDate: '2025-04-02T15:16',
    vessel: { name: 'CHARLOTTE', imo: '9118018', voyage: '133', carrier: null },
    places: [
      { qualifier: '94', code: 'NIELB' },
      { qualifier: '11', code: 'CRMOB' },
    ],
    schedule: { eta: '2025-02-27T03:00', etd: '2025-02-27T19:00' },
    moves,
  };
}

test('writeCoarri → parseCoarri gives the same moves', () => {
  const report = twinReport(74);
  for (const nl of ['', '\r\n'] as const) {
    const text = writeCoarri(report, nl);
    const r = parseCoarri(text);
    assert.ok(r.ok);
    assert.deepEqual(r.anomalies, []);
    const rep = r.reports[0];
    assert.equal(rep.message.association, 'ITG12');
    assert.equal(rep.documentCode, '119');
    assert.equal(rep.declaredMoves, 74);
    assert.deepEqual(rep.vessel, { name: 'CHARLOTTE', callSign: null, imo: '9118018', voyage: '133', carrier: null });
    assert.deepEqual(
      rep.places.map((p) => [p.qualifier, p.code]),
      [
        ['94', 'NIELB'],
        ['11', 'CRMOB'],
      ],
    );
    assert.equal(rep.moves.length, 74);
    rep.moves.forEach((got, i) => {
      const want = report.moves[i];
      assert.deepEqual(
        {
          number: got.number,
          isoSizeType: got.isoSizeType,
          kind: got.kind,
          fullEmpty: got.fullEmpty,
          time: got.time,
          position: got.position && { bay: got.position.bay, row: got.position.row, tier: got.position.tier },
          portOfLoading: got.portOfLoading,
          portOfDischarge: got.portOfDischarge,
          grossWeightKg: got.grossWeightKg,
          vgmKg: got.vgmKg,
          reeferTempC: got.reeferTempC,
          seals: got.seals,
          operator: got.operator,
          billOfLading: got.billOfLading,
          booking: got.booking,
        },
        { ...want, grossWeightKg: want.grossWeightKg ?? want.vgmKg },
        `move ${i}`,
      );
      assert.equal(got.numberValid, true);
    });
  }
  const custom = parseCoarri(writeCoarri({ ...twinReport(1), association: 'ITG10' }));
  assert.ok(custom.ok && custom.reports[0].message.association === 'ITG10');
});
