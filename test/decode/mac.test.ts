import assert from 'node:assert/strict';
import { test } from 'node:test';
import { macFromText, macToText, readMac } from '../../src/decode/mac.js';
import { hex, subView } from './helpers.js';

test('readMac reads six octets as a 48-bit integer from a sub-view', () => {
  const b = subView(hex`
    ff ff               # two bytes before the MAC
    fc 00 5e 00 53 af   # MAC fc:00:5e:00:53:af (top bit set: exact above 2^47)
  `);
  assert.equal(readMac(b, 2), 0xfc005e0053af);
});

test('macToText / macFromText round trip and reject bad input', () => {
  assert.equal(macToText(0x00105a0a0b0c), '00:10:5a:0a:0b:0c');
  assert.equal(macToText(0xffffffffffff), 'ff:ff:ff:ff:ff:ff');
  assert.equal(macToText(0), '00:00:00:00:00:00');
  assert.equal(macToText(-1), '');
  assert.equal(macToText(2 ** 48), '');
  assert.equal(macToText(1.5), '');
  assert.equal(macFromText('00:10:5A:0a:0b:0c'), 0x00105a0a0b0c);
  assert.equal(macFromText(' fc-00-5e-00-53-af '), 0xfc005e0053af);
  assert.equal(macFromText('0:1:2:3:4:5'), 0x000102030405);
  assert.equal(macFromText('00:10:5a:0a:0b'), -1);
  assert.equal(macFromText('00:10:5a:0a:0b:0g'), -1);
  assert.equal(macFromText('001:10:5a:0a:0b:0c'), -1);
  for (const m of [0x000000000001, 0x123456789abc, 0xfedcba987654]) assert.equal(macFromText(macToText(m)), m);
});
