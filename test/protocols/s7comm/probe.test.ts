import assert from 'node:assert/strict';
import { test } from 'node:test';
import { probeS7comm } from '../../../src/protocols/s7comm/probe.js';
import { hex, noisy, PLUS_REQUEST, SETUP_ACK, SETUP_JOB, SZL_REQUEST } from './fixtures.js';

const CR = hex(`
  03 00 00 16  // TPKT length 22
  11 e0  // COTP LI 17, CR
  00 00 00 01 00  // destination ref, source ref, class 0
  c0 01 0a  // TPDU size
  c1 02 01 00  // source TSAP
  c2 02 01 02  // destination TSAP
`);

test('probe: CR, S7comm and S7comm-plus DT say yes on any port', () => {
  assert.equal(probeS7comm(noisy(CR), true, false), 'yes');
  assert.equal(probeS7comm(noisy(SETUP_JOB), true, false), 'yes');
  assert.equal(probeS7comm(noisy(SETUP_ACK), false, true), 'yes');
  assert.equal(probeS7comm(noisy(PLUS_REQUEST), true, true), 'yes');
  const two = new Uint8Array(SETUP_JOB.length + SZL_REQUEST.length);
  two.set(SETUP_JOB);
  two.set(SZL_REQUEST, SETUP_JOB.length);
  assert.equal(probeS7comm(two, true, false), 'yes');
});

test('probe: too few bytes say maybe', () => {
  assert.equal(probeS7comm(SETUP_JOB.subarray(0, 1), true, true), 'maybe');
  assert.equal(probeS7comm(SETUP_JOB.subarray(0, 5), true, true), 'maybe');
  assert.equal(probeS7comm(SETUP_JOB.subarray(0, 20), true, true), 'maybe');
});

test('probe: other protocols and other COTP payloads say no', () => {
  assert.equal(probeS7comm(hex('00 01 00 00 00 06 01 03 00 00 00 0a'), true, true), 'no'); // Modbus/TCP read request
  assert.equal(probeS7comm(new TextEncoder().encode('GET / HTTP/1.1\r\n'), true, true), 'no');
  assert.equal(probeS7comm(hex('16 03 01 00 05 01 00 00 01 00'), true, true), 'no'); // TLS record
  assert.equal(probeS7comm(hex('03 00 00 09 02 f0 80 ab cd'), true, true), 'no'); // DT carrying neither 0x32 nor 0x72
  assert.equal(probeS7comm(hex('03 00 00 07 02 80 00'), true, true), 'no'); // DR is no way to open an S7 flow
  assert.equal(probeS7comm(hex('03 00 00 09 02 f0 80 32 01 ff ff'), true, true), 'no'); // followed by a non-TPKT byte
  // RDP's X.224 connection request: TPKT + COTP CR, but a cookie instead of TSAP parameters.
  const rdp = hex(`
    03 00 00 2b  // TPKT length 43
    26 e0  // COTP LI 38, CR
    00 00 00 00 00  // destination ref, source ref, class 0
    436f6f6b69653a206d737473686173683d61646d696e0d0a  // "Cookie: mstshash=admin\r\n"
    01 00 08 00 01 00 00 00  // RDP negotiation request
  `);
  assert.equal(probeS7comm(rdp, true, true), 'no');
  assert.equal(probeS7comm(CR.subarray(0, 12), true, true), 'maybe'); // CR cut inside its parameters
});
