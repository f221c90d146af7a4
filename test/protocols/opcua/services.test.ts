import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cursor } from '../../../src/protocols/opcua/grammar.js';
import { ServiceId, decodeServiceBody, readDataValue, skipVariant } from '../../../src/protocols/opcua/services.js';
import { nodeClassText } from '../../../src/protocols/opcua/child-records.js';
import { OpcuaStreamAnalyzer } from '../../../src/protocols/opcua/analyzer.js';
import { FakeFlowContext } from '../modbus/fake-context.js';
import { bytes, subView, u32, uaString, type Field } from './fixtures.js';

function cursor(b: Uint8Array): Cursor {
  const c = new Cursor();
  c.reset(b, 0, b.length);
  return c;
}

const READ_REQ_BODY: readonly Field[] = [
  ['0000000000000000', 'MaxAge 0.0 ms (Double)'],
  [u32(0), 'TimestampsToReturn 0 Source'],
  [u32(1), 'NodesToRead: 1 ReadValueId'],
  ['03 0100', 'NodeId String encoding, namespace 1'],
  [uaString('the.answer'), 'identifier "the.answer"'],
  [u32(13), 'AttributeId 13 Value'],
  ['ffffffff', 'IndexRange null'],
  ['0000 ffffffff', 'DataEncoding QualifiedName: ns 0, name null'],
];

const READ_RES_BODY: readonly Field[] = [
  [u32(2), 'Results: 2 DataValues'],
  ['02', 'DataValue mask: StatusCode'],
  ['00003480', 'StatusCode 0x80340000 BadNodeIdUnknown'],
  ['0d', 'DataValue mask: Value, SourceTimestamp, ServerTimestamp'],
  ['06 2a000000', 'Variant Int32 42'],
  ['80611ef2b742d801', 'SourceTimestamp'],
  ['80611ef2b742d801', 'ServerTimestamp'],
  ['ffffffff', 'DiagnosticInfos null'],
];

test('ReadRequest body: MaxAge, TimestampsToReturn, one ReadValueId', () => {
  const c = cursor(subView(bytes(...READ_REQ_BODY)));
  const b = decodeServiceBody(c, ServiceId.ReadRequest, 2048);
  assert.equal(c.bad, false);
  assert.ok(b !== null && b.kind === 'read_req');
  assert.equal(b.maxAge, 0);
  assert.equal(b.nodes.length, 1);
  assert.deepEqual([b.nodes[0].nodeId.str, b.nodes[0].nodeId.ns, b.nodes[0].attributeId, b.nodes[0].indexRange, b.nodes[0].encodingName], ['the.answer', 1, 13, '', '']);
});

test('ReadRequest: ReadValueIds beyond maxVectorLength are counted, not kept', () => {
  const node: Field[] = [['00 55', 'NodeId TwoByte 85'], [u32(13), 'AttributeId'], ['ffffffff', 'IndexRange null'], ['0000 ffffffff', 'DataEncoding null']];
  const c = cursor(bytes(['0000000000408f40', 'MaxAge 1000.0'], [u32(2), 'Both'], [u32(3), '3 nodes'], ...node, ...node, ...node));
  const b = decodeServiceBody(c, ServiceId.ReadRequest, 2);
  assert.ok(b !== null && b.kind === 'read_req');
  assert.deepEqual([b.maxAge, b.nodes.length, b.dropped], [1000, 2, 1]);
});

test('ReadResponse body: DataValues with status and timestamps, their Variants skipped', () => {
  const c = cursor(bytes(...READ_RES_BODY, ['ee', 'next field']));
  const b = decodeServiceBody(c, ServiceId.ReadResponse, 2048);
  assert.ok(b !== null && b.kind === 'read_res');
  assert.deepEqual(b.results.map((r) => [r.mask, r.status]), [[2, 0x80340000], [0x0d, -1]]);
  assert.ok(b.results[1].sourceTimestamp !== null && Math.abs(b.results[1].sourceTimestamp - 1648481081.5955328) < 1e-6);
  assert.equal(c.b[c.pos], 0xee);
});

test('Variants: arrays, dimensions, strings, LocalizedText, ExtensionObject, nested Variant', () => {
  const c = cursor(
    bytes(
      ['c6', 'Variant Int32 array with dimensions'],
      [u32(2), '2 elements'],
      [u32(1) + u32(2), 'the Int32s'],
      [u32(1), '1 dimension'],
      [u32(2), 'length 2'],
      ['0c', 'Variant String'],
      [uaString('ab'), '"ab"'],
      ['15 03', 'Variant LocalizedText, locale and text'],
      [uaString('en') + uaString('hi'), 'locale, text'],
      ['16 0100 c301 01', 'Variant ExtensionObject, type FourByte 451, binary body'],
      [u32(2) + 'beef', 'body ByteString'],
      ['98', 'Variant array of Variant'],
      [u32(1), '1 element'],
      ['01 01', 'Variant Boolean true'],
      ['00', 'Variant null'],
      ['ee', 'next field'],
    ),
  );
  for (let i = 0; i < 6; i++) skipVariant(c, 0);
  assert.equal(c.bad, false);
  assert.equal(c.b[c.pos], 0xee);
  const bad = cursor(bytes(['1f', 'Variant of type 31: no such built-in type']));
  skipVariant(bad, 0);
  assert.equal(bad.bad, true);
  const nested = (n: number): Cursor => cursor(bytes(['01 17'.repeat(n), 'n × (DataValue mask Value, Variant of type 23 DataValue)'], ['00', 'innermost DataValue: empty mask']));
  const shallow = nested(3);
  readDataValue(shallow, 0);
  assert.deepEqual([shallow.bad, shallow.pos], [false, 7]);
  const deep = nested(20);
  readDataValue(deep, 0);
  assert.equal(deep.bad, true, 'nesting is bounded');
});

test('CreateSubscription request and response, CloseSession request', () => {
  const req = decodeServiceBody(cursor(bytes(['0000000000407f40', 'RequestedPublishingInterval 500.0'], [u32(10000), 'LifetimeCount'], [u32(10), 'MaxKeepAliveCount'], [u32(0), 'MaxNotificationsPerPublish'], ['01', 'PublishingEnabled'], ['00', 'Priority'])), ServiceId.CreateSubscriptionRequest, 10);
  assert.deepEqual(req, { kind: 'create_subscription_req', publishingInterval: 500, lifetimeCount: 10000, maxKeepAliveCount: 10, maxNotificationsPerPublish: 0, publishingEnabled: true, priority: 0 });
  const res = decodeServiceBody(cursor(bytes([u32(1), 'SubscriptionId 1'], ['0000000000407f40', 'RevisedPublishingInterval 500.0'], [u32(10000), 'RevisedLifetimeCount'], [u32(10), 'RevisedMaxKeepAliveCount'])), ServiceId.CreateSubscriptionResponse, 10);
  assert.deepEqual(res, { kind: 'create_subscription_res', subscriptionId: 1, publishingInterval: 500, lifetimeCount: 10000, maxKeepAliveCount: 10 });
  assert.deepEqual(decodeServiceBody(cursor(bytes(['01', 'DeleteSubscriptions true'])), ServiceId.CloseSessionRequest, 10), { kind: 'close_session_req', deleteSubscriptions: true });
  assert.equal(decodeServiceBody(cursor(bytes(['00', 'x'])), 9999, 10), null);
});

/** A MSG chunk of channel 4 around a body. */
function msg(rq: number, typeId: string, header: readonly Field[], body: readonly Field[]): Uint8Array {
  const inner = bytes([u32(4), 'TokenId 4'], [u32(rq), 'SequenceNumber'], [u32(rq), 'RequestId'], [typeId, 'TypeId'], ...header, ...body);
  return bytes(['4d534746', 'MSG F'], [u32(12 + inner.length), 'MessageSize'], [u32(4), 'SecureChannelId 4'], [Buffer.from(inner).toString('hex'), 'the rest']);
}

const REQ_HDR: readonly Field[] = [['00 00', 'AuthenticationToken TwoByte 0'], ['0000000000000000', 'Timestamp unset'], [u32(5), 'RequestHandle 5'], [u32(0), 'ReturnDiagnostics'], ['ffffffff', 'AuditEntryId null'], [u32(10000), 'TimeoutHint'], ['00 00 00', 'AdditionalHeader null']];
const RES_HDR: readonly Field[] = [['0000000000000000', 'Timestamp unset'], [u32(5), 'RequestHandle 5'], ['00000000', 'ServiceResult Good'], ['00', 'ServiceDiagnostics empty'], ['ffffffff', 'StringTable null'], ['00 00 00', 'AdditionalHeader null']];

test('Read over the analyzer: read rows linked to nodes_to_read, results and their status codes', () => {
  const ctx = new FakeFlowContext('CRd', { orig_h: '10.0.0.1', orig_p: 50000, resp_h: '10.0.0.2', resp_p: 4840, proto: 'tcp' });
  const a = new OpcuaStreamAnalyzer(ctx);
  a.deliver(true, msg(7, '01 00 7702', REQ_HDR, READ_REQ_BODY), 1);
  a.deliver(false, msg(7, '01 00 7a02', RES_HDR, READ_RES_BODY), 2);
  a.end(3);
  assert.deepEqual(ctx.anomalyNames(), []);
  const reads = ctx.stream('opcua_binary_read');
  const nodes = ctx.stream('opcua_binary_read_nodes_to_read');
  const results = ctx.stream('opcua_binary_read_results');
  assert.deepEqual(reads.map((r) => [r.is_orig, r.max_age ?? null, r.timestamps_to_return_str ?? null]), [[true, 0, 'Source'], [false, null, null]]);
  assert.equal(nodes.length, 1);
  assert.equal(nodes[0].nodes_to_read_link_id, reads[0].nodes_to_read_link_id);
  assert.deepEqual([nodes[0].node_id_encoding_mask, nodes[0].node_id_string, nodes[0].attribute_id_str, nodes[0].index_range, nodes[0].data_encoding_name_idx], ['0x03', 'the.answer', 'Value', null, 0]);
  assert.deepEqual(results.map((r) => [r.results_link_id === reads[1].read_results_link_id, r.data_value_encoding_mask, typeof r.status_code_link_id]), [[true, '0x02', 'string'], [true, '0x0d', 'object']]);
  const status = ctx.stream('opcua_binary_status_code_detail');
  assert.deepEqual(status.map((s) => [s.source_str, s.sub_code_str]), [['ResponseHeader', 'Good'], ['Read', 'BadNodeIdUnknown']]);
  assert.equal(status[1].status_code_link_id, results[0].status_code_link_id);
  const [bin] = ctx.stream('opcua_binary');
  assert.deepEqual([bin.req_identifier_str, bin.res_identifier_str, bin.req_opcua_link_id, bin.res_opcua_link_id], ['ReadRequest', 'ReadResponse', reads[0].opcua_link_id, reads[1].opcua_link_id]);
});

test('Write over the analyzer: one row per WriteValue, one per response, results in status_code_detail', () => {
  const ctx = new FakeFlowContext('CWr', { orig_h: '10.0.0.1', orig_p: 50000, resp_h: '10.0.0.2', resp_p: 4840, proto: 'tcp' });
  const a = new OpcuaStreamAnalyzer(ctx);
  const writeReq: Field[] = [
    [u32(1), 'NodesToWrite: 1 WriteValue'],
    ['03 0100', 'NodeId String, namespace 1'],
    [uaString('the.answer'), 'identifier'],
    [u32(13), 'AttributeId 13 Value'],
    ['ffffffff', 'IndexRange null'],
    ['01', 'DataValue mask: Value'],
    ['06 2b000000', 'Variant Int32 43'],
  ];
  const writeRes: Field[] = [[u32(1), 'Results: 1 StatusCode'], ['00003480', 'BadNodeIdUnknown'], ['ffffffff', 'DiagnosticInfos null']];
  a.deliver(true, msg(8, '01 00 a102', REQ_HDR, writeReq), 1);
  a.deliver(false, msg(8, '01 00 a402', RES_HDR, writeRes), 2);
  a.end(3);
  assert.deepEqual(ctx.anomalyNames(), []);
  const w = ctx.stream('opcua_binary_write');
  assert.deepEqual(
    w.map((r) => [r.is_orig, r.node_id_string ?? null, r.attribute_id_str ?? null, r.data_value_encoding_mask ?? null, typeof r.res_status_code_link_id]),
    [
      [true, 'the.answer', 'Value', '0x01', 'object'],
      [false, null, null, null, 'string'],
    ],
  );
  const status = ctx.stream('opcua_binary_status_code_detail');
  assert.deepEqual(status.map((s) => [s.source, s.source_str, s.sub_code_str]), [[0, 'ResponseHeader', 'Good'], [18, 'Write', 'BadNodeIdUnknown']]);
  assert.equal(status[1].status_code_link_id, w[1].res_status_code_link_id);
  const [bin] = ctx.stream('opcua_binary');
  assert.deepEqual([bin.req_identifier_str, bin.res_identifier_str], ['WriteRequest', 'WriteResponse']);
});

test('Browse over the analyzer: descriptions, results, references, Browse status codes, all linked', () => {
  const ctx = new FakeFlowContext('CBr', { orig_h: '10.0.0.1', orig_p: 50000, resp_h: '10.0.0.2', resp_p: 4840, proto: 'tcp' });
  const a = new OpcuaStreamAnalyzer(ctx);
  const browseReq: Field[] = [
    ['00 00', 'View.ViewId TwoByte 0'],
    ['0000000000000000', 'View.Timestamp unset'],
    [u32(0), 'View.ViewVersion 0'],
    [u32(0), 'RequestedMaxReferencesPerNode 0'],
    [u32(1), 'NodesToBrowse: 1'],
    ['00 55', 'NodeId TwoByte 85 (Objects)'],
    [u32(2), 'BrowseDirection 2 BOTH'],
    ['00 00', 'ReferenceTypeId TwoByte 0'],
    ['00', 'IncludeSubtypes false'],
    [u32(0), 'NodeClassMask 0 (all)'],
    [u32(0x3f), 'ResultMask 0x3f'],
  ];
  const browseRes: Field[] = [
    [u32(1), 'Results: 1 BrowseResult'],
    ['00000000', 'StatusCode Good'],
    ['ffffffff', 'ContinuationPoint null'],
    [u32(1), 'References: 1'],
    ['00 23', 'ReferenceTypeId TwoByte 35 (Organizes)'],
    ['01', 'IsForward true'],
    ['41 01 52e3 02000000', 'NodeId: FourByte with ServerIndex flag, ns 1, id 58194, ServerIndex 2'],
    ['0100', 'BrowseName namespace 1'],
    [uaString('TheGreatNode'), 'BrowseName name'],
    ['03', 'DisplayName mask: locale and text'],
    [uaString('en-US') + uaString('TheNewGreatNode'), 'locale, text'],
    [u32(1), 'NodeClass 1 Object'],
    ['01 01 6a2f', 'TypeDefinition FourByte ns 1 id 12138'],
    ['ffffffff', 'DiagnosticInfos null'],
  ];
  a.deliver(true, msg(11, '01 00 0f02', REQ_HDR, browseReq), 1);
  a.deliver(false, msg(11, '01 00 1202', RES_HDR, browseRes), 2);
  a.end(3);
  assert.deepEqual(ctx.anomalyNames(), []);
  const rows = ctx.stream('opcua_binary_browse');
  assert.deepEqual(rows.map((r) => [r.browse_service_type, r.browse_view_id_numeric ?? null, r.req_max_ref_nodes ?? null]), [['BrowseRequest', 0, 0], ['BrowseResponse', null, null]]);
  const [desc] = ctx.stream('opcua_binary_browse_description');
  assert.deepEqual([desc.browse_description_link_id === rows[0].browse_description_link_id, desc.browse_description_numeric, desc.browse_direction, desc.browse_node_class_mask, desc.browse_result_mask], [true, 85, 'BOTH', 'All', '0x0000003f']);
  const [result] = ctx.stream('opcua_binary_browse_result');
  assert.equal(result.browse_response_link_id, rows[1].browse_response_link_id);
  const [ref] = ctx.stream('opcua_binary_browse_response_references');
  assert.equal(ref.browse_reference_link_id, result.browse_reference_link_id);
  assert.deepEqual(
    [ref.browse_response_ref_numeric, ref.browse_response_ref_type_namespace_idx, ref.browse_response_ref_type_numeric, ref.browse_response_ref_type_server_idx, ref.browse_response_ref_name_idx, ref.browse_response_ref_name, ref.browse_response_display_name_locale, ref.browse_response_display_name_text, ref.browse_response_node_class, ref.browse_response_type_def_numeric],
    [35, 1, 58194, 2, 1, 'TheGreatNode', 'en-US', 'TheNewGreatNode', 'ObjectNodeClass', 12138],
  );
  const status = ctx.stream('opcua_binary_status_code_detail');
  assert.deepEqual(status.map((x) => [x.source, x.source_str]), [[0, 'ResponseHeader'], [2, 'Browse']]);
  assert.equal(status[1].status_code_link_id, result.status_code_link_id);
});

test('BrowseNext request: continuation points linked to the browse row', () => {
  const ctx = new FakeFlowContext();
  const a = new OpcuaStreamAnalyzer(ctx);
  a.deliver(true, msg(12, '01 00 1502', REQ_HDR, [['01', 'ReleaseContinuationPoints true'], [u32(1), '1 ContinuationPoint'], [u32(2) + 'abcd', 'ByteString 2 bytes']]), 1);
  const [row] = ctx.stream('opcua_binary_browse');
  const [cp] = ctx.stream('opcua_binary_browse_request_continuation_point');
  assert.deepEqual([row.browse_service_type, row.browse_next_release_continuation_point, cp.continuation_point, cp.browse_next_link_id === row.browse_next_link_id], ['BrowseNextRequest', true, '0xabcd', true]);
});

test('NodeClass names', () => {
  assert.equal(nodeClassText(0), 'All');
  assert.equal(nodeClassText(8), 'ObjectTypeNodeClass');
  assert.equal(nodeClassText(3), 'ObjectNodeClass|VariableNodeClass');
  assert.equal(nodeClassText(256), 'Unknown_0x100');
});

test('CreateMonitoredItems over the analyzer: items and results linked, result status codes', () => {
  const ctx = new FakeFlowContext();
  const a = new OpcuaStreamAnalyzer(ctx);
  const req: Field[] = [
    [u32(1), 'SubscriptionId 1'],
    [u32(2), 'TimestampsToReturn 2 Both'],
    [u32(1), 'ItemsToCreate: 1'],
    ['03 0100', 'ItemToMonitor NodeId String, ns 1'],
    [uaString('the.answer'), 'identifier'],
    [u32(13), 'AttributeId 13 Value'],
    ['ffffffff', 'IndexRange null'],
    ['0000 ffffffff', 'DataEncoding null'],
    [u32(2), 'MonitoringMode 2 Reporting'],
    [u32(1), 'ClientHandle 1'],
    ['0000000000406f40', 'SamplingInterval 250.0'],
    ['01 00 d402 01', 'Filter: ExtensionObject type 724 DataChangeFilter, binary body'],
    [u32(9) + '01' + u32(0) + '0000000000000000', 'body: Trigger 1, DeadbandType 0, DeadbandValue 0.0'],
    [u32(1), 'QueueSize 1'],
    ['01', 'DiscardOldest true'],
  ];
  const res: Field[] = [
    [u32(1), 'Results: 1'],
    ['00003480', 'StatusCode BadNodeIdUnknown'],
    [u32(0), 'MonitoredItemId 0'],
    ['0000000000000000', 'RevisedSamplingInterval 0.0'],
    [u32(0), 'RevisedQueueSize 0'],
    ['00 00 00', 'FilterResult null'],
    ['ffffffff', 'DiagnosticInfos null'],
  ];
  a.deliver(true, msg(13, '01 00 ef02', REQ_HDR, req), 1);
  a.deliver(false, msg(13, '01 00 f202', RES_HDR, res), 2);
  a.end(3);
  assert.deepEqual(ctx.anomalyNames(), []);
  const rows = ctx.stream('opcua_binary_create_monitored_items');
  const items = ctx.stream('opcua_binary_create_monitored_items_create_item');
  assert.deepEqual(rows.map((r) => [r.subscription_id ?? null, r.timestamps_to_return_str ?? null]), [[1, 'Both'], [null, null]]);
  assert.deepEqual(
    items.map((r) => [r.create_item_link_id, r.item_to_monitor_attribute_id ?? null, r.monitoring_mode ?? null, r.monitoring_parameters_sampling_interval ?? null, r.monitoring_parameters_filter_info_type_id_string ?? null, r.monitored_item_index_id ?? null]),
    [
      [rows[0].create_item_link_id, 'Value', 'Reporting', 250, 'DataChangeFilter', null],
      [rows[1].create_item_link_id, null, null, null, null, 0],
    ],
  );
  const status = ctx.stream('opcua_binary_status_code_detail');
  assert.deepEqual(status.map((x) => [x.source, x.source_str, x.sub_code_str]), [[0, 'ResponseHeader', 'Good'], [8, 'CreateMonitoredItems', 'BadNodeIdUnknown']]);
  assert.equal(status[1].status_code_link_id, items[1].monitoring_parameters_status_code_link_id);
});

const APP_SERVER: readonly Field[] = [
  [uaString('urn:srv'), 'ApplicationUri'],
  ['ffffffff', 'ProductUri null'],
  ['02', 'ApplicationName mask: text'],
  [uaString('Crane PLC'), 'ApplicationName text'],
  [u32(0), 'ApplicationType 0 Server'],
  ['ffffffff', 'GatewayServerUri null'],
  ['ffffffff', 'DiscoveryProfileUri null'],
  [u32(1), 'DiscoveryUrls: 1'],
  [uaString('opc.tcp://plc:4840'), 'DiscoveryUrl'],
];

const ENDPOINT: readonly Field[] = [
  [uaString('opc.tcp://plc:4840'), 'EndpointUrl'],
  ...APP_SERVER,
  [u32(2) + '3082', 'ServerCertificate 2 bytes'],
  [u32(1), 'SecurityMode 1 None'],
  [uaString('http://opcfoundation.org/UA/SecurityPolicy#None'), 'SecurityPolicyUri'],
  [u32(1), 'UserIdentityTokens: 1'],
  [uaString('anon') + u32(0) + 'ffffffff' + 'ffffffff' + 'ffffffff', 'UserTokenPolicy: PolicyId "anon", Anonymous, three null strings'],
  [uaString('http://opcfoundation.org/UA-Profile/Transport/uatcp-uasc-uabinary'), 'TransportProfileUri'],
  ['01', 'SecurityLevel 1'],
];

test('ActivateSession: a UserNameIdentityToken sent under policy None shows the user; the password is redacted to its length', () => {
  const ctx = new FakeFlowContext();
  const a = new OpcuaStreamAnalyzer(ctx);
  const token = bytes([uaString('user-policy'), 'PolicyId'], [uaString('operator'), 'UserName'], [u32(6) + Buffer.from('crane1').toString('hex'), 'Password ByteString "crane1"'], ['ffffffff', 'EncryptionAlgorithm null']);
  const req: Field[] = [
    ['ffffffff ffffffff', 'ClientSignature: Algorithm null, Signature null'],
    [u32(0), 'ClientSoftwareCertificates: 0'],
    [u32(1) + uaString('en'), 'LocaleIds: "en"'],
    ['01 00 4401 01', 'UserIdentityToken: FourByte type 324 UserNameIdentityToken, binary body'],
    [u32(token.length) + Buffer.from(token).toString('hex'), 'body'],
    ['ffffffff ffffffff', 'UserTokenSignature null'],
  ];
  const res: Field[] = [[u32(2) + 'beef', 'ServerNonce 2 bytes'], [u32(0), 'Results: 0'], ['ffffffff', 'DiagnosticInfos null']];
  a.deliver(true, msg(14, '01 00 d301', REQ_HDR, req), 1);
  a.deliver(false, msg(14, '01 00 d601', RES_HDR, res), 2);
  assert.deepEqual(ctx.anomalyNames(), []);
  const rows = ctx.stream('opcua_binary_activate_session');
  assert.deepEqual(
    rows.map((r) => [r.ext_obj_type_id_str ?? null, r.ext_obj_policy_id ?? null, r.ext_obj_user_name ?? null, r.ext_obj_password ?? null, r.server_nonce ?? null]),
    [
      ['UserNameIdentityToken', 'user-policy', 'operator', 'redacted (6 bytes)', null],
      [null, null, null, null, '0xbeef'],
    ],
  );
  const [locale] = ctx.stream('opcua_binary_activate_session_locale_id');
  assert.deepEqual([locale.local_id, locale.opcua_locale_link_id === rows[0].opcua_locale_link_id], ['en', true]);
});

test('GetEndpoints: descriptions, user tokens and discovery URLs linked', () => {
  const ctx = new FakeFlowContext();
  const a = new OpcuaStreamAnalyzer(ctx);
  a.deliver(true, msg(15, '01 00 ac01', REQ_HDR, [[uaString('opc.tcp://plc:4840'), 'EndpointUrl'], ['ffffffff', 'LocaleIds null'], [u32(1) + uaString('p1'), 'ProfileUris: "p1"']]), 1);
  a.deliver(false, msg(15, '01 00 af01', RES_HDR, [[u32(1), 'Endpoints: 1'], ...ENDPOINT]), 2);
  assert.deepEqual(ctx.anomalyNames(), []);
  const rows = ctx.stream('opcua_binary_get_endpoints');
  assert.deepEqual(rows.map((r) => r.endpoint_url ?? null), ['opc.tcp://plc:4840', null]);
  assert.equal(ctx.stream('opcua_binary_get_endpoints_profile_uri')[0].profile_uri_link_id, rows[0].profile_uri_link_id);
  const [d] = ctx.stream('opcua_binary_get_endpoints_description');
  assert.deepEqual(
    [d.endpoint_description_link_id === rows[1].endpoint_description_link_id, d.application_uri, d.product_uri, d.text, d.cert_size, d.server_cert, d.message_security_mode, d.security_level],
    [true, 'urn:srv', null, 'Crane PLC', 2, '0x3082', 1, 1],
  );
  const [t] = ctx.stream('opcua_binary_get_endpoints_user_token');
  assert.deepEqual([t.user_token_link_id === d.user_token_link_id, t.user_token_policy_id, t.user_token_type, t.user_token_issued_type], [true, 'anon', 0, null]);
  const [disc] = ctx.stream('opcua_binary_get_endpoints_discovery');
  assert.deepEqual([disc.discovery_profile_link_id === d.discovery_profile_link_id, disc.discovery_profile_url], [true, 'opc.tcp://plc:4840']);
});

test('CreateSession: request parameters, response session ids and endpoints', () => {
  const ctx = new FakeFlowContext();
  const a = new OpcuaStreamAnalyzer(ctx);
  const req: Field[] = [
    ...APP_SERVER.slice(0, 7),
    ['ffffffff', 'DiscoveryUrls null'],
    ['ffffffff', 'ServerUri null'],
    [uaString('opc.tcp://plc:4840'), 'EndpointUrl'],
    [uaString('cms'), 'SessionName'],
    [u32(2) + '0102', 'ClientNonce'],
    ['ffffffff', 'ClientCertificate null'],
    ['00000000804f3241', 'RequestedSessionTimeout 1200000.0'],
    [u32(0x7fffffff), 'MaxResponseMessageSize'],
  ];
  const res: Field[] = [
    ['01 01 3930', 'SessionId FourByte ns 1 id 12345'],
    ['02 0100 39300000', 'AuthenticationToken Numeric ns 1 id 12345'],
    ['00000000804f3241', 'RevisedSessionTimeout 1200000.0'],
    ['ffffffff', 'ServerNonce null'],
    ['ffffffff', 'ServerCertificate null'],
    [u32(1), 'ServerEndpoints: 1'],
    ...ENDPOINT,
    [u32(0), 'ServerSoftwareCertificates: 0'],
    ['ffffffff ffffffff', 'ServerSignature null'],
    [u32(0), 'MaxRequestMessageSize 0'],
  ];
  a.deliver(true, msg(16, '01 00 cd01', REQ_HDR, req), 1);
  a.deliver(false, msg(16, '01 00 d001', RES_HDR, res), 2);
  assert.deepEqual(ctx.anomalyNames(), []);
  const rows = ctx.stream('opcua_binary_create_session');
  assert.deepEqual([rows[0].session_name, rows[0].client_nonce, rows[0].req_session_timeout, rows[0].max_res_msg_size, rows[0].application_type], ['cms', '0x0102', 1200000, 0x7fffffff, 0]);
  assert.deepEqual([rows[1].session_id_numeric, rows[1].auth_token_encoding_mask, rows[1].auth_token_numeric, rows[1].revised_session_timeout, rows[1].max_req_msg_size], [12345, '0x02', 12345, 1200000, 0]);
  const [e] = ctx.stream('opcua_binary_create_session_endpoints');
  assert.deepEqual([e.endpoint_link_id === rows[1].endpoint_link_id, e.endpoint_url], [true, 'opc.tcp://plc:4840']);
  assert.equal(ctx.stream('opcua_binary_create_session_user_token')[0].user_token_link_id, e.user_token_link_id);
  assert.equal(ctx.stream('opcua_binary_create_session_discovery').length, 1);
});
