import { Cursor, readExtensionObject, readNodeId, skipDiagnosticInfo, type ExtObjHeader, type NodeId } from './grammar.js';
import type { CallRequest, CallResponse } from './method-services.js';
import type { SubscriptionServiceBody } from './subscription-services.js';

/**
 * Service bodies this analyzer decodes past the Request/Response header (OPC 10000-4 §5; encodings
 * OPC 10000-6 §5.2). Vectors are cut at `max` entries (limits.maxVectorLength); `dropped` counts the rest.
 */
export type ServiceBody =
  | CloseSessionRequest
  | CreateSubscriptionRequest
  | CreateSubscriptionResponse
  | ReadRequest
  | ReadResponse
  | WriteRequest
  | WriteResponse
  | BrowseRequest
  | BrowseNextRequest
  | BrowseResponse
  | CreateMonitoredItemsRequest
  | CreateMonitoredItemsResponse
  | ActivateSessionRequest
  | ActivateSessionResponse
  | GetEndpointsRequest
  | GetEndpointsResponse
  | CreateSessionRequest
  | CreateSessionResponse
  | CallRequest
  | CallResponse
  | SubscriptionServiceBody;

/** CloseSessionRequest (OPC 10000-4 §5.6.4): DeleteSubscriptions. */
export interface CloseSessionRequest {
  kind: 'close_session_req';
  deleteSubscriptions: boolean;
}

/** CreateSubscriptionRequest (OPC 10000-4 §5.13.2); intervals in milliseconds (Duration, a Double). */
export interface CreateSubscriptionRequest {
  kind: 'create_subscription_req';
  publishingInterval: number;
  lifetimeCount: number;
  maxKeepAliveCount: number;
  maxNotificationsPerPublish: number;
  publishingEnabled: boolean;
  priority: number;
}

/** CreateSubscriptionResponse (OPC 10000-4 §5.13.2). */
export interface CreateSubscriptionResponse {
  kind: 'create_subscription_res';
  subscriptionId: number;
  publishingInterval: number;
  lifetimeCount: number;
  maxKeepAliveCount: number;
}

/** One ReadValueId (OPC 10000-4 §7.29). */
export interface ReadValueId {
  nodeId: NodeId;
  attributeId: number;
  /** IndexRange; '' when null. */
  indexRange: string;
  /** DataEncoding QualifiedName: namespace and name ('' when null). */
  encodingNs: number;
  encodingName: string;
}

/** ReadRequest (OPC 10000-4 §5.11.2): MaxAge milliseconds, TimestampsToReturn, NodesToRead. */
export interface ReadRequest {
  kind: 'read_req';
  maxAge: number;
  timestampsToReturn: number;
  nodes: ReadValueId[];
  dropped: number;
}

/**
 * The type of one Variant (OPC 10000-6 §5.2.2.16): its encoding byte (built-in type in the low 6 bits,
 * 0x80 array, 0x40 ArrayDimensions), the array length (-1 for a scalar) and the number of ArrayDimensions
 * (-1 when absent). The values themselves are skipped.
 */
export interface VariantInfo {
  mask: number;
  arrayLength: number;
  dims: number;
}

/** The header of one DataValue (OPC 10000-6 §5.2.2.17); of its Variant only the type is kept. */
export interface DataValueInfo {
  mask: number;
  /** The Variant's type; null when the DataValue has no value (mask bit 0x01 clear). */
  variant: VariantInfo | null;
  /** StatusCode; -1 when absent (Good implied). */
  status: number;
  sourceTimestamp: number | null;
  sourcePico: number;
  serverTimestamp: number | null;
  serverPico: number;
}

/** ReadResponse (OPC 10000-4 §5.11.2): Results (DataValue[]), DiagnosticInfos skipped. */
export interface ReadResponse {
  kind: 'read_res';
  results: DataValueInfo[];
  dropped: number;
}

/** One WriteValue (OPC 10000-4 §5.11.4): the node, attribute, IndexRange and the DataValue header. */
export interface WriteValue {
  nodeId: NodeId;
  attributeId: number;
  /** IndexRange; '' when null. */
  indexRange: string;
  value: DataValueInfo;
}

/** WriteRequest (OPC 10000-4 §5.11.4): NodesToWrite. */
export interface WriteRequest {
  kind: 'write_req';
  nodes: WriteValue[];
  dropped: number;
}

/** WriteResponse (OPC 10000-4 §5.11.4): Results (StatusCode[]), DiagnosticInfos skipped. */
export interface WriteResponse {
  kind: 'write_res';
  results: number[];
  dropped: number;
}

/** One BrowseDescription (OPC 10000-4 §5.9.2). */
export interface BrowseDescription {
  nodeId: NodeId;
  direction: number;
  referenceTypeId: NodeId;
  includeSubtypes: boolean;
  nodeClassMask: number;
  resultMask: number;
}

/** BrowseRequest (OPC 10000-4 §5.9.2): View, RequestedMaxReferencesPerNode, NodesToBrowse. */
export interface BrowseRequest {
  kind: 'browse_req';
  viewId: NodeId;
  viewTimestamp: number | null;
  viewVersion: number;
  maxReferences: number;
  nodes: BrowseDescription[];
  dropped: number;
}

/** BrowseNextRequest (OPC 10000-4 §5.9.3): ReleaseContinuationPoints, ContinuationPoints (0x-hex). */
export interface BrowseNextRequest {
  kind: 'browse_next_req';
  release: boolean;
  continuationPoints: string[];
  dropped: number;
}

/** One ReferenceDescription (OPC 10000-4 §7.30). */
export interface ReferenceDescription {
  referenceTypeId: NodeId;
  isForward: boolean;
  nodeId: NodeId;
  browseNameNs: number;
  browseName: string;
  displayNameMask: number;
  displayNameLocale: string;
  displayNameText: string;
  nodeClass: number;
  typeDefinition: NodeId;
}

/** One BrowseResult (OPC 10000-4 §7.6). */
export interface BrowseResult {
  status: number;
  /** ContinuationPoint as 0x-hex; null when null or empty. */
  continuationPoint: string | null;
  references: ReferenceDescription[];
}

/** BrowseResponse / BrowseNextResponse (OPC 10000-4 §5.9.2, §5.9.3): Results, DiagnosticInfos skipped. */
export interface BrowseResponse {
  kind: 'browse_res';
  /** True for BrowseNextResponse. */
  next: boolean;
  results: BrowseResult[];
  /** Results and references beyond maxVectorLength, counted not kept. */
  dropped: number;
}

/** One MonitoredItemCreateRequest (OPC 10000-4 §5.12.2, MonitoringParameters §7.21); the filter body is skipped. */
export interface MonitoredItemCreate {
  item: ReadValueId;
  monitoringMode: number;
  clientHandle: number;
  samplingInterval: number;
  filter: ExtObjHeader;
  queueSize: number;
  discardOldest: boolean;
}

/** CreateMonitoredItemsRequest (OPC 10000-4 §5.12.2). */
export interface CreateMonitoredItemsRequest {
  kind: 'create_monitored_items_req';
  subscriptionId: number;
  timestampsToReturn: number;
  items: MonitoredItemCreate[];
  dropped: number;
}

/** One MonitoredItemCreateResult (OPC 10000-4 §5.12.2); the FilterResult body is skipped. */
export interface MonitoredItemCreateResult {
  status: number;
  monitoredItemId: number;
  revisedSamplingInterval: number;
  revisedQueueSize: number;
}

/** CreateMonitoredItemsResponse (OPC 10000-4 §5.12.2): Results, DiagnosticInfos skipped. */
export interface CreateMonitoredItemsResponse {
  kind: 'create_monitored_items_res';
  results: MonitoredItemCreateResult[];
  dropped: number;
}

/** SignatureData (OPC 10000-4 §7.37): Algorithm; Signature as 0x-hex of its first 24 bytes ('' when null). */
export interface SignatureData {
  algorithm: string;
  signature: string;
}

/** A UserIdentityToken (OPC 10000-4 §7.41): the ExtensionObject type and the fields of the four token types. */
export interface UserIdentityToken {
  type: ExtObjHeader;
  policyId: string;
  userName: string;
  /** UserNameIdentityToken Password: its length in bytes only (0 when null or empty); the value is never kept. */
  passwordBytes: number;
  encryptionAlgorithm: string;
  /** X509IdentityToken CertificateData, 0x-hex of its first 24 bytes. */
  certificateData: string;
  /** IssuedIdentityToken TokenData, 0x-hex of its first 24 bytes. */
  tokenData: string;
}

/** ActivateSessionRequest (OPC 10000-4 §5.6.3). */
export interface ActivateSessionRequest {
  kind: 'activate_session_req';
  clientSignature: SignatureData;
  /** ClientSoftwareCertificates: CertificateData and Signature as Zeek log text (Cursor.rawBytes). */
  softwareCerts: { data: string; signature: string }[];
  localeIds: string[];
  token: UserIdentityToken;
  userTokenSignature: SignatureData;
  dropped: number;
}

/** ActivateSessionResponse (OPC 10000-4 §5.6.3): ServerNonce (0x-hex), Results, DiagnosticInfos skipped. */
export interface ActivateSessionResponse {
  kind: 'activate_session_res';
  serverNonce: string;
  results: number[];
  dropped: number;
}

/** ApplicationDescription (OPC 10000-4 §7.2). Null strings are ''. */
export interface ApplicationDescription {
  applicationUri: string;
  productUri: string;
  nameMask: number;
  nameLocale: string;
  nameText: string;
  applicationType: number;
  gatewayServerUri: string;
  discoveryProfileUri: string;
  discoveryUrls: string[];
}

/** UserTokenPolicy (OPC 10000-4 §7.42). */
export interface UserTokenPolicy {
  policyId: string;
  tokenType: number;
  issuedTokenType: string;
  issuerEndpointUrl: string;
  securityPolicyUri: string;
}

/** EndpointDescription (OPC 10000-4 §7.14); the certificate as its length (-1 null) and 0x-hex prefix. */
export interface EndpointDescription {
  endpointUrl: string;
  server: ApplicationDescription;
  certLen: number;
  cert: string | null;
  securityMode: number;
  securityPolicyUri: string;
  tokens: UserTokenPolicy[];
  transportProfileUri: string;
  securityLevel: number;
}

/** GetEndpointsRequest (OPC 10000-4 §5.4.4). */
export interface GetEndpointsRequest {
  kind: 'get_endpoints_req';
  endpointUrl: string;
  localeIds: string[];
  profileUris: string[];
  dropped: number;
}

/** GetEndpointsResponse (OPC 10000-4 §5.4.4). */
export interface GetEndpointsResponse {
  kind: 'get_endpoints_res';
  endpoints: EndpointDescription[];
  dropped: number;
}

/** CreateSessionRequest (OPC 10000-4 §5.6.2). Nonce and certificate as 0x-hex prefixes. */
export interface CreateSessionRequest {
  kind: 'create_session_req';
  client: ApplicationDescription;
  serverUri: string;
  endpointUrl: string;
  sessionName: string;
  clientNonce: string | null;
  clientCertLen: number;
  clientCert: string | null;
  requestedTimeout: number;
  maxResponseSize: number;
  dropped: number;
}

/** CreateSessionResponse (OPC 10000-4 §5.6.2). */
export interface CreateSessionResponse {
  kind: 'create_session_res';
  sessionId: NodeId;
  authToken: NodeId;
  revisedTimeout: number;
  serverNonce: string | null;
  serverCertLen: number;
  serverCert: string | null;
  endpoints: EndpointDescription[];
  signature: SignatureData;
  maxRequestSize: number;
  dropped: number;
}

/** DefaultBinary type ids of the identity token ExtensionObjects (Schema/NodeIds.csv). */
export const IdentityTokenId = { Anonymous: 321, UserName: 324, X509: 327, Issued: 940 } as const;

/** DefaultBinary type ids of the bodies decoded here (Schema/NodeIds.csv). */
export const ServiceId = {
  CloseSessionRequest: 473,
  CreateSubscriptionRequest: 787,
  CreateSubscriptionResponse: 790,
  ReadRequest: 631,
  ReadResponse: 634,
  WriteRequest: 673,
  WriteResponse: 676,
  BrowseRequest: 527,
  BrowseResponse: 530,
  BrowseNextRequest: 533,
  BrowseNextResponse: 536,
  CreateMonitoredItemsRequest: 751,
  CreateMonitoredItemsResponse: 754,
  ActivateSessionRequest: 467,
  ActivateSessionResponse: 470,
  GetEndpointsRequest: 428,
  GetEndpointsResponse: 431,
  CreateSessionRequest: 461,
  CreateSessionResponse: 464,
} as const;

/** Nesting allowed inside a Variant / DataValue / DiagnosticInfo before the body counts as malformed. */
export const MAX_DEPTH = 8;
/** Elements of one array skipped at most (a larger count is malformed: it cannot fit a chunk anyway). */
const MAX_ARRAY = 1 << 20;

/**
 * Decode the body of service `typeId` after its header, or null when the type has no decoder here.
 * A body that does not parse marks the cursor bad (the caller reports it).
 */
export function decodeServiceBody(c: Cursor, typeId: number, max: number): ServiceBody | null {
  switch (typeId) {
    case ServiceId.CloseSessionRequest:
      return { kind: 'close_session_req', deleteSubscriptions: c.u8() !== 0 };
    case ServiceId.CreateSubscriptionRequest:
      return {
        kind: 'create_subscription_req',
        publishingInterval: c.f64(),
        lifetimeCount: c.u32(),
        maxKeepAliveCount: c.u32(),
        maxNotificationsPerPublish: c.u32(),
        publishingEnabled: c.u8() !== 0,
        priority: c.u8(),
      };
    case ServiceId.CreateSubscriptionResponse:
      return { kind: 'create_subscription_res', subscriptionId: c.u32(), publishingInterval: c.f64(), lifetimeCount: c.u32(), maxKeepAliveCount: c.u32() };
    case ServiceId.ReadRequest:
      return readRequest(c, max);
    case ServiceId.ReadResponse:
      return readResponse(c, max);
    case ServiceId.WriteRequest:
      return writeRequest(c, max);
    case ServiceId.WriteResponse:
      return writeResponse(c, max);
    case ServiceId.BrowseRequest:
      return browseRequest(c, max);
    case ServiceId.BrowseNextRequest:
      return browseNextRequest(c, max);
    case ServiceId.BrowseResponse:
    case ServiceId.BrowseNextResponse:
      return browseResponse(c, max, typeId === ServiceId.BrowseNextResponse);
    case ServiceId.CreateMonitoredItemsRequest:
      return createMonitoredItemsRequest(c, max);
    case ServiceId.CreateMonitoredItemsResponse:
      return createMonitoredItemsResponse(c, max);
    case ServiceId.ActivateSessionRequest:
      return activateSessionRequest(c, max);
    case ServiceId.ActivateSessionResponse:
      return activateSessionResponse(c, max);
    case ServiceId.GetEndpointsRequest:
      return getEndpointsRequest(c, max);
    case ServiceId.GetEndpointsResponse:
      return getEndpointsResponse(c, max);
    case ServiceId.CreateSessionRequest:
      return createSessionRequest(c, max);
    case ServiceId.CreateSessionResponse:
      return createSessionResponse(c, max);
    default:
      return null;
  }
}

/**
 * Array length (OPC 10000-6 §5.2.5: Int32, -1 null → 0); a count below -1 or above 2^20 (more than a
 * chunk can hold) marks the cursor bad and returns 0.
 */
export function arrayLength(c: Cursor): number {
  const n = c.i32();
  if (n === -1) return 0;
  if (n < -1 || n > MAX_ARRAY) {
    c.bad = true;
    return 0;
  }
  return n;
}

/** A String[] cut at `max` entries; `counter.dropped` counts the rest. */
function strings(c: Cursor, max: number, counter: { dropped: number }): string[] {
  const n = arrayLength(c);
  const out: string[] = [];
  for (let i = 0; i < n && !c.bad; i++) {
    const v = c.string();
    if (out.length < max) out.push(v);
    else counter.dropped++;
  }
  return out;
}

function applicationDescription(c: Cursor, max: number, counter: { dropped: number }): ApplicationDescription {
  const applicationUri = c.string();
  const productUri = c.string();
  const nameMask = c.u8();
  const nameLocale = nameMask & 0x01 ? c.string() : '';
  const nameText = nameMask & 0x02 ? c.string() : '';
  const applicationType = c.u32();
  const gatewayServerUri = c.string();
  const discoveryProfileUri = c.string();
  const discoveryUrls = strings(c, max, counter);
  return { applicationUri, productUri, nameMask, nameLocale, nameText, applicationType, gatewayServerUri, discoveryProfileUri, discoveryUrls };
}

function endpoints(c: Cursor, max: number, counter: { dropped: number }): EndpointDescription[] {
  const n = arrayLength(c);
  const out: EndpointDescription[] = [];
  for (let i = 0; i < n && !c.bad; i++) {
    const endpointUrl = c.string();
    const server = applicationDescription(c, max, counter);
    const cert = c.hexBytes();
    const securityMode = c.u32();
    const securityPolicyUri = c.string();
    const nt = arrayLength(c);
    const tokens: UserTokenPolicy[] = [];
    for (let j = 0; j < nt && !c.bad; j++) {
      const t: UserTokenPolicy = { policyId: c.string(), tokenType: c.u32(), issuedTokenType: c.string(), issuerEndpointUrl: c.string(), securityPolicyUri: c.string() };
      if (tokens.length < max) tokens.push(t);
      else counter.dropped++;
    }
    const transportProfileUri = c.string();
    const securityLevel = c.u8();
    const e: EndpointDescription = { endpointUrl, server, certLen: cert.len, cert: cert.hex, securityMode, securityPolicyUri, tokens, transportProfileUri, securityLevel };
    if (out.length < max) out.push(e);
    else counter.dropped++;
  }
  return out;
}

function getEndpointsRequest(c: Cursor, max: number): GetEndpointsRequest {
  const counter = { dropped: 0 };
  const endpointUrl = c.string();
  const localeIds = strings(c, max, counter);
  const profileUris = strings(c, max, counter);
  return { kind: 'get_endpoints_req', endpointUrl, localeIds, profileUris, dropped: counter.dropped };
}

function getEndpointsResponse(c: Cursor, max: number): GetEndpointsResponse {
  const counter = { dropped: 0 };
  const list = endpoints(c, max, counter);
  return { kind: 'get_endpoints_res', endpoints: list, dropped: counter.dropped };
}

function createSessionRequest(c: Cursor, max: number): CreateSessionRequest {
  const counter = { dropped: 0 };
  const client = applicationDescription(c, max, counter);
  const serverUri = c.string();
  const endpointUrl = c.string();
  const sessionName = c.string();
  const nonce = c.hexBytes();
  const cert = c.hexBytes();
  const requestedTimeout = c.f64();
  const maxResponseSize = c.u32();
  return { kind: 'create_session_req', client, serverUri, endpointUrl, sessionName, clientNonce: nonce.hex, clientCertLen: cert.len, clientCert: cert.hex, requestedTimeout, maxResponseSize, dropped: counter.dropped };
}

function createSessionResponse(c: Cursor, max: number): CreateSessionResponse {
  const counter = { dropped: 0 };
  const sessionId = readNodeId(c, false);
  const authToken = readNodeId(c, false);
  const revisedTimeout = c.f64();
  const nonce = c.hexBytes();
  const cert = c.hexBytes();
  const list = endpoints(c, max, counter);
  const nc = arrayLength(c);
  for (let i = 0; i < nc && !c.bad; i++) {
    c.hexBytes();
    c.hexBytes();
  }
  const signature = signatureData(c);
  const maxRequestSize = c.u32();
  return { kind: 'create_session_res', sessionId, authToken, revisedTimeout, serverNonce: nonce.hex, serverCertLen: cert.len, serverCert: cert.hex, endpoints: list, signature, maxRequestSize, dropped: counter.dropped };
}

function signatureData(c: Cursor): SignatureData {
  const algorithm = c.string();
  return { algorithm, signature: c.hexBytes().hex ?? '' };
}

/** The ExtensionObject of a UserIdentityToken, its body decoded for the four token types. */
function identityToken(c: Cursor): UserIdentityToken {
  const typeNode = readNodeId(c, false);
  const encoding = c.u8();
  const t: UserIdentityToken = {
    type: { typeId: typeNode.numeric < 0 ? 0 : typeNode.numeric, encoding, node: typeNode },
    policyId: '',
    userName: '',
    passwordBytes: 0,
    encryptionAlgorithm: '',
    certificateData: '',
    tokenData: '',
  };
  if (encoding !== 1 && encoding !== 2) {
    if (encoding !== 0) c.bad = true;
    return t;
  }
  const n = c.i32();
  if (n < 0) return t;
  const end = c.pos + n;
  if (end > c.end) {
    c.bad = true;
    return t;
  }
  if (encoding === 1 && typeNode.ns <= 0) {
    switch (typeNode.numeric) {
      case IdentityTokenId.Anonymous:
        t.policyId = c.string();
        break;
      case IdentityTokenId.UserName:
        t.policyId = c.string();
        t.userName = c.string();
        t.passwordBytes = c.byteStringLength();
        t.encryptionAlgorithm = c.string();
        break;
      case IdentityTokenId.X509:
        t.policyId = c.string();
        t.certificateData = c.hexBytes().hex ?? '';
        break;
      case IdentityTokenId.Issued:
        t.policyId = c.string();
        t.tokenData = c.hexBytes().hex ?? '';
        t.encryptionAlgorithm = c.string();
        break;
      default:
        break;
    }
  }
  if (c.pos > end) c.bad = true;
  else c.pos = end;
  return t;
}

function activateSessionRequest(c: Cursor, max: number): ActivateSessionRequest {
  const clientSignature = signatureData(c);
  let dropped = 0;
  const softwareCerts: { data: string; signature: string }[] = [];
  const nc = arrayLength(c);
  for (let i = 0; i < nc && !c.bad; i++) {
    const cert = { data: c.rawBytes(), signature: c.rawBytes() };
    if (softwareCerts.length < max) softwareCerts.push(cert);
    else dropped++;
  }
  const localeIds: string[] = [];
  const nl = arrayLength(c);
  for (let i = 0; i < nl && !c.bad; i++) {
    const l = c.string();
    if (localeIds.length < max) localeIds.push(l);
    else dropped++;
  }
  const token = identityToken(c);
  const userTokenSignature = signatureData(c);
  return { kind: 'activate_session_req', clientSignature, softwareCerts, localeIds, token, userTokenSignature, dropped };
}

function activateSessionResponse(c: Cursor, max: number): ActivateSessionResponse {
  const serverNonce = c.hexBytes().hex ?? '';
  const n = arrayLength(c);
  const results: number[] = [];
  let dropped = 0;
  for (let i = 0; i < n && !c.bad; i++) {
    const code = c.u32();
    if (results.length < max) results.push(code);
    else dropped++;
  }
  const d = arrayLength(c);
  for (let i = 0; i < d && !c.bad; i++) skipDiagnosticInfo(c, MAX_DEPTH);
  return { kind: 'activate_session_res', serverNonce, results, dropped };
}

/** A ReadValueId (OPC 10000-4 §7.29). */
function readValueId(c: Cursor): ReadValueId {
  const nodeId = readNodeId(c, false);
  const attributeId = c.u32();
  const indexRange = c.string();
  const encodingNs = c.u16();
  const encodingName = c.string();
  return { nodeId, attributeId, indexRange, encodingNs, encodingName };
}

function createMonitoredItemsRequest(c: Cursor, max: number): CreateMonitoredItemsRequest {
  const subscriptionId = c.u32();
  const timestampsToReturn = c.u32();
  const n = arrayLength(c);
  const items: MonitoredItemCreate[] = [];
  let dropped = 0;
  for (let i = 0; i < n && !c.bad; i++) {
    const item = readValueId(c);
    const monitoringMode = c.u32();
    const clientHandle = c.u32();
    const samplingInterval = c.f64();
    const filter = readExtensionObject(c);
    const queueSize = c.u32();
    const discardOldest = c.u8() !== 0;
    if (items.length < max) items.push({ item, monitoringMode, clientHandle, samplingInterval, filter, queueSize, discardOldest });
    else dropped++;
  }
  return { kind: 'create_monitored_items_req', subscriptionId, timestampsToReturn, items, dropped };
}

function createMonitoredItemsResponse(c: Cursor, max: number): CreateMonitoredItemsResponse {
  const n = arrayLength(c);
  const results: MonitoredItemCreateResult[] = [];
  let dropped = 0;
  for (let i = 0; i < n && !c.bad; i++) {
    const r: MonitoredItemCreateResult = { status: c.u32(), monitoredItemId: c.u32(), revisedSamplingInterval: c.f64(), revisedQueueSize: c.u32() };
    readExtensionObject(c);
    if (results.length < max) results.push(r);
    else dropped++;
  }
  const d = arrayLength(c);
  for (let i = 0; i < d && !c.bad; i++) skipDiagnosticInfo(c, MAX_DEPTH);
  return { kind: 'create_monitored_items_res', results, dropped };
}

function readRequest(c: Cursor, max: number): ReadRequest {
  const maxAge = c.f64();
  const timestampsToReturn = c.u32();
  const n = arrayLength(c);
  const nodes: ReadValueId[] = [];
  let dropped = 0;
  for (let i = 0; i < n && !c.bad; i++) {
    const v = readValueId(c);
    if (nodes.length < max) nodes.push(v);
    else dropped++;
  }
  return { kind: 'read_req', maxAge, timestampsToReturn, nodes, dropped };
}

function readResponse(c: Cursor, max: number): ReadResponse {
  const n = arrayLength(c);
  const results: DataValueInfo[] = [];
  let dropped = 0;
  for (let i = 0; i < n && !c.bad; i++) {
    const dv = readDataValue(c, 0);
    if (results.length < max) results.push(dv);
    else dropped++;
  }
  const d = arrayLength(c);
  for (let i = 0; i < d && !c.bad; i++) skipDiagnosticInfo(c, MAX_DEPTH);
  return { kind: 'read_res', results, dropped };
}

function writeRequest(c: Cursor, max: number): WriteRequest {
  const n = arrayLength(c);
  const nodes: WriteValue[] = [];
  let dropped = 0;
  for (let i = 0; i < n && !c.bad; i++) {
    const nodeId = readNodeId(c, false);
    const attributeId = c.u32();
    const indexRange = c.string();
    const value = readDataValue(c, 0);
    if (nodes.length < max) nodes.push({ nodeId, attributeId, indexRange, value });
    else dropped++;
  }
  return { kind: 'write_req', nodes, dropped };
}

function writeResponse(c: Cursor, max: number): WriteResponse {
  const n = arrayLength(c);
  const results: number[] = [];
  let dropped = 0;
  for (let i = 0; i < n && !c.bad; i++) {
    const code = c.u32();
    if (results.length < max) results.push(code);
    else dropped++;
  }
  const d = arrayLength(c);
  for (let i = 0; i < d && !c.bad; i++) skipDiagnosticInfo(c, MAX_DEPTH);
  return { kind: 'write_res', results, dropped };
}

function browseRequest(c: Cursor, max: number): BrowseRequest {
  const viewId = readNodeId(c, false);
  const viewTimestamp = c.dateTime();
  const viewVersion = c.u32();
  const maxReferences = c.u32();
  const n = arrayLength(c);
  const nodes: BrowseDescription[] = [];
  let dropped = 0;
  for (let i = 0; i < n && !c.bad; i++) {
    const d: BrowseDescription = { nodeId: readNodeId(c, false), direction: c.u32(), referenceTypeId: readNodeId(c, false), includeSubtypes: c.u8() !== 0, nodeClassMask: c.u32(), resultMask: c.u32() };
    if (nodes.length < max) nodes.push(d);
    else dropped++;
  }
  return { kind: 'browse_req', viewId, viewTimestamp, viewVersion, maxReferences, nodes, dropped };
}

function browseNextRequest(c: Cursor, max: number): BrowseNextRequest {
  const release = c.u8() !== 0;
  const n = arrayLength(c);
  const continuationPoints: string[] = [];
  let dropped = 0;
  for (let i = 0; i < n && !c.bad; i++) {
    const h = c.hexBytes();
    if (continuationPoints.length < max) continuationPoints.push(h.hex ?? '');
    else dropped++;
  }
  return { kind: 'browse_next_req', release, continuationPoints, dropped };
}

function browseResponse(c: Cursor, max: number, next: boolean): BrowseResponse {
  const n = arrayLength(c);
  const results: BrowseResult[] = [];
  let dropped = 0;
  for (let i = 0; i < n && !c.bad; i++) {
    const status = c.u32();
    const continuationPoint = c.hexBytes().hex;
    const m = arrayLength(c);
    const references: ReferenceDescription[] = [];
    for (let j = 0; j < m && !c.bad; j++) {
      const referenceTypeId = readNodeId(c, false);
      const isForward = c.u8() !== 0;
      const nodeId = readNodeId(c, true);
      const browseNameNs = c.u16();
      const browseName = c.string();
      const displayNameMask = c.u8();
      const displayNameLocale = displayNameMask & 0x01 ? c.string() : '';
      const displayNameText = displayNameMask & 0x02 ? c.string() : '';
      const nodeClass = c.u32();
      const typeDefinition = readNodeId(c, true);
      if (references.length < max) references.push({ referenceTypeId, isForward, nodeId, browseNameNs, browseName, displayNameMask, displayNameLocale, displayNameText, nodeClass, typeDefinition });
      else dropped++;
    }
    if (results.length < max) results.push({ status, continuationPoint, references });
    else dropped++;
  }
  const d = arrayLength(c);
  for (let i = 0; i < d && !c.bad; i++) skipDiagnosticInfo(c, MAX_DEPTH);
  return { kind: 'browse_res', next, results, dropped };
}

/** A DataValue (OPC 10000-6 §5.2.2.17), its Variant's type kept and its value skipped. */
export function readDataValue(c: Cursor, depth: number): DataValueInfo {
  const mask = c.u8();
  const variant = mask & 0x01 ? readVariantInfo(c, depth + 1) : null;
  const status = mask & 0x02 ? c.u32() : -1;
  const sourceTimestamp = mask & 0x04 ? c.dateTime() : null;
  const sourcePico = mask & 0x10 ? c.u16() : -1;
  const serverTimestamp = mask & 0x08 ? c.dateTime() : null;
  const serverPico = mask & 0x20 ? c.u16() : -1;
  return { mask, variant, status, sourceTimestamp, sourcePico, serverTimestamp, serverPico };
}

/** Skip a DataValue (OPC 10000-6 §5.2.2.17) without keeping anything: the Variant and the masked fields. */
export function skipDataValue(c: Cursor, depth: number): void {
  const mask = c.u8();
  if (mask & 0x01) skipVariant(c, depth + 1);
  c.skip((mask & 0x02 ? 4 : 0) + (mask & 0x04 ? 8 : 0) + (mask & 0x10 ? 2 : 0) + (mask & 0x08 ? 8 : 0) + (mask & 0x20 ? 2 : 0));
}

/** Fixed sizes in bytes of the built-in types 1–14 and 19 (OPC 10000-6 §5.2.2, Table 1); 0 = variable. */
const FIXED_SIZE = [0, 1, 1, 1, 2, 2, 4, 4, 8, 8, 4, 8, 0, 8, 16, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0];

/** Skip one value of built-in type `t` (OPC 10000-6 §5.2.2). */
function skipBuiltIn(c: Cursor, t: number, depth: number): void {
  if (depth > MAX_DEPTH) {
    c.bad = true;
    return;
  }
  const fixed = t < FIXED_SIZE.length ? FIXED_SIZE[t] : 0;
  if (fixed > 0) {
    c.skip(fixed);
    return;
  }
  switch (t) {
    case 12: // String
    case 15: // ByteString
    case 16: {
      // XmlElement
      const n = c.i32();
      if (n > 0) c.skip(n);
      else if (n < -1) c.bad = true;
      return;
    }
    case 17:
      readNodeId(c, false);
      return;
    case 18:
      readNodeId(c, true);
      return;
    case 20: // QualifiedName
      c.u16();
      skipBuiltIn(c, 12, depth);
      return;
    case 21: {
      // LocalizedText
      const m = c.u8();
      if (m & 0x01) skipBuiltIn(c, 12, depth);
      if (m & 0x02) skipBuiltIn(c, 12, depth);
      return;
    }
    case 22: {
      // ExtensionObject
      readNodeId(c, false);
      const e = c.u8();
      if (e === 1 || e === 2) skipBuiltIn(c, 15, depth);
      else if (e !== 0) c.bad = true;
      return;
    }
    case 23:
      skipDataValue(c, depth + 1);
      return;
    case 24:
      skipVariant(c, depth + 1);
      return;
    case 25:
      skipDiagnosticInfo(c, MAX_DEPTH - depth);
      return;
    default:
      c.bad = true;
  }
}

/** Skip a Variant (OPC 10000-6 §5.2.2.16): scalar, array, or array with dimensions. */
export function skipVariant(c: Cursor, depth: number): void {
  const enc = c.u8();
  const t = enc & 0x3f;
  if (t === 0) return;
  if (enc & 0x80) {
    const n = arrayLength(c);
    for (let i = 0; i < n && !c.bad; i++) skipBuiltIn(c, t, depth);
    if (enc & 0x40) {
      const d = arrayLength(c);
      c.skip(4 * d);
    }
  } else skipBuiltIn(c, t, depth);
}

/**
 * Read a Variant's type (OPC 10000-6 §5.2.2.16) and skip its value; nested Variants, DataValues and
 * DiagnosticInfos inside it are bounded by the same depth as `skipVariant`. A body that does not parse
 * marks the cursor bad.
 */
export function readVariantInfo(c: Cursor, depth: number): VariantInfo {
  const enc = c.u8();
  const t = enc & 0x3f;
  const info: VariantInfo = { mask: enc, arrayLength: -1, dims: -1 };
  if (t === 0) return info;
  if (enc & 0x80) {
    const n = arrayLength(c);
    info.arrayLength = n;
    for (let i = 0; i < n && !c.bad; i++) skipBuiltIn(c, t, depth);
    if (enc & 0x40) {
      const d = arrayLength(c);
      info.dims = d;
      c.skip(4 * d);
    }
  } else skipBuiltIn(c, t, depth);
  return info;
}
