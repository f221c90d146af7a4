import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCoarri } from '../../src/crane/edifact/coarri.js';

/** One segment per line; the text after `#` names the fields and is removed. Joined without line breaks. */
function edi(lines: string): string {
  return lines
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l !== '')
    .join('');
}

const REPORT = edi(`
UNB+UNOA:2+JAPDEVACRMOB+CRCUSTOMS01+250402:1516+0402'   # interchange
UNH+51656822+COARRI:D:23A:UN+ITG10'                     # association as 0068 (as the shared sample)
BGM+119++9'                                             # 1001 document code 119, no number, original
TDT+20+133+1++:172:166:CHARLOTTE+++9118018:146:11:CHARLOTTE' # voyage 133, mode 1, carrier name only, IMO
LOC+94+NIELB:ZZZ:98:El Bluff'                           # previous port of call with name
LOC+11+CRMOB:ZZZ:98:CRMOB+0002'                         # port of discharge, related location
DTM+132:202502270300:203'                               # ETA
DTM+133:202502271900:203'                               # ETD
MEA+AAE+VGM+KGM:1'                                      # equipment-group segment before any EQD
EQD+CN+KOSU4954710+:102:5++3+5'                         # container, no size-type, status 3 import, full
RFF+BM:NICPEV11478'                                     # bill of lading
RFF+BN:BK1'                                             # booking
DTM+203:202502272302:203'                               # discharge time
LOC+147+:139:5'                                         # empty cell (discharged)
LOC+9+NIELB'                                            # port of loading
LOC+11+CRMOB'                                           # port of discharge
MEA+AAE+VGM+KGM:16733,08'                               # VGM with decimal comma
TMP+2+0.0:CEL'                                          # reefer setting
SEL+309046+CA+1'                                        # seal, issuer carrier
SEL+309047+CA+1'                                        # second seal
NAD+CF+3101250531:160:166'                              # container operator
EQD+CN+MSKU1234565+45G1:102:5++2+4'                     # load, empty
DTM+203:202502280815:203'
LOC+147+0381182::5'                                     # stowed at 038/11/82
LOC+9+CRMOB'
LOC+11+USGLC'
MEA+WT++KGM:3900'                                       # gross mass
EQD+CN+MSKU1234566++++5'                                # bad check digit, no status
LOC+147+0'                                              # not a cell
CNT+16:4'                                               # declared 4, counted 3
UNT+30+51656822'
UNZ+1+0402'
`);

test('a COARRI report with moves of each kind', () => {
  const r = parseCoarri(REPORT);
  assert.ok(r.ok);
  const rep = r.reports[0];
  assert.equal(rep.documentCode, '119');
  assert.equal(rep.documentNumber, null);
  assert.equal(rep.message.association, 'ITG10');
  assert.deepEqual(rep.vessel, { name: 'CHARLOTTE', callSign: null, imo: '9118018', voyage: '133', carrier: null });
  assert.deepEqual(rep.places, [
    { qualifier: '94', code: 'NIELB', name: 'El Bluff' },
    { qualifier: '11', code: 'CRMOB', name: 'CRMOB' },
  ]);
  assert.deepEqual(rep.schedule, { eta: '2025-02-27T03:00', etd: '2025-02-27T19:00' });
  assert.equal(rep.declaredMoves, 4);
  assert.equal(rep.moves.length, 3);
  assert.deepEqual(rep.moves[0], {
    number: 'KOSU4954710',
    numberValid: true,
    isoSizeType: null,
    kind: 'discharge',
    status: '3',
    fullEmpty: 'full',
    time: '2025-02-27T23:02',
    position: null,
    positionRaw: null,
    portOfLoading: 'NIELB',
    portOfDischarge: 'CRMOB',
    grossWeightKg: 16733.08,
    vgmKg: 16733.08,
    reeferTempC: 0,
    seals: ['309046', '309047'],
    operator: '3101250531',
    billOfLading: 'NICPEV11478',
    booking: 'BK1',
    segmentIndex: 9,
  });
  const [, load, bad] = rep.moves;
  assert.equal(load.kind, 'load');
  assert.equal(load.fullEmpty, 'empty');
  assert.equal(load.isoSizeType, '45G1');
  assert.deepEqual(load.position, { bay: 38, row: 11, tier: 82, text: '0381182' });
  assert.equal(load.grossWeightKg, 3900);
  assert.equal(load.vgmKg, null);
  assert.deepEqual(load.seals, []);
  assert.equal(bad.kind, 'unknown');
  assert.equal(bad.numberValid, false);
  assert.equal(bad.positionRaw, '0');
  assert.equal(bad.position, null);
  assert.deepEqual(
    r.anomalies.map((a) => [a.name, a.segmentIndex]),
    [
      ['coarri.segment_outside_group', 8],
      ['coarri.invalid_container_number', 27],
      ['coarri.bad_position', 28],
      ['coarri.cnt_mismatch', 29],
    ],
  );
});

test('no COARRI is a typed error; BAPLIE messages are skipped', () => {
  const r = parseCoarri("UNB+UNOA:2+A+B+250402:1516+R'UNH+1+BAPLIE:D:95B:UN:SMDG22'UNT+2+1'UNZ+1+R'");
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.error, 'coarri.no_message');
  assert.deepEqual(
    r.anomalies.map((a) => a.name),
    ['edifact.other_message'],
  );
});

test('a truncated report keeps the moves read so far', () => {
  const cut = REPORT.slice(0, REPORT.indexOf('EQD+CN+MSKU1234565') + 11);
  const r = parseCoarri(cut);
  assert.ok(r.ok);
  assert.deepEqual(
    r.reports[0].moves.map((m) => [m.number, m.numberValid]),
    [
      ['KOSU4954710', true],
      ['MSKU', false],
    ],
  );
  assert.ok(r.anomalies.some((a) => a.name === 'edifact.unterminated_segment'));
  assert.ok(r.anomalies.some((a) => a.name === 'edifact.missing_unt'));
});
