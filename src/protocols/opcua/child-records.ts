import type { StreamSchema } from '../../events/schema.js';
import type { LogRecord } from '../../events/record.js';
import type { FlowContext } from '../../session/analyzer.js';
import type { NodeId } from './grammar.js';
import {
  OPCUA_CREATE_SESSION_DISCOVERY_STREAM,
  OPCUA_CREATE_SESSION_ENDPOINTS_STREAM,
  OPCUA_CREATE_SESSION_STREAM,
  OPCUA_CREATE_SESSION_USER_TOKEN_STREAM,
  OPCUA_GET_ENDPOINTS_DESCRIPTION_STREAM,
  OPCUA_GET_ENDPOINTS_DISCOVERY_STREAM,
  OPCUA_GET_ENDPOINTS_LOCALE_STREAM,
  OPCUA_GET_ENDPOINTS_PROFILE_STREAM,
  OPCUA_GET_ENDPOINTS_STREAM,
  OPCUA_GET_ENDPOINTS_USER_TOKEN_STREAM,
  OPCUA_ACTIVATE_SESSION_CERT_STREAM,
  OPCUA_ACTIVATE_SESSION_LOCALE_STREAM,
  OPCUA_ACTIVATE_SESSION_STREAM,
  OPCUA_BROWSE_CONTINUATION_STREAM,
  OPCUA_BROWSE_DESCRIPTION_STREAM,
  OPCUA_BROWSE_REFERENCES_STREAM,
  OPCUA_BROWSE_RESULT_STREAM,
  OPCUA_BROWSE_STREAM,
  OPCUA_CLOSE_SESSION_STREAM,
  OPCUA_CREATE_ITEM_STREAM,
  OPCUA_CREATE_MONITORED_ITEMS_STREAM,
  OPCUA_CREATE_SUBSCRIPTION_STREAM,
  OPCUA_OPENSECURE_CHANNEL_STREAM,
  OPCUA_READ_NODES_TO_READ_STREAM,
  OPCUA_READ_RESULTS_STREAM,
  OPCUA_READ_STREAM,
  OPCUA_STATUS_CODE_STREAM,
  OPCUA_WRITE_STREAM,
} from './log.js';
import type { UaMessage } from './message.js';
import type { ActivateSessionRequest, ActivateSessionResponse, ApplicationDescription, CreateSessionRequest, CreateSessionResponse, EndpointDescription, GetEndpointsRequest, GetEndpointsResponse, BrowseNextRequest, BrowseRequest, BrowseResponse, CreateMonitoredItemsRequest, CreateMonitoredItemsResponse, ReadRequest, ReadResponse, WriteRequest, WriteResponse } from './services.js';
import { serviceTypeName } from './service-types.js';
import { statusCodeName } from './status-codes.js';
import type { UaFlowIds } from './transactions.js';
import { VariantSource, emitVariantMetadata } from './variant-records.js';
import { uaRow } from './side-columns.js';

/** Hands out the flow's next link id (`<uid>-<n>`), the value child records and their parent share. */
export interface LinkIds {
  nextLink(): string;
}

const SEVERITY = ['Severity_Good', 'Severity_Uncertain', 'Severity_Bad', 'Severity_Bad'];
const INFO_TYPE = ['InfoType_NotUsed', 'InfoType_DataValue', 'InfoType_Reserved', 'InfoType_Reserved'];
const LIMIT = ['Limit_None', 'Limit_Low', 'Limit_High', 'Limit_Constant'];
const HISTORIAN = ['Historian_Raw', 'Historian_Calculated', 'Historian_Interpolated', 'Historian_Reserved'];

/**
 * One opcua_binary_status_code_detail record: a StatusCode split into its bit fields (OPC 10000-4
 * §7.39 Table 176). The DataValue info bits are set only when InfoType is DataValue.
 */
export function statusCodeRecord(flow: UaFlowIds, m: UaMessage, linkId: string, code: number, source: number, sourceStr: string, level: number): LogRecord {
  const sev = code >>> 30;
  const info = (code >>> 10) & 3;
  const dv = info === 1;
  return uaRow(OPCUA_STATUS_CODE_STREAM)(flow, m, {
    status_code_link_id: linkId,
    source,
    source_str: sourceStr,
    source_level: level,
    status_code: `0x${(code >>> 0).toString(16).padStart(8, '0')}`,
    severity: sev,
    severity_str: SEVERITY[sev],
    sub_code: (code >>> 16) & 0x0fff,
    sub_code_str: statusCodeName(code),
    structure_changed: (code & 0x8000) !== 0,
    semantics_changed: (code & 0x4000) !== 0,
    info_type: info,
    info_type_str: INFO_TYPE[info],
    limit_bits: dv ? (code >>> 8) & 3 : null,
    limit_bits_str: dv ? LIMIT[(code >>> 8) & 3] : null,
    overflow: dv ? (code & 0x80) !== 0 : null,
    historian_bits: dv ? code & 3 : null,
    historian_bits_str: dv ? HISTORIAN[code & 3] : null,
    historianPartial: dv ? (code & 4) !== 0 : null,
    historianExtraData: dv ? (code & 8) !== 0 : null,
    historianMultiValue: dv ? (code & 16) !== 0 : null,
  });
}

/** One opcua_binary_opensecure_channel record for an OPN request or response carrying its parameters. */
export function openChannelRecord(flow: UaFlowIds, m: UaMessage): LogRecord {
  const q = m.openReq;
  const r = m.openRes;
  return uaRow(OPCUA_OPENSECURE_CHANNEL_STREAM)(flow, m, {
    opcua_link_id: m.linkId,
    client_proto_ver: q?.clientProtoVer ?? null,
    sec_token_request_type: q?.requestType ?? null,
    message_security_mode: q?.securityMode ?? null,
    client_nonce: q?.clientNonce ?? null,
    req_lifetime: q?.lifetime ?? null,
    server_proto_ver: r?.serverProtoVer ?? null,
    sec_token_sec_channel_id: r?.channelId ?? null,
    sec_token_id: r?.tokenId ?? null,
    sec_token_created_at: r?.createdAt ?? null,
    sec_token_revised_time: r?.revisedLifetime ?? null,
    server_nonce: r?.serverNonce ?? null,
  });
}

/** ICSNPP's numbering of where a StatusCode was found (its statuscode-diagnostic source constants). */
export const StatusSource = { ResponseHeader: 0, Browse: 2, ActivateSession: 4, Read: 6, CreateMonitoredItems: 8, Write: 18 } as const;

/**
 * Sources past ICSNPP's numbering (its highest is 19 Write_DiagInfo), for the services it does not
 * decode: Call results and input-argument results, the subscription and monitored-item services.
 */
export const ExtraStatusSource = {
  Call: 20,
  CallInputArgument: 21,
  SetPublishingMode: 22,
  Publish: 23,
  StatusChangeNotification: 24,
  DeleteSubscriptions: 25,
  ModifyMonitoredItems: 26,
  SetMonitoringMode: 27,
  DeleteMonitoredItems: 28,
} as const;

const TIMESTAMPS_TO_RETURN = ['Source', 'Server', 'Both', 'Neither', 'Invalid'];

/** Name of a TimestampsToReturn value (OPC 10000-4 §7.40), `Unknown_<n>` outside the enumeration. */
export function timestampsToReturnName(v: number): string {
  return TIMESTAMPS_TO_RETURN[v] ?? `Unknown_${v}`;
}

/** Attribute names by AttributeId (OPC 10000-6 Annex A.1, AttributeIds.csv). */
const ATTRIBUTES = [
  '',
  'NodeId',
  'NodeClass',
  'BrowseName',
  'DisplayName',
  'Description',
  'WriteMask',
  'UserWriteMask',
  'IsAbstract',
  'Symmetric',
  'InverseName',
  'ContainsNoLoops',
  'EventNotifier',
  'Value',
  'DataType',
  'ValueRank',
  'ArrayDimensions',
  'AccessLevel',
  'UserAccessLevel',
  'MinimumSamplingInterval',
  'Historizing',
  'Executable',
  'UserExecutable',
  'DataTypeDefinition',
  'RolePermissions',
  'UserRolePermissions',
  'AccessRestrictions',
  'AccessLevelEx',
];

/** Name of an AttributeId, `Unknown_<n>` outside the table. */
export function attributeName(id: number): string {
  return id > 0 && id < ATTRIBUTES.length ? ATTRIBUTES[id] : `Unknown_${id}`;
}

/** A Duration (Double, milliseconds) as ICSNPP's count: the whole part; null when not a finite non-negative number. */
export function wholeMs(x: number): number | null {
  return Number.isFinite(x) && x >= 0 ? Math.trunc(x) : null;
}


/**
 * Write the child records of one decoded message: the ResponseHeader ServiceResult, the
 * OpenSecureChannel parameters and the per-service logs (close_session, create_subscription, read with
 * nodes_to_read and results, write, browse with its descriptions, continuation points, results and
 * references, create_monitored_items with its items, activate_session with its certificates and
 * locales, get_endpoints and create_session with their endpoints, user tokens and discovery URLs),
 * each linked to the message's opcua_binary record.
 */
export function emitChildRecords(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, links: LinkIds): void {
  if (m.resHdr !== null) {
    m.statusLinkId = links.nextLink();
    ctx.emit(OPCUA_STATUS_CODE_STREAM.name, statusCodeRecord(flow, m, m.statusLinkId, m.resHdr.serviceResult, StatusSource.ResponseHeader, 'ResponseHeader', 0));
  }
  if (m.openReq !== null || m.openRes !== null) ctx.emit(OPCUA_OPENSECURE_CHANNEL_STREAM.name, openChannelRecord(flow, m));
  const b = m.body;
  if (b === null) return;
  switch (b.kind) {
    case 'close_session_req':
      ctx.emit(OPCUA_CLOSE_SESSION_STREAM.name, uaRow(OPCUA_CLOSE_SESSION_STREAM)(flow, m, { opcua_link_id: m.linkId, del_subscriptions: b.deleteSubscriptions }));
      return;
    case 'create_subscription_req':
      ctx.emit(OPCUA_CREATE_SUBSCRIPTION_STREAM.name, uaRow(OPCUA_CREATE_SUBSCRIPTION_STREAM)(flow, m, {
        opcua_link_id: m.linkId,
        requested_publishing_interval: wholeMs(b.publishingInterval),
        requested_lifetime_count: b.lifetimeCount,
        requested_max_keep_alive_count: b.maxKeepAliveCount,
        max_notifications_per_publish: b.maxNotificationsPerPublish,
        publishing_enabled: b.publishingEnabled,
        priority: b.priority,
      }));
      return;
    case 'create_subscription_res':
      ctx.emit(OPCUA_CREATE_SUBSCRIPTION_STREAM.name, uaRow(OPCUA_CREATE_SUBSCRIPTION_STREAM)(flow, m, {
        opcua_link_id: m.linkId,
        subscription_id: b.subscriptionId,
        revised_publishing_interval: wholeMs(b.publishingInterval),
        revised_lifetime_count: b.lifetimeCount,
        revised_max_keep_alive_count: b.maxKeepAliveCount,
      }));
      return;
    case 'read_req':
      readRequestRecords(ctx, flow, m, b, links);
      return;
    case 'read_res':
      readResponseRecords(ctx, flow, m, b, links);
      return;
    case 'write_req':
      writeRequestRecords(ctx, flow, m, b, links);
      return;
    case 'write_res':
      writeResponseRecords(ctx, flow, m, b, links);
      return;
    case 'browse_req':
    case 'browse_next_req':
      browseRequestRecords(ctx, flow, m, b, links);
      return;
    case 'browse_res':
      browseResponseRecords(ctx, flow, m, b, links);
      return;
    case 'create_monitored_items_req':
    case 'create_monitored_items_res':
      createMonitoredItemsRecords(ctx, flow, m, b, links);
      return;
    case 'activate_session_req':
    case 'activate_session_res':
      activateSessionRecords(ctx, flow, m, b, links);
      return;
    case 'get_endpoints_req':
    case 'get_endpoints_res':
      getEndpointsRecords(ctx, flow, m, b, links);
      return;
    case 'create_session_req':
    case 'create_session_res':
      createSessionRecords(ctx, flow, m, b, links);
      return;
  }
}

function readRequestRecords(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, b: ReadRequest, links: LinkIds): void {
  const nodesLink = b.nodes.length > 0 ? links.nextLink() : null;
  for (const n of b.nodes) {
    ctx.emit(OPCUA_READ_NODES_TO_READ_STREAM.name, uaRow(OPCUA_READ_NODES_TO_READ_STREAM)(flow, m, {
      nodes_to_read_link_id: nodesLink,
      node_id_encoding_mask: encodingHex(n.nodeId),
      node_id_namespace_idx: namespaceOf(n.nodeId),
      node_id_numeric: numericOf(n.nodeId),
      node_id_string: n.nodeId.str,
      node_id_guid: n.nodeId.guid,
      node_id_opaque: n.nodeId.opaque,
      attribute_id: n.attributeId,
      attribute_id_str: attributeName(n.attributeId),
      index_range: n.indexRange === '' ? null : n.indexRange,
      data_encoding_name_idx: n.encodingNs,
      data_encoding_name: n.encodingName === '' ? null : n.encodingName,
    }));
  }
  ctx.emit(OPCUA_READ_STREAM.name, uaRow(OPCUA_READ_STREAM)(flow, m, {
    opcua_link_id: m.linkId,
    max_age: wholeMs(b.maxAge),
    timestamps_to_return: b.timestampsToReturn,
    timestamps_to_return_str: TIMESTAMPS_TO_RETURN[b.timestampsToReturn] ?? `Unknown_${b.timestampsToReturn}`,
    nodes_to_read_link_id: nodesLink,
  }));
}

function readResponseRecords(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, b: ReadResponse, links: LinkIds): void {
  const resultsLink = b.results.length > 0 ? links.nextLink() : null;
  for (const r of b.results) {
    let statusLink: string | null = null;
    if (r.status >= 0) {
      statusLink = links.nextLink();
      ctx.emit(OPCUA_STATUS_CODE_STREAM.name, statusCodeRecord(flow, m, statusLink, r.status, StatusSource.Read, 'Read', 0));
    }
    ctx.emit(OPCUA_READ_RESULTS_STREAM.name, uaRow(OPCUA_READ_RESULTS_STREAM)(flow, m, {
      results_link_id: resultsLink,
      level: 0,
      data_value_encoding_mask: ENCODING_HEX[r.mask],
      status_code_link_id: statusLink,
      source_timestamp: r.sourceTimestamp,
      source_pico_sec: r.sourcePico < 0 ? null : r.sourcePico,
      server_timestamp: r.serverTimestamp,
      server_pico_sec: r.serverPico < 0 ? null : r.serverPico,
    }));
  }
  ctx.emit(OPCUA_READ_STREAM.name, uaRow(OPCUA_READ_STREAM)(flow, m, {
    opcua_link_id: m.linkId,
    read_results_link_id: resultsLink,
  }));
}


function writeRequestRecords(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, b: WriteRequest, links: LinkIds): void {
  for (const w of b.nodes) {
    const v = w.value;
    let statusLink: string | null = null;
    if (v.status >= 0) {
      statusLink = links.nextLink();
      ctx.emit(OPCUA_STATUS_CODE_STREAM.name, statusCodeRecord(flow, m, statusLink, v.status, StatusSource.Write, 'Write', 0));
    }
    let variantLink: string | null = null;
    if (v.variant !== null) {
      variantLink = links.nextLink();
      emitVariantMetadata(ctx, flow, m, variantLink, VariantSource.Write, [v.variant]);
    }
    ctx.emit(OPCUA_WRITE_STREAM.name, uaRow(OPCUA_WRITE_STREAM)(flow, m, {
      opcua_link_id: m.linkId,
      node_id_encoding_mask: encodingHex(w.nodeId),
      node_id_namespace_idx: namespaceOf(w.nodeId),
      node_id_numeric: numericOf(w.nodeId),
      node_id_string: w.nodeId.str,
      node_id_guid: w.nodeId.guid,
      node_id_opaque: w.nodeId.opaque,
      attribute_id: w.attributeId,
      attribute_id_str: attributeName(w.attributeId),
      index_range: w.indexRange === '' ? null : w.indexRange,
      data_value_encoding_mask: ENCODING_HEX[v.mask],
      req_status_code_link_id: statusLink,
      source_timestamp: v.sourceTimestamp,
      source_pico_sec: v.sourcePico < 0 ? null : v.sourcePico,
      server_timestamp: v.serverTimestamp,
      server_pico_sec: v.serverPico < 0 ? null : v.serverPico,
      write_results_variant_metadata_link_id: variantLink,
    }));
  }
}

function writeResponseRecords(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, b: WriteResponse, links: LinkIds): void {
  const statusLink = b.results.length > 0 ? links.nextLink() : null;
  if (statusLink !== null) for (const code of b.results) ctx.emit(OPCUA_STATUS_CODE_STREAM.name, statusCodeRecord(flow, m, statusLink, code, StatusSource.Write, 'Write', 0));
  ctx.emit(OPCUA_WRITE_STREAM.name, uaRow(OPCUA_WRITE_STREAM)(flow, m, {
    opcua_link_id: m.linkId,
    res_status_code_link_id: statusLink,
  }));
}

/** A NodeId's encoding byte as ICSNPP writes it (`0x04`); null for no NodeId. */
export function encodingHex(id: NodeId | null): string | null {
  return id === null ? null : ENCODING_HEX[id.encoding];
}

/** A NodeId's namespace; null for TwoByte (none on the wire) or no NodeId. */
export function namespaceOf(id: NodeId | null): number | null {
  return id === null || id.ns < 0 ? null : id.ns;
}

/** A NodeId's numeric identifier; null when not numeric. */
export function numericOf(id: NodeId | null): number | null {
  return id === null || id.numeric < 0 ? null : id.numeric;
}

/** An ExpandedNodeId's ServerIndex; null when absent. */
function serverIndexOf(id: NodeId | null): number | null {
  return id === null || id.serverIdx < 0 ? null : id.serverIdx;
}

/** `0x00` … `0xff`, built once. */
const ENCODING_HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => `0x${i.toString(16).padStart(2, '0')}`);

/** NodeId columns under a prefix (`<prefix>_encoding_mask` … `<prefix>_opaque`), ICSNPP's flattening. */
function prefixedNodeId(prefix: string, id: NodeId | null, expanded: boolean): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {
    [`${prefix}_encoding_mask`]: id === null ? null : `0x${id.encoding.toString(16).padStart(2, '0')}`,
    [`${prefix}_namespace_idx`]: id === null || id.ns < 0 ? null : id.ns,
    [`${prefix}_numeric`]: id === null || id.numeric < 0 ? null : id.numeric,
    [`${prefix}_string`]: id?.str ?? null,
    [`${prefix}_guid`]: id?.guid ?? null,
    [`${prefix}_opaque`]: id?.opaque ?? null,
  };
  if (expanded) {
    out[`${prefix}_namespace_uri`] = id?.nsUri ?? null;
    out[`${prefix}_server_idx`] = id === null || id.serverIdx < 0 ? null : id.serverIdx;
  }
  return out;
}

const DIRECTIONS = ['FWD', 'INVERSE', 'BOTH'];
/** NodeClass names by bit (OPC 10000-4 §7.22 NodeClass; OPC 10000-3 §8.29). */
const NODE_CLASSES = ['ObjectNodeClass', 'VariableNodeClass', 'MethodNodeClass', 'ObjectTypeNodeClass', 'VariableTypeNodeClass', 'ReferenceTypeNodeClass', 'DataTypeNodeClass', 'ViewNodeClass'];

/** A NodeClass value or mask as names: `All` for 0, single names, several joined by `|`. */
export function nodeClassText(v: number): string {
  if (v === 0) return 'All';
  const names: string[] = [];
  for (let i = 0; i < NODE_CLASSES.length; i++) if (v & (1 << i)) names.push(NODE_CLASSES[i]);
  if (v >>> NODE_CLASSES.length !== 0) names.push(`Unknown_0x${(v >>> 0).toString(16)}`);
  return names.join('|');
}

/** The browse row without values; each kind of row fills its own columns. */
function browseRow(flow: UaFlowIds, m: UaMessage, serviceType: string): Record<string, LogRecord[string]> {
  return uaRow(OPCUA_BROWSE_STREAM)(flow, m, {
    opcua_link_id: m.linkId,
    browse_service_type: serviceType,
    browse_view_id_encoding_mask: encodingHex(null),
    browse_view_id_namespace_idx: namespaceOf(null),
    browse_view_id_numeric: numericOf(null),
  });
}

function browseRequestRecords(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, b: BrowseRequest | BrowseNextRequest, links: LinkIds): void {
  if (b.kind === 'browse_next_req') {
    const cpLink = b.continuationPoints.length > 0 ? links.nextLink() : null;
    for (const cp of b.continuationPoints) ctx.emit(OPCUA_BROWSE_CONTINUATION_STREAM.name, uaRow(OPCUA_BROWSE_CONTINUATION_STREAM)(flow, m, { browse_next_link_id: cpLink, continuation_point: cp === '' ? null : cp }));
    ctx.emit(OPCUA_BROWSE_STREAM.name, Object.assign(browseRow(flow, m, 'BrowseNextRequest'), { browse_next_release_continuation_point: b.release, browse_next_link_id: cpLink }));
    return;
  }
  const descLink = b.nodes.length > 0 ? links.nextLink() : null;
  for (const d of b.nodes) {
    ctx.emit(OPCUA_BROWSE_DESCRIPTION_STREAM.name, uaRow(OPCUA_BROWSE_DESCRIPTION_STREAM)(flow, m, {
      browse_description_link_id: descLink,
      browse_description_encoding_mask: encodingHex(d.nodeId),
      browse_description_namespace_idx: namespaceOf(d.nodeId),
      browse_description_numeric: numericOf(d.nodeId),
      browse_description_string: d.nodeId?.str ?? null,
      browse_description_guid: d.nodeId?.guid ?? null,
      browse_description_opaque: d.nodeId?.opaque ?? null,
      browse_direction: DIRECTIONS[d.direction] ?? null,
      browse_description_ref_encoding_mask: encodingHex(d.referenceTypeId),
      browse_description_ref_namespace_idx: namespaceOf(d.referenceTypeId),
      browse_description_ref_numeric: numericOf(d.referenceTypeId),
      browse_description_ref_string: d.referenceTypeId?.str ?? null,
      browse_description_ref_guid: d.referenceTypeId?.guid ?? null,
      browse_description_ref_opaque: d.referenceTypeId?.opaque ?? null,
      browse_description_include_subtypes: d.includeSubtypes,
      browse_node_class_mask: nodeClassText(d.nodeClassMask),
      browse_result_mask: `0x${(d.resultMask >>> 0).toString(16).padStart(8, '0')}`,
    }));
  }
  ctx.emit(OPCUA_BROWSE_STREAM.name, Object.assign(browseRow(flow, m, 'BrowseRequest'), {
    browse_view_id_encoding_mask: encodingHex(b.viewId),
    browse_view_id_namespace_idx: namespaceOf(b.viewId),
    browse_view_id_numeric: numericOf(b.viewId),
    browse_view_id_string: b.viewId?.str ?? null,
    browse_view_id_guid: b.viewId?.guid ?? null,
    browse_view_id_opaque: b.viewId?.opaque ?? null,
    browse_view_description_timestamp: b.viewTimestamp,
    browse_view_description_view_version: b.viewVersion,
    req_max_ref_nodes: b.maxReferences,
    browse_description_link_id: descLink,
  }));
}

function browseResponseRecords(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, b: BrowseResponse, links: LinkIds): void {
  const resultsLink = b.results.length > 0 ? links.nextLink() : null;
  for (const r of b.results) {
    const statusLink = links.nextLink();
    ctx.emit(OPCUA_STATUS_CODE_STREAM.name, statusCodeRecord(flow, m, statusLink, r.status, StatusSource.Browse, 'Browse', 0));
    const refLink = r.references.length > 0 ? links.nextLink() : null;
    for (const ref of r.references) {
      ctx.emit(OPCUA_BROWSE_REFERENCES_STREAM.name, uaRow(OPCUA_BROWSE_REFERENCES_STREAM)(flow, m, {
        browse_reference_link_id: refLink,
        browse_response_ref_encoding_mask: encodingHex(ref.referenceTypeId),
        browse_response_ref_namespace_idx: namespaceOf(ref.referenceTypeId),
        browse_response_ref_numeric: numericOf(ref.referenceTypeId),
        browse_response_ref_string: ref.referenceTypeId?.str ?? null,
        browse_response_ref_guid: ref.referenceTypeId?.guid ?? null,
        browse_response_ref_opaque: ref.referenceTypeId?.opaque ?? null,
        browse_response_is_forward: ref.isForward,
        browse_response_ref_type_encoding_mask: encodingHex(ref.nodeId),
        browse_response_ref_type_namespace_idx: namespaceOf(ref.nodeId),
        browse_response_ref_type_numeric: numericOf(ref.nodeId),
        browse_response_ref_type_string: ref.nodeId?.str ?? null,
        browse_response_ref_type_guid: ref.nodeId?.guid ?? null,
        browse_response_ref_type_opaque: ref.nodeId?.opaque ?? null,
        browse_response_ref_type_namespace_uri: ref.nodeId?.nsUri ?? null,
        browse_response_ref_type_server_idx: serverIndexOf(ref.nodeId),
        browse_response_ref_name_idx: ref.browseNameNs === 0 ? null : ref.browseNameNs,
        browse_response_ref_name: ref.browseName === '' ? null : ref.browseName,
        browse_response_display_name_mask: `0x${ref.displayNameMask.toString(16).padStart(2, '0')}`,
        browse_response_display_name_locale: ref.displayNameLocale === '' ? null : ref.displayNameLocale,
        browse_response_display_name_text: ref.displayNameText === '' ? null : ref.displayNameText,
        browse_response_node_class: ref.nodeClass === 0 ? null : nodeClassText(ref.nodeClass),
        browse_response_type_def_encoding_mask: encodingHex(ref.typeDefinition),
        browse_response_type_def_namespace_idx: namespaceOf(ref.typeDefinition),
        browse_response_type_def_numeric: numericOf(ref.typeDefinition),
        browse_response_type_def_string: ref.typeDefinition?.str ?? null,
        browse_response_type_def_guid: ref.typeDefinition?.guid ?? null,
        browse_response_type_def_opaque: ref.typeDefinition?.opaque ?? null,
        browse_response_type_def_namespace_uri: ref.typeDefinition?.nsUri ?? null,
        browse_response_type_def_server_idx: serverIndexOf(ref.typeDefinition),
      }));
    }
    ctx.emit(OPCUA_BROWSE_RESULT_STREAM.name, uaRow(OPCUA_BROWSE_RESULT_STREAM)(flow, m, {
      browse_response_link_id: resultsLink,
      status_code_link_id: statusLink,
      browse_result_continuation_point: r.continuationPoint,
      browse_reference_link_id: refLink,
    }));
  }
  ctx.emit(OPCUA_BROWSE_STREAM.name, Object.assign(browseRow(flow, m, b.next ? 'BrowseNextResponse' : 'BrowseResponse'), { browse_response_link_id: resultsLink }));
}

const MONITORING_MODES = ['Disabled', 'Sampling', 'Reporting'];

/** Name of a MonitoringMode (OPC 10000-4 §7.23), `Unknown_<n>` outside the enumeration. */
export function monitoringModeName(v: number): string {
  return MONITORING_MODES[v] ?? `Unknown_${v}`;
}

/** DefaultBinary encodings of the MonitoringFilter types (Schema/NodeIds.csv). */
export const FILTER_TYPES = new Map<number, string>([
  [724, 'DataChangeFilter'],
  [727, 'EventFilter'],
  [730, 'AggregateFilter'],
]);

/** The create_item row with no values. */
function createItemRow(flow: UaFlowIds, m: UaMessage, link: string | null): Record<string, LogRecord[string]> {
  return uaRow(OPCUA_CREATE_ITEM_STREAM)(flow, m, {
    create_item_link_id: link,
    item_to_monitor_node_id_encoding_mask: encodingHex(null),
    item_to_monitor_node_id_namespace_idx: namespaceOf(null),
    item_to_monitor_node_id_numeric: numericOf(null),
    monitoring_parameters_filter_info_type_id_node_id_encoding_mask: encodingHex(null),
    monitoring_parameters_filter_info_type_id_node_id_namespace_idx: namespaceOf(null),
    monitoring_parameters_filter_info_type_id_node_id_numeric: numericOf(null),
  });
}

function createMonitoredItemsRecords(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, b: CreateMonitoredItemsRequest | CreateMonitoredItemsResponse, links: LinkIds): void {
  const n = b.kind === 'create_monitored_items_req' ? b.items.length : b.results.length;
  const link = n > 0 ? links.nextLink() : null;
  if (b.kind === 'create_monitored_items_req') {
    for (const it of b.items) {
      const v = it.item;
      const f = it.filter;
      const filterSet = f.encoding !== 0 || f.node.numeric !== 0 || f.node.encoding > 1;
      ctx.emit(OPCUA_CREATE_ITEM_STREAM.name, Object.assign(createItemRow(flow, m, link), {
        item_to_monitor_node_id_encoding_mask: encodingHex(v.nodeId),
        item_to_monitor_node_id_namespace_idx: namespaceOf(v.nodeId),
        item_to_monitor_node_id_numeric: numericOf(v.nodeId),
        item_to_monitor_node_id_string: v.nodeId?.str ?? null,
        item_to_monitor_node_id_guid: v.nodeId?.guid ?? null,
        item_to_monitor_node_id_opaque: v.nodeId?.opaque ?? null,
        item_to_monitor_attribute_id: attributeName(v.attributeId),
        item_to_monitor_index_range: v.indexRange === '' ? null : v.indexRange,
        item_to_monitor_namespace_idx: v.encodingName === '' ? null : v.encodingNs,
        item_to_monitor_name: v.encodingName === '' ? null : v.encodingName,
        monitoring_mode: MONITORING_MODES[it.monitoringMode] ?? `Unknown_${it.monitoringMode}`,
        monitoring_parameters_client_handle: it.clientHandle,
        monitoring_parameters_sampling_interval: it.samplingInterval,
        monitoring_parameters_queue_size: it.queueSize,
        monitoring_parameters_discard_oldest: it.discardOldest,
        monitoring_parameters_filter_info_type_id_node_id_encoding_mask: filterSet ? encodingHex(f.node) : null,
        monitoring_parameters_filter_info_type_id_node_id_namespace_idx: filterSet ? namespaceOf(f.node) : null,
        monitoring_parameters_filter_info_type_id_node_id_numeric: filterSet ? numericOf(f.node) : null,
        monitoring_parameters_filter_info_type_id_node_id_string: filterSet ? f.node.str : null,
        monitoring_parameters_filter_info_type_id_node_id_guid: filterSet ? f.node.guid : null,
        monitoring_parameters_filter_info_type_id_node_id_opaque: filterSet ? f.node.opaque : null,
        monitoring_parameters_filter_info_type_id_string: filterSet ? (FILTER_TYPES.get(f.typeId) ?? null) : null,
        monitoring_parameters_filter_info_type_id_encoding: filterSet ? `0x${f.encoding.toString(16).padStart(2, '0')}` : null,
      }));
    }
    ctx.emit(OPCUA_CREATE_MONITORED_ITEMS_STREAM.name, uaRow(OPCUA_CREATE_MONITORED_ITEMS_STREAM)(flow, m, {
      opcua_link_id: m.linkId,
      subscription_id: b.subscriptionId,
      timestamps_to_return: b.timestampsToReturn,
      timestamps_to_return_str: TIMESTAMPS_TO_RETURN[b.timestampsToReturn] ?? `Unknown_${b.timestampsToReturn}`,
      create_item_link_id: link,
    }));
    return;
  }
  for (const r of b.results) {
    const statusLink = links.nextLink();
    ctx.emit(OPCUA_STATUS_CODE_STREAM.name, statusCodeRecord(flow, m, statusLink, r.status, StatusSource.CreateMonitoredItems, 'CreateMonitoredItems', 0));
    ctx.emit(OPCUA_CREATE_ITEM_STREAM.name, Object.assign(createItemRow(flow, m, link), {
      monitoring_parameters_status_code_link_id: statusLink,
      monitored_item_index_id: r.monitoredItemId,
      monitoring_parameters_revised_sampling_interval: r.revisedSamplingInterval,
      monitoring_parameters_revised_queue_size: r.revisedQueueSize,
    }));
  }
  ctx.emit(OPCUA_CREATE_MONITORED_ITEMS_STREAM.name, uaRow(OPCUA_CREATE_MONITORED_ITEMS_STREAM)(flow, m, {
    opcua_link_id: m.linkId,
    create_item_link_id: link,
  }));
}

/** Names of the UserIdentityToken encodings (Schema/NodeIds.csv). */
const TOKEN_NAMES = new Map<number, string>([
  [321, 'AnonymousIdentityToken'],
  [324, 'UserNameIdentityToken'],
  [327, 'X509IdentityToken'],
  [940, 'IssuedIdentityToken'],
]);

/** '' → null: ICSNPP leaves empty strings unset. */
function unsetEmpty(s: string): string | null {
  return s === '' ? null : s;
}

function activateSessionRecords(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, b: ActivateSessionRequest | ActivateSessionResponse, links: LinkIds): void {
  const base = uaRow(OPCUA_ACTIVATE_SESSION_STREAM)(flow, m, {
    opcua_link_id: m.linkId,
  });
  if (b.kind === 'activate_session_res') {
    const statusLink = b.results.length > 0 ? links.nextLink() : null;
    if (statusLink !== null) for (const code of b.results) ctx.emit(OPCUA_STATUS_CODE_STREAM.name, statusCodeRecord(flow, m, statusLink, code, StatusSource.ActivateSession, 'ActivateSession', 0));
    ctx.emit(OPCUA_ACTIVATE_SESSION_STREAM.name, Object.assign(base, { server_nonce: b.serverNonce, status_code_link_id: statusLink }));
    return;
  }
  const certLink = b.softwareCerts.length > 0 ? links.nextLink() : null;
  for (const cert of b.softwareCerts) ctx.emit(OPCUA_ACTIVATE_SESSION_CERT_STREAM.name, uaRow(OPCUA_ACTIVATE_SESSION_CERT_STREAM)(flow, m, { client_software_cert_link_id: certLink, cert_data: cert.data, cert_signature: cert.signature }));
  const localeLink = b.localeIds.length > 0 ? links.nextLink() : null;
  for (const l of b.localeIds) ctx.emit(OPCUA_ACTIVATE_SESSION_LOCALE_STREAM.name, uaRow(OPCUA_ACTIVATE_SESSION_LOCALE_STREAM)(flow, m, { opcua_locale_link_id: localeLink, local_id: l }));
  const t = b.token;
  const typeName = t.type.node.ns <= 0 ? (TOKEN_NAMES.get(t.type.typeId) ?? serviceTypeName(t.type.typeId)) : null;
  const node = prefixedNodeId('ext_obj_type_id', t.type.node, false);
  ctx.emit(OPCUA_ACTIVATE_SESSION_STREAM.name, Object.assign(base, {
    client_algorithm: unsetEmpty(b.clientSignature.algorithm),
    client_signature: unsetEmpty(b.clientSignature.signature),
    client_software_cert_link_id: certLink,
    opcua_locale_link_id: localeLink,
    ext_obj_type_id_encoding_mask: node.ext_obj_type_id_encoding_mask,
    ext_obj_type_id_namespace_idx: node.ext_obj_type_id_namespace_idx,
    ext_obj_type_id_numeric: node.ext_obj_type_id_numeric,
    ext_obj_type_id_string: node.ext_obj_type_id_string,
    ext_obj_type_id_guid: node.ext_obj_type_id_guid,
    ext_obj_type_id_opaque: node.ext_obj_type_id_opaque,
    ext_obj_type_id_str: typeName,
    ext_obj_encoding: `0x${t.type.encoding.toString(16).padStart(2, '0')}`,
    ext_obj_policy_id: unsetEmpty(t.policyId),
    ext_obj_user_name: unsetEmpty(t.userName),
    ext_obj_password: t.passwordBytes <= 0 ? null : `redacted (${t.passwordBytes} bytes)`,
    ext_obj_encryption_algorithom: unsetEmpty(t.encryptionAlgorithm),
    ext_obj_certificate_data: unsetEmpty(t.certificateData),
    ext_obj_token_data: unsetEmpty(t.tokenData),
    user_token_algorithm: unsetEmpty(b.userTokenSignature.algorithm),
    user_token_signature: unsetEmpty(b.userTokenSignature.signature),
  }));
}

/** Where the rows of endpoint descriptions go: GetEndpoints or CreateSession logs. */
interface EndpointStreams {
  description: StreamSchema;
  userToken: StreamSchema;
  discovery: StreamSchema;
}

const GET_ENDPOINTS_ROWS: EndpointStreams = {
  description: OPCUA_GET_ENDPOINTS_DESCRIPTION_STREAM,
  userToken: OPCUA_GET_ENDPOINTS_USER_TOKEN_STREAM,
  discovery: OPCUA_GET_ENDPOINTS_DISCOVERY_STREAM,
};

const CREATE_SESSION_ROWS: EndpointStreams = {
  description: OPCUA_CREATE_SESSION_ENDPOINTS_STREAM,
  userToken: OPCUA_CREATE_SESSION_USER_TOKEN_STREAM,
  discovery: OPCUA_CREATE_SESSION_DISCOVERY_STREAM,
};

/** ApplicationDescription columns (and its DiscoveryUrls rows). */
function applicationFields(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, a: ApplicationDescription, out: EndpointStreams, links: LinkIds): Record<string, LogRecord[string]> {
  const discoveryLink = a.discoveryUrls.length > 0 ? links.nextLink() : null;
  for (const url of a.discoveryUrls) {
    ctx.emit(out.discovery.name, uaRow(out.discovery)(flow, m, {
      discovery_profile_link_id: discoveryLink,
      discovery_profile_uri: unsetEmpty(a.discoveryProfileUri),
      discovery_profile_url: unsetEmpty(url),
    }));
  }
  return {
    application_uri: unsetEmpty(a.applicationUri),
    product_uri: unsetEmpty(a.productUri),
    encoding_mask: a.nameMask,
    locale: unsetEmpty(a.nameLocale),
    text: unsetEmpty(a.nameText),
    application_type: a.applicationType,
    gateway_server_uri: unsetEmpty(a.gatewayServerUri),
    discovery_profile_uri: unsetEmpty(a.discoveryProfileUri),
    discovery_profile_link_id: discoveryLink,
  };
}

/** EndpointDescription rows with their user token and discovery rows. @returns the link naming them, or null */
function endpointRows(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, list: readonly EndpointDescription[], out: EndpointStreams, links: LinkIds): string | null {
  const link = list.length > 0 ? links.nextLink() : null;
  for (const e of list) {
    const app = applicationFields(ctx, flow, m, e.server, out, links);
    const tokenLink = e.tokens.length > 0 ? links.nextLink() : null;
    for (const t of e.tokens) {
      ctx.emit(out.userToken.name, uaRow(out.userToken)(flow, m, {
        user_token_link_id: tokenLink,
        user_token_policy_id: unsetEmpty(t.policyId),
        user_token_type: t.tokenType,
        user_token_issued_type: unsetEmpty(t.issuedTokenType),
        user_token_endpoint_url: unsetEmpty(t.issuerEndpointUrl),
        user_token_sec_policy_uri: unsetEmpty(t.securityPolicyUri),
      }));
    }
    const first = out === GET_ENDPOINTS_ROWS ? { endpoint_description_link_id: link, endpoint_uri: unsetEmpty(e.endpointUrl) } : { endpoint_link_id: link, endpoint_url: unsetEmpty(e.endpointUrl) };
    ctx.emit(out.description.name, uaRow(out.description)(flow, m, {
      ...first,
      ...app,
      cert_size: e.certLen > 0 ? e.certLen : null,
      server_cert: e.cert,
      message_security_mode: e.securityMode,
      security_policy_uri: unsetEmpty(e.securityPolicyUri),
      user_token_link_id: tokenLink,
      transport_profile_uri: unsetEmpty(e.transportProfileUri),
      security_level: e.securityLevel,
    }));
  }
  return link;
}

function getEndpointsRecords(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, b: GetEndpointsRequest | GetEndpointsResponse, links: LinkIds): void {
  if (b.kind === 'get_endpoints_res') {
    const link = endpointRows(ctx, flow, m, b.endpoints, GET_ENDPOINTS_ROWS, links);
    ctx.emit(OPCUA_GET_ENDPOINTS_STREAM.name, uaRow(OPCUA_GET_ENDPOINTS_STREAM)(flow, m, { opcua_link_id: m.linkId, endpoint_description_link_id: link }));
    return;
  }
  const localeLink = b.localeIds.length > 0 ? links.nextLink() : null;
  for (const l of b.localeIds) ctx.emit(OPCUA_GET_ENDPOINTS_LOCALE_STREAM.name, uaRow(OPCUA_GET_ENDPOINTS_LOCALE_STREAM)(flow, m, { locale_link_id: localeLink, locale_id: l }));
  const profileLink = b.profileUris.length > 0 ? links.nextLink() : null;
  for (const u of b.profileUris) ctx.emit(OPCUA_GET_ENDPOINTS_PROFILE_STREAM.name, uaRow(OPCUA_GET_ENDPOINTS_PROFILE_STREAM)(flow, m, { profile_uri_link_id: profileLink, profile_uri: u }));
  ctx.emit(OPCUA_GET_ENDPOINTS_STREAM.name, uaRow(OPCUA_GET_ENDPOINTS_STREAM)(flow, m, { opcua_link_id: m.linkId, endpoint_url: unsetEmpty(b.endpointUrl), locale_link_id: localeLink, profile_uri_link_id: profileLink }));
}

function createSessionRecords(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, b: CreateSessionRequest | CreateSessionResponse, links: LinkIds): void {
  const empty = {
    session_id_encoding_mask: encodingHex(null),
    session_id_namespace_idx: namespaceOf(null),
    session_id_numeric: numericOf(null),
    auth_token_encoding_mask: encodingHex(null),
    auth_token_namespace_idx: namespaceOf(null),
    auth_token_numeric: numericOf(null),
  };
  if (b.kind === 'create_session_req') {
    ctx.emit(OPCUA_CREATE_SESSION_STREAM.name, uaRow(OPCUA_CREATE_SESSION_STREAM)(flow, m, {
      opcua_link_id: m.linkId,
      ...empty,
      ...applicationFields(ctx, flow, m, b.client, CREATE_SESSION_ROWS, links),
      server_uri: unsetEmpty(b.serverUri),
      endpoint_url: unsetEmpty(b.endpointUrl),
      session_name: unsetEmpty(b.sessionName),
      client_nonce: b.clientNonce,
      client_cert_size: b.clientCertLen > 0 ? b.clientCertLen : null,
      client_cert: b.clientCert,
      req_session_timeout: wholeMs(b.requestedTimeout),
      max_res_msg_size: b.maxResponseSize,
    }));
    return;
  }
  const link = endpointRows(ctx, flow, m, b.endpoints, CREATE_SESSION_ROWS, links);
  ctx.emit(OPCUA_CREATE_SESSION_STREAM.name, uaRow(OPCUA_CREATE_SESSION_STREAM)(flow, m, {
    opcua_link_id: m.linkId,
    ...empty,
    session_id_encoding_mask: encodingHex(b.sessionId),
    session_id_namespace_idx: namespaceOf(b.sessionId),
    session_id_numeric: numericOf(b.sessionId),
    session_id_string: b.sessionId?.str ?? null,
    session_id_guid: b.sessionId?.guid ?? null,
    session_id_opaque: b.sessionId?.opaque ?? null,
    auth_token_encoding_mask: encodingHex(b.authToken),
    auth_token_namespace_idx: namespaceOf(b.authToken),
    auth_token_numeric: numericOf(b.authToken),
    auth_token_string: b.authToken?.str ?? null,
    auth_token_guid: b.authToken?.guid ?? null,
    auth_token_opaque: b.authToken?.opaque ?? null,
    revised_session_timeout: wholeMs(b.revisedTimeout),
    server_nonce: b.serverNonce,
    server_cert_size: b.serverCertLen > 0 ? b.serverCertLen : null,
    server_cert: b.serverCert,
    endpoint_link_id: link,
    algorithm: unsetEmpty(b.signature.algorithm),
    signature: unsetEmpty(b.signature.signature),
    max_req_msg_size: b.maxRequestSize,
  }));
}
