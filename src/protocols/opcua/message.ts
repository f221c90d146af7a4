import {
  CHUNK_HEADER_BYTES,
  Cursor,
  MsgType,
  POLICY_NONE,
  msgTypeName,
  parseAsymHeader,
  parseError,
  parseHelloAck,
  parseOpenRequestBody,
  parseOpenResponseBody,
  parseRequestHeader,
  parseResponseHeader,
  readNodeId,
  type AsymHeader,
  type HelloAck,
  type OpenRequestBody,
  type OpenResponseBody,
  type RequestHeader,
  type ResponseHeader,
} from './grammar.js';
import { serviceTypeName } from './service-types.js';
import { decodeCallBody } from './method-services.js';
import { decodeServiceBody, type ServiceBody } from './services.js';
import { decodeSubscriptionBody } from './subscription-services.js';

/** Identifier of the OpenSecureChannelRequest / Response DefaultBinary encodings (NodeIds.csv). */
const OPEN_REQUEST_ID = 446;
const OPEN_RESPONSE_ID = 449;

/**
 * One chunk decoded as far as its security allows (OPC 10000-6 §6.7.2, §7.1.2). Numbers unset are -1,
 * objects unset are null. `identifierStr` is null when the body was not decoded (encrypted, unknown type).
 */
export interface UaMessage {
  ts: number;
  isOrig: boolean;
  linkId: string;
  msgType: string;
  isFinal: string;
  msgSize: number;
  hello: HelloAck | null;
  error: number;
  reason: string | null;
  /** RHE ServerUri / EndpointUrl (§7.1.2.6) keep EndpointUrl in `endpointUrl`. */
  endpointUrl: string | null;
  secChannelId: number;
  asym: AsymHeader | null;
  seq: number;
  requestId: number;
  encMask: number;
  ns: number;
  identifier: number;
  identifierStr: string | null;
  reqHdr: RequestHeader | null;
  resHdr: ResponseHeader | null;
  openReq: OpenRequestBody | null;
  openRes: OpenResponseBody | null;
  /** Parameters of the services decoded past their header (services.ts); null for the others. */
  body: ServiceBody | null;
  /** Link id of the ServiceResult in the status code stream (set with resHdr). */
  statusLinkId: string | null;
  /** True when the body should have been decodable but did not parse (weird `opcua.malformed_body`). */
  malformedBody: boolean;
}

/**
 * What the decoder needs to know about the flow: whether a SecureChannel uses a policy other than
 * None (its MSG/CLO bodies are then signed or encrypted and not decoded).
 */
export interface ChannelPolicies {
  /** True when the channel is known to use a policy other than None. */
  secured(channelId: number): boolean;
  /** Record the policy an OPN of the channel named (0 while the server has not assigned an id). */
  note(channelId: number, none: boolean): void;
}

function blank(ts: number, isOrig: boolean, linkId: string, msgType: string, isFinal: string, size: number): UaMessage {
  return {
    ts,
    isOrig,
    linkId,
    msgType,
    isFinal,
    msgSize: size,
    hello: null,
    error: -1,
    reason: null,
    endpointUrl: null,
    secChannelId: -1,
    asym: null,
    seq: -1,
    requestId: -1,
    encMask: -1,
    ns: -1,
    identifier: -1,
    identifierStr: null,
    reqHdr: null,
    resHdr: null,
    openReq: null,
    openRes: null,
    body: null,
    statusLinkId: null,
    malformedBody: false,
  };
}

/**
 * Decode one whole chunk `b[start, start+size)` whose 8-byte header was validated (grammar
 * `chunkHeaderSize`). Never throws: a body that does not parse leaves the service fields unset and sets
 * `malformedBody`. On a channel whose OPN named a policy other than None the body is decoded only when
 * it proves to be plain text (MessageSecurityMode Sign: a known service type and a whole header);
 * otherwise (encrypted) the chunk keeps its clear headers only. `decodeBody` false (an intermediate chunk of a message already started) keeps the
 * body undecoded. @param ts seconds since the epoch
 */
export function decodeChunk(
  c: Cursor,
  b: Uint8Array,
  start: number,
  size: number,
  isOrig: boolean,
  ts: number,
  linkId: string,
  policies: ChannelPolicies,
  decodeBody: boolean,
): UaMessage {
  const code = b[start] | (b[start + 1] << 8) | (b[start + 2] << 16);
  const m = blank(ts, isOrig, linkId, msgTypeName(code) ?? '', String.fromCharCode(b[start + 3]), size);
  c.reset(b, start + CHUNK_HEADER_BYTES, start + size);
  switch (code) {
    case MsgType.HEL:
    case MsgType.ACK:
      m.hello = parseHelloAck(c, code === MsgType.HEL);
      if (m.hello === null) m.malformedBody = true;
      else m.endpointUrl = m.hello.endpointUrl;
      return m;
    case MsgType.ERR: {
      const e = parseError(c);
      if (e === null) m.malformedBody = true;
      else {
        m.error = e.error;
        m.reason = e.reason;
      }
      return m;
    }
    case MsgType.RHE:
      c.string();
      m.endpointUrl = c.string();
      if (c.bad) {
        m.malformedBody = true;
        m.endpointUrl = null;
      }
      return m;
    default:
      break;
  }
  m.secChannelId = c.u32();
  let readable: boolean;
  if (code === MsgType.OPN) {
    m.asym = parseAsymHeader(c);
    if (m.asym === null) {
      m.malformedBody = true;
      return m;
    }
    readable = m.asym.policyUri === POLICY_NONE;
    policies.note(m.secChannelId, readable);
  } else {
    c.u32();
    readable = !policies.secured(m.secChannelId);
  }
  if (c.bad) {
    m.malformedBody = true;
    return m;
  }
  m.seq = c.u32();
  m.requestId = c.u32();
  if (c.bad) {
    if (readable) m.malformedBody = true;
    return clearSequence(m);
  }
  if (!decodeBody || m.isFinal === 'A') return readable ? m : clearSequence(m);
  decodeService(c, m);
  if (!readable && (m.identifierStr === null || m.malformedBody)) return clearService(m);
  if (m.openRes !== null && m.openRes.channelId !== m.secChannelId) policies.note(m.openRes.channelId, m.asym === null || m.asym.policyUri === POLICY_NONE);
  return m;
}

/** Forget the sequence header read from a chunk whose body is not plain text. */
function clearSequence(m: UaMessage): UaMessage {
  m.seq = -1;
  m.requestId = -1;
  return m;
}

/**
 * A chunk of a channel with a policy other than None did not decode: it is encrypted (or its type is
 * unknown). Keep only what is sent in clear (chunk, channel and security headers).
 */
function clearService(m: UaMessage): UaMessage {
  m.encMask = -1;
  m.ns = -1;
  m.identifier = -1;
  m.identifierStr = null;
  m.reqHdr = null;
  m.resHdr = null;
  m.openReq = null;
  m.openRes = null;
  m.body = null;
  m.malformedBody = false;
  return clearSequence(m);
}

/** The body of a None-policy chunk: type NodeId, Request/ResponseHeader, OpenSecureChannel parameters. */
function decodeService(c: Cursor, m: UaMessage): void {
  const at = c.pos;
  const t = readNodeId(c, false);
  if (c.bad || t.numeric < 0) {
    c.pos = at;
    m.malformedBody = true;
    return;
  }
  const name = t.ns === -1 || t.ns === 0 ? serviceTypeName(t.numeric) : null;
  if (name === null) return;
  m.encMask = t.encoding;
  m.ns = t.ns < 0 ? 0 : t.ns;
  m.identifier = t.numeric;
  m.identifierStr = name;
  if (name.endsWith('Request')) {
    m.reqHdr = parseRequestHeader(c);
    if (m.reqHdr === null) m.malformedBody = true;
    else if (t.numeric === OPEN_REQUEST_ID) {
      m.openReq = parseOpenRequestBody(c);
      if (m.openReq === null) m.malformedBody = true;
    } else body(c, m, t.numeric);
  } else {
    m.resHdr = parseResponseHeader(c);
    if (m.resHdr === null) m.malformedBody = true;
    else if (t.numeric === OPEN_RESPONSE_ID) {
      m.openRes = parseOpenResponseBody(c);
      if (m.openRes === null) m.malformedBody = true;
    } else body(c, m, t.numeric);
  }
}

/** Service parameters past the header, for the services with a log of their own. */
function body(c: Cursor, m: UaMessage, typeId: number): void {
  const b = decodeServiceBody(c, typeId, c.maxVector) ?? decodeSubscriptionBody(c, typeId, c.maxVector) ?? decodeCallBody(c, typeId, c.maxVector);
  if (c.bad) m.malformedBody = true;
  else m.body = b;
}
