import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EdiAnomalyLog } from '../../src/crane/edifact/anomaly.js';
import { DEFAULT_EDI_LIMITS, type EdiLimits } from '../../src/crane/edifact/limits.js';
import { DEFAULT_DELIMITERS, tokenize } from '../../src/crane/edifact/tokenizer.js';

/** Tokenize with a fresh log; returns the segments as plain [tag, elements] pairs plus the log. */
function run(input: string | Uint8Array, limits: EdiLimits = DEFAULT_EDI_LIMITS) {
  const log = new EdiAnomalyLog(limits.maxAnomalies);
  const r = tokenize(input, limits, log);
  return { r, log, plain: r.segments.map((s) => [s.tag, s.elements] as const), names: log.list.map((a) => a.name) };
}

/** Join fixture lines: each line is one segment followed by a comment naming its fields. */
function fixture(lines: string[], sep: string): string {
  return lines.map((l) => l.replace(/\s+#.*$/, '')).join(sep);
}

const LINES = [
  "UNB+UNOA:2+SENDER+RECIPIENT+250402:1516+REF1'  # S001 syntax UNOA v2, S002 sender, S003 recipient, S004 date:time, 0020 control ref",
  "UNH+1+BAPLIE:D:95B:UN:SMDG22'                  # 0062 message ref, S009 type:version:release:agency:association",
  "FTX+AAA+++A?'B?+C?:D??E'                        # 4451 AAA, C108 text with released ' + : ?",
  "LOC+147+0381182::5'                             # 3227 147 stowage cell, C517 3225 BBBRRTT, 1131 empty, 3055 5 (ISO)",
  "UNT+5+1'                                        # 0074 segments UNH..UNT, 0062 message ref",
  "UNZ+1+REF1'                                     # 0036 messages, 0020 control ref",
];

const EXPECTED = [
  ['UNB', [['UNOA', '2'], ['SENDER'], ['RECIPIENT'], ['250402', '1516'], ['REF1']]],
  ['UNH', [['1'], ['BAPLIE', 'D', '95B', 'UN', 'SMDG22']]],
  ['FTX', [['AAA'], [''], [''], ["A'B+C:D?E"]]],
  ['LOC', [['147'], ['0381182', '', '5']]],
  ['UNT', [['5'], ['1']]],
  ['UNZ', [['1'], ['REF1']]],
];

test('default delimiters, release characters, with and without line breaks', () => {
  for (const sep of ['', '\n', '\r\n', '\n\n', ' \r\n\t']) {
    const { r, plain, names } = run(fixture(LINES, sep));
    assert.deepEqual(plain, EXPECTED, JSON.stringify(sep));
    assert.deepEqual(names, []);
    assert.equal(r.una, false);
    assert.deepEqual(r.delimiters, DEFAULT_DELIMITERS);
    assert.deepEqual(
      r.segments.map((s) => s.index),
      [0, 1, 2, 3, 4, 5],
    );
  }
  const { r } = run(fixture(LINES, '\r\n'));
  const ftx = r.segments[2];
  assert.equal(ftx.comp(3, 0), "A'B+C:D?E");
  assert.equal(ftx.comp(3, 1), '');
  assert.equal(ftx.comp(9, 0), '');
  assert.equal(ftx.elementCount, 4);
  // Offsets are byte offsets of each segment's first character.
  const text = fixture(LINES, '\r\n');
  for (const s of r.segments) assert.equal(text.slice(s.offset, s.offset + 3), s.tag);
});

test('line breaks inside a segment (files wrapped at a fixed width) are not data', () => {
  const wrapped = "UNB+UNOA:2+SEN\r\nDER+RECIPIENT+250402:1516+REF1'UNH+1+BAPLIE:D:9\n5B:UN:SMDG22'";
  const { plain, names } = run(wrapped);
  assert.deepEqual(plain, EXPECTED.slice(0, 2));
  assert.deepEqual(names, []);
  // A released line break is data.
  const { r } = run("FTX+AAA+++line1?\nline2'");
  assert.equal(r.segments[0].comp(3), 'line1\nline2');
});

test('UNA service string advice sets all delimiters', () => {
  const input = [
    'UNA|*,# !', //                                  UNA: component |, element *, decimal ',', release #, reserved ' ', terminator !
    'UNB*UNOC|3*A*B*20250402|1516*R!', //            UNB with the new separators
    'MEA*WT**KGM|24163,5!', //                        C174 unit | value with decimal comma
    'FTX*AAA***x#!y#*z#|w##v!', //                    released ! * | #
  ].join('\n');
  const { r, plain, names } = run(input);
  assert.deepEqual(names, []);
  assert.equal(r.una, true);
  assert.deepEqual(r.delimiters, { component: 0x7c, element: 0x2a, decimal: 0x2c, release: 0x23, reserved: 0x20, segment: 0x21 });
  assert.deepEqual(plain, [
    ['UNB', [['UNOC', '3'], ['A'], ['B'], ['20250402', '1516'], ['R']]],
    ['MEA', [['WT'], [''], ['KGM', '24163,5']]],
    ['FTX', [['AAA'], [''], [''], ['x!y*z|w#v']]],
  ]);
  assert.equal(r.segments[0].index, 0, 'UNA is not a segment');
});

test('UNA with a line feed as segment terminator: empty lines are not segments', () => {
  const { plain, names } = run('UNA:+.? \nLOC+5+X\n\nLOC+6+Y\r\n');
  assert.deepEqual(names, []);
  assert.deepEqual(plain, [
    ['LOC', [['5'], ['X']]],
    ['LOC', [['6'], ['Y']]],
  ]);
});

test('UNA with a space as release character means no release character', () => {
  const { plain } = run("UNA:+.  'FTX+AAA+++why?'");
  assert.deepEqual(plain, [['FTX', [['AAA'], [''], [''], ['why?']]]]);
});

test('a bad UNA raises edifact.bad_una and the defaults are used', () => {
  for (const una of ["UNA::.? '", 'UNA:+', "UNA:+;? '"]) {
    const { r, names, plain } = run(`${una}LOC+5+X'`);
    assert.deepEqual(names.slice(0, 1), ['edifact.bad_una'], una);
    assert.deepEqual(r.delimiters, DEFAULT_DELIMITERS);
    if (una.length === 9) assert.deepEqual(plain, [['LOC', [['5'], ['X']]]], una);
  }
});

test('level B interchange without UNA: IS1/IS3/IS4 separators', () => {
  const input = 'UNB\x1dUNOB\x1f1\x1dA\x1dB\x1c' + 'LOC\x1d147\x1d0381182\x1f\x1f5\x1c';
  const { plain, names } = run(input);
  assert.deepEqual(names, []);
  assert.deepEqual(plain, [
    ['UNB', [['UNOB', '1'], ['A'], ['B']]],
    ['LOC', [['147'], ['0381182', '', '5']]],
  ]);
});

test('input that starts mid-segment: the fragment is dropped with a typed anomaly, the rest is read', () => {
  // As the shared "MOVINS DMR V09.edi" begins: the tail of a DTM segment.
  const { r, log, plain } = run("+137:2502221005:201'LOC+5+CRMOB:139:6'\nEQD+CN++45R1+++5'");
  assert.deepEqual(plain, [
    ['LOC', [['5'], ['CRMOB', '139', '6']]],
    ['EQD', [['CN'], [''], ['45R1'], [''], [''], ['5']]],
  ]);
  assert.deepEqual(log.list[0], { name: 'edifact.bad_segment_tag', grade: 'violation', segmentIndex: 0, offset: 0, detail: '""' });
  assert.deepEqual(
    r.segments.map((s) => s.index),
    [1, 2],
  );
  assert.equal(r.segmentsRead, 3);
});

test('truncated input: the last segment is kept and flagged; a trailing release is flagged', () => {
  const a = run("LOC+5+X'LOC+6+Y");
  assert.deepEqual(a.plain, [
    ['LOC', [['5'], ['X']]],
    ['LOC', [['6'], ['Y']]],
  ]);
  assert.deepEqual(a.names, ['edifact.unterminated_segment']);
  assert.equal(a.log.list[0].segmentIndex, 1);
  const b = run('FTX+AAA+++X?');
  assert.deepEqual(b.names, ['edifact.dangling_release', 'edifact.unterminated_segment']);
  assert.equal(b.r.segments[0].comp(3), 'X');
  const c = run("LOC+5+X'  \r\n");
  assert.deepEqual(c.names, [], 'trailing blanks are not a segment');
});

test('bounds: component length, elements, components, segments', () => {
  const limits: EdiLimits = { ...DEFAULT_EDI_LIMITS, maxElementLength: 8, maxElementsPerSegment: 3, maxComponentsPerElement: 2, maxSegments: 2 };
  const long = run("FTX+AAA+++ABCDEFGHIJKLMNOP'", limits);
  assert.equal(long.r.segments[0].comp(3), '', 'element 4 is past maxElementsPerSegment');
  assert.deepEqual(long.names, ['edifact.too_many_elements', 'edifact.element_too_long']);
  const cut = run("FTX+ABCDEFGHIJKLMNOP?+QR'", limits);
  assert.equal(cut.r.segments[0].comp(0), 'ABCDEFGH');
  assert.deepEqual(cut.names, ['edifact.element_too_long']);
  const comps = run("LOC+147+A:B:C:D'", limits);
  assert.deepEqual(comps.r.segments[0].elements, [['147'], ['A', 'B']]);
  assert.equal(comps.r.segments[0].comp(1, 2), '');
  assert.deepEqual(comps.names, ['edifact.too_many_components']);
  const many = run("LOC+1'LOC+2'LOC+3'LOC+4'", limits);
  assert.equal(many.r.segments.length, 2);
  assert.equal(many.r.stopped, true);
  assert.deepEqual(many.log.list.at(-1), { name: 'edifact.too_many_segments', grade: 'fatal', segmentIndex: 2, offset: 12, detail: 'limit 2' });
});

test('a sub-view with a non-zero byteOffset: offsets are relative to the view', () => {
  const backing = new Uint8Array(Buffer.from("GARBAGE!LOC+5+CRMOB:139:6'DTM+137:2410131441:201'", 'latin1'));
  const view = backing.subarray(8);
  assert.equal(view.byteOffset, 8);
  const { r, names } = run(view);
  assert.deepEqual(names, []);
  assert.deepEqual(
    r.segments.map((s) => [s.tag, s.offset]),
    [
      ['LOC', 0],
      ['DTM', 18],
    ],
  );
  assert.equal(r.segments[1].comp(0, 1), '2410131441');
});

test('a UTF-8 byte order mark before the interchange is skipped', () => {
  const { plain } = run(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from("LOC+5+X'")]));
  assert.deepEqual(plain, [['LOC', [['5'], ['X']]]]);
});

test('random bytes never throw; anomalies stay bounded and are all counted', () => {
  let a = 12345;
  const rnd = (): number => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return a >>> 16;
  };
  for (let k = 0; k < 50; k++) {
    const buf = new Uint8Array(4096);
    for (let i = 0; i < buf.length; i++) buf[i] = k % 2 === 0 ? rnd() & 0xff : "AZ+:'?\n0"[rnd() % 8].charCodeAt(0);
    const limits = { ...DEFAULT_EDI_LIMITS, maxAnomalies: 16 };
    const { r, log } = run(buf, limits);
    assert.ok(log.list.length <= 16);
    assert.ok(log.total >= log.list.length);
    for (const s of r.segments) {
      assert.match(s.tag, /^[A-Z][A-Z0-9]{2}$/);
      for (let e = 0; e < s.elementCount; e++) assert.equal(typeof s.comp(e, 0), 'string');
    }
  }
});
