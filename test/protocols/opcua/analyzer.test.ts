import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OpcuaStreamAnalyzer } from '../../../src/protocols/opcua/analyzer.js';
import { FakeFlowContext } from '../modbus/fake-context.js';
import { ACK, CLOSE_REQ, CLOSE_RES, HEL, OPN_REQ, OPN_RES, bytes, subView, u32, uaString } from './fixtures.js';

const ID = { orig_h: '10.0.0.1', orig_p: 50000, resp_h: '10.0.0.2', resp_p: 4840, proto: 'tcp' as const };

function setup(limits = {}): { ctx: FakeFlowContext; a: OpcuaStreamAnalyzer } {
  const ctx = new FakeFlowContext('CUa', ID, limits);
  return { ctx, a: new OpcuaStreamAnalyzer(ctx) };
}

/** Deliver `b` in pieces of `n` bytes, each a sub-view of a larger buffer. */
function dribble(a: OpcuaStreamAnalyzer, isOrig: boolean, b: Uint8Array, n: number, ts: number): void {
  for (let i = 0; i < b.length; i += n) a.deliver(isOrig, subView(b.subarray(i, Math.min(b.length, i + n))), ts);
}

/** A copy of `m` with RequestId and SequenceNumber set (secure chunks: offsets 16 and 20 after a symmetric header). */
function withIds(m: Uint8Array, seq: number, rq: number): Uint8Array {
  const c = m.slice();
  const v = new DataView(c.buffer);
  v.setUint32(16, seq, true);
  v.setUint32(20, rq, true);
  return c;
}

test('a whole session in one-byte segments: HEL, ACK, OPN and CloseSession joined, linked, confirmed', () => {
  const { ctx, a } = setup();
  dribble(a, true, HEL, 1, 1);
  dribble(a, false, ACK, 1, 2);
  dribble(a, true, OPN_REQ, 1, 3);
  dribble(a, false, OPN_RES, 1, 4);
  dribble(a, true, CLOSE_REQ, 3, 5);
  dribble(a, false, CLOSE_RES, 5, 6);
  a.end(7);
  assert.deepEqual(ctx.services, ['opcua-binary']);
  assert.deepEqual(ctx.anomalyNames(), []);
  const bin = ctx.stream('opcua_binary');
  assert.deepEqual(
    bin.map((r) => [r.msg_type, r.req_identifier_str ?? null, r.res_identifier_str ?? null, r.total_size]),
    [
      ['HEL', null, null, 56],
      ['ACK', null, null, 28],
      ['OPN', 'OpenSecureChannelRequest', 'OpenSecureChannelResponse', 267],
      ['MSG', 'CloseSessionRequest', 'CloseSessionResponse', 127],
    ],
  );
  assert.equal(bin[0].endpoint_url, 'opc.tcp://localhost:4840');
  const opn = bin[2];
  assert.deepEqual(opn.sec_channel_id, [0, 4]);
  assert.equal(opn.ts, 3);
  assert.equal(opn.sec_policy_uri_len, 47);
  assert.equal(opn.snd_cert_len, -1);
  const close = bin[3];
  assert.deepEqual(close.sec_channel_id, [4]);
  assert.equal(close.req_hdr_node_id_type, '0x04');
  assert.equal(close.req_hdr_node_id_namespace_idx, 1);
  assert.equal(close.req_hdr_node_id_guid, '15161239-f346-346d-fecf-fcbfbacb4c14');
  assert.equal(close.req_hdr_timeout_hint, 10000);
  assert.equal(close.res_hdr_request_handle, 7);
  const status = ctx.stream('opcua_binary_status_code_detail');
  assert.equal(status.length, 2);
  assert.equal(status[1].status_code_link_id, close.status_code_link_id);
  assert.deepEqual([status[1].status_code, status[1].severity_str, status[1].sub_code, status[1].sub_code_str], ['0x80250000', 'Severity_Bad', 0x25, 'BadSessionIdInvalid']);
  assert.deepEqual([status[1].is_orig, status[1].source_h, status[1].destination_p], [false, '10.0.0.2', 50000]);
  assert.equal(status[1].limit_bits, null);
  const osc = ctx.stream('opcua_binary_opensecure_channel');
  assert.deepEqual(
    osc.map((r) => [r.opcua_link_id, r.message_security_mode ?? null, r.req_lifetime ?? null, r.sec_token_id ?? null, r.server_nonce ?? null]),
    [
      [opn.req_opcua_link_id, 1, 600000, null, null],
      [opn.res_opcua_link_id, null, null, 4, ''],
    ],
  );
});

test('resumes at the next chunk after a gap (ICSNPP stops parsing the connection there)', () => {
  const { ctx, a } = setup();
  a.deliver(true, OPN_REQ, 1);
  a.deliver(false, OPN_RES, 2);
  // The first 30 bytes of a ReadRequest-sized chunk arrive, then 45 of its bytes are lost for good.
  a.deliver(true, withIds(CLOSE_REQ, 8, 8).subarray(0, 30), 3);
  a.gap(true, 45, 3);
  // After the gap: the last 20 bytes of some other chunk (not a header), then a whole CloseSessionRequest.
  a.deliver(true, bytes(['00'.repeat(20), 'tail of a chunk whose start was lost']), 4);
  a.deliver(true, CLOSE_REQ, 4);
  a.deliver(false, CLOSE_RES, 5);
  a.end(6);
  assert.deepEqual(ctx.anomalyNames(), [], 'no violation: after a gap the analyzer looks for a header');
  const bin = ctx.stream('opcua_binary');
  assert.deepEqual(
    bin.map((r) => [r.msg_type, r.request_id, r.req_identifier_str ?? null, r.res_identifier_str ?? null]),
    [
      ['OPN', 1, 'OpenSecureChannelRequest', 'OpenSecureChannelResponse'],
      ['MSG', 9, 'CloseSessionRequest', 'CloseSessionResponse'],
    ],
  );
});

test('mid-stream start: the first bytes seen are a MSG chunk', () => {
  const { ctx, a } = setup();
  a.deliver(false, CLOSE_RES, 1);
  a.deliver(true, withIds(CLOSE_REQ, 10, 10), 2);
  a.end(3);
  assert.deepEqual(ctx.services, ['opcua-binary']);
  const bin = ctx.stream('opcua_binary');
  // A response first waits, the request of another id too; both are written at the end, request first.
  assert.deepEqual(
    bin.map((r) => [r.request_id, r.req_identifier_str ?? null, r.res_identifier_str ?? null, r.total_size]),
    [
      [10, 'CloseSessionRequest', null, 75],
      [9, null, 'CloseSessionResponse', 52],
    ],
  );
});

const POLICY_B256 = 'http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256';

/** An OPN of policy Basic256Sha256 whose sequence header and body are ciphertext. */
function securedOpn(channel: number): Uint8Array {
  const body = bytes(['5a'.repeat(40), 'encrypted sequence header and body']);
  const uri = uaString(POLICY_B256);
  const size = 8 + 4 + uri.length / 2 + 4 + 3 + 4 + body.length;
  return bytes(
    ['4f504e46', 'OPN F'],
    [u32(size), 'MessageSize'],
    [u32(channel), 'SecureChannelId'],
    [uri, 'SecurityPolicyUri Basic256Sha256'],
    [u32(3), 'SenderCertificate length 3'],
    ['308201', 'certificate bytes'],
    ['ffffffff', 'ReceiverCertificateThumbprint null'],
    ['5a'.repeat(40), 'ciphertext'],
  );
}

test('a channel with a policy other than None is logged at header level only', () => {
  const { ctx, a } = setup();
  a.deliver(true, securedOpn(0), 1);
  a.deliver(false, securedOpn(6), 2);
  // A MSG of channel 6 whose body is ciphertext.
  a.deliver(true, bytes(['4d534746', 'MSG F'], [u32(40), 'size 40'], [u32(6), 'SecureChannelId 6'], [u32(1), 'TokenId'], ['a5'.repeat(24), 'ciphertext']), 3);
  // A MSG of channel 6 in MessageSecurityMode Sign: the body is plain text followed by a signature.
  const signed = withIds(CLOSE_RES, 2, 2);
  new DataView(signed.buffer).setUint32(8, 6, true);
  a.deliver(false, signed, 4);
  a.end(5);
  assert.deepEqual(ctx.anomalyNames(), []);
  const bin = ctx.stream('opcua_binary');
  assert.deepEqual(
    bin.map((r) => [r.msg_type, r.sec_policy_uri ?? null, r.snd_cert ?? null, r.request_id ?? null, r.res_identifier_str ?? null]),
    [
      ['OPN', POLICY_B256, '0x308201', null, null],
      ['OPN', POLICY_B256, '0x308201', null, null],
      ['MSG', null, null, null, null],
      ['MSG', null, null, 2, 'CloseSessionResponse'],
    ],
  );
  assert.deepEqual(ctx.stream('opcua_binary_opensecure_channel'), []);
});

test('a chunk larger than maxAnalyzerBufferBytes is skipped across deliveries, the next one parsed', () => {
  const { ctx, a } = setup({ maxAnalyzerBufferBytes: 100 });
  const big = bytes(['4d534746', 'MSG F'], [u32(300), 'size 300'], ['00'.repeat(292), 'body']);
  a.deliver(true, big.subarray(0, 120), 1);
  a.deliver(true, big.subarray(120, 250), 1);
  const rest = new Uint8Array(50 + CLOSE_REQ.length);
  rest.set(big.subarray(250), 0);
  rest.set(CLOSE_REQ, 50);
  a.deliver(true, rest, 2);
  a.end(3);
  assert.deepEqual(ctx.anomalyNames(), ['opcua.chunk_too_large']);
  assert.deepEqual(ctx.stream('opcua_binary').map((r) => r.req_identifier_str), ['CloseSessionRequest']);
});

test('bytes that are not OPC UA: violations, then fatal before confirmation', () => {
  const { ctx, a } = setup();
  a.deliver(true, bytes(['474554202f20485454502f312e310d0a', 'GET / HTTP/1.1']), 1);
  a.gap(true, 10, 1);
  a.deliver(true, bytes(['0102030405060708090a', 'garbage']), 2);
  assert.equal(a.done, false);
  a.gap(true, 10, 2);
  a.deliver(true, bytes(['1112131415161718191a', 'garbage']), 3);
  assert.equal(a.done, true);
  assert.deepEqual(ctx.anomalyNames(), ['opcua.invalid_chunk_header', 'opcua.invalid_chunk_header', 'opcua.too_many_violations']);
  assert.deepEqual(ctx.services, []);
});

test('pending table full: the request is written alone with a weird', () => {
  const { ctx, a } = setup({ maxPendingRequests: 2 });
  for (let i = 1; i <= 3; i++) a.deliver(true, withIds(CLOSE_REQ, i, i), i);
  assert.deepEqual(ctx.anomalyNames(), ['opcua.pending_overflow']);
  assert.deepEqual(ctx.stream('opcua_binary').map((r) => r.request_id), [3]);
  a.end(4);
  assert.deepEqual(ctx.stream('opcua_binary').map((r) => r.request_id), [3, 1, 2]);
});

test('a multi-chunk message: the first C chunk is decoded, the following chunks of its RequestId are not', () => {
  const { ctx, a } = setup();
  const first = withIds(CLOSE_REQ, 20, 20);
  first[3] = 0x43; // ChunkType C
  const last = bytes(['4d534746', 'MSG F'], [u32(28), 'size 28'], [u32(4), 'SecureChannelId'], [u32(4), 'TokenId'], [u32(21), 'SequenceNumber 21'], [u32(20), 'RequestId 20'], ['01d9', 'continuation bytes that look like a type id'], ['0000', 'more']);
  a.deliver(true, first, 1);
  a.deliver(true, last, 2);
  a.end(3);
  const bin = ctx.stream('opcua_binary');
  assert.deepEqual(
    bin.map((r) => [r.is_final, r.request_id, r.req_seq_number ?? null, r.req_identifier_str ?? null, r.res_seq_number ?? null]),
    // The final chunk has no type id of its own: like ICSNPP, it waits as a response and is written
    // after the waiting requests when the flow ends.
    [
      ['C', 20, 20, 'CloseSessionRequest', null],
      ['F', 20, null, null, 21],
    ],
  );
});

test('a None-policy body that does not parse: weird, header fields kept', () => {
  const { ctx, a } = setup();
  const cut = bytes(['4d534746', 'MSG F'], [u32(33), 'size 33'], [u32(4), 'SecureChannelId'], [u32(4), 'TokenId'], [u32(5), 'SequenceNumber'], [u32(5), 'RequestId'], ['01 00 d901', 'CloseSessionRequest'], ['04 0100', 'Guid token, ns 1'], ['3912', '2 of 16 GUID bytes']);
  a.deliver(true, cut, 1);
  a.end(2);
  assert.deepEqual(ctx.anomalyNames(), ['opcua.malformed_body']);
  const [r] = ctx.stream('opcua_binary');
  assert.deepEqual([r.request_id, r.req_identifier_str, r.req_hdr_node_id_type], [5, 'CloseSessionRequest', null]);
});

test('ERR is logged at once with its code and reason', () => {
  const { ctx, a } = setup();
  a.deliver(false, bytes(['45525246', 'ERR F'], [u32(25), 'size'], ['00008380', 'BadTcpEndpointUrlInvalid'], [uaString('bad url a'), 'Reason']), 1);
  const [r] = ctx.stream('opcua_binary');
  assert.deepEqual([r.msg_type, r.error, r.reason, r.total_size], ['ERR', 0x80830000, 'bad url a', 25]);
});
