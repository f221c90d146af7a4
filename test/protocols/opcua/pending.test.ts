import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OpcuaStreamAnalyzer } from '../../../src/protocols/opcua/analyzer.js';
import { OpcuaPendingBudget, PENDING_MESSAGE_BYTES, pendingCost } from '../../../src/protocols/opcua/budget.js';
import { Cursor } from '../../../src/protocols/opcua/grammar.js';
import { decodeChunk, type ChannelPolicies } from '../../../src/protocols/opcua/message.js';
import { UaTransactions } from '../../../src/protocols/opcua/transactions.js';
import type { LogRecord, StreamName } from '../../../src/events/record.js';
import { FakeFlowContext } from '../modbus/fake-context.js';
import { bytes, subView, u32, type Field } from './fixtures.js';

const ID = { orig_h: '10.0.0.1', orig_p: 50000, resp_h: '10.0.0.2', resp_p: 4840, proto: 'tcp' as const };

const REQ_HDR: readonly Field[] = [['00 00', 'AuthenticationToken TwoByte 0'], ['0000000000000000', 'Timestamp unset'], [u32(5), 'RequestHandle 5'], [u32(0), 'ReturnDiagnostics'], ['ffffffff', 'AuditEntryId null'], [u32(10000), 'TimeoutHint'], ['00 00 00', 'AdditionalHeader null']];
const RES_HDR: readonly Field[] = [['0000000000000000', 'Timestamp unset'], [u32(5), 'RequestHandle 5'], ['00000000', 'ServiceResult Good'], ['00', 'ServiceDiagnostics empty'], ['ffffffff', 'StringTable null'], ['00 00 00', 'AdditionalHeader null']];

/** ReadRequest parameters (OPC 10000-4 §5.11.2) naming `n` Value attributes of numeric nodes ns 0. */
function readBody(n: number): Field[] {
  return [
    ['0000000000000000', 'MaxAge 0.0 ms'],
    [u32(2), 'TimestampsToReturn 2 Both'],
    [u32(n), `NodesToRead: ${n} ReadValueId`],
    [('01 00 5500' + u32(13) + 'ffffffff' + '0000 ffffffff').repeat(n), 'n × (NodeId FourByte ns 0 id 85, AttributeId 13 Value, IndexRange null, DataEncoding ns 0 name null)'],
  ];
}

/** A MSG F chunk of channel 4 (OPC 10000-6 §6.7.2) with SequenceNumber and RequestId `rq` around a body. */
function msg(rq: number, typeId: string, header: readonly Field[], body: readonly Field[]): Uint8Array {
  const inner = bytes([u32(4), 'TokenId 4'], [u32(rq), 'SequenceNumber'], [u32(rq), 'RequestId'], [typeId, 'TypeId'], ...header, ...body);
  return bytes(['4d534746', 'MSG F'], [u32(12 + inner.length), 'MessageSize'], [u32(4), 'SecureChannelId 4'], [Buffer.from(inner).toString('hex'), 'the rest']);
}

const READ_RES: readonly Field[] = [['ffffffff', 'Results null'], ['ffffffff', 'DiagnosticInfos null']];

const NONE: ChannelPolicies = { secured: () => false, note: () => undefined };

test('a waiting ReadRequest keeps no service body: its nodes are written on arrival, the waiting message holds headers only', () => {
  const chunk = subView(msg(9, '01 00 7702', REQ_HDR, readBody(2048)));
  const m = decodeChunk(new Cursor(), chunk, 0, chunk.length, true, 1, 'CUa-1', NONE, true);
  assert.equal(m.body?.kind, 'read_req', 'the decoded message carries the 2048 ReadValueIds');
  const emitted: string[] = [];
  const budget = new OpcuaPendingBudget();
  const tx = new UaTransactions({ uid: 'CUa', id: ID }, 256, { emit: (s: StreamName, _r: LogRecord) => emitted.push(s) }, budget);
  assert.equal(tx.message(m), 'ok');
  assert.equal(tx.pending, 1);
  assert.equal(m.body, null, 'the message kept while waiting dropped its service body');
  assert.equal(budget.held, PENDING_MESSAGE_BYTES, 'a request without header strings costs the fixed estimate');
  assert.equal(tx.held, PENDING_MESSAGE_BYTES);
  tx.flush();
  assert.deepEqual(emitted, ['opcua_binary']);
  assert.deepEqual([budget.held, tx.held, tx.pending], [0, 0, 0]);

  const ctx = new FakeFlowContext('CUa', ID);
  const a = new OpcuaStreamAnalyzer(ctx, budget);
  a.deliver(true, chunk, 1);
  assert.equal(ctx.stream('opcua_binary_read_nodes_to_read').length, 2048, 'child records are written when the request arrives');
  assert.equal(ctx.stream('opcua_binary').length, 0, 'the request waits for its response');
  a.deliver(false, subView(msg(9, '01 00 7a02', RES_HDR, READ_RES)), 2);
  const [bin] = ctx.stream('opcua_binary');
  assert.deepEqual([bin.req_identifier_str, bin.res_identifier_str, bin.req_opcua_link_id], ['ReadRequest', 'ReadResponse', ctx.stream('opcua_binary_read')[0].opcua_link_id]);
  assert.equal(budget.held, 0, 'pairing gives the budget back');
});

test('pendingCost counts the wire strings a waiting message keeps', () => {
  const token = ['03 0100', 'AuthenticationToken String encoding, ns 1'] as const;
  const hdr: Field[] = [[token[0] + u32(40) + '61'.repeat(40), `${token[1]}, 40 × "a"`], ...REQ_HDR.slice(1)];
  const chunk = msg(3, '01 00 7702', hdr, readBody(1));
  const m = decodeChunk(new Cursor(), chunk, 0, chunk.length, true, 1, 'CUa-1', NONE, true);
  assert.equal(pendingCost(m), PENDING_MESSAGE_BYTES + 2 * 40);
});

test('the run-wide pending budget is shared by flows: beyond it a message is written alone with a weird', () => {
  const budget = new OpcuaPendingBudget(2 * PENDING_MESSAGE_BYTES);
  const ctxA = new FakeFlowContext('CA', ID);
  const ctxB = new FakeFlowContext('CB', { ...ID, orig_p: 50001 });
  const a = new OpcuaStreamAnalyzer(ctxA, budget);
  const b = new OpcuaStreamAnalyzer(ctxB, budget);
  a.deliver(true, msg(1, '01 00 7702', REQ_HDR, readBody(1)), 1);
  a.deliver(true, msg(2, '01 00 7702', REQ_HDR, readBody(1)), 2);
  assert.equal(budget.held, 2 * PENDING_MESSAGE_BYTES);
  b.deliver(true, msg(1, '01 00 7702', REQ_HDR, readBody(1)), 3);
  assert.deepEqual(ctxB.anomalyNames(), ['opcua.pending_budget_exhausted']);
  assert.equal(ctxB.anomalies[0].grade, 'weird');
  assert.deepEqual(ctxB.stream('opcua_binary').map((r) => [r.req_identifier_str, r.res_identifier_str ?? null]), [['ReadRequest', null]], 'written alone at once');
  a.deliver(false, msg(1, '01 00 7a02', RES_HDR, READ_RES), 4);
  assert.equal(budget.held, PENDING_MESSAGE_BYTES);
  b.deliver(true, msg(2, '01 00 7702', REQ_HDR, readBody(1)), 5);
  assert.equal(budget.held, 2 * PENDING_MESSAGE_BYTES, 'room again after a pairing');
  assert.equal(ctxB.stream('opcua_binary').length, 1, 'the second request of B waits');
  a.end(6);
  b.end(6);
  assert.equal(budget.held, 0, 'every flow ended: nothing held');
  assert.deepEqual(ctxA.anomalyNames(), []);
  assert.equal(ctxA.stream('opcua_binary').length, 2);
  assert.equal(ctxB.stream('opcua_binary').length, 2);
});

test('a flow given up on (fatal) gives its waiting messages back to the budget', () => {
  const budget = new OpcuaPendingBudget();
  const ctx = new FakeFlowContext('CF', ID);
  const a = new OpcuaStreamAnalyzer(ctx, budget);
  const malformed = msg(1, '01 00 7702', REQ_HDR, [['00', 'ReadRequest parameters cut short']]);
  a.deliver(true, malformed, 1);
  assert.deepEqual(ctx.anomalyNames(), ['opcua.malformed_body']);
  assert.equal(budget.held, PENDING_MESSAGE_BYTES, 'a request with a malformed body waits, the flow not yet confirmed');
  const garbage = bytes(['58585858 10000000 0000000000000000', 'not a chunk header (16 bytes)']);
  for (let i = 0; i < 3; i++) a.deliver(true, garbage, 2 + i);
  assert.equal(a.done, true);
  assert.equal(ctx.anomalyNames().at(-1), 'opcua.too_many_violations');
  a.end(9);
  assert.equal(budget.held, 0);
});
