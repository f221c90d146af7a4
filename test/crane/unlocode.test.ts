import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLocodeCountry, lookupUnlocode, MAJOR_PORTS, parseUnlocode } from '../../src/crane/unlocode.js';

test('parseUnlocode: joined, spaced, lower case', () => {
  assert.deepEqual(parseUnlocode('CRMOB'), { ok: true, code: 'CRMOB', country: 'CR', location: 'MOB' });
  assert.deepEqual(parseUnlocode('CR MOB'), { ok: true, code: 'CRMOB', country: 'CR', location: 'MOB' });
  assert.deepEqual(parseUnlocode(' nlrtm '), { ok: true, code: 'NLRTM', country: 'NL', location: 'RTM' });
  assert.deepEqual(parseUnlocode('US2NY'), { ok: true, code: 'US2NY', country: 'US', location: '2NY' }, 'digits 2–9 are location characters');
});

test('parseUnlocode: reasons length, format, country', () => {
  assert.deepEqual(parseUnlocode('CRMO'), { ok: false, reason: 'length' });
  assert.deepEqual(parseUnlocode('CRMOBX'), { ok: false, reason: 'format' }, '6 characters need the space third');
  assert.deepEqual(parseUnlocode('CR  MOB'), { ok: false, reason: 'length' });
  assert.deepEqual(parseUnlocode('CR-MOB'), { ok: false, reason: 'format' });
  assert.deepEqual(parseUnlocode('CRM0B'), { ok: false, reason: 'format' }, 'digit 0 is excluded by Rec. 16');
  assert.deepEqual(parseUnlocode('CRM1B'), { ok: false, reason: 'format' }, 'digit 1 is excluded by Rec. 16');
  assert.deepEqual(parseUnlocode('C1MOB'), { ok: false, reason: 'format' });
  assert.deepEqual(parseUnlocode('QQMOB'), { ok: false, reason: 'country' });
  assert.deepEqual(parseUnlocode('UKLON'), { ok: false, reason: 'country' }, 'UK is not an ISO 3166-1 code (GB is)');
});

test('ISO 3166-1 alpha-2 set: 249 assigned codes plus XZ', () => {
  let n = 0;
  for (let a = 65; a <= 90; a++) for (let b = 65; b <= 90; b++) if (isLocodeCountry(String.fromCharCode(a, b))) n++;
  assert.equal(n, 250);
  for (const cc of ['XZ', 'BV', 'SS', 'SX', 'CW', 'BQ']) assert.ok(isLocodeCountry(cc), cc);
  for (const cc of ['UK', 'EU', 'AN', 'YU', 'cr']) assert.ok(!isLocodeCountry(cc), cc);
});

test('the embedded port subset is well formed and covers the twin\'s ports', () => {
  assert.ok(MAJOR_PORTS.size >= 40, `${MAJOR_PORTS.size} ports`);
  for (const [code, p] of MAJOR_PORTS) {
    const parsed = parseUnlocode(code);
    assert.ok(parsed.ok, code);
    assert.equal(p.code, code);
    assert.equal(p.country, code.slice(0, 2));
    assert.ok(p.name.length > 0 && /^[\x20-\x7e]+$/.test(p.nameAscii), code);
  }
  for (const code of ['CNSHA', 'SGSIN', 'NLRTM', 'USLAX', 'USLGB', 'DEHAM', 'BEANR', 'CRMOB', 'USNYC', 'KRPUS', 'AEJEA', 'MYPKG', 'ESVLC', 'GBFXT', 'JPTYO']) {
    assert.ok(MAJOR_PORTS.has(code), code);
  }
  assert.equal(MAJOR_PORTS.get('CRMOB')?.name, 'Mo\u00edn');
  assert.equal(MAJOR_PORTS.get('CRMOB')?.nameAscii, 'Moin');
});

test('lookupUnlocode: known, valid-format-unknown, invalid', () => {
  const known = lookupUnlocode('cr mob');
  assert.equal(known.status, 'known');
  assert.equal(known.status === 'known' && known.port.nameAscii, 'Moin');
  assert.deepEqual(lookupUnlocode('NIXXX'), { status: 'valid_format_unknown', code: 'NIXXX' });
  assert.deepEqual(lookupUnlocode('0002'), { status: 'invalid', reason: 'length' });
  assert.deepEqual(lookupUnlocode('ZZABC'), { status: 'invalid', reason: 'country' });
});
