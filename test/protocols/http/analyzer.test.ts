import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpStreamAnalyzer } from '../../../src/protocols/http/analyzer.js';
import { parseChunkSize, parseContentLength, parseRequestLine, parseStatusLine } from '../../../src/protocols/http/grammar.js';
import { probeHttp } from '../../../src/protocols/http/probe.js';
import type { ConnId } from '../../../src/session/analyzer.js';
import { FakeFlowContext } from '../modbus/fake-context.js';

const ID: ConnId = { orig_h: '10.20.1.40', orig_p: 51000, resp_h: '10.10.0.20', resp_p: 8080, proto: 'tcp' };

/** Latin-1 bytes of `s` placed inside a larger buffer (non-zero byteOffset), as the reassembler hands them. */
function view(s: string): Uint8Array {
  const body = Buffer.from(s, 'latin1');
  const big = new Uint8Array(body.length + 11).fill(0xee);
  big.set(body, 7);
  return big.subarray(7, 7 + body.length);
}

function flow(limits = {}): { ctx: FakeFlowContext; a: HttpStreamAnalyzer } {
  const ctx = new FakeFlowContext('CHttp', ID, limits);
  return { ctx, a: new HttpStreamAnalyzer(ctx) };
}

// A JSON POST as the OCR controller sends it.
const JSON_BODY = '{"event":"ocr_read","crane":"STS-01","container":"MSCU1234565"}';
const POST =
  'POST /api/v1/ocr/reads HTTP/1.1\r\n' + // request line: method SP target SP version
  'Host: tos.example:8080\r\n' + // Host -> host
  'User-Agent: CraneOCR/4.2\r\n' + // -> user_agent
  'Content-Type: application/json; charset=utf-8\r\n' + // -> orig_mime_types (parameters dropped)
  `Content-Length: ${JSON_BODY.length}\r\n` + // body length (RFC 9112 §6.3 rule 6)
  '\r\n' + // end of header section
  JSON_BODY;
const CREATED =
  'HTTP/1.1 201 Created\r\n' + // status line
  'Content-Type: application/json\r\n' +
  'Content-Length: 2\r\n' +
  '\r\n' +
  '{}';

test('grammar: start lines, Content-Length, chunk sizes', () => {
  const rl = view('GET /a?b=1 HTTP/1.0');
  assert.deepEqual(parseRequestLine(rl, 0, rl.length, 100), { method: 'GET', target: '/a?b=1', version: '1.0' });
  const bad = view('GET /a b HTTP/1.1');
  assert.equal(parseRequestLine(bad, 0, bad.length, 100), null);
  const h2 = view('GET / HTTP/2.0');
  assert.equal(parseRequestLine(h2, 0, h2.length, 100), null);
  const sl = view('HTTP/1.1 404 Not Found');
  assert.deepEqual(parseStatusLine(sl, 0, sl.length, 100), { version: '1.1', code: 404, reason: 'Not Found' });
  const sl2 = view('HTTP/1.0 200');
  assert.deepEqual(parseStatusLine(sl2, 0, sl2.length, 100), { version: '1.0', code: 200, reason: '' });
  const cl = view('42, 42');
  assert.equal(parseContentLength(cl, 0, cl.length), 42);
  const cl2 = view('42, 43');
  assert.equal(parseContentLength(cl2, 0, cl2.length), -1);
  const cs = view('1aF;ext=1');
  assert.equal(parseChunkSize(cs, 0, cs.length), 0x1af);
  const cs2 = view('zz');
  assert.equal(parseChunkSize(cs2, 0, cs2.length), -1);
});

test('probe: start lines yes, partial maybe, other protocols no', () => {
  assert.equal(probeHttp(view('POST /x HTTP/1.1\r\nHost: a\r\n'), true, false), 'yes');
  assert.equal(probeHttp(view('HTTP/1.1 200 OK\r\n'), false, false), 'yes');
  assert.equal(probeHttp(view('POS'), true, false), 'maybe');
  assert.equal(probeHttp(view('GET /very-long'), true, false), 'maybe');
  assert.equal(probeHttp(view('SSH-2.0-OpenSSH_9.6\r\n'), true, false), 'no');
  assert.equal(probeHttp(new Uint8Array([0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x01, 0x03]), true, false), 'no');
});

test('a POST and its reply: one Zeek http record and two body excerpts', () => {
  const { ctx, a } = flow();
  a.deliver(true, view(POST), 10.5);
  a.deliver(false, view(CREATED), 10.52);
  a.end(11);
  assert.deepEqual(ctx.services, ['http']);
  assert.deepEqual(ctx.stream('http'), [
    {
      ts: 10.5,
      uid: 'CHttp',
      'id.orig_h': '10.20.1.40',
      'id.orig_p': 51000,
      'id.resp_h': '10.10.0.20',
      'id.resp_p': 8080,
      trans_depth: 1,
      method: 'POST',
      host: 'tos.example:8080',
      uri: '/api/v1/ocr/reads',
      referrer: null,
      version: '1.1',
      user_agent: 'CraneOCR/4.2',
      request_body_len: JSON_BODY.length,
      response_body_len: 2,
      status_code: 201,
      status_msg: 'Created',
      info_code: null,
      info_msg: null,
      tags: [],
      username: null,
      password: null,
      proxied: null,
      orig_fuids: null,
      orig_mime_types: ['application/json'],
      resp_fuids: null,
      resp_mime_types: ['application/json'],
    },
  ]);
  const bodies = ctx.stream('http_body');
  assert.equal(bodies.length, 2);
  assert.equal(bodies[0].body, JSON_BODY);
  assert.equal(bodies[0].is_orig, true);
  assert.equal(bodies[0].truncated, false);
  assert.equal(bodies[1].body, '{}');
  assert.deepEqual(ctx.anomalyNames(), []);
});

test('one byte per segment gives the same records', () => {
  const whole = flow();
  whole.a.deliver(true, view(POST), 1);
  whole.a.deliver(false, view(CREATED), 2);
  whole.a.end(3);
  const { ctx, a } = flow();
  const q = view(POST);
  for (let i = 0; i < q.length; i++) a.deliver(true, q.subarray(i, i + 1), 1);
  const r = view(CREATED);
  for (let i = 0; i < r.length; i++) a.deliver(false, r.subarray(i, i + 1), 2);
  a.end(3);
  assert.deepEqual(ctx.stream('http'), whole.ctx.stream('http'));
  assert.deepEqual(ctx.stream('http_body'), whole.ctx.stream('http_body'));
});

test('pipelining, chunked reply, 100 Continue, HEAD, Basic auth and proxy headers', () => {
  const { ctx, a } = flow();
  a.deliver(
    true,
    view(
      'GET /one HTTP/1.1\r\nHost: h\r\nAuthorization: Basic ' + Buffer.from('ops:secret').toString('base64') + '\r\nX-Forwarded-For: 10.0.0.9\r\n\r\n' +
        'HEAD /two HTTP/1.1\r\nHost: h\r\nReferer: http://h/one\r\n\r\n' +
        'PUT /three HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n' +
        '5\r\nhello\r\n6;x=y\r\n world\r\n0\r\nTrailer: 1\r\n\r\n',
    ),
    1,
  );
  a.deliver(
    false,
    view(
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n3\r\nabc\r\n0\r\n\r\n' + // chunked body "abc"
        'HTTP/1.1 200 OK\r\nContent-Length: 999\r\n\r\n' + // HEAD reply: no body whatever Content-Length says
        'HTTP/1.1 100 Continue\r\n\r\n' + // informational, then the final reply
        'HTTP/1.1 204 No Content\r\n\r\n',
    ),
    2,
  );
  a.end(3);
  const recs = ctx.stream('http');
  assert.deepEqual(
    recs.map((r) => [r.trans_depth, r.method, r.uri, r.status_code, r.request_body_len, r.response_body_len, r.info_code]),
    [
      [1, 'GET', '/one', 200, 0, 3, null],
      [2, 'HEAD', '/two', 200, 0, 0, null],
      [3, 'PUT', '/three', 204, 11, 0, 100],
    ],
  );
  assert.equal(recs[0].username, 'ops');
  assert.equal(recs[0].password, null);
  assert.deepEqual(recs[0].proxied, ['X-FORWARDED-FOR -> 10.0.0.9']);
  assert.equal(recs[1].referrer, 'http://h/one');
  assert.deepEqual(recs[0].resp_mime_types, ['text/plain']);
  const bodies = ctx.stream('http_body');
  assert.deepEqual(bodies.map((b) => [b.trans_depth, b.is_orig, b.body]), [
    [3, true, 'hello world'],
    [1, false, 'abc'],
  ]);
  assert.deepEqual(ctx.anomalyNames(), []);
});

test('a gap inside a body is counted; a gap in the head resyncs at the next request line', () => {
  const { ctx, a } = flow();
  const q = view(POST);
  a.deliver(true, q.subarray(0, q.length - 10), 1);
  a.gap(true, 10, 1.1); // last 10 body bytes lost
  a.deliver(true, view('GET /next HTTP/1.1\r\nHost: t\r\nUser-'), 1.2);
  a.gap(true, 50, 1.3); // head cut
  a.deliver(true, view('junk after the gap\r\nGET /after HTTP/1.1\r\nHost: t\r\n\r\n'), 1.4);
  a.deliver(false, view(CREATED + CREATED + CREATED), 2);
  a.end(3);
  const recs = ctx.stream('http');
  assert.deepEqual(recs.map((r) => [r.trans_depth, r.uri, r.request_body_len, r.status_code]), [
    [1, '/api/v1/ocr/reads', JSON_BODY.length, 201],
    [2, '/next', 0, 201],
    [3, '/after', 0, 201],
  ]);
  assert.equal(ctx.stream('http_body')[0].truncated, true);
  assert.deepEqual(ctx.anomalyNames(), ['http.content_gap']);
});

test('mid-stream start, reply read to the close, bounded body excerpt', () => {
  const { ctx, a } = flow({ maxHttpBodyBytes: 8 });
  a.deliver(false, view('tail of an earlier body\r\nHTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html>0123456789'), 5);
  a.deliver(false, view('more</html>'), 6);
  a.end(7);
  const recs = ctx.stream('http');
  assert.equal(recs.length, 1);
  assert.equal(recs[0].method, null);
  assert.equal(recs[0].status_code, 200);
  assert.equal(recs[0].response_body_len, 27);
  const b = ctx.stream('http_body')[0];
  assert.equal(b.body, '<html>01');
  assert.equal(b.truncated, true);
  assert.deepEqual(ctx.anomalyNames(), ['http.bad_status_line']);
});

test('garbage: violations, then fatal before confirmation; never a throw', () => {
  const { ctx, a } = flow();
  for (let i = 0; i < 5 && !a.done; i++) a.deliver(true, view(`BAD LINE ${i}\r\nmore\r\n`), i);
  assert.equal(a.done, true);
  assert.ok(ctx.anomalyNames().includes('http.too_many_violations'));
  const b = flow();
  b.a.deliver(true, view('POST / HTTP/1.1\r\nContent-Length: x1\r\n\r\nGET / HTTP/1.1\r\n\r\n'), 1);
  b.a.deliver(true, view('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'), 1);
  b.a.end(2);
  assert.deepEqual(b.ctx.anomalyNames(), ['http.bad_content_length', 'http.bad_chunk_size']);
  assert.equal(b.ctx.stream('http').length, 3);
});
