import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBaplie } from '../../src/crane/edifact/baplie.js';

/** One segment per line; the text after `#` names the fields and is removed. */
function edi(lines: string): string {
  return lines
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l !== '')
    .join('\r\n');
}

const PLAN = edi(`
UNA:+.? '
UNB+UNOA:2+TWIN+TOS+250402:1516+77'                  # syntax, sender, recipient, YYMMDD:HHMM, control ref
UNH+B1+BAPLIE:D:95B:UN:SMDG22'                       # message ref, S009 with association SMDG22
BGM++PLAN-7+9'                                       # C002 empty, 1004 document id, 1225 original
DTM+137:202504021516:203'                            # document date, format 203
EQD+CN+MSKU1234565+45G1+++5'                         # equipment before any LOC+147: outside SG2
TDT+20+0133E+++SEC:172:20+++9118018:146:11:CHARLOTTE' # voyage, carrier SEC (172), IMO 9118018 (146), name
LOC+5+CRMOB:139:6'                                   # place of departure
LOC+61+NIELB:139:6'                                  # next port of call
DTM+132:202504020300:203'                            # ETA
DTM+133:2504021900:201'                              # ETD in format 201
LOC+147+0381182::5'                                  # SG2: bay 038 row 11 tier 82, agency 5 ISO
FTX+AAA+++FRZN PIN J'                                # cargo description (ignored)
MEA+WT++LBR:52910'                                   # gross mass in pounds
MEA+VGM++KGM:24000'                                  # verified gross mass
TMP+2+-0.4:FAH'                                      # reefer setting in Fahrenheit
LOC+9+CRMOB:139:6'                                   # port of loading
LOC+11+USGLC:139:6'                                  # port of discharge
LOC+83+USGLC:139:6'                                  # place of delivery
RFF+BM:1'                                            # mandatory RFF (dummy)
EQD+CN+TEMU9544485+45R1++6+5'                        # SG3: number, size-type, supplier, status 6, full
NAD+CA+NQSH:172:20'                                  # carrier / operator
DGS+IMD+3+1993'                                      # SG4: IMDG class 3, UN 1993
FTX+AAC'                                             # DG free text (ignored)
LOC+147+12::5'                                       # SG2 with a position that is not BBBRRTT
MEA+WT++XYZ:100'                                     # unknown unit
LOC+9+CRMOB:139:6'
LOC+11+GTSTC:139:6'
RFF+BM:1'
EQD+CN++20G1+++4'                                    # no container number, empty
EQD+CN+GLDU2028920+22G1+++5'                         # check digit fails (real sample)
EQD+BB+BREAKBULK1'                                   # not a container: ignored
LOC+147+110382::5'                                   # SG2 of an SMDG 1.5 file: short BBRRTT, LOC+6/12
MEA+WT++KGM:21670'
LOC+6+AUTSV'                                         # place of acceptance (loading in 1.5 files)
LOC+12+CAHAL'                                        # port of discharge (1.5 files)
RFF+BM:1'
EQD+CN+GOKU1002566+20G1+++5'
UNT+37+B1'                                           # 37 segments UNH..UNT
UNZ+1+77'
`);

test('a BAPLIE with every supported group element', () => {
  const r = parseBaplie(PLAN);
  assert.ok(r.ok);
  assert.equal(r.plans.length, 1);
  const p = r.plans[0];
  assert.equal(p.interchange?.sender, 'TWIN');
  assert.equal(p.interchange?.date, '2025-04-02T15:16');
  assert.deepEqual(p.message, { reference: 'B1', type: 'BAPLIE', version: 'D', release: '95B', agency: 'UN', association: 'SMDG22' });
  assert.equal(p.documentNumber, 'PLAN-7');
  assert.equal(p.documentDate, '2025-04-02T15:16');
  assert.deepEqual(p.vessel, { name: 'CHARLOTTE', callSign: null, imo: '9118018', voyage: '0133E', carrier: 'SEC' });
  assert.deepEqual(p.ports, { departure: 'CRMOB', nextPortOfCall: 'NIELB' });
  assert.deepEqual(p.schedule, { eta: '2025-04-02T03:00', etd: '2025-04-02T19:00' });
  assert.equal(p.containers.length, 4);
  const [reefer, empty, invalid, old] = p.containers;
  assert.deepEqual(reefer, {
    number: 'TEMU9544485',
    numberValid: true,
    isoSizeType: '45R1',
    position: { bay: 38, row: 11, tier: 82, text: '0381182' },
    positionRaw: '0381182',
    portOfLoading: 'CRMOB',
    portOfDischarge: 'USGLC',
    placeOfDelivery: 'USGLC',
    grossWeightKg: 23999.572, // 52 910 lb × 0.45359237 kg, to the gram
    vgmKg: 24000,
    fullEmpty: 'full',
    status: '6',
    operator: 'NQSH',
    reeferTempC: -18,
    dangerousGoods: [{ imdgClass: '3', unNumber: '1993' }],
    segmentIndex: 19,
  });
  assert.equal(empty.number, '');
  assert.equal(empty.numberValid, false);
  assert.equal(empty.fullEmpty, 'empty');
  assert.equal(empty.position, null);
  assert.equal(empty.positionRaw, '12');
  assert.equal(empty.grossWeightKg, null, 'unknown unit gives no mass');
  assert.equal(empty.portOfDischarge, 'GTSTC');
  assert.equal(invalid.number, 'GLDU2028920');
  assert.equal(invalid.numberValid, false);
  assert.equal(invalid.positionRaw, '12', 'both EQDs of a group share its location');
  assert.equal(old.portOfLoading, 'AUTSV');
  assert.equal(old.portOfDischarge, 'CAHAL');
  assert.deepEqual(old.position, { bay: 11, row: 3, tier: 82, text: '0110382' });
  assert.equal(old.operator, null);
  assert.deepEqual(old.dangerousGoods, []);
  assert.deepEqual(
    r.anomalies.map((a) => [a.name, a.segmentIndex]),
    [
      ['baplie.segment_outside_group', 4],
      ['edifact.unknown_unit', 24],
      ['baplie.bad_position', 23],
      ['baplie.missing_container_number', 28],
      ['baplie.invalid_container_number', 29],
    ],
  );
  assert.equal(r.anomalyTotal, 5);
});

test('other message types are skipped; no BAPLIE at all is a typed error', () => {
  const movins = "UNH+1+MOVINS:D:95B:UN:SMDG20'LOC+147+0020382::5'EQD+CN++45R1+++5'UNT+4+1'";
  const r = parseBaplie(movins);
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.error, 'baplie.no_message');
  assert.deepEqual(
    r.anomalies.map((a) => [a.name, a.detail]),
    [
      ['edifact.missing_unb', null],
      ['edifact.other_message', 'MOVINS'],
    ],
  );
  const garbage = parseBaplie(new Uint8Array([0, 1, 2, 3, 0x27, 0xff]));
  assert.equal(garbage.ok, false);
  assert.equal(parseBaplie('').ok, false);
});

test('a fragment without UNH is read when it has stowage locations', () => {
  const r = parseBaplie("39:6'LOC+147+0381182::5'MEA+WT++KGM:11100'EQD+CN+TEMU9544485+45R1+++5'");
  assert.ok(r.ok);
  assert.equal(r.plans[0].message.type, null);
  assert.deepEqual(
    r.plans[0].containers.map((c) => [c.number, c.grossWeightKg, c.position?.text]),
    [['TEMU9544485', 11100, '0381182']],
  );
  assert.deepEqual(
    r.anomalies.map((a) => a.name),
    ['edifact.bad_segment_tag', 'edifact.missing_unh'],
  );
});

test('bytes in a sub-view parse like the text', () => {
  const bytes = Buffer.from(`JUNK${PLAN}`, 'latin1');
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset + 4, bytes.length - 4);
  const a = parseBaplie(view);
  const b = parseBaplie(PLAN);
  assert.ok(a.ok && b.ok);
  assert.deepEqual(a.plans, b.plans);
});
