/**
 * Differences with a conformance peer that are the peer's error, each shown on the captured bytes
 * (test/helpers/conformance/dnp3.ts lists them as accepted).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dnp3StreamAnalyzer } from '../../../src/protocols/dnp3/analyzer.js';
import { FakeFlowContext } from '../modbus/fake-context.js';
import { noisyView } from './frames.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g) ?? [], (h) => parseInt(h, 16));

test('tshark shows no IIN for AUTHENTICATE_RESP (0x83); IEEE 1815-2012 §4.2.2.1 gives every response one', () => {
  // iti-ics-pcaps/dnp3/auth_change_session_keys.pcap frame 5 (outstation 4 → master 3)
  const frame = hex(
    '0564 1f 44 0300 0400 342e' + // start, LENGTH 31, CONTROL PRM unconfirmed user data, dest 3, src 4, header CRC
      'c0' + // transport FIR FIN seq 0
      'c1 83' + // application control FIR FIN seq 1, function AUTHENTICATE_RESP
      '9000' + // IIN1 0x90 (device restart, need time), IIN2 0x00: the octets tshark does not show as IIN
      '78 05 5b 01 0f00 0100000001' + // g120v5 key status, qualifier 0x5B, 1 object of 15 octets: sequence 1 …
      '8926' + // CRC of the first 16 user octets
      '00010200040073746576' + // … user 1, key wrap 2, status, MAC length 4, "stev"
      '6e8d', // CRC of the last 10 octets
  );
  const ctx = new FakeFlowContext('CAuth', { orig_h: '192.168.1.2', orig_p: 49159, resp_h: '192.168.1.1', resp_p: 20000, proto: 'tcp' });
  const a = new Dnp3StreamAnalyzer(ctx);
  a.deliver(false, noisyView(frame), 1);
  a.end(2);
  assert.deepEqual(ctx.stream('dnp3').map((r) => [r.fc_reply, r.iin]), [['AUTHENTICATE_RESP', 0x9000]]);
  // The objects after the IIN parse exactly to the end of the fragment: the IIN octets are where the standard puts them.
  assert.deepEqual(ctx.anomalies, []);
});

test('tshark skips a repeated FIR/FIN segment whose transport sequence number did not change; each is a whole fragment', () => {
  // iti-ics-pcaps/dnp3/opendnp3-3/conformance/6.6.2.5/dump.pcap frames 4, 6, 8 and 10: the master retries its
  // READ four times; tshark dissects the first three only. A segment with FIR set starts a new fragment
  // whatever its sequence number (IEEE 1815-2012 §8.2.1.2), and FIN ends it.
  const frame = hex(
    '0564 14 c3 0004 0100 fb5f' + // start, LENGTH 20, CONTROL DIR PRM confirmed user data, dest 1024, src 1, header CRC
      'c0' + // transport FIR FIN seq 0 (the same in all four)
      'c0 01' + // application control FIR FIN seq 0, READ
      '3c02 06 3c03 06 3c04 06 3c01 06' + // class 1, 2, 3 and 0 data, qualifier 0x06 all
      '8a51', // CRC of the 15 user octets
  );
  const ctx = new FakeFlowContext('CRetry', { orig_h: '127.0.0.1', orig_p: 1561, resp_h: '127.0.0.1', resp_p: 20000, proto: 'tcp' });
  const a = new Dnp3StreamAnalyzer(ctx);
  for (let i = 0; i < 4; i++) a.deliver(true, noisyView(frame), 1 + i);
  a.end(9);
  const reads = ctx.stream('dnp3_objects').filter((r) => r.object_type === 'Class 0 Data');
  assert.equal(reads.length, 4);
  assert.deepEqual(ctx.anomalies, []);
});
