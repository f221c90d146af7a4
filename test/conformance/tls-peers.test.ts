/**
 * TLS (`ssl`) conformance against tshark and OpenSSL (test/helpers/conformance/tls.ts): every shared
 * capture with a TLS hello and the twin's TLS captures. Asserts 100 % agreement on the compared fields;
 * the only tolerated lines are `excluded:` connections whose ClientHello is not their first payload (not
 * probed, as in Zeek), and each of those must agree when the analyzer is fed from its hellos.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agreementRate } from '../helpers/conformance/agreement.js';
import { tlsConformance } from '../helpers/conformance/tls.js';
import { haveTshark, SHARED_DATA, sharedFile } from '../helpers/shared-data.js';

test('ssl records agree with tshark (SNI, version, cipher, curve, ALPN, JA3, JA3S) and OpenSSL (subject, issuer)', async (t) => {
  if (sharedFile(t, '.') === null || !haveTshark(t)) return;
  const [p] = await tlsConformance(SHARED_DATA);
  const lines = p.captures.flatMap((c) => c.differences.map((d) => `${c.capture}: ${d}`));
  const real = lines.filter((l) => !/: excluded: /.test(l));
  assert.deepEqual(real, [], 'every difference listed');
  assert.equal(agreementRate(p), 1);
  const twin12 = p.captures.find((c) => c.capture === 'twin:tls12-certificate');
  assert.ok(twin12 !== undefined && twin12.agreed === 1, 'TLS 1.2 handshake with a certificate compared');
  const subject = twin12.fields.find((f) => f.field === 'subject');
  assert.deepEqual(subject, { field: 'subject', compared: 1, agreed: 1 });
  for (const l of lines.filter((x) => /: excluded: /.test(x))) {
    const fed = /compared in "(.*)"\)$/.exec(l)?.[1];
    const c = p.captures.find((x) => x.capture === fed);
    assert.ok(c !== undefined && c.peerRecords > 0 && c.agreed === c.peerRecords, `excluded connection compared when fed from its hello: ${l}`);
  }
  const shared = p.captures.filter((c) => !c.capture.startsWith('twin:'));
  assert.ok(shared.reduce((n, c) => n + c.peerRecords, 0) >= 1, 'at least one shared capture compared');
  t.diagnostic(p.captures.map((c) => `${c.capture}: ${c.agreed}/${c.peerRecords}`).join('; '));
});
