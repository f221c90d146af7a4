/**
 * OPC UA binary conformance of CraneWatch's records with two peers:
 * - `icsnpp`: the five ICSNPP opcua-binary btest baselines (analyzer.basic, data-gap,
 *   data-gap_with-handshake, no-handshake, non-standard-port) against their traces, for the streams
 *   every stream this analyzer writes that a baseline has: `opcua_binary`, `_opensecure_channel`,
 *   `_status_code_detail`, `_close_session`, `_create_subscription`, `_read`, `_read_nodes_to_read`,
 *   `_read_results`, `_write`, `_browse`, `_browse_description`, `_browse_result`,
 *   `_browse_response_references`, `_create_monitored_items`, `_create_monitored_items_create_item`. The baselines were cut
 *   with `zeek-cut -n <link ids>` and have no header line: their columns are the schema's minus the
 *   link ids. Rows are matched by flow and message identity (see `rowKey`); uid, ts and the masked
 *   time columns are not compared.
 * - `tshark <version>`: every capture of the shared data in which CraneWatch confirms `opcua-binary`
 *   (tshark is told `-d tcp.port==P,opcua` for each server port found), message for message: chunk
 *   header, SecureChannelId, SequenceNumber, RequestId, service type id, RequestHandle, TimeoutHint,
 *   header Timestamp, ServiceResult, HEL/ACK parameters, SecurityPolicyUri.
 * The links CraneWatch writes (req/res_opcua_link_id, status_code_link_id, opcua_link_id) are checked
 * by `linkProblems`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LogRecord } from '../../../src/events/record.js';
import { streamSchema } from '../../../src/events/schema.js';
import { analyzeCaptures } from '../../../src/pipeline/analyze.js';
import { createProtocolAnalyzers } from '../../../src/protocols/registry.js';
import { findCaptures } from '../capture-files.js';
import { cellText, readZeekLog, toZeekCell, type ZeekCell, type ZeekRow } from '../zeek-log.js';
import type { CaptureAgreement, FieldAgreement, ProtocolAgreement } from './agreement.js';

/** Records of the OPC UA streams (and conn) of one capture, by stream. */
export type OpcuaStreams = Map<string, LogRecord[]>;

const STREAMS = new Set(['opcua_binary', 'opcua_binary_opensecure_channel', 'opcua_binary_status_code_detail', 'opcua_binary_close_session', 'opcua_binary_create_subscription', 'opcua_binary_read', 'opcua_binary_read_nodes_to_read', 'opcua_binary_read_results', 'opcua_binary_write', 'opcua_binary_browse', 'opcua_binary_browse_description', 'opcua_binary_browse_request_continuation_point', 'opcua_binary_browse_result', 'opcua_binary_browse_response_references', 'opcua_binary_create_monitored_items', 'opcua_binary_create_monitored_items_create_item', 'opcua_binary_activate_session', 'opcua_binary_activate_session_client_software_cert', 'opcua_binary_activate_session_locale_id', 'opcua_binary_get_endpoints', 'opcua_binary_get_endpoints_description', 'opcua_binary_get_endpoints_discovery', 'opcua_binary_get_endpoints_user_token', 'opcua_binary_get_endpoints_locale_id', 'opcua_binary_get_endpoints_profile_uri', 'opcua_binary_create_session', 'opcua_binary_create_session_discovery', 'opcua_binary_create_session_endpoints', 'opcua_binary_create_session_user_token', 'conn']);

/** CraneWatch's OPC UA records of one capture. */
export async function cranewatchOpcua(file: string): Promise<OpcuaStreams> {
  const out: OpcuaStreams = new Map();
  const sink = {
    write(stream: string, r: LogRecord): void {
      if (!STREAMS.has(stream)) return;
      let l = out.get(stream);
      if (l === undefined) out.set(stream, (l = []));
      l.push(r);
    },
    async close(): Promise<void> {},
  };
  await analyzeCaptures([file], { sink, analyzers: createProtocolAnalyzers() });
  return out;
}

/** The ICSNPP baselines and their traces (icsnpp/opcua-binary/SOURCES.md). */
export const ICSNPP_OPCUA_PAIRS: readonly { baseline: string; trace: string }[] = [
  { baseline: 'analyzer.basic', trace: 'open62541_client-server_mainloop.pcap' },
  { baseline: 'analyzer.data-gap', trace: 'opcua_with-gap.pcap' },
  { baseline: 'analyzer.data-gap_with-handshake', trace: 'opcua_with-gap_with-handshake.pcap' },
  { baseline: 'analyzer.no-handshake', trace: 'open62541_client-server_mainloop-no-handshake.pcap' },
  { baseline: 'analyzer.non-standard-port', trace: 'open62541_client-server_mainloop-not-localhost-non-standard-port.pcap' },
];

/** Columns the baselines cut (`zeek-cut -n`), per stream: random link ids. */
const CUT: Readonly<Record<string, readonly string[]>> = {
  opcua_binary: ['req_opcua_link_id', 'res_opcua_link_id', 'status_code_link_id'],
  opcua_binary_opensecure_channel: ['opcua_link_id'],
  opcua_binary_status_code_detail: ['status_code_link_id'],
  opcua_binary_close_session: ['opcua_link_id'],
  opcua_binary_create_subscription: ['opcua_link_id'],
  opcua_binary_read: ['opcua_link_id', 'nodes_to_read_link_id', 'read_results_link_id', 'diag_info_link_id'],
  opcua_binary_read_nodes_to_read: ['nodes_to_read_link_id'],
  opcua_binary_read_results: ['results_link_id', 'status_code_link_id', 'read_results_variant_metadata_link_id'],
  opcua_binary_browse: ['opcua_link_id', 'browse_description_link_id', 'browse_next_link_id', 'browse_response_link_id', 'browse_diag_info_link_id'],
  opcua_binary_browse_description: ['browse_description_link_id'],
  opcua_binary_browse_response_references: ['browse_reference_link_id'],
  opcua_binary_browse_result: ['browse_response_link_id', 'status_code_link_id', 'browse_reference_link_id'],
  opcua_binary_create_monitored_items: ['opcua_link_id', 'create_monitored_items_diag_info_link_id', 'create_item_link_id'],
  opcua_binary_create_monitored_items_create_item: ['create_item_link_id', 'filter_info_details_link_id', 'monitoring_parameters_status_code_link_id'],
  opcua_binary_activate_session: ['opcua_link_id', 'client_software_cert_link_id', 'opcua_locale_link_id', 'activate_session_diag_info_link_id', 'status_code_link_id'],
  opcua_binary_get_endpoints: ['opcua_link_id', 'locale_link_id', 'profile_uri_link_id', 'endpoint_description_link_id'],
  opcua_binary_get_endpoints_description: ['endpoint_description_link_id', 'user_token_link_id'],
  opcua_binary_get_endpoints_user_token: ['user_token_link_id'],
  opcua_binary_create_session: ['opcua_link_id', 'discovery_profile_link_id', 'endpoint_link_id'],
  opcua_binary_create_session_endpoints: ['endpoint_link_id', 'user_token_link_id'],
  opcua_binary_create_session_user_token: ['user_token_link_id'],
  opcua_binary_write: ['opcua_link_id', 'req_status_code_link_id', 'write_results_variant_metadata_link_id', 'res_status_code_link_id', 'diag_info_link_id'],
};


/** Columns not compared: identity (uid differs by design) and times masked by btest's canonifier. */
const NOT_COMPARED = new Set(['ts', 'uid', 'req_hdr_timestamp', 'res_hdr_timestamp', 'sec_token_created_at', 'source_timestamp', 'server_timestamp', 'browse_view_description_timestamp']);

/**
 * Differences accepted as the peer's error, by field: the line's cw/peer values are checked by the
 * unit test named. ICSNPP writes a GUID's first three groups in wire byte order (little-endian), OPC
 * 10000-6 §5.1.3 writes them as the numbers they encode.
 */
const ACCEPTED_FIELDS: Readonly<Record<string, string>> = {
  req_hdr_node_id_guid: 'ICSNPP prints Data1-Data3 of a GUID byte-reversed; see test/protocols/opcua/grammar.test.ts "GUID text"',
  session_id_guid: 'ICSNPP prints Data1-Data3 of a GUID byte-reversed; see test/protocols/opcua/grammar.test.ts "GUID text"',
  auth_token_guid: 'ICSNPP prints Data1-Data3 of a GUID byte-reversed; see test/protocols/opcua/grammar.test.ts "GUID text"',
  ext_obj_password: 'deliberate: CraneWatch never logs a password, only its length (Zeek default_capture_password F); see test/protocols/opcua/services.test.ts "ActivateSession"',
};

/**
 * Text of one of CraneWatch's cells as the baselines write it. Wire strings are already rendered as
 * Zeek renders raw bytes (src/protocols/zeek-escape.ts: control bytes and invalid UTF-8 as \xNN).
 */
function ourCell(v: LogRecord[string]): string {
  return cellText(toZeekCell(v));
}

const FLOW = (r: Readonly<Record<string, unknown>>, cell: (v: unknown) => string): string =>
  `${cell(r['id.orig_h'])}:${cell(r['id.orig_p'])}>${cell(r['id.resp_h'])}:${cell(r['id.resp_p'])}`;

/** Match key of a row: flow, and per stream the columns that identify one message. */
function rowKey(stream: string, r: Readonly<Record<string, unknown>>, cell: (v: unknown) => string): string {
  const f = FLOW(r, cell);
  if (stream === 'opcua_binary') return `${f} ${cell(r.msg_type)} rq=${cell(r.request_id)} seq=${cell(r.req_seq_number)}/${cell(r.res_seq_number)}`;
  return `${f} orig=${cell(r.is_orig)}`;
}

function keyed<T extends Readonly<Record<string, unknown>>>(stream: string, rows: readonly T[], cell: (v: unknown) => string): Map<string, T> {
  const n = new Map<string, number>();
  const out = new Map<string, T>();
  for (const r of rows) {
    const k = rowKey(stream, r, cell);
    const i = n.get(k) ?? 0;
    n.set(k, i + 1);
    out.set(`${k} #${i}`, r);
  }
  return out;
}

const peerCell = (v: unknown): string => cellText((v ?? null) as ZeekCell);
const cwCell = (v: unknown): string => ourCell(v as LogRecord[string]);

/**
 * Flows in which the ICSNPP analyzer met a content gap: it stops parsing the whole connection there
 * (OPCUA_Binary.cc returns from DeliverStream once `had_gap` is set), CraneWatch resumes at the next
 * chunk header, so its later records have no ICSNPP row. Every such record's message is checked
 * against tshark (the tshark peer); the resumption is unit-tested.
 */
const GAP_FLOWS: Readonly<Record<string, readonly string[]>> = {
  'opcua_with-gap.pcap': ['192.168.11.33:60952>192.168.11.34:4840'],
  'opcua_with-gap_with-handshake.pcap': ['192.168.11.33:60952>192.168.11.34:4840'],
};
const GAP_WHY = 'ICSNPP stops parsing a connection after its first content gap; see test/protocols/opcua/analyzer.test.ts "resumes at the next chunk after a gap"';

/** Zeek's text of a double: at most 6 decimals, trailing zeros dropped but one kept (`250.0`). */
function zeekDouble(x: number): string {
  const t = x.toFixed(6).replace(/0+$/, '');
  return t.endsWith('.') ? `${t}0` : t;
}

/** Compare one baseline log with CraneWatch's records of the stream on every content column. */
export function compareIcsnpp(capture: string, stream: string, peer: readonly ZeekRow[], ours: readonly LogRecord[], fields: readonly string[], gapFlows: readonly string[] = []): CaptureAgreement {
  const p = keyed(stream, peer, peerCell);
  const o = keyed(stream, ours, cwCell);
  const doubles = new Set((streamSchema(stream)?.fields ?? []).filter((f) => f.type === 'double').map((f) => f.name));
  const counts = fields.map((f) => ({ field: f, compared: 0, agreed: 0 }));
  const differences: string[] = [];
  let matched = 0;
  let agreed = 0;
  for (const [key, pr] of p) {
    const or = o.get(key);
    if (or === undefined) {
      differences.push(`${key}: no CraneWatch record`);
      continue;
    }
    matched++;
    let all = true;
    fields.forEach((f, i) => {
      const pv = peerCell(pr[f]);
      const raw = or[f];
      const ov = doubles.has(f) && typeof raw === 'number' ? zeekDouble(raw) : cwCell(raw);
      counts[i].compared++;
      if (pv === ov) {
        counts[i].agreed++;
        return;
      }
      all = false;
      const why = ACCEPTED_FIELDS[f];
      differences.push(`${key}: ${f} cw=${ov} peer=${pv}${why === undefined ? '' : ` (accepted: ${why})`}`);
    });
    if (all) agreed++;
  }
  for (const [key, or] of o) {
    if (p.has(key)) continue;
    const gap = gapFlows.includes(FLOW(or, cwCell));
    differences.push(`${key}: CraneWatch record the peer lacks${gap ? ` (accepted: ${GAP_WHY})` : ''}`);
  }
  const fieldAgreement: FieldAgreement[] = counts;
  return { capture, stream, peerRecords: p.size, matched, agreed, fields: fieldAgreement, differences };
}

/** Columns of a stream as the cut baseline has them, and the content columns compared. */
function columns(stream: string): { all: string[]; compared: string[] } {
  const schema = streamSchema(stream);
  if (schema === undefined) throw new Error(`stream ${stream} is not registered`);
  const cut = new Set(CUT[stream] ?? []);
  const all = schema.fields.map((f) => f.name).filter((n) => !cut.has(n));
  return { all, compared: all.filter((n) => !NOT_COMPARED.has(n) && !n.startsWith('id.')) };
}

function types(stream: string, names: readonly string[]): string[] {
  const schema = streamSchema(stream);
  return names.map((n) => schema?.fields.find((f) => f.name === n)?.type ?? '');
}

/** ICSNPP peer over the five baselines. */
async function icsnppAgreement(sharedData: string): Promise<ProtocolAgreement> {
  const captures: CaptureAgreement[] = [];
  const root = join(sharedData, 'icsnpp', 'opcua-binary');
  for (const { baseline, trace } of ICSNPP_OPCUA_PAIRS) {
    const tracePath = join(root, 'traces', trace);
    if (!existsSync(tracePath)) continue;
    const ours = await cranewatchOpcua(tracePath);
    for (const stream of Object.keys(CUT)) {
      const log = join(root, 'baseline', baseline, `${stream}.log`);
      if (!existsSync(log)) continue;
      const { all, compared } = columns(stream);
      const peer = readZeekLog(log, { fields: all, types: types(stream, all) }).rows;
      const mine = ours.get(stream) ?? [];
      captures.push(compareIcsnpp(`icsnpp/opcua-binary/traces/${trace}`, stream, peer, mine, compared, GAP_FLOWS[trace] ?? []));
    }
  }
  return { protocol: 'opcua-binary', peer: 'icsnpp', captures };
}

/**
 * Link problems of one capture's records: every status_code_detail row must be named by exactly one
 * status_code_link_id (of opcua_binary or read_results), every service row's opcua_link_id by a
 * req_opcua_link_id or res_opcua_link_id, every read child row by its read row and back, and every
 * link id of opcua_binary must be unique.
 */
export function linkProblems(s: OpcuaStreams): string[] {
  const out: string[] = [];
  const binary = s.get('opcua_binary') ?? [];
  const msgLinks = new Set<string>();
  const statusLinks = new Map<string, number>();
  for (const r of binary) {
    for (const f of ['req_opcua_link_id', 'res_opcua_link_id'] as const) {
      const v = r[f];
      if (typeof v !== 'string') continue;
      if (msgLinks.has(v)) out.push(`duplicate ${f} ${v}`);
      msgLinks.add(v);
    }
    const st = r.status_code_link_id;
    if (typeof st === 'string') statusLinks.set(st, (statusLinks.get(st) ?? 0) + 1);
  }
  const namers: [string, string][] = [
    ['opcua_binary_read_results', 'status_code_link_id'],
    ['opcua_binary_write', 'req_status_code_link_id'],
    ['opcua_binary_write', 'res_status_code_link_id'],
    ['opcua_binary_browse_result', 'status_code_link_id'],
    ['opcua_binary_create_monitored_items_create_item', 'monitoring_parameters_status_code_link_id'],
    ['opcua_binary_activate_session', 'status_code_link_id'],
  ];
  for (const [stream, field] of namers) {
    for (const r of s.get(stream) ?? []) {
      const st = r[field];
      if (typeof st === 'string') statusLinks.set(st, (statusLinks.get(st) ?? 0) + 1);
    }
  }
  for (const r of s.get('opcua_binary_status_code_detail') ?? []) {
    const l = String(r.status_code_link_id);
    if (statusLinks.get(l) !== 1) out.push(`status_code_detail ${l} named ${statusLinks.get(l) ?? 0} times`);
  }
  for (const stream of ['opcua_binary_opensecure_channel', 'opcua_binary_close_session', 'opcua_binary_create_subscription', 'opcua_binary_read', 'opcua_binary_write', 'opcua_binary_browse', 'opcua_binary_create_monitored_items', 'opcua_binary_activate_session', 'opcua_binary_get_endpoints', 'opcua_binary_create_session']) {
    for (const r of s.get(stream) ?? []) {
      const l = String(r.opcua_link_id);
      if (!msgLinks.has(l)) out.push(`${stream} ${l} not named by opcua_binary`);
    }
  }
  const reads = s.get('opcua_binary_read') ?? [];
  const childLinks = (stream: string, field: string): Set<string> => new Set((s.get(stream) ?? []).map((r) => String(r[field])));
  const nodes = childLinks('opcua_binary_read_nodes_to_read', 'nodes_to_read_link_id');
  const results = childLinks('opcua_binary_read_results', 'results_link_id');
  const named = new Set(reads.flatMap((r) => [r.nodes_to_read_link_id, r.read_results_link_id].filter((v): v is string => typeof v === 'string')));
  for (const l of [...nodes, ...results]) if (!named.has(l)) out.push(`read child ${l} not named by opcua_binary_read`);
  for (const l of named) if (!nodes.has(l) && !results.has(l)) out.push(`opcua_binary_read link ${l} names no child row`);
  const pairs: [string, string, string, string][] = [
    ['opcua_binary_browse', 'browse_description_link_id', 'opcua_binary_browse_description', 'browse_description_link_id'],
    ['opcua_binary_browse', 'browse_next_link_id', 'opcua_binary_browse_request_continuation_point', 'browse_next_link_id'],
    ['opcua_binary_browse', 'browse_response_link_id', 'opcua_binary_browse_result', 'browse_response_link_id'],
    ['opcua_binary_browse_result', 'browse_reference_link_id', 'opcua_binary_browse_response_references', 'browse_reference_link_id'],
    ['opcua_binary_create_monitored_items', 'create_item_link_id', 'opcua_binary_create_monitored_items_create_item', 'create_item_link_id'],
    ['opcua_binary_get_endpoints', 'endpoint_description_link_id', 'opcua_binary_get_endpoints_description', 'endpoint_description_link_id'],
    ['opcua_binary_get_endpoints_description', 'user_token_link_id', 'opcua_binary_get_endpoints_user_token', 'user_token_link_id'],
    ['opcua_binary_create_session', 'endpoint_link_id', 'opcua_binary_create_session_endpoints', 'endpoint_link_id'],
    ['opcua_binary_create_session_endpoints', 'user_token_link_id', 'opcua_binary_create_session_user_token', 'user_token_link_id'],
  ];
  for (const [parent, pf, child, cf] of pairs) {
    const parents = new Set((s.get(parent) ?? []).map((r) => r[pf]).filter((v): v is string => typeof v === 'string'));
    const children = childLinks(child, cf);
    for (const l of children) if (!parents.has(l)) out.push(`${child} ${l} not named by ${parent}.${pf}`);
    for (const l of parents) if (!children.has(l)) out.push(`${parent}.${pf} ${l} names no ${child} row`);
  }
  return out;
}

/** The two endpoints of a flow in a fixed order. */
function pair(a: string, b: string): string {
  return a < b ? `${a}<>${b}` : `${b}<>${a}`;
}

/** One message as CraneWatch logged it, split out of a joined opcua_binary record. */
interface UaView {
  key: string;
  values: Record<string, string>;
}

const VIEW_FIELDS = ['chunk', 'size', 'scid', 'service', 'request_handle', 'timeout_hint', 'timestamp', 'service_result', 'version', 'rcv_buf_size', 'snd_buf_size', 'max_msg_size', 'max_chunk_cnt', 'endpoint_url', 'policy_uri', 'error', 'reason'] as const;

function str(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

/** Microsecond text of a Unix time (tshark prints header times to the microsecond). */
function micros(t: unknown): string {
  return typeof t === 'number' ? String(Math.round(t * 1e6)) : '';
}

/** Per-message views of CraneWatch's opcua_binary records (the request side and the response side). */
function ourViews(s: OpcuaStreams): UaView[] {
  const status = new Map<string, string>();
  for (const r of s.get('opcua_binary_status_code_detail') ?? []) status.set(String(r.status_code_link_id), String(r.status_code));
  const out: UaView[] = [];
  for (const r of s.get('opcua_binary') ?? []) {
    const flow = pair(`${r['id.orig_h']}:${r['id.orig_p']}`, `${r['id.resp_h']}:${r['id.resp_p']}`);
    const t = String(r.msg_type);
    const chans = Array.isArray(r.sec_channel_id) ? (r.sec_channel_id as number[]) : [];
    if (t === 'HEL' || t === 'ACK' || t === 'ERR' || t === 'RHE') {
      out.push({
        key: `${flow} ${t}`,
        values: {
          chunk: str(r.is_final),
          size: str(r.total_size),
          version: str(r.version),
          rcv_buf_size: str(r.rcv_buf_size),
          snd_buf_size: str(r.snd_buf_size),
          max_msg_size: str(r.max_msg_size),
          max_chunk_cnt: str(r.max_chunk_cnt),
          endpoint_url: t === 'HEL' ? str(r.endpoint_url) : '',
          error: str(r.error),
          reason: str(r.reason),
        },
      });
      continue;
    }
    const policy = str(r.sec_policy_uri);
    if (r.req_msg_size !== null && r.req_msg_size !== undefined) {
      out.push({
        key: `${flow} ${t} rq=${str(r.request_id)} seq=${str(r.req_seq_number)} svc=${str(r.req_identifier)}`,
        values: {
          chunk: str(r.is_final),
          size: str(r.req_msg_size),
          scid: str(chans[0]),
          service: str(r.req_identifier),
          request_handle: str(r.req_hdr_request_handle),
          timeout_hint: str(r.req_hdr_timeout_hint),
          timestamp: micros(r.req_hdr_timestamp),
          policy_uri: t === 'OPN' ? policy : '',
        },
      });
    }
    if (r.res_msg_size !== null && r.res_msg_size !== undefined) {
      const alone = r.req_msg_size === null || r.req_msg_size === undefined;
      out.push({
        key: `${flow} ${t} rq=${str(r.request_id)} seq=${str(r.res_seq_number)} svc=${str(r.res_identifier)}`,
        values: {
          chunk: str(r.is_final),
          size: str(r.res_msg_size),
          scid: str(chans[chans.length - 1]),
          service: str(r.res_identifier),
          request_handle: str(r.res_hdr_request_handle),
          timestamp: micros(r.res_hdr_timestamp),
          service_result: status.get(str(r.status_code_link_id)) ?? '',
          ...(t === 'OPN' && alone ? { policy_uri: policy } : {}),
        },
      });
    }
    if ((r.req_msg_size === null || r.req_msg_size === undefined) && (r.res_msg_size === null || r.res_msg_size === undefined)) {
      out.push({ key: `${flow} ${t} scid=${str(chans[0])} size=${str(r.total_size)}`, values: { chunk: str(r.is_final), size: str(r.total_size), scid: str(chans[0]) } });
    }
  }
  return out;
}

const TSHARK_FIELDS = [
  'ip.src',
  'ipv6.src',
  'tcp.srcport',
  'ip.dst',
  'ipv6.dst',
  'tcp.dstport',
  'opcua.transport.type',
  'opcua.transport.chunk',
  'opcua.transport.size',
  'opcua.transport.scid',
  'opcua.security.seq',
  'opcua.security.rqid',
  'opcua.servicenodeid.numeric',
  'opcua.RequestHandle',
  'opcua.TimeoutHint',
  'opcua.Timestamp',
  'opcua.ServiceResult',
  'opcua.transport.ver',
  'opcua.transport.rbs',
  'opcua.transport.sbs',
  'opcua.transport.mms',
  'opcua.transport.mcc',
  'opcua.transport.endpoint',
  'opcua.security.spu',
  'opcua.transport.error',
  'opcua.transport.reason',
] as const;

/** tshark's absolute time text (`Jan 22, 2020 14:07:40.476897000 UTC`) as Unix microseconds. */
function tsharkMicros(s: string): string {
  const m = /^(\w{3}) +(\d+), (\d{4}) (\d\d):(\d\d):(\d\d)\.(\d+) UTC$/.exec(s);
  if (m === null) return '';
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].indexOf(m[1]);
  const sec = Date.UTC(Number(m[3]), mon, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6])) / 1000;
  return String(sec * 1e6 + Number(m[7].padEnd(9, '0').slice(0, 6)));
}

/** The tshark version line's number, e.g. `4.0.17`. */
export function tsharkVersion(): string {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  return /TShark \(Wireshark\) (\S+)/.exec(r.stdout ?? '')?.[1] ?? 'unknown';
}

/** tshark's messages of one capture, decoded as OPC UA on `ports`. */
function tsharkViews(file: string, ports: readonly number[]): { views: UaView[]; multi: number } {
  const args = ['-r', file, '-n', '-Y', 'opcua', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|', '-E', 'separator=\t'];
  for (const p of ports) args.push('-d', `tcp.port==${p},opcua`);
  for (const f of TSHARK_FIELDS) args.push('-e', f);
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, TZ: 'UTC' } });
  const views: UaView[] = [];
  let multi = 0;
  for (const line of (r.stdout ?? '').split('\n')) {
    if (line === '') continue;
    const c = line.split('\t');
    const get = (f: (typeof TSHARK_FIELDS)[number]): string[] => {
      const v = c[TSHARK_FIELDS.indexOf(f)] ?? '';
      return v === '' ? [] : v.split('|');
    };
    const first = (f: (typeof TSHARK_FIELDS)[number]): string => get(f)[0] ?? '';
    const flow = pair(`${first('ip.src') || first('ipv6.src')}:${first('tcp.srcport')}`, `${first('ip.dst') || first('ipv6.dst')}:${first('tcp.dstport')}`);
    const typesIn = get('opcua.transport.type');
    if (typesIn.length !== 1) {
      // Several messages in one frame: chunk header and sequence fields align message for message
      // when every one is a decoded secure message; the body fields are not compared.
      const n = typesIn.length;
      const [chunks, sizes, scids, seqs, rqids, svcs] = (['opcua.transport.chunk', 'opcua.transport.size', 'opcua.transport.scid', 'opcua.security.seq', 'opcua.security.rqid', 'opcua.servicenodeid.numeric'] as const).map(get);
      if (typesIn.some((t) => t !== 'MSG' && t !== 'OPN' && t !== 'CLO') || [chunks, sizes, scids, seqs, rqids, svcs].some((a) => a.length !== n)) {
        multi += n;
        continue;
      }
      for (let i = 0; i < n; i++) views.push({ key: `${flow} ${typesIn[i]} rq=${rqids[i]} seq=${seqs[i]} svc=${svcs[i]}`, values: { chunk: chunks[i], size: sizes[i], scid: scids[i] } });
      continue;
    }
    const t = typesIn[0];
    if (t === 'HEL' || t === 'ACK' || t === 'ERR' || t === 'RHE') {
      views.push({
        key: `${flow} ${t}`,
        values: {
          chunk: first('opcua.transport.chunk'),
          size: first('opcua.transport.size'),
          version: first('opcua.transport.ver'),
          rcv_buf_size: first('opcua.transport.rbs'),
          snd_buf_size: first('opcua.transport.sbs'),
          max_msg_size: first('opcua.transport.mms'),
          max_chunk_cnt: first('opcua.transport.mcc'),
          endpoint_url: first('opcua.transport.endpoint'),
          error: first('opcua.transport.error'),
          reason: first('opcua.transport.reason'),
        },
      });
      continue;
    }
    const service = first('opcua.servicenodeid.numeric');
    const values: Record<string, string> = {
      chunk: first('opcua.transport.chunk'),
      size: first('opcua.transport.size'),
      scid: first('opcua.transport.scid'),
      service,
      request_handle: first('opcua.RequestHandle'),
      timestamp: tsharkMicros(first('opcua.Timestamp')),
      policy_uri: first('opcua.security.spu'),
    };
    if (first('opcua.ServiceResult') !== '') values.service_result = first('opcua.ServiceResult');
    if (first('opcua.TimeoutHint') !== '') values.timeout_hint = first('opcua.TimeoutHint');
    const rq = first('opcua.security.rqid');
    views.push({ key: rq === '' || service === '' ? `${flow} ${t} scid=${values.scid} size=${values.size}` : `${flow} ${t} rq=${rq} seq=${first('opcua.security.seq')} svc=${service}`, values });
  }
  return { views, multi };
}

/** Views keyed `key #n` (n-th message with that key, from 0). */
function indexViews(vs: readonly UaView[]): Map<string, UaView> {
  const n = new Map<string, number>();
  const m = new Map<string, UaView>();
  for (const v of vs) {
    const i = n.get(v.key) ?? 0;
    n.set(v.key, i + 1);
    m.set(`${v.key} #${i}`, v);
  }
  return m;
}

/**
 * Compare tshark's messages with CraneWatch's on the fields tshark shows. Messages are keyed by the
 * flow's endpoint pair (opcua_binary does not say which side sent a message), type, RequestId,
 * SequenceNumber and service id; a chunk whose body neither decodes by SecureChannelId and size.
 * Header timestamps agree within 1 µs (a double holds a 2020s DateTime to about 0.24 µs).
 */
function compareViews(capture: string, peer: readonly UaView[], ours: readonly UaView[], multi: number): CaptureAgreement {
  const ourIdx = indexViews(ours);
  const p = indexViews(peer);
  const counts = new Map<string, { compared: number; agreed: number }>(VIEW_FIELDS.map((f) => [f, { compared: 0, agreed: 0 }]));
  const differences: string[] = [];
  if (multi > 0) differences.push(`${multi} messages in frames carrying several OPC UA messages: not compared`);
  let matched = 0;
  let agreed = 0;
  for (const [key, pv] of p) {
    const ov = ourIdx.get(key);
    if (ov === undefined) {
      differences.push(`${key}: no CraneWatch message`);
      continue;
    }
    matched++;
    let all = true;
    for (const f of VIEW_FIELDS) {
      if (!(f in pv.values) || !(f in ov.values)) continue;
      const a = pv.values[f];
      const b = ov.values[f];
      if (a === '' && b === '') continue;
      const c = counts.get(f);
      if (c === undefined) continue;
      c.compared++;
      if (a === b || (f === 'timestamp' && Math.abs(Number(a) - Number(b)) <= 1)) c.agreed++;
      else {
        all = false;
        differences.push(`${key}: ${f} cw=${b} peer=${a}`);
      }
    }
    if (all) agreed++;
  }
  const fields: FieldAgreement[] = [...counts].map(([field, c]) => ({ field, ...c }));
  return { capture, stream: 'opcua_binary', peerRecords: p.size, matched, agreed, fields, differences };
}

/** tshark peer over every shared capture where CraneWatch confirms OPC UA. */
async function tsharkAgreement(sharedData: string): Promise<ProtocolAgreement> {
  const captures: CaptureAgreement[] = [];
  for (const rel of findCaptures(sharedData)) {
    const file = join(sharedData, rel);
    const ours = await cranewatchOpcua(file);
    const ports = new Set<number>();
    for (const c of ours.get('conn') ?? []) {
      const svc = c.service;
      if ((typeof svc === 'string' && svc.split(',').includes('opcua-binary')) || (Array.isArray(svc) && svc.includes('opcua-binary'))) ports.add(Number(c['id.resp_p']));
    }
    if (ports.size === 0) continue;
    const { views, multi } = tsharkViews(file, [...ports].sort((a, b) => a - b));
    captures.push(compareViews(rel, views, ourViews(ours), multi));
  }
  return { protocol: 'opcua-binary', peer: `tshark ${tsharkVersion()}`, captures };
}

/** Both peers; the tshark one only when tshark runs here. */
export async function opcuaConformance(sharedData: string): Promise<ProtocolAgreement[]> {
  const out = [await icsnppAgreement(sharedData)];
  if (spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0) out.push(await tsharkAgreement(sharedData));
  return out;
}
