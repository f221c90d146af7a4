import assert from 'node:assert/strict';
import { test } from 'node:test';
import { streamSchema } from '../../../src/events/schema.js';
import { OpcuaStreamAnalyzer } from '../../../src/protocols/opcua/analyzer.js';
import { Cursor } from '../../../src/protocols/opcua/grammar.js';
import { CallServiceId, decodeCallBody } from '../../../src/protocols/opcua/method-services.js';
import { SubscriptionServiceId, decodeSubscriptionBody } from '../../../src/protocols/opcua/subscription-services.js';
import { FakeFlowContext } from '../modbus/fake-context.js';
import { bytes, subView, u32, uaString, type Field } from './fixtures.js';

function cursor(b: Uint8Array): Cursor {
  const c = new Cursor();
  c.reset(b, 0, b.length);
  return c;
}

/** A MSG chunk of channel 4 around a body. */
function msg(rq: number, typeId: string, header: readonly Field[], body: readonly Field[]): Uint8Array {
  const inner = bytes([u32(4), 'TokenId 4'], [u32(rq), 'SequenceNumber'], [u32(rq), 'RequestId'], [typeId, 'TypeId'], ...header, ...body);
  return bytes(['4d534746', 'MSG F'], [u32(12 + inner.length), 'MessageSize'], [u32(4), 'SecureChannelId 4'], [Buffer.from(inner).toString('hex'), 'the rest']);
}

const REQ_HDR: readonly Field[] = [['00 00', 'AuthenticationToken TwoByte 0'], ['0000000000000000', 'Timestamp unset'], [u32(5), 'RequestHandle 5'], [u32(0), 'ReturnDiagnostics'], ['ffffffff', 'AuditEntryId null'], [u32(10000), 'TimeoutHint'], ['00 00 00', 'AdditionalHeader null']];
const RES_HDR: readonly Field[] = [['0000000000000000', 'Timestamp unset'], [u32(5), 'RequestHandle 5'], ['00000000', 'ServiceResult Good'], ['00', 'ServiceDiagnostics empty'], ['ffffffff', 'StringTable null'], ['00 00 00', 'AdditionalHeader null']];

function flow(uid: string, limits: { maxVectorLength?: number } = {}): { ctx: FakeFlowContext; a: OpcuaStreamAnalyzer } {
  const ctx = new FakeFlowContext(uid, { orig_h: '10.0.0.1', orig_p: 50000, resp_h: '10.0.0.2', resp_p: 4840, proto: 'tcp' }, limits);
  return { ctx, a: new OpcuaStreamAnalyzer(ctx) };
}

/** CallRequest body of malcolm-pcap OPCUA-Binary.pcap frame 983 (open62541 example "hello world" method). */
const CALL_REQ_BODY: readonly Field[] = [
  [u32(1), 'MethodsToCall: 1 CallMethodRequest'],
  ['00 55', 'ObjectId TwoByte 85 (Objects folder)'],
  ['01 01 4df4', 'MethodId FourByte, namespace 1, id 62541'],
  [u32(1), 'InputArguments: 1 Variant'],
  ['0c', 'Variant encoding: String scalar'],
  [uaString('Hello Server'), 'String "Hello Server"'],
];

/** A CallResponse with one result: Good, two InputArgumentResults, diagnostics, two output arguments. */
const CALL_RES_BODY: readonly Field[] = [
  [u32(1), 'Results: 1 CallMethodResult'],
  ['00000000', 'StatusCode Good'],
  [u32(2), 'InputArgumentResults: 2 StatusCodes'],
  ['00000000', 'Good'],
  ['00007480', '0x80740000 BadTypeMismatch'],
  [u32(1), 'InputArgumentDiagnosticInfos: 1'],
  ['01 07000000', 'DiagnosticInfo mask SymbolicId, SymbolicId 7'],
  [u32(2), 'OutputArguments: 2 Variants'],
  ['0c', 'Variant String scalar'],
  [uaString('Hello Client'), 'String "Hello Client"'],
  ['86', 'Variant Int32 array'],
  [u32(3), '3 elements'],
  [u32(1) + u32(2) + u32(3), 'Int32 1, 2, 3'],
  ['ffffffff', 'DiagnosticInfos null'],
];

test('CallRequest body (sub-view buffer): object, method, input argument types', () => {
  const c = cursor(subView(bytes(...CALL_REQ_BODY)));
  const b = decodeCallBody(c, CallServiceId.CallRequest, 2048);
  assert.equal(c.bad, false);
  assert.equal(c.pos, c.end);
  assert.ok(b !== null && b.kind === 'call_req');
  const [m] = b.methods;
  assert.deepEqual([m.objectId.encoding, m.objectId.numeric, m.methodId.ns, m.methodId.numeric, m.inputCount], [0, 85, 1, 62541, 1]);
  assert.deepEqual(m.inputs, [{ mask: 0x0c, arrayLength: -1, dims: -1 }]);
  assert.equal(decodeCallBody(cursor(bytes(['00', 'x'])), 9999, 10), null);
});

test('CallResponse body: status, input argument results, output argument types; diagnostics skipped', () => {
  const c = cursor(subView(bytes(...CALL_RES_BODY, ['ee', 'next field'])));
  const b = decodeCallBody(c, CallServiceId.CallResponse, 2048);
  assert.equal(c.bad, false);
  assert.equal(c.b[c.pos], 0xee);
  assert.ok(b !== null && b.kind === 'call_res');
  const [r] = b.results;
  assert.deepEqual([r.status, r.inputResultCount, r.inputResults, r.outputCount], [0, 2, [0, 0x80740000], 2]);
  assert.deepEqual(r.outputs, [{ mask: 0x0c, arrayLength: -1, dims: -1 }, { mask: 0x86, arrayLength: 3, dims: -1 }]);
});

test('Call over the analyzer: call, call_method, call_result, variant_metadata and status rows, all linked', () => {
  const { ctx, a } = flow('CCa');
  a.deliver(true, msg(24, '01 00 c802', REQ_HDR, CALL_REQ_BODY), 1);
  a.deliver(false, msg(24, '01 00 cb02', RES_HDR, CALL_RES_BODY), 2);
  a.end(3);
  assert.deepEqual(ctx.anomalyNames(), []);
  const [bin] = ctx.stream('opcua_binary');
  assert.deepEqual([bin.req_identifier_str, bin.res_identifier_str], ['CallRequest', 'CallResponse']);
  const calls = ctx.stream('opcua_binary_call');
  assert.deepEqual(calls.map((r) => r.opcua_link_id), [bin.req_opcua_link_id, bin.res_opcua_link_id]);
  const [method] = ctx.stream('opcua_binary_call_method');
  assert.equal(method.call_method_link_id, calls[0].call_method_link_id);
  assert.equal(calls[0].call_result_link_id, null);
  assert.deepEqual(
    [method.object_id_encoding_mask, method.object_id_namespace_idx, method.object_id_numeric, method.method_id_encoding_mask, method.method_id_namespace_idx, method.method_id_numeric, method.input_argument_count],
    ['0x00', null, 85, '0x01', 1, 62541, 1],
  );
  const variants = ctx.stream('opcua_binary_variant_metadata');
  assert.deepEqual(
    variants.map((v) => [v.variant_data_source, v.variant_data_source_str, v.dara_variant_encoding_mask, v.data_variant_data_type_str, v.built_in_data_type, v.built_in_data_type_str, v.variant_data_array_dim]),
    [
      [5, 'CallInputArgument_Variant', '0x0c', 'Value', 12, 'String', null],
      [6, 'CallOutputArgument_Variant', '0x0c', 'Value', 12, 'String', null],
      [6, 'CallOutputArgument_Variant', '0x86', 'Array', 6, 'Int32', 3],
    ],
  );
  assert.equal(variants[0].variant_source_data_link_id, method.input_arguments_variant_metadata_link_id);
  const [result] = ctx.stream('opcua_binary_call_result');
  assert.equal(result.call_result_link_id, calls[1].call_result_link_id);
  assert.deepEqual([result.input_argument_result_count, result.output_argument_count], [2, 2]);
  assert.equal(variants[1].variant_source_data_link_id, result.output_arguments_variant_metadata_link_id);
  assert.equal(variants[2].variant_source_data_link_id, result.output_arguments_variant_metadata_link_id);
  const status = ctx.stream('opcua_binary_status_code_detail');
  assert.deepEqual(
    status.map((s) => [s.source, s.source_str, s.sub_code_str, s.status_code_link_id === result.status_code_link_id, s.status_code_link_id === result.input_argument_results_status_code_link_id]),
    [
      [0, 'ResponseHeader', 'Good', false, false],
      [20, 'Call', 'Good', true, false],
      [21, 'Call_InputArgument', 'Good', false, true],
      [21, 'Call_InputArgument', 'BadTypeMismatch', false, true],
    ],
  );
});

test('Write value type: one variant_metadata row (source 4 Write_Variant) linked from the write row', () => {
  const { ctx, a } = flow('CWv');
  a.deliver(
    true,
    msg(8, '01 00 a102', REQ_HDR, [
      [u32(2), 'NodesToWrite: 2 WriteValues'],
      ['01 02 e803', 'NodeId FourByte, namespace 2, id 1000'],
      [u32(13), 'AttributeId 13 Value'],
      ['ffffffff', 'IndexRange null'],
      ['01', 'DataValue mask: Value'],
      ['cb', 'Variant Double array with ArrayDimensions'],
      [u32(2), '2 elements'],
      ['000000000000f03f 0000000000000040', 'Double 1.0, 2.0'],
      [u32(2), 'ArrayDimensions: 2'],
      [u32(1) + u32(2), 'dimensions 1 × 2'],
      ['00 55', 'NodeId TwoByte 85'],
      [u32(13), 'AttributeId 13 Value'],
      ['ffffffff', 'IndexRange null'],
      ['02', 'DataValue mask: StatusCode only (no value)'],
      ['00000000', 'StatusCode Good'],
    ]),
    1,
  );
  a.end(2);
  assert.deepEqual(ctx.anomalyNames(), []);
  const w = ctx.stream('opcua_binary_write');
  const v = ctx.stream('opcua_binary_variant_metadata');
  assert.equal(v.length, 1);
  assert.equal(v[0].variant_source_data_link_id, w[0].write_results_variant_metadata_link_id);
  assert.equal(w[1].write_results_variant_metadata_link_id, null);
  assert.deepEqual([v[0].variant_data_source_str, v[0].dara_variant_encoding_mask, v[0].data_variant_data_type_str, v[0].built_in_data_type_str, v[0].variant_data_array_dim], ['Write_Variant', '0xcb', 'MultiDimArray', 'Double', 2]);
});

/** PublishRequest body: two SubscriptionAcknowledgements. */
const PUBLISH_REQ_BODY: readonly Field[] = [
  [u32(2), 'SubscriptionAcknowledgements: 2'],
  [u32(1) + u32(7), 'SubscriptionId 1, SequenceNumber 7'],
  [u32(1) + u32(8), 'SubscriptionId 1, SequenceNumber 8'],
];

/** PublishResponse body: a NotificationMessage with one notification of each type, two ack results. */
const PUBLISH_RES_BODY: readonly Field[] = [
  [u32(1), 'SubscriptionId 1'],
  [u32(2), 'AvailableSequenceNumbers: 2'],
  [u32(9) + u32(10), '9, 10'],
  ['01', 'MoreNotifications true'],
  [u32(10), 'NotificationMessage.SequenceNumber 10'],
  ['80611ef2b742d801', 'PublishTime (2022-03-28)'],
  [u32(3), 'NotificationData: 3 ExtensionObjects'],
  ['01 00 2b03 01', 'TypeId FourByte 811 DataChangeNotification, binary body'],
  [u32(29), 'body length 29'],
  [u32(2), 'MonitoredItems: 2'],
  [u32(6), 'ClientHandle 6'],
  ['01 01 01', 'DataValue mask Value, Variant Boolean true'],
  [u32(5), 'ClientHandle 5'],
  ['03 06 2a000000 00000000', 'DataValue mask Value|StatusCode, Variant Int32 42, StatusCode Good'],
  ['ffffffff', 'DiagnosticInfos null'],
  ['01 00 9403 01', 'TypeId FourByte 916 EventNotificationList, binary body'],
  [u32(18), 'body length 18'],
  [u32(1), 'Events: 1 EventFieldList'],
  [u32(3), 'ClientHandle 3'],
  [u32(2), 'EventFields: 2 Variants'],
  ['07 01000000', 'Variant UInt32 1'],
  ['00', 'Variant null'],
  ['01 00 3403 01', 'TypeId FourByte 820 StatusChangeNotification, binary body'],
  [u32(5), 'body length 5'],
  ['00000a80', 'Status 0x800a0000 BadTimeout'],
  ['00', 'DiagnosticInfo empty'],
  [u32(2), 'Results: 2'],
  ['00000000', 'Good'],
  ['00007a80', '0x807a0000 BadSequenceNumberUnknown'],
  ['ffffffff', 'DiagnosticInfos null'],
];

test('Publish request and response bodies (sub-view buffers): acknowledgements, notification counts by type', () => {
  const req = decodeSubscriptionBody(cursor(subView(bytes(...PUBLISH_REQ_BODY))), SubscriptionServiceId.PublishRequest, 2048);
  assert.deepEqual(req, { kind: 'publish_req', ackSubscriptionIds: [1, 1], ackSequenceNumbers: [7, 8], dropped: 0 });
  const c = cursor(subView(bytes(...PUBLISH_RES_BODY, ['ee', 'next field'])));
  const res = decodeSubscriptionBody(c, SubscriptionServiceId.PublishResponse, 2048);
  assert.equal(c.bad, false);
  assert.equal(c.b[c.pos], 0xee);
  assert.ok(res !== null && res.kind === 'publish_res');
  assert.deepEqual([res.subscriptionId, res.availableSequenceNumbers, res.moreNotifications, res.results], [1, [9, 10], true, [0, 0x807a0000]]);
  const { publishTime, ...counts } = res.message;
  assert.ok(publishTime !== null && Math.abs(publishTime - 1648481081.5955328) < 1e-6);
  assert.deepEqual(counts, { sequenceNumber: 10, dataCount: 3, dataChanges: 1, monitoredItems: 2, eventLists: 1, events: 1, statusChanges: 1, statusChangeCodes: [0x800a0000] });
});

test('Publish over the analyzer: request and response rows, ack results and status change in status_code_detail', () => {
  const { ctx, a } = flow('CPu');
  a.deliver(true, msg(9, '01 00 3a03', REQ_HDR, PUBLISH_REQ_BODY), 1);
  a.deliver(false, msg(9, '01 00 3d03', RES_HDR, PUBLISH_RES_BODY), 2);
  a.end(3);
  assert.deepEqual(ctx.anomalyNames(), []);
  const [req, res] = ctx.stream('opcua_binary_publish');
  assert.deepEqual([req.ack_subscription_ids, req.ack_sequence_numbers, req.subscription_id, req.notification_sequence_number], [[1, 1], [7, 8], null, null]);
  assert.deepEqual(
    [res.subscription_id, res.available_sequence_numbers, res.more_notifications, res.notification_sequence_number, res.notification_data_count, res.data_change_notifications, res.monitored_item_notifications, res.event_notification_lists, res.event_field_lists, res.status_change_notifications],
    [1, [9, 10], true, 10, 3, 1, 2, 1, 1, 1],
  );
  const status = ctx.stream('opcua_binary_status_code_detail');
  assert.deepEqual(
    status.filter((s) => s.source !== 0).map((s) => [s.source, s.source_str, s.sub_code_str, s.status_code_link_id === res.status_code_link_id, s.status_code_link_id === res.status_change_status_code_link_id]),
    [
      [24, 'StatusChangeNotification', 'BadTimeout', false, true],
      [23, 'Publish', 'Good', true, false],
      [23, 'Publish', 'BadSequenceNumberUnknown', true, false],
    ],
  );
});

test('NotificationData body longer than its ByteString is malformed (reads stay inside the body)', () => {
  const lying: Field[] = [
    [u32(1), 'SubscriptionId 1'],
    ['ffffffff', 'AvailableSequenceNumbers null'],
    ['00', 'MoreNotifications false'],
    [u32(1), 'SequenceNumber 1'],
    ['0000000000000000', 'PublishTime unset'],
    [u32(1), 'NotificationData: 1'],
    ['01 00 2b03 01', 'DataChangeNotification, binary body'],
    [u32(4), 'body length 4: only the item count fits'],
    [u32(1), 'MonitoredItems: 1 (its ClientHandle and DataValue lie past the body)'],
    [u32(6), 'ClientHandle 6'],
    ['00', 'DataValue empty'],
    ['ffffffff ffffffff', 'Results null, DiagnosticInfos null'],
  ];
  const c = cursor(bytes(...lying));
  decodeSubscriptionBody(c, SubscriptionServiceId.PublishResponse, 2048);
  assert.equal(c.bad, true);
  const { ctx, a } = flow('CPm');
  a.deliver(false, msg(9, '01 00 3d03', RES_HDR, lying), 1);
  a.end(2);
  assert.deepEqual(ctx.anomalyNames(), ['opcua.malformed_body']);
  assert.equal(ctx.stream('opcua_binary_publish').length, 0);
});

test('Vectors beyond maxVectorLength: kept up to the cap, the rest counted, opcua.vector_truncated reported', () => {
  const ids: Field[] = [[u32(5), 'SubscriptionIds: 5'], [[1, 2, 3, 4, 5].map(u32).join(''), 'ids 1..5']];
  const b = decodeSubscriptionBody(cursor(bytes(...ids)), SubscriptionServiceId.DeleteSubscriptionsRequest, 3);
  assert.deepEqual(b, { kind: 'delete_subscriptions_req', subscriptionIds: [1, 2, 3], dropped: 2 });
  const { ctx, a } = flow('CVt', { maxVectorLength: 3 });
  a.deliver(true, msg(23, '01 00 4f03', REQ_HDR, ids), 1);
  a.end(2);
  assert.deepEqual(ctx.anomalyNames(), ['opcua.vector_truncated']);
  assert.deepEqual(ctx.stream('opcua_binary_delete_subscriptions')[0].subscription_ids, [1, 2, 3]);
  const huge = cursor(bytes([u32(0x7fffffff), 'SubscriptionIds: 2^31-1 (cannot fit a chunk)']));
  decodeSubscriptionBody(huge, SubscriptionServiceId.DeleteSubscriptionsRequest, 3);
  assert.equal(huge.bad, true);
});

test('Subscription life cycle over the analyzer: Modify, SetPublishingMode, Republish, DeleteSubscriptions', () => {
  const { ctx, a } = flow('CSl');
  const results = (n: number, code: string): Field[] => [[u32(n), `Results: ${n}`], [code.repeat(n), 'StatusCodes'], ['ffffffff', 'DiagnosticInfos null']];
  a.deliver(
    true,
    msg(30, '01 00 1903', REQ_HDR, [
      [u32(1), 'SubscriptionId 1'],
      ['0000000000408f40', 'RequestedPublishingInterval 1000.0 ms'],
      [u32(600), 'RequestedLifetimeCount'],
      [u32(20), 'RequestedMaxKeepAliveCount'],
      [u32(100), 'MaxNotificationsPerPublish'],
      ['07', 'Priority 7'],
    ]),
    1,
  );
  a.deliver(false, msg(30, '01 00 1c03', RES_HDR, [['0000000000407f40', 'RevisedPublishingInterval 500.0'], [u32(300), 'RevisedLifetimeCount'], [u32(10), 'RevisedMaxKeepAliveCount']]), 2);
  a.deliver(true, msg(31, '01 00 1f03', REQ_HDR, [['00', 'PublishingEnabled false'], [u32(2), 'SubscriptionIds: 2'], [u32(1) + u32(2), '1, 2']]), 3);
  a.deliver(false, msg(31, '01 00 2203', RES_HDR, results(2, '00000000')), 4);
  a.deliver(true, msg(32, '01 00 4003', REQ_HDR, [[u32(1), 'SubscriptionId 1'], [u32(7), 'RetransmitSequenceNumber 7']]), 5);
  a.deliver(false, msg(32, '01 00 4303', RES_HDR, [[u32(7), 'SequenceNumber 7'], ['0000000000000000', 'PublishTime unset'], ['ffffffff', 'NotificationData null']]), 6);
  a.deliver(true, msg(33, '01 00 4f03', REQ_HDR, [[u32(1), 'SubscriptionIds: 1'], [u32(1), '1']]), 7);
  a.deliver(false, msg(33, '01 00 5203', RES_HDR, results(1, '00007980')), 8);
  a.end(9);
  assert.deepEqual(ctx.anomalyNames(), []);
  const mod = ctx.stream('opcua_binary_modify_subscription');
  assert.deepEqual(
    mod.map((r) => [r.subscription_id, r.requested_publishing_interval, r.requested_lifetime_count, r.requested_max_keep_alive_count, r.max_notifications_per_publish, r.priority, r.revised_publishing_interval, r.revised_lifetime_count, r.revised_max_keep_alive_count]),
    [
      [1, 1000, 600, 20, 100, 7, null, null, null],
      [null, null, null, null, null, null, 500, 300, 10],
    ],
  );
  const spm = ctx.stream('opcua_binary_set_publishing_mode');
  assert.deepEqual(spm.map((r) => [r.publishing_enabled, r.subscription_ids, typeof r.status_code_link_id]), [[false, [1, 2], 'object'], [null, null, 'string']]);
  const rep = ctx.stream('opcua_binary_republish');
  assert.deepEqual(rep.map((r) => [r.subscription_id, r.retransmit_sequence_number, r.notification_sequence_number, r.publish_time, r.notification_data_count]), [[1, 7, null, null, null], [null, null, 7, null, 0]]);
  const del = ctx.stream('opcua_binary_delete_subscriptions');
  assert.deepEqual(del.map((r) => [r.subscription_ids, typeof r.status_code_link_id]), [[[1], 'object'], [null, 'string']]);
  const status = ctx.stream('opcua_binary_status_code_detail').filter((s) => s.source !== 0);
  assert.deepEqual(status.map((s) => [s.source_str, s.sub_code_str]), [['SetPublishingMode', 'Good'], ['SetPublishingMode', 'Good'], ['DeleteSubscriptions', 'BadNoSubscription']]);
  assert.equal(status[2].status_code_link_id, del[1].status_code_link_id);
  const links = new Set(ctx.stream('opcua_binary').flatMap((r) => [r.req_opcua_link_id, r.res_opcua_link_id]));
  for (const r of [...mod, ...spm, ...rep, ...del]) assert.ok(links.has(r.opcua_link_id), String(r.opcua_link_id));
});

test('Monitored items over the analyzer: ModifyMonitoredItems with items and results, SetMonitoringMode, DeleteMonitoredItems', () => {
  const { ctx, a } = flow('CMi');
  a.deliver(
    true,
    msg(40, '01 00 fb02', REQ_HDR, [
      [u32(1), 'SubscriptionId 1'],
      [u32(2), 'TimestampsToReturn 2 Both'],
      [u32(1), 'ItemsToModify: 1'],
      [u32(3), 'MonitoredItemId 3'],
      [u32(6), 'RequestedParameters.ClientHandle 6'],
      ['0000000000407f40', 'SamplingInterval 500.0'],
      ['01 00 d402 01', 'Filter: TypeId FourByte 724 DataChangeFilter, binary body'],
      [u32(16), 'body length 16'],
      [u32(1) + u32(0) + '0000000000000000', 'Trigger StatusValue, DeadbandType None, DeadbandValue 0.0'],
      [u32(10), 'QueueSize 10'],
      ['01', 'DiscardOldest true'],
    ]),
    1,
  );
  a.deliver(
    false,
    msg(40, '01 00 fe02', RES_HDR, [
      [u32(1), 'Results: 1'],
      ['00000000', 'StatusCode Good'],
      ['0000000000408f40', 'RevisedSamplingInterval 1000.0'],
      [u32(5), 'RevisedQueueSize 5'],
      ['00 00 00', 'FilterResult null'],
      ['ffffffff', 'DiagnosticInfos null'],
    ]),
    2,
  );
  a.deliver(true, msg(41, '01 00 0103', REQ_HDR, [[u32(1), 'SubscriptionId 1'], [u32(1), 'MonitoringMode 1 Sampling'], [u32(2), 'MonitoredItemIds: 2'], [u32(3) + u32(4), '3, 4']]), 3);
  a.deliver(false, msg(41, '01 00 0403', RES_HDR, [[u32(2), 'Results: 2'], ['00000000' + '00004280', 'Good, 0x80420000 BadMonitoredItemIdInvalid'], ['ffffffff', 'DiagnosticInfos null']]), 4);
  a.deliver(true, msg(42, '01 00 0d03', REQ_HDR, [[u32(1), 'SubscriptionId 1'], [u32(1), 'MonitoredItemIds: 1'], [u32(3), '3']]), 5);
  a.deliver(false, msg(42, '01 00 1003', RES_HDR, [[u32(1), 'Results: 1'], ['00000000', 'Good'], ['ffffffff', 'DiagnosticInfos null']]), 6);
  a.end(7);
  assert.deepEqual(ctx.anomalyNames(), []);
  const mmi = ctx.stream('opcua_binary_modify_monitored_items');
  assert.deepEqual(mmi.map((r) => [r.subscription_id, r.timestamps_to_return, r.timestamps_to_return_str]), [[1, 2, 'Both'], [null, null, null]]);
  const items = ctx.stream('opcua_binary_modify_monitored_items_modify_item');
  assert.deepEqual(
    items.map((r) => [r.modify_item_link_id, r.monitored_item_id, r.monitoring_parameters_client_handle, r.monitoring_parameters_sampling_interval, r.monitoring_parameters_queue_size, r.monitoring_parameters_discard_oldest, r.monitoring_parameters_filter_info_type_id_string, r.monitoring_parameters_revised_sampling_interval, r.monitoring_parameters_revised_queue_size]),
    [
      [mmi[0].modify_item_link_id, 3, 6, 500, 10, true, 'DataChangeFilter', null, null],
      [mmi[1].modify_item_link_id, null, null, null, null, null, null, 1000, 5],
    ],
  );
  assert.equal('opcua_link_id' in items[0], false);
  const smm = ctx.stream('opcua_binary_set_monitoring_mode');
  assert.deepEqual(smm.map((r) => [r.subscription_id, r.monitoring_mode, r.monitored_item_ids]), [[1, 'Sampling', [3, 4]], [null, null, null]]);
  const dmi = ctx.stream('opcua_binary_delete_monitored_items');
  assert.deepEqual(dmi.map((r) => [r.subscription_id, r.monitored_item_ids]), [[1, [3]], [null, null]]);
  const status = ctx.stream('opcua_binary_status_code_detail').filter((s) => s.source !== 0);
  assert.deepEqual(status.map((s) => [s.source, s.sub_code_str]), [[26, 'Good'], [27, 'Good'], [27, 'BadMonitoredItemIdInvalid'], [28, 'Good']]);
  assert.equal(status[0].status_code_link_id, items[1].monitoring_parameters_status_code_link_id);
});

test('Every record of the new streams has its schema\'s fields, in schema order', () => {
  const { ctx, a } = flow('CSo');
  a.deliver(true, msg(24, '01 00 c802', REQ_HDR, CALL_REQ_BODY), 1);
  a.deliver(false, msg(24, '01 00 cb02', RES_HDR, CALL_RES_BODY), 2);
  a.deliver(true, msg(9, '01 00 3a03', REQ_HDR, PUBLISH_REQ_BODY), 3);
  a.deliver(false, msg(9, '01 00 3d03', RES_HDR, PUBLISH_RES_BODY), 4);
  const ids: Field[] = [[u32(1), 'SubscriptionId 1'], [u32(1), 'MonitoredItemIds: 1'], [u32(3), '3']];
  const ok: Field[] = [[u32(1), 'Results: 1'], ['00000000', 'Good'], ['ffffffff', 'DiagnosticInfos null']];
  const requests: [string, string, Field[], Field[]][] = [
    ['1903', '1c03', [[u32(1), 'SubscriptionId'], ['0000000000407f40', 'interval'], [u32(1) + u32(2) + u32(3), 'counts'], ['00', 'Priority']], [['0000000000407f40', 'interval'], [u32(1) + u32(2), 'counts']]],
    ['1f03', '2203', [['01', 'PublishingEnabled'], [u32(1) + u32(1), 'SubscriptionIds: [1]']], ok],
    ['4003', '4303', [[u32(1) + u32(1), 'SubscriptionId, RetransmitSequenceNumber']], [[u32(1), 'SequenceNumber'], ['0000000000000000', 'PublishTime'], ['ffffffff', 'NotificationData null']]],
    ['4f03', '5203', [[u32(1) + u32(1), 'SubscriptionIds: [1]']], ok],
    ['fb02', 'fe02', [[u32(1) + u32(0), 'SubscriptionId, TimestampsToReturn'], [u32(1), 'ItemsToModify: 1'], [u32(3) + u32(6), 'MonitoredItemId, ClientHandle'], ['0000000000407f40', 'SamplingInterval'], ['00 00 00', 'Filter null'], [u32(1), 'QueueSize'], ['00', 'DiscardOldest']], [[u32(1), 'Results: 1'], ['00000000', 'Good'], ['0000000000407f40', 'interval'], [u32(1), 'queue'], ['00 00 00', 'FilterResult null'], ['ffffffff', 'DiagnosticInfos null']]],
    ['0103', '0403', [[u32(1), 'SubscriptionId'], [u32(2), 'Reporting'], [u32(1) + u32(3), 'MonitoredItemIds: [3]']], ok],
    ['0d03', '1003', ids, ok],
  ];
  requests.forEach(([req, res, reqBody, resBody], i) => {
    a.deliver(true, msg(50 + i, `01 00 ${req}`, REQ_HDR, reqBody), 10 + i);
    a.deliver(false, msg(50 + i, `01 00 ${res}`, RES_HDR, resBody), 10 + i);
  });
  a.end(30);
  assert.deepEqual(ctx.anomalyNames(), []);
  const streams = ['opcua_binary_call', 'opcua_binary_call_method', 'opcua_binary_call_result', 'opcua_binary_variant_metadata', 'opcua_binary_publish', 'opcua_binary_modify_subscription', 'opcua_binary_set_publishing_mode', 'opcua_binary_republish', 'opcua_binary_delete_subscriptions', 'opcua_binary_modify_monitored_items', 'opcua_binary_modify_monitored_items_modify_item', 'opcua_binary_set_monitoring_mode', 'opcua_binary_delete_monitored_items', 'opcua_binary_status_code_detail'];
  for (const name of streams) {
    const schema = streamSchema(name);
    assert.ok(schema, name);
    const rows = ctx.stream(name);
    assert.ok(rows.length > 0, `${name} written`);
    for (const r of rows) assert.deepEqual(Object.keys(r), schema.fields.map((f) => f.name), name);
  }
});

test('Corrupted Call and Publish messages (fixed-seed byte changes) never throw and never read past the chunk', () => {
  const originals = [
    msg(24, '01 00 c802', REQ_HDR, CALL_REQ_BODY),
    msg(24, '01 00 cb02', RES_HDR, CALL_RES_BODY),
    msg(9, '01 00 3a03', REQ_HDR, PUBLISH_REQ_BODY),
    msg(9, '01 00 3d03', RES_HDR, PUBLISH_RES_BODY),
  ];
  let seed = 0x2545f491;
  const next = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 8;
  };
  let malformed = 0;
  for (let round = 0; round < 400; round++) {
    const { ctx, a } = flow(`CFz${round}`);
    for (const o of originals) {
      const b = o.slice();
      // Keep the 8-byte chunk header (type and size) so the chunk is framed; corrupt the body.
      for (let k = 0; k < 3; k++) b[8 + (next() % (b.length - 8))] = next() & 0xff;
      a.deliver(o === originals[0] || o === originals[2], subView(b), round);
    }
    a.end(round + 1);
    malformed += ctx.anomalyNames().filter((n) => n === 'opcua.malformed_body').length;
  }
  assert.ok(malformed > 0, 'some corruptions are reported as malformed bodies');
});
