import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { ja4Parts } from '../../../src/protocols/tls/fingerprint.js';
import { parseClientHello, parseServerHello } from '../../../src/protocols/tls/grammar.js';
import { certificateNames, OID_TEXT_MAX_CHARS } from '../../../src/protocols/tls/x509.js';
import { cat, clientHelloBody, ext, hexBytes, serverHelloBody } from './build.js';

/** A DER element: tag, definite length (short or 0x81 / 0x82 long form, X.690 §8.1.3), content. */
function der(tag: number, ...content: Uint8Array[]): Uint8Array {
  const c = cat(...content);
  const n = c.length;
  const len = n < 0x80 ? Uint8Array.of(n) : n < 0x100 ? Uint8Array.of(0x81, n) : Uint8Array.of(0x82, n >> 8, n & 0xff);
  return cat(Uint8Array.of(tag), len, c);
}

/** One AttributeTypeAndValue in its own RDN: SET { SEQUENCE { OID, value } } (RFC 5280 §4.1.2.4). */
function rdn(oid: Uint8Array, tag: number, value: Uint8Array): Uint8Array {
  return der(0x31, der(0x30, der(0x06, oid), der(tag, value)));
}

/** A certificate with `issuer` and `subject` (Name contents); the rest is the smallest shape OpenSSL loads. */
function certificate(issuer: Uint8Array, subject: Uint8Array): Uint8Array {
  const sha256Rsa = der(0x30, der(0x06, hexBytes('2a864886f70d01010b'))); // sha256WithRSAEncryption
  const tbs = der(
    0x30,
    der(0xa0, der(0x02, hexBytes('02'))), //                      [0] version v3
    der(0x02, hexBytes('01')), //                                 serialNumber 1
    sha256Rsa, //                                                 signature
    der(0x30, issuer), //                                         issuer
    der(0x30, der(0x17, Buffer.from('200101000000Z')), der(0x17, Buffer.from('300101000000Z'))), // validity (UTCTime)
    der(0x30, subject), //                                        subject
    der(0x30, der(0x30, der(0x06, hexBytes('2a864886f70d010101')), hexBytes('0500')), der(0x03, hexBytes('003000'))), // rsaEncryption key
  );
  return der(0x30, tbs, sha256Rsa, der(0x03, hexBytes('0001'))); // signatureAlgorithm, signatureValue
}

const CN = hexBytes('550403'); // 2.5.4.3 commonName
/** 1.2 then one arc of 150 × 7 bits (0xff continuation bytes) ending in 0x01: far past 2^53. */
const LONG_OID = cat(hexBytes('2a'), new Uint8Array(150).fill(0xff), hexBytes('01'));
/** 1.2.72057594037927936: an arc of exactly 2^56 (eight continuation groups). */
const ARC_2_56_OID = hexBytes('2a 81 80 80 80 80 80 80 80 00');
/** 1.2.392.1: a short unnamed OID. */
const SHORT_OID = hexBytes('2a 83 08 01');

/** Issuer RDNs in wire order; printed reversed. */
const ISSUER = cat(rdn(LONG_OID, 0x0c, Buffer.from('abc')), rdn(ARC_2_56_OID, 0x0c, Buffer.from('x')), rdn(SHORT_OID, 0x0c, Buffer.from('x')));

test('X.509: OID arcs past 2^53 are exact, cut at 79 characters as OpenSSL prints them; unnamed values in upper-case hex', () => {
  const cert = certificate(ISSUER, rdn(CN, 0x0c, Buffer.from('caf\u00e9 \u202e x', 'utf8')));
  const big = new Uint8Array(cert.length + 9);
  big.set(cert, 5);
  const names = certificateNames(big.subarray(5, 5 + cert.length), 0, cert.length, 1024);
  assert.ok(names !== null);
  const long = '1.2.154420664449547285730358388304838033332486457644761748013993345663017532019';
  assert.equal(long.length, OID_TEXT_MAX_CHARS);
  assert.equal(names.issuer, `1.2.392.1=#0C0178,1.2.72057594037927936=#0C0178,${long}=#0C03616263`);
  assert.equal(names.subject, 'CN=caf\u00e9 \u202e x', 'valid UTF-8 kept as characters');
});

test('X.509 names with huge OID arcs agree with openssl x509 -nameopt RFC2253,-esc_msb', (t) => {
  const cert = certificate(ISSUER, cat(rdn(CN, 0x0c, Buffer.from('#a\u0001b,c\u00e9 ', 'utf8'))));
  const r = spawnSync('openssl', ['x509', '-inform', 'DER', '-noout', '-subject', '-issuer', '-nameopt', 'RFC2253,-esc_msb'], { input: Buffer.from(cert) });
  if (r.error !== undefined || r.status !== 0) {
    t.skip('openssl not available; skipped');
    return;
  }
  const mine = certificateNames(cert, 0, cert.length, 1024);
  assert.equal(r.stdout.toString('utf8'), `subject=${mine?.subject}\nissuer=${mine?.issuer}\n`);
  assert.equal(mine?.subject, 'CN=\\#a\\01b\\,c\u00e9\\ ', 'leading #, control byte, comma and trailing space escaped');
});

test('X.509: bytes that are no character are written \\xNN as Zeek writes raw bytes, never U+FFFD', () => {
  const badUtf8 = Buffer.concat([Buffer.from('a\u202e', 'utf8'), Buffer.from([0xff, 0xc3, 0x28, 0x1b])]); // U+202E, 0xff, cut 2-byte sequence, ESC
  const bmpSurrogate = hexBytes('0041 d800 0042'); // "A", a lone high surrogate, "B" (BMPString, UCS-2)
  const universalTooBig = hexBytes('00000041 00110000'); // "A", code point 0x110000 (UniversalString, UCS-4)
  const subject = cat(rdn(CN, 0x0c, badUtf8), rdn(hexBytes('55040a'), 0x1e, bmpSurrogate), rdn(hexBytes('55040b'), 0x1c, universalTooBig));
  const cert = certificate(rdn(CN, 0x13, Buffer.from('ca')), subject);
  const names = certificateNames(cert, 0, cert.length, 1024);
  assert.ok(names !== null);
  assert.equal(names.subject, 'OU=A\\x00\\x11\\x00\\x00,O=A\\xd8\\x00B,CN=a\\xe2\\x80\\xae\\xff\\xc3(\\1B');
  assert.ok(!names.subject.includes('\ufffd'));
  assert.equal(names.issuer, 'CN=ca');
});

test('server_name and ALPN are escaped as Zeek writes raw bytes; JA4 reads the raw ALPN bytes', () => {
  const raw = hexBytes('61 00 1b 5c e2 80 ae ff'); // "a", NUL, ESC, backslash, U+202E (3 bytes), 0xff: not valid UTF-8
  const sni = ext(0, cat(hexBytes('000b'), hexBytes('00'), hexBytes('0008'), raw)); // ServerNameList length 11; host_name; length 8
  const alpn = ext(16, cat(hexBytes('000c'), hexBytes('04 01 68 32 02'), hexBytes('06 68 32 e2 80 ae 7a'))); // list 12: "\x01h2\x02", "h2" U+202E "z"
  const body = clientHelloBody({ extensions: [sni, alpn] });
  const big = new Uint8Array(body.length + 3);
  big.set(body, 3);
  const ch = parseClientHello(big.subarray(3), 0, body.length, 1024, 2048);
  assert.ok(ch !== null);
  assert.equal(ch.serverName, 'a\\x00\\x1b\\\\\\xe2\\x80\\xae\\xff');
  assert.deepEqual(ch.alpn, ['\\x01h2\\x02', 'h2\u202ez']);
  assert.equal(ja4Parts(ch)[0], 't12d010202', 'first byte 0x01 → 0, last byte 0x02 → 2');
  const sh = serverHelloBody({ cipher: 0x1301, extensions: [ext(16, cat(hexBytes('0006'), hexBytes('05 68 32 e2 80 ae')))] }); // "h2" U+202E
  const s = parseServerHello(sh, 0, sh.length, 1024, 2048);
  assert.equal(s?.alpn, 'h2\u202e', 'valid UTF-8 kept');
  assert.equal(parseClientHello(body, 0, body.length, 4, 2048)?.serverName, 'a', 'cut at the string bound without splitting an escape');
});
