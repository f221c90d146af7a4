import type { LogRecord } from '../../events/record.js';
import { defineStream, type StreamSchema } from '../../events/schema.js';

/**
 * `http`: one record per request/response pair (Zeek http.log, scripts/base/protocols/http/main.zeek,
 * `HTTP::Info`), in Zeek's field order. No file analysis here: `orig_fuids`/`resp_fuids` stay unset and
 * the mime types come from the Content-Type header (RFC 9110 §8.3), not from content sniffing.
 */
export const HTTP_STREAM: StreamSchema = defineStream({
  name: 'http',
  doc: 'HTTP/1.x requests and their replies, paired in order per connection (Zeek http.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the request line, or of the reply when no request was seen (seconds since the epoch).' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address (the client).' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address (the server).' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'trans_depth', type: 'count', doc: '1-based position of the request/response pair in the connection (pipelining depth).' },
    { name: 'method', type: 'string', doc: 'Request method (RFC 9112 §3.1; http.request.method).' },
    { name: 'host', type: 'string', doc: 'Host header value (RFC 9110 §7.2; http.host).' },
    { name: 'uri', type: 'string', doc: 'Request target as sent (RFC 9112 §3.2; http.request.uri).' },
    { name: 'referrer', type: 'string', doc: 'Referer header value.' },
    { name: 'version', type: 'string', doc: 'HTTP version of the reply ("1.0", "1.1"), as Zeek logs it.' },
    { name: 'user_agent', type: 'string', doc: 'User-Agent header value.' },
    { name: 'request_body_len', type: 'count', doc: 'Bytes of the request body after transfer decoding (RFC 9112 §7.1).' },
    { name: 'response_body_len', type: 'count', doc: 'Bytes of the response body after transfer decoding.' },
    { name: 'status_code', type: 'count', doc: 'Final status code of the reply (RFC 9110 §15; http.response.code).' },
    { name: 'status_msg', type: 'string', doc: 'Reason phrase of the final reply.' },
    { name: 'info_code', type: 'count', doc: 'Last 1xx informational status code before the final reply.' },
    { name: 'info_msg', type: 'string', doc: 'Reason phrase of that 1xx reply.' },
    { name: 'tags', type: 'set[string]', doc: 'Indicators (Zeek HTTP::Tags); none are set by this analyzer.' },
    { name: 'username', type: 'string', doc: 'User name of Basic authorization (RFC 7617).' },
    { name: 'password', type: 'string', doc: 'Password of Basic authorization; unset (Zeek HTTP::default_capture_password = F).' },
    { name: 'proxied', type: 'set[string]', doc: 'Proxy-revealing headers as "NAME -> value" (Forwarded, X-Forwarded-For, Via, …).' },
    { name: 'orig_fuids', type: 'vector[string]', doc: 'File ids of request bodies; unset (no file analysis).' },
    { name: 'orig_mime_types', type: 'vector[string]', doc: 'Media type of the request body from its Content-Type.' },
    { name: 'resp_fuids', type: 'vector[string]', doc: 'File ids of response bodies; unset (no file analysis).' },
    { name: 'resp_mime_types', type: 'vector[string]', doc: 'Media type of the response body from its Content-Type.' },
  ],
});

/**
 * `http_body`: a bounded excerpt of each non-empty request and response body, for consumers of the
 * content that HTTP carries (the crane model joins OCR reads, job-done records and COARRI reports
 * from it). The excerpt is the first limits.maxHttpBodyBytes bytes after transfer decoding.
 */
export const HTTP_BODY_STREAM: StreamSchema = defineStream({
  name: 'http_body',
  doc: 'Bounded excerpts of HTTP message bodies (request and reply), after transfer decoding.',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the packet that completed the body (seconds since the epoch).' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn and http.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address (the client).' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address (the server).' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'trans_depth', type: 'count', doc: 'trans_depth of the http record the body belongs to.' },
    { name: 'is_orig', type: 'bool', doc: 'T for a request body, F for a reply body.' },
    { name: 'method', type: 'string', doc: 'Method of the request.' },
    { name: 'uri', type: 'string', doc: 'Request target of the request.' },
    { name: 'mime_type', type: 'string', doc: 'Media type from Content-Type, lower case.' },
    { name: 'body_len', type: 'count', doc: 'Bytes of the whole body after transfer decoding.' },
    { name: 'truncated', type: 'bool', doc: 'T when the excerpt is shorter than the body (cut at limits.maxHttpBodyBytes or by a gap).' },
    { name: 'body', type: 'string', doc: 'The excerpt, decoded as UTF-8 (invalid sequences become U+FFFD).' },
  ],
});

/** Per-flow constants every record repeats. */
export interface HttpFlowIds {
  readonly uid: string;
  readonly origH: string;
  readonly origP: number;
  readonly respH: string;
  readonly respP: number;
}

/** What one request contributes to an `http` record. */
export interface HttpRequestSide {
  ts: number;
  depth: number;
  method: string;
  uri: string;
  host: string | null;
  referrer: string | null;
  userAgent: string | null;
  username: string | null;
  proxied: string[] | null;
  bodyLen: number;
  mime: string | null;
}

/** What the reply contributes (the final one; the last 1xx in `infoCode`/`infoMsg`). */
export interface HttpReplySide {
  ts: number;
  version: string;
  code: number;
  reason: string;
  infoCode: number;
  infoMsg: string | null;
  bodyLen: number;
  mime: string | null;
}

/** The `http` record of a request and its reply (either may be null, not both; `depth` of the pair). */
export function httpRecord(f: HttpFlowIds, depth: number, q: HttpRequestSide | null, r: HttpReplySide | null): LogRecord {
  return {
    ts: q !== null ? q.ts : (r as HttpReplySide).ts,
    uid: f.uid,
    'id.orig_h': f.origH,
    'id.orig_p': f.origP,
    'id.resp_h': f.respH,
    'id.resp_p': f.respP,
    trans_depth: depth,
    method: q?.method ?? null,
    host: q?.host ?? null,
    uri: q?.uri ?? null,
    referrer: q?.referrer ?? null,
    version: r?.version ?? null,
    user_agent: q?.userAgent ?? null,
    request_body_len: q?.bodyLen ?? 0,
    response_body_len: r?.bodyLen ?? 0,
    status_code: r?.code ?? null,
    status_msg: r?.reason ?? null,
    info_code: r !== null && r.infoCode > 0 ? r.infoCode : null,
    info_msg: r !== null && r.infoCode > 0 ? r.infoMsg : null,
    tags: [],
    username: q?.username ?? null,
    password: null,
    proxied: q?.proxied ?? null,
    orig_fuids: null,
    orig_mime_types: q !== null && q.mime !== null ? [q.mime] : null,
    resp_fuids: null,
    resp_mime_types: r !== null && r.mime !== null ? [r.mime] : null,
  };
}
