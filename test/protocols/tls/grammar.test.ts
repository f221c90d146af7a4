import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { ja3String, ja3sString, ja4, ja4Parts } from '../../../src/protocols/tls/fingerprint.js';
import { isGrease, parseClientHello, parseServerHello } from '../../../src/protocols/tls/grammar.js';
import { cipherName, curveName, listedCipherSuites, versionName } from '../../../src/protocols/tls/names.js';
import { probeTls } from '../../../src/protocols/tls/probe.js';
import { certificateNames } from '../../../src/protocols/tls/x509.js';
import { alpnExt, clientHelloBody, ext, handshake, hexBytes, record, serverHelloBody, sigAlgsExt, sniExt, sslv2ClientHello, tls12Flights, versionsExt } from './build.js';
import { CA_DER_HEX, LEAF_DER_HEX, LEAF_ISSUER, LEAF_SUBJECT } from './certs.js';

const sha12 = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 12);

test('JA4 of the FoxIO specification example (t13d1516h2_8daaf6152771_e5627efa2ab1)', () => {
  const ciphers = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035];
  const extTypes = [0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015];
  const sig = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];
  const exts = extTypes.map((t) => (t === 0 ? sniExt('example.com') : t === 0x10 ? alpnExt(['h2', 'http/1.1']) : t === 0x0d ? sigAlgsExt(sig) : t === 0x2b ? versionsExt([0x0a0a, 0x0304, 0x0303]) : ext(t, new Uint8Array(0))));
  // GREASE suite and extension in front, as Chrome sends them (RFC 8701): not counted.
  const body = clientHelloBody({ ciphers: [0x0a0a, ...ciphers], extensions: [ext(0x1a1a, new Uint8Array(0)), ...exts] });
  const ch = parseClientHello(body, 0, body.length, 1024, 2048);
  assert.ok(ch !== null);
  assert.equal(ja4(ch), 't13d1516h2_8daaf6152771_e5627efa2ab1');
  assert.deepEqual(ja4Parts(ch)[0], 't13d1516h2');
  assert.equal(sha12(ja4Parts(ch)[1]), '8daaf6152771');
});

test('JA3 / JA3S strings drop GREASE (RFC 8701); JA4 ALPN falls back to hex for non-alphanumeric ends', () => {
  const f = tls12Flights('x.example', []);
  const chBytes = f.clientHello.subarray(9);
  const ch = parseClientHello(chBytes, 0, chBytes.length, 1024, 2048);
  assert.ok(ch !== null);
  assert.equal(ja3String(ch), '771,49195-49199-52393-156-47-255,0-10-11-35-16-13-23,29-23,0');
  assert.equal(ja4Parts(ch)[1], '002f,009c,00ff,c02b,c02f,cca9');
  assert.equal(ja4Parts(ch)[2], '000a,000b,000d,0017,0023_0403,0804,0401');
  assert.equal(ja4(ch), `t12d0607h2_${sha12('002f,009c,00ff,c02b,c02f,cca9')}_${sha12('000a,000b,000d,0017,0023_0403,0804,0401')}`);
  const odd = clientHelloBody({ extensions: [alpnExt(['\u00ab-x*'])] });
  const och = parseClientHello(odd, 0, odd.length, 1024, 2048);
  assert.ok(och !== null);
  assert.equal(ja4Parts(och)[0], 't12i0101aa', '0xab first byte → a, 0x2a last byte → a');
  assert.equal(ja4(och).slice(-12), '000000000000', 'only ALPN: empty extension list');
  const sh = parseServerHello(serverHelloBody({ cipher: 0x1301, extensions: [ext(43, hexBytes('0304')), ext(51, hexBytes('001d 0000'))] }), 0, 46 + 8 + 8, 1024, 2048);
  assert.ok(sh !== null);
  assert.equal(ja3sString(sh), '771,4865,43-51');
  assert.equal(isGrease(0x3a3a), true);
  assert.equal(isGrease(0x3a3b), false);
});

test('parsers read sub-views and refuse lengths that run past the end', () => {
  const body = clientHelloBody({ ciphers: [0x1301], extensions: [sniExt('crane.example')] });
  const big = new Uint8Array(body.length + 9).fill(0xff);
  big.set(body, 5);
  const view = big.subarray(5, 5 + body.length);
  assert.equal(parseClientHello(view, 0, view.length, 1024, 2048)?.serverName, 'crane.example');
  assert.equal(parseClientHello(view, 0, view.length - 1, 1024, 2048), null, 'extension block cut by one byte');
  assert.equal(parseClientHello(view, 0, view.length, 5, 2048)?.serverName, 'crane', 'SNI cut at the string limit');
});

test('names: Zeek version strings, IANA cipher names, groups, unknown-<n>', () => {
  assert.equal(versionName(0x0303), 'TLSv12');
  assert.equal(versionName(0x7f1c), 'TLSv13-draft28');
  assert.equal(versionName(0x0305), 'unknown-773');
  assert.equal(cipherName(0xc030), 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');
  assert.equal(curveName(29), 'x25519');
  assert.equal(curveName(0x4242), 'unknown-16962');
});

test('cipher-suite names equal tshark\'s value strings (IANA registry names)', (t) => {
  const r = spawnSync('tshark', ['-G', 'values'], { encoding: 'utf8', maxBuffer: 1 << 27 });
  if (r.status !== 0) {
    t.skip('tshark not installed; skipped');
    return;
  }
  const theirs = new Map<number, string>();
  for (const line of r.stdout.split('\n')) {
    const c = line.split('\t');
    if (c[0] === 'V' && c[1] === 'tls.handshake.ciphersuite') theirs.set(Number(c[2]), c[3]);
  }
  for (const [n, name] of listedCipherSuites()) assert.equal(name, theirs.get(n), `suite 0x${n.toString(16)}`);
});

test('X.509 subject and issuer in Zeek\'s RFC 2253 form (reverse order, escapes, multi-valued RDN, UTF-8)', () => {
  const leaf = hexBytes(LEAF_DER_HEX);
  const big = new Uint8Array(leaf.length + 10);
  big.set(leaf, 3);
  assert.deepEqual(certificateNames(big.subarray(3), 0, leaf.length, 1024), { subject: LEAF_SUBJECT, issuer: LEAF_ISSUER });
  const ca = hexBytes(CA_DER_HEX);
  assert.deepEqual(certificateNames(ca, 0, ca.length, 1024), { subject: LEAF_ISSUER, issuer: LEAF_ISSUER });
  assert.equal(certificateNames(leaf, 0, 100, 1024), null, 'cut DER');
});

test('X.509 names agree with openssl x509 -nameopt RFC2253,-esc_msb', (t) => {
  for (const hex of [LEAF_DER_HEX, CA_DER_HEX]) {
    const r = spawnSync('openssl', ['x509', '-inform', 'DER', '-noout', '-subject', '-issuer', '-nameopt', 'RFC2253,-esc_msb'], { input: Buffer.from(hex, 'hex') });
    if (r.error !== undefined || r.status !== 0) {
      t.skip('openssl not available; skipped');
      return;
    }
    const der = hexBytes(hex);
    const mine = certificateNames(der, 0, der.length, 1024);
    assert.equal(r.stdout.toString('utf8'), `subject=${mine?.subject}\nissuer=${mine?.issuer}\n`);
  }
});

test('probe: hellos yes, prefixes maybe, other protocols no', () => {
  const f = tls12Flights('x.example', []);
  assert.equal(probeTls(f.clientHello, true, false), 'yes');
  assert.equal(probeTls(f.serverFlight, false, false), 'yes');
  assert.equal(probeTls(f.clientHello.subarray(0, 4), true, false), 'maybe');
  assert.equal(probeTls(f.clientHello.subarray(0, 10), true, false), 'maybe');
  assert.equal(probeTls(sslv2ClientHello(0x0301, [0x000035]), true, false), 'yes');
  assert.equal(probeTls(record(22, 0x0303, handshake(11, new Uint8Array(40))), true, false), 'no', 'Certificate first');
  assert.equal(probeTls(record(23, 0x0303, new Uint8Array(40)), true, true), 'no', 'application data');
  // Modbus/TCP read request: tid 0x1603, protocol id 0, length 6, unit 1, fc 3.
  assert.equal(probeTls(hexBytes('1603 0000 0006 01 03 0000 000a'), true, false), 'no');
  assert.equal(probeTls(Buffer.from('GET / HTTP/1.1\r\n'), true, false), 'no');
});
