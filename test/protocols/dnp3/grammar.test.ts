import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crcDnp } from '../../../src/protocols/dnp3/crc.js';
import { checkLinkHeader, copyUserData, dataCrcsMatch, frameBytes, LinkHeaderStatus } from '../../../src/protocols/dnp3/link.js';
import { headersOnly, walkObjects, type ObjectVisitor } from '../../../src/protocols/dnp3/objects.js';
import { linkFrame, noisyView } from './frames.js';

/** A READ request frame as captured (zeek-ics-baselines dnp3_read.pcap, frame 4), CRCs as on the wire. */
const READ_FRAME = Uint8Array.from([
  0x05, 0x64, // start octets
  0x14, // LENGTH 20: control + addresses (5) + 15 user octets
  0xc4, // CONTROL: DIR 1 (master), PRM 1, function 4 unconfirmed user data
  0x02, 0x00, // destination 2
  0x03, 0x00, // source 3
  0x45, 0x03, // header CRC
  0xc7, // transport: FIN, FIR, sequence 7
  0xc8, 0x01, // application control (FIR FIN seq 8), function READ
  0x3c, 0x02, 0x06, // g60v2 class 1, qualifier 0x06 all
  0x3c, 0x03, 0x06, // g60v3 class 2
  0x3c, 0x04, 0x06, // g60v4 class 3
  0x3c, 0x01, 0x06, // g60v1 class 0
  0x42, 0xac, // CRC of the 15 user octets
]);

test('CRC-16/DNP: check value of "123456789" is 0xEA82', () => {
  assert.equal(crcDnp(new TextEncoder().encode('123456789'), 0, 9), 0xea82);
});

test('link header of a real frame: start, LENGTH and CRC check; data CRC matches; in a sub-view too', () => {
  assert.equal(checkLinkHeader(READ_FRAME, 0), LinkHeaderStatus.Ok);
  assert.equal(frameBytes(READ_FRAME[2]), READ_FRAME.length);
  assert.ok(dataCrcsMatch(READ_FRAME, 0));
  const v = noisyView(READ_FRAME);
  assert.ok(v.byteOffset > 0);
  assert.equal(checkLinkHeader(v, 0), LinkHeaderStatus.Ok);
  const bad = READ_FRAME.slice();
  bad[8] ^= 1;
  assert.equal(checkLinkHeader(bad, 0), LinkHeaderStatus.BadCrc);
  bad[0] = 0x06;
  assert.equal(checkLinkHeader(bad, 0), LinkHeaderStatus.BadStart);
  const short = READ_FRAME.slice();
  short[2] = 4; // LENGTH below 5
  assert.equal(checkLinkHeader(short, 0), LinkHeaderStatus.BadLength);
  const badData = READ_FRAME.slice();
  badData[15] ^= 0x80;
  assert.ok(!dataCrcsMatch(badData, 0));
});

test('user data over several CRC blocks is joined without the CRCs', () => {
  const user = Array.from({ length: 40 }, (_, i) => i); // 16 + 16 + 8 octets: three blocks
  const f = linkFrame(0x44, 1, 2, user);
  assert.equal(f.length, frameBytes(45));
  assert.equal(f.length, 10 + 40 + 3 * 2);
  assert.ok(dataCrcsMatch(f, 0));
  const out = new Uint8Array(64);
  assert.equal(copyUserData(f, 0, 1, out, 3), 39);
  assert.deepEqual([...out.subarray(3, 42)], user.slice(1));
});

/** Visitor that keeps what it is told. */
class Seen implements ObjectVisitor {
  headers: string[] = [];
  blocks: number[][] = [];
  objectHeader(g: number, v: number, q: number, count: number | null, low: number | null, high: number | null): void {
    this.headers.push(`g${g}v${v} q${q.toString(16)} n=${count} ${low}-${high}`);
  }
  controlBlock(pcb: boolean, index: number, code: number, count: number, on: number, off: number, status: number): void {
    this.blocks.push([pcb ? 1 : 0, index, code, count, on, off, status]);
  }
}

test('objects of a response: ranges, packed bits, fixed sizes', () => {
  const obj = Uint8Array.from([
    0x01, 0x01, 0x00, 0x00, 0x09, // g1v1 packed binary inputs, qualifier 0x00, range 0..9 (10 bits)
    0xff, 0x03, // 2 octets of packed bits
    0x1e, 0x02, 0x01, 0x05, 0x00, 0x06, 0x00, // g30v2 16-bit AI with flag, qualifier 0x01, range 5..6
    0x01, 0x10, 0x00, // point 5: flag, value 16
    0x01, 0x20, 0x00, // point 6
    0x14, 0x01, 0x28, 0x01, 0x00, // g20v1 counter, qualifier 0x28: 1 object, 2-octet index prefix
    0x07, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, // index 7, flag, value 1
  ]);
  const s = new Seen();
  assert.equal(walkObjects(noisyView(obj), 0, obj.length, true, s), null);
  assert.deepEqual(s.headers, ['g1v1 q0 n=10 0-9', 'g30v2 q1 n=2 5-6', 'g20v1 q28 n=1 null-null']);
});

test('CROB in a SELECT: index prefix, control code, times, status', () => {
  const obj = Uint8Array.from([
    0x0c, 0x01, 0x28, 0x01, 0x00, // g12v1 CROB, qualifier 0x28, 1 object
    0x08, 0x00, // index 8
    0x41, // control code: Close (0x40), Pulse On (1)
    0x01, // count 1
    0xf4, 0x01, 0x00, 0x00, // on-time 500 ms
    0x00, 0x00, 0x00, 0x00, // off-time 0
    0x00, // status Success
  ]);
  const s = new Seen();
  assert.equal(walkObjects(obj, 0, obj.length, true, s), null);
  assert.deepEqual(s.blocks, [[0, 8, 0x41, 1, 500, 0, 0]]);
});

test('CROB under a range qualifier takes start + position as its index', () => {
  const crob = [0x81, 0x01, 0x10, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00];
  const obj = Uint8Array.from([
    0x0c, 0x01, 0x00, 0x03, 0x04, // g12v1, qualifier 0x00 range 3..4
    ...crob, // index 3: Trip, Pulse On
    ...crob, // index 4
  ]);
  const s = new Seen();
  assert.equal(walkObjects(obj, 0, obj.length, true, s), null);
  assert.deepEqual(s.blocks.map((b) => b[1]), [3, 4]);
});

test('READ: headers only, index prefixes skipped', () => {
  assert.ok(headersOnly(0x01) && headersOnly(0x14) && !headersOnly(0x02) && !headersOnly(0x03));
  const obj = Uint8Array.from([
    0x01, 0x02, 0x17, 0x02, 0x03, 0x09, // g1v2, qualifier 0x17: 2 indices 3 and 9
    0x3c, 0x01, 0x06, // g60v1 class 0, all
  ]);
  const s = new Seen();
  assert.equal(walkObjects(obj, 0, obj.length, false, s), null);
  assert.deepEqual(s.headers, ['g1v2 q17 n=2 null-null', 'g60v1 q6 n=null null-null']);
});

test('walk anomalies: truncated object, unknown object, bad qualifier, inverted range', () => {
  const s = new Seen();
  // g30v2, range 0..1 but only one 3-octet object present
  assert.equal(walkObjects(Uint8Array.from([0x1e, 0x02, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00]), 0, 8, true, s), 'dnp3.truncated_object');
  // g99v9 has no known size
  assert.equal(walkObjects(Uint8Array.from([0x63, 0x09, 0x00, 0x00, 0x00, 0x01]), 0, 6, true, s), 'dnp3.unknown_object');
  // qualifier 0x0A is reserved
  assert.equal(walkObjects(Uint8Array.from([0x01, 0x02, 0x0a]), 0, 3, true, s), 'dnp3.invalid_qualifier');
  // range 5..2
  assert.equal(walkObjects(Uint8Array.from([0x01, 0x02, 0x00, 0x05, 0x02]), 0, 5, true, s), 'dnp3.invalid_range');
});

test('a huge count of objects without octets ends at once', () => {
  const obj = Uint8Array.from([
    0x3c, 0x02, 0x09, 0xff, 0xff, 0xff, 0xff, // g60v2 class 1, qualifier 0x09: 4-octet count 2^32 − 1
  ]);
  const s = new Seen();
  assert.equal(walkObjects(obj, 0, obj.length, true, s), null);
  assert.deepEqual(s.headers, ['g60v2 q9 n=4294967295 null-null']);
});
