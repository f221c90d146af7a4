import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { flowUid } from '../../src/session/uid.js';

/** Independent reference: BigInt base-62 of the first 96 bits of SHA-1 over the documented text. */
function reference(text: string): string {
  const d = createHash('sha1').update(text).digest();
  let n = BigInt('0x' + d.subarray(0, 12).toString('hex'));
  const digits = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let s = '';
  while (n > 0n) {
    s = digits[Number(n % 62n)] + s;
    n /= 62n;
  }
  return 'C' + (s || '0');
}

test('uid: same input gives the same uid, Zeek-like shape', () => {
  const a = flowUid('tcp', '10.0.0.9', 3082, '10.0.0.3', 502, 1688769194.447986);
  const b = flowUid('tcp', '10.0.0.9', 3082, '10.0.0.3', 502, 1688769194.447986);
  assert.equal(a, b);
  assert.match(a, /^C[0-9A-Za-z]{15,17}$/);
});

test('uid: matches the documented derivation (proto|orig_h|orig_p|resp_h|resp_p|ts-µs)', () => {
  assert.equal(
    flowUid('tcp', '10.0.0.9', 3082, '10.0.0.3', 502, 1688769194.447986),
    reference('tcp|10.0.0.9|3082|10.0.0.3|502|1688769194447986'),
  );
  assert.equal(flowUid('icmp', 'fe80::1', 128, 'fe80::2', 129, 1.5), reference('icmp|fe80::1|128|fe80::2|129|1500000'));
});

test('uid: any change of the tuple or the microsecond changes the uid', () => {
  const base = flowUid('udp', '192.168.1.1', 5000, '192.168.1.2', 502, 100.000001);
  assert.notEqual(base, flowUid('tcp', '192.168.1.1', 5000, '192.168.1.2', 502, 100.000001));
  assert.notEqual(base, flowUid('udp', '192.168.1.2', 502, '192.168.1.1', 5000, 100.000001));
  assert.notEqual(base, flowUid('udp', '192.168.1.1', 5001, '192.168.1.2', 502, 100.000001));
  assert.notEqual(base, flowUid('udp', '192.168.1.1', 5000, '192.168.1.2', 502, 100.000002));
  // Sub-microsecond differences round to the same microsecond.
  assert.equal(base, flowUid('udp', '192.168.1.1', 5000, '192.168.1.2', 502, 100.0000012));
});
