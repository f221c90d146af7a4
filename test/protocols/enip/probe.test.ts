import assert from 'node:assert/strict';
import { test } from 'node:test';
import { probeCipIo, probeEnipTcp, probeEnipUdp } from '../../../src/protocols/enip/probe.js';
import { GAA_IDENTITY_REQ, IO_DATAGRAM, LIST_IDENTITY_REP, REGISTER_SESSION_REQ, concat, hex, noisy } from './fixtures.js';

test('TCP probe: whole first messages are yes on any port, partial ones maybe', () => {
  assert.equal(probeEnipTcp(noisy(REGISTER_SESSION_REQ), true, false), 'yes');
  assert.equal(probeEnipTcp(noisy(GAA_IDENTITY_REQ), true, false), 'yes');
  assert.equal(probeEnipTcp(concat(REGISTER_SESSION_REQ, GAA_IDENTITY_REQ), true, false), 'yes');
  assert.equal(probeEnipTcp(REGISTER_SESSION_REQ.subarray(0, 10), true, false), 'maybe');
  assert.equal(probeEnipTcp(GAA_IDENTITY_REQ.subarray(0, 30), true, false), 'maybe');
});

test('TCP probe: legacy-reserved command 0x0001 only on port 44818', () => {
  const legacy = hex('01 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00 00 00 00 00  00 00 00 00'); // command 1, length 0
  assert.equal(probeEnipTcp(legacy, true, true), 'yes');
  assert.equal(probeEnipTcp(legacy, true, false), 'no');
});

test('TCP probe: other protocols and inconsistent bodies are no', () => {
  assert.equal(probeEnipTcp(hex('00 01 00 00 00 06 01 03 00 00 00 0a'), true, false), 'no', 'Modbus/TCP read holding registers');
  assert.equal(probeEnipTcp(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), true, false), 'no');
  assert.equal(probeEnipTcp(new Uint8Array(40), true, true), 'no', 'zeros (NOP) are not enough');
  const badLen = REGISTER_SESSION_REQ.slice();
  badLen[2] = 6; // RegisterSession with 6 data bytes
  assert.equal(probeEnipTcp(concat(badLen, hex('00 00')), true, false), 'no');
  const opts = REGISTER_SESSION_REQ.slice();
  opts[20] = 1; // options must be zero
  assert.equal(probeEnipTcp(opts, true, true), 'no');
  assert.equal(probeEnipTcp(concat(REGISTER_SESSION_REQ, hex('ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff')), true, false), 'no', 'junk after the first message');
});

test('UDP probes: encapsulation on 44818, I/O on 2222', () => {
  assert.equal(probeEnipUdp(noisy(LIST_IDENTITY_REP), false, false), 'yes');
  assert.equal(probeEnipUdp(concat(LIST_IDENTITY_REP, hex('00')), false, false), 'no', 'trailing byte off the port');
  assert.equal(probeEnipUdp(concat(LIST_IDENTITY_REP, hex('00')), false, true), 'yes');
  assert.equal(probeEnipUdp(IO_DATAGRAM, true, true), 'no');
  assert.equal(probeCipIo(noisy(IO_DATAGRAM), true, true), 'yes');
  assert.equal(probeCipIo(concat(IO_DATAGRAM, hex('00')), true, true), 'no');
  assert.equal(probeCipIo(hex('12 34 01 00 00 01 00 00 00 00 00 00'), true, true), 'no', 'a DNS query header');
});
