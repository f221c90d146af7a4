import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CwError } from '../../src/errors.js';
import { PROCESS_SAMPLE_LIMITS, parseProcessSamples, readProcessSamplesFile } from '../../src/telemetry/process-samples.js';

const BATADAL = { timeColumn: 'DATETIME', timeFormat: 'dmy-hour', labelColumn: 'ATT_FLAG' } as const;

/** Asserts `fn` throws a CwError with `code` whose message contains `text`. */
function throwsCw(fn: () => unknown, code: string, text: string): void {
  assert.throws(fn, (e: unknown) => e instanceof CwError && e.code === code && e.message.includes(text));
}

test('parses a BATADAL-style CSV: header with spaces, dd/mm/yy HH times, label column removed from signals', () => {
  const csv = [
    'DATETIME, L_T1, S_PU1, ATT_FLAG', // header: time, two signals, label
    '04/07/16 00,2.44,1.0,0', // 2016-07-04T00Z, level 2.44, pump on, unlabelled
    '04/07/16 01, 2.66 ,0.0,1', // one hour later, padded cell, pump off, labelled
    '', // blank line is skipped
    '04/07/16 02,,1,', // empty level reads NaN, empty label reads -1
  ].join('\r\n');
  const s = parseProcessSamples(csv, BATADAL);
  assert.deepEqual(s.signals, ['L_T1', 'S_PU1']);
  assert.equal(s.rows.length, 3);
  assert.equal(s.rows[0].ts, Date.UTC(2016, 6, 4, 0) / 1000);
  assert.equal(s.rows[1].ts - s.rows[0].ts, 3600);
  assert.deepEqual([...s.rows[1].values], [2.66, 0]);
  assert.equal(s.rows[0].label, 0);
  assert.equal(s.rows[1].label, 1);
  assert.equal(s.rows[2].label, -1);
  assert.ok(Number.isNaN(s.rows[2].values[0]));
});

test('epoch and ISO time formats, no label column', () => {
  const e = parseProcessSamples('t,a\n100.5,1\n101,2\n', { timeColumn: 't', timeFormat: 'epoch' });
  assert.deepEqual(e.rows.map((r) => r.ts), [100.5, 101]);
  assert.equal(e.rows[0].label, -1);
  const i = parseProcessSamples('t,a\n2016-07-04T01:00:00Z,1\n2016-07-04T03:00:00+02:00,2\n', { timeColumn: 't', timeFormat: 'iso' });
  assert.equal(i.rows[0].ts, i.rows[1].ts);
  throwsCw(() => parseProcessSamples('t,a\n2016-07-04,1\n', { timeColumn: 't', timeFormat: 'iso' }), 'CW_ERR_READ', 'samples:2:1:');
});

test('errors name the line and column', () => {
  throwsCw(() => parseProcessSamples('DATETIME,a,ATT_FLAG\n04/07/16 00,x1,0\n', BATADAL), 'CW_ERR_READ', 'samples:2:2: a value "x1"');
  throwsCw(() => parseProcessSamples('DATETIME,a,ATT_FLAG\n04/07/16 00,1\n', BATADAL), 'CW_ERR_READ', 'samples:2:3: 2 fields');
  throwsCw(() => parseProcessSamples('DATETIME,a,ATT_FLAG\n32/07/16 00,1,0\n', BATADAL), 'CW_ERR_READ', 'samples:2:1: time');
  throwsCw(() => parseProcessSamples('DATETIME,a,ATT_FLAG\n31/06/16 00,1,0\n', BATADAL), 'CW_ERR_READ', 'samples:2:1: time');
  throwsCw(() => parseProcessSamples('DATETIME,a,ATT_FLAG\n04/07/16 01,1,0\n04/07/16 00,1,0\n', BATADAL), 'CW_ERR_READ', 'samples:3:1: time goes backwards');
  throwsCw(() => parseProcessSamples('DATETIME,a,ATT_FLAG\n04/07/16 00,1,yes\n', BATADAL), 'CW_ERR_READ', 'samples:2:3: label');
  throwsCw(() => parseProcessSamples('a,b\n1,2\n', BATADAL), 'CW_ERR_READ', 'no time column DATETIME');
  throwsCw(() => parseProcessSamples('DATETIME,a\n', BATADAL), 'CW_ERR_READ', 'no label column ATT_FLAG');
  throwsCw(() => parseProcessSamples('DATETIME,a,a,ATT_FLAG\n', BATADAL), 'CW_ERR_READ', 'samples:1:3: duplicate');
  throwsCw(() => parseProcessSamples('\n\n', BATADAL), 'CW_ERR_READ', 'no header row');
});

test('bounds: too many columns and too long a line are refused', () => {
  const cols = ['t', ...Array.from({ length: PROCESS_SAMPLE_LIMITS.maxColumns }, (_, i) => `s${i}`)].join(',');
  throwsCw(() => parseProcessSamples(cols + '\n', { timeColumn: 't', timeFormat: 'epoch' }), 'CW_ERR_READ', `more than ${PROCESS_SAMPLE_LIMITS.maxColumns} columns`);
  const long = 't,a\n1,' + '1'.repeat(PROCESS_SAMPLE_LIMITS.maxLineChars) + '\n';
  throwsCw(() => parseProcessSamples(long, { timeColumn: 't', timeFormat: 'epoch' }), 'CW_ERR_READ', 'samples:2:1: line longer');
});

test('file reader: missing, empty and malformed files raise typed errors naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-samples-'));
  try {
    throwsCw(() => readProcessSamplesFile(join(dir, 'none.csv'), BATADAL), 'CW_ERR_NOT_FOUND', 'none.csv');
    writeFileSync(join(dir, 'empty.csv'), '');
    throwsCw(() => readProcessSamplesFile(join(dir, 'empty.csv'), BATADAL), 'CW_ERR_EMPTY', 'empty.csv');
    writeFileSync(join(dir, 'bad.csv'), 'DATETIME,a,ATT_FLAG\n04/07/16 00,1,0\n04/07/16 01,?,0\n');
    throwsCw(() => readProcessSamplesFile(join(dir, 'bad.csv'), BATADAL), 'CW_ERR_READ', 'bad.csv:3:2:');
    writeFileSync(join(dir, 'ok.csv'), 'DATETIME,a,ATT_FLAG\n04/07/16 00,1,0\n');
    assert.equal(readProcessSamplesFile(join(dir, 'ok.csv'), BATADAL).rows.length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
