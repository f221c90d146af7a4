/**
 * Differences with a conformance peer that are the peer's error, each shown on the captured bytes
 * (test/helpers/conformance/dnp3.ts lists them as accepted).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LIMITS } from '../../../src/config/limits.js';
import { Dnp3StreamAnalyzer } from '../../../src/protocols/dnp3/analyzer.js';
import { ReassemblyPool, TcpReassembler, type ReassemblySink } from '../../../src/session/tcp-reassembly.js';
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

test('tshark dissects a retransmitted TCP segment (same sequence number and bytes) again; TCP delivers the bytes once', () => {
  // qut-dnp3 Attacks attacker.pcap frames 16117 and 16122: the outstation sends the same 17 octets at the
  // same sequence number twice (tshark flags the second "Fast Retransmission" and still shows a second
  // RESPONSE). RFC 9293 §3.10.7.4: a segment wholly before RCV.NXT is a duplicate and carries no new data.
  const segment = hex(
    '0564 0a 44 0000 0100 b938' + // start, LENGTH 10, CONTROL PRM unconfirmed user data, dest 0, src 1, header CRC
      'd5' + // transport FIR FIN seq 21
      'cf 81' + // application control FIR FIN CON seq 15, RESPONSE
      '0000' + // IIN
      '55ce', // CRC of the 5 user octets
  );
  const ctx = new FakeFlowContext('CRetx', { orig_h: '192.168.10.221', orig_p: 60302, resp_h: '192.168.10.222', resp_p: 20000, proto: 'tcp' });
  const a = new Dnp3StreamAnalyzer(ctx);
  const sink: ReassemblySink<boolean> = {
    reassembled: (r, data, ts) => a.deliver(r.tag, data, ts),
    gapSkipped: () => assert.fail('no gap'),
    overlapMismatch: () => assert.fail('the bytes are the same'),
  };
  const outstation = new TcpReassembler(false, new ReassemblyPool(sink, DEFAULT_LIMITS));
  outstation.start(2715581126);
  outstation.data(2715581126, noisyView(segment), 1); // frame 16117
  outstation.data(2715581126, noisyView(segment), 2); // frame 16122: the same sequence number and octets
  a.end(3);
  assert.deepEqual(ctx.stream('dnp3').map((r) => [r.fc_reply, r.iin]), [['RESPONSE', 0]]);
  assert.deepEqual(ctx.anomalies, []);
});

/** Two reassemblers (master → outstation `true`, outstation → master `false`) feeding one analyzer. */
function tcpPair(a: Dnp3StreamAnalyzer, delivered: number[][] = [[], []]): { master: TcpReassembler<boolean>; outstation: TcpReassembler<boolean> } {
  const sink: ReassemblySink<boolean> = {
    reassembled: (r, data, ts) => {
      delivered[r.tag ? 0 : 1].push(...data);
      a.deliver(r.tag, data, ts);
    },
    gapSkipped: () => assert.fail('no gap'),
    overlapMismatch: () => undefined,
  };
  const pool = new ReassemblyPool(sink, DEFAULT_LIMITS);
  return { master: new TcpReassembler(true, pool), outstation: new TcpReassembler(false, pool) };
}

test('tshark dissects a segment from its own first octet although an earlier segment already supplied it', () => {
  // qut-dnp3 Attacks attacker.pcap, 192.168.10.221:60311 ↔ 192.168.10.222:20000, outstation → master. The
  // capture holds both legs of a man in the middle: the outstation's segments and the attacker's altered
  // copies, one octet longer. Frame 48228 (outstation) and 48230 (attacker) both start at 1499881086;
  // 48230 is 36 octets, so its last octet (0x1e) is the first TCP receives at 1499881121. Frame 48234
  // (outstation) starts at 1499881121: RFC 9293 §3.10.7.4 processes only its new octets, from
  // 1499881122, so the link frame tshark shows in it (05 64 …) is not in the byte stream.
  const f48228 = hex(
    '0564 1a 44 0000 0100 7840' + // start, LENGTH 26, CONTROL PRM unconfirmed user data, dest 0, src 1, header CRC
      'fe c2 81 0000 0102 0000 0201 0181 1402 00' + // transport FIR FIN seq 62, app FIR FIN seq 2, RESPONSE, IIN, g1v2 …
      'd383' + // CRC of the first 16 user octets
      '0101000000' + // … the last 5 user octets
      '111e', // CRC
  );
  const f48230 = hex(
    '0564 1b 44 0000 0100 9ff5' + // LENGTH 27: the attacker's copy, one user octet longer
      'fe c2 81 0000 0102 0000 0301 0181 0114 02' + // the same response with other object octets
      'abea' + // CRC
      '000101000000' + // 6 user octets
      '111e', // CRC; 0x1e is the octet at 1499881121
  );
  const f48234 = hex(
    '0564 0a 44 0000 0100 b938' + // LENGTH 10, header CRC
      'ff c3 81 0000' + // transport FIR FIN seq 63, app FIR FIN seq 3, RESPONSE, IIN
      '49ec', // CRC
  );
  const ctx = new FakeFlowContext('CLeg', { orig_h: '192.168.10.221', orig_p: 60311, resp_h: '192.168.10.222', resp_p: 20000, proto: 'tcp' });
  const a = new Dnp3StreamAnalyzer(ctx);
  const delivered: number[][] = [[], []];
  const { outstation } = tcpPair(a, delivered);
  outstation.start(1499881086);
  outstation.data(1499881086, noisyView(f48228), 1);
  outstation.data(1499881086, noisyView(f48230), 2);
  outstation.data(1499881121, noisyView(f48234), 3);
  a.end(4);
  assert.equal(delivered[1].length, 52); // 1499881086 … 1499881137
  assert.equal(delivered[1][35], 0x1e); // the octet at 1499881121 is 48230's, not 48234's 0x05
  assert.deepEqual(ctx.stream('dnp3').map((r) => r.fc_reply), ['RESPONSE']); // 48228's only
});

test('tshark dissects a segment out of any window, then takes new octets for a retransmission and skips them', () => {
  // qut-dnp3 Attacks attacker.pcap, 192.168.10.221:60359 ↔ 192.168.10.222:20000. Frame 314754 carries the
  // master's READ at 1228387893, a sequence number of the outstation's direction 2^31 − 2^28 octets ahead
  // of the master's stream: no receiver accepts it (RFC 9293 §3.10.7.4), tshark dissects it. tshark's
  // tracking then flags the master's next READ (frame 314794, new octets at 3454779664, transport
  // sequence 36 after 35: the application layer's retry) "Retransmission" and does not dissect it, so
  // it pairs the unsolicited response of frame 314798 with no request.
  const read = (transport: string, app: string, crc: string): Uint8Array =>
    hex(
      '0564 0b c4 0100 0000 8c85' + // start, LENGTH 11, CONTROL DIR PRM unconfirmed user data, dest 1, src 0, header CRC
        transport + // transport FIR FIN, sequence 35 or 36
        app + // application control FIR FIN, sequence 14
        '01 3c03 06' + // READ, class 2 data (g60v3), qualifier 0x06
        crc, // CRC of the 6 user octets
    );
  const unsolicited = (transport: string, app: string, crc: string): Uint8Array =>
    hex(
      '0564 10 44 0000 0100 13fc' + // LENGTH 16, CONTROL PRM unconfirmed user data, dest 0, src 1, header CRC
        transport + // transport FIR FIN
        app + // application control FIR FIN CON UNS
        '82 0000 0201 1701 0001' + // UNSOLICITED_RESPONSE, IIN, g2v1 qualifier 0x17, 1 object: index 0, flags 0x01
        crc,
    );
  const ctx = new FakeFlowContext('CWin', { orig_h: '192.168.10.221', orig_p: 60359, resp_h: '192.168.10.222', resp_p: 20000, proto: 'tcp' });
  const a = new Dnp3StreamAnalyzer(ctx);
  const { master, outstation } = tcpPair(a);
  master.start(3454779646);
  outstation.start(1228387893);
  master.data(3454779646, noisyView(read('e3', 'ce', '95b6')), 1); // frame 314752
  master.data(1228387893, noisyView(read('e3', 'ce', '95b6')), 2); // frame 314754: out of any window
  assert.equal(master.bufferedBytes, 0); // dropped, not held for later
  outstation.data(1228387893, noisyView(unsolicited('e8', 'f8', '3d8e')), 3); // frame 314765
  master.data(3454779664, noisyView(read('e4', 'ce', 'ab68')), 4); // frame 314794: new octets
  outstation.data(1228387916, noisyView(unsolicited('e9', 'f9', 'd15b')), 5); // frame 314798
  a.end(6);
  assert.deepEqual(ctx.stream('dnp3').map((r) => [r.fc_request, r.fc_reply]), [
    ['READ', 'UNSOLICITED_RESPONSE'],
    ['READ', 'UNSOLICITED_RESPONSE'],
  ]);
  const reads = ctx.stream('dnp3_objects').filter((r) => r.function_code === 'READ');
  assert.deepEqual(reads.map((r) => r.object_type), ['Class 2 Data', 'Class 2 Data']); // 314752 and 314794, not 314754
});
