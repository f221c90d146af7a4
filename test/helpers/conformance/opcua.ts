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
 *   header Timestamp, ServiceResult, HEL/ACK parameters, SecurityPolicyUri; and from tshark's PDML tree
 *   the parameters of Call, Publish, Republish, DeleteSubscriptions, ModifySubscription,
 *   SetPublishingMode, SetMonitoringMode, DeleteMonitoredItems and Write requests (`compareServiceViews`,
 *   one CaptureAgreement per CraneWatch stream: opcua_binary_call, opcua_binary_publish, …).
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

const STREAMS = new Set(['opcua_binary', 'opcua_binary_opensecure_channel', 'opcua_binary_status_code_detail', 'opcua_binary_close_session', 'opcua_binary_create_subscription', 'opcua_binary_read', 'opcua_binary_read_nodes_to_read', 'opcua_binary_read_results', 'opcua_binary_write', 'opcua_binary_browse', 'opcua_binary_browse_description', 'opcua_binary_browse_request_continuation_point', 'opcua_binary_browse_result', 'opcua_binary_browse_response_references', 'opcua_binary_create_monitored_items', 'opcua_binary_create_monitored_items_create_item', 'opcua_binary_activate_session', 'opcua_binary_activate_session_client_software_cert', 'opcua_binary_activate_session_locale_id', 'opcua_binary_get_endpoints', 'opcua_binary_get_endpoints_description', 'opcua_binary_get_endpoints_discovery', 'opcua_binary_get_endpoints_user_token', 'opcua_binary_get_endpoints_locale_id', 'opcua_binary_get_endpoints_profile_uri', 'opcua_binary_create_session', 'opcua_binary_create_session_discovery', 'opcua_binary_create_session_endpoints', 'opcua_binary_create_session_user_token', 'opcua_binary_variant_metadata', 'opcua_binary_call', 'opcua_binary_call_method', 'opcua_binary_call_result', 'opcua_binary_modify_subscription', 'opcua_binary_set_publishing_mode', 'opcua_binary_publish', 'opcua_binary_republish', 'opcua_binary_delete_subscriptions', 'opcua_binary_modify_monitored_items', 'opcua_binary_modify_monitored_items_modify_item', 'opcua_binary_set_monitoring_mode', 'opcua_binary_delete_monitored_items', 'conn']);

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

/**
 * First status_code_detail source past ICSNPP's numbering (child-records.ts ExtraStatusSource): the
 * StatusCodes of Call and of the subscription and monitored-item services other than CreateSubscription
 * and CreateMonitoredItems, whose bodies ICSNPP does not decode (its src/stubbed-out services), so its
 * baselines cannot hold them. They are checked against tshark (compareServiceViews) instead.
 */
const FIRST_NON_ICSNPP_SOURCE = 20;

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
      const mine = (ours.get(stream) ?? []).filter((r) => stream !== 'opcua_binary_status_code_detail' || Number(r.source) < FIRST_NON_ICSNPP_SOURCE);
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
    ['opcua_binary_call_result', 'status_code_link_id'],
    ['opcua_binary_call_result', 'input_argument_results_status_code_link_id'],
    ['opcua_binary_publish', 'status_code_link_id'],
    ['opcua_binary_publish', 'status_change_status_code_link_id'],
    ['opcua_binary_republish', 'status_change_status_code_link_id'],
    ['opcua_binary_set_publishing_mode', 'status_code_link_id'],
    ['opcua_binary_delete_subscriptions', 'status_code_link_id'],
    ['opcua_binary_set_monitoring_mode', 'status_code_link_id'],
    ['opcua_binary_delete_monitored_items', 'status_code_link_id'],
    ['opcua_binary_modify_monitored_items_modify_item', 'monitoring_parameters_status_code_link_id'],
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
  for (const stream of ['opcua_binary_opensecure_channel', 'opcua_binary_close_session', 'opcua_binary_create_subscription', 'opcua_binary_read', 'opcua_binary_write', 'opcua_binary_browse', 'opcua_binary_create_monitored_items', 'opcua_binary_activate_session', 'opcua_binary_get_endpoints', 'opcua_binary_create_session', 'opcua_binary_call', 'opcua_binary_modify_subscription', 'opcua_binary_set_publishing_mode', 'opcua_binary_publish', 'opcua_binary_republish', 'opcua_binary_delete_subscriptions', 'opcua_binary_modify_monitored_items', 'opcua_binary_set_monitoring_mode', 'opcua_binary_delete_monitored_items']) {
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
    ['opcua_binary_call', 'call_method_link_id', 'opcua_binary_call_method', 'call_method_link_id'],
    ['opcua_binary_call', 'call_result_link_id', 'opcua_binary_call_result', 'call_result_link_id'],
    ['opcua_binary_modify_monitored_items', 'modify_item_link_id', 'opcua_binary_modify_monitored_items_modify_item', 'modify_item_link_id'],
  ];
  const variantParents = new Set(
    (
      [
        ['opcua_binary_write', 'write_results_variant_metadata_link_id'],
        ['opcua_binary_call_method', 'input_arguments_variant_metadata_link_id'],
        ['opcua_binary_call_result', 'output_arguments_variant_metadata_link_id'],
      ] as const
    ).flatMap(([stream, field]) => (s.get(stream) ?? []).map((r) => r[field]).filter((v): v is string => typeof v === 'string')),
  );
  const variantChildren = childLinks('opcua_binary_variant_metadata', 'variant_source_data_link_id');
  for (const l of variantChildren) if (!variantParents.has(l)) out.push(`opcua_binary_variant_metadata ${l} not named by its source row`);
  for (const l of variantParents) if (!variantChildren.has(l)) out.push(`variant link ${l} names no opcua_binary_variant_metadata row`);
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
    const sorted = [...ports].sort((a, b) => a - b);
    const { views, multi } = tsharkViews(file, sorted);
    captures.push(compareViews(rel, views, ourViews(ours), multi));
    captures.push(...compareServiceViews(rel, tsharkServiceViews(file, sorted), ourServiceViews(ours)));
  }
  return { protocol: 'opcua-binary', peer: `tshark ${tsharkVersion()}`, captures };
}

/** Both peers; the tshark one only when tshark runs here. */
export async function opcuaConformance(sharedData: string): Promise<ProtocolAgreement[]> {
  const out = [await icsnppAgreement(sharedData)];
  if (spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0) out.push(await tsharkAgreement(sharedData));
  return out;
}

/** One element of tshark's PDML tree: a packet, a protocol or a field (labels have an empty name). */
interface PdmlNode {
  name: string;
  show: string;
  value: string;
  children: PdmlNode[];
}

const XML_ENTITIES: Readonly<Record<string, string>> = { '&quot;': '"', '&amp;': '&', '&lt;': '<', '&gt;': '>', '&apos;': "'" };

function xmlText(s: string): string {
  return s.replace(/&(quot|amp|lt|gt|apos);/g, (e) => XML_ENTITIES[e] ?? e).replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** The packets of a PDML document as trees (tags `<packet>`, `<proto>`, `<field>`; attributes name, show, showname, value). */
function parsePdml(xml: string): PdmlNode[] {
  const packets: PdmlNode[] = [];
  const stack: PdmlNode[] = [];
  const tag = /<(\/?)(packet|proto|field)\b([^>]*?)(\/?)>/g;
  for (let m = tag.exec(xml); m !== null; m = tag.exec(xml)) {
    if (m[1] === '/') {
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of m[3].matchAll(/(\w+)="([^"]*)"/g)) attrs[a[1]] = xmlText(a[2]);
    const node: PdmlNode = { name: attrs.name ?? '', show: attrs.show ?? attrs.showname ?? '', value: attrs.value ?? '', children: [] };
    if (m[2] === 'packet') packets.push(node);
    else stack[stack.length - 1]?.children.push(node);
    if (m[4] !== '/') stack.push(node);
  }
  return packets;
}

/** First direct child labelled `label` (`label: …` or `label`), or undefined. */
function labelled(n: PdmlNode | undefined, label: string): PdmlNode | undefined {
  return n?.children.find((c) => c.name === '' && (c.show === label || c.show.startsWith(`${label}:`)));
}

/** Direct children that are the elements of an array (`[i]: …`). */
function elements(n: PdmlNode | undefined): PdmlNode[] {
  return n === undefined ? [] : n.children.filter((c) => c.name === '' && /^\[\d+\]: /.test(c.show));
}

/** The `show` of every direct child field named `name`. */
function shows(n: PdmlNode | undefined, name: string): string[] {
  return n === undefined ? [] : n.children.filter((c) => c.name === name).map((c) => c.show);
}

/** An array's ArraySize as CraneWatch counts it (null, -1, counts 0); '' when the array is absent. */
function arraySize(n: PdmlNode | undefined): string {
  if (n === undefined) return '';
  const s = shows(n, 'opcua.variant.ArraySize')[0] ?? '';
  return s === '-1' ? '0' : s;
}

/** Every descendant field named `name`, depth first. */
function descendants(n: PdmlNode, name: string, out: PdmlNode[] = []): PdmlNode[] {
  for (const c of n.children) {
    if (c.name === name) out.push(c);
    descendants(c, name, out);
  }
  return out;
}

/** A NodeId subtree as `ns=<n>;i=<id>` (s=, g=, b= for string, GUID, opaque ids; b= hex without separators). */
function pdmlNodeId(n: PdmlNode | undefined): string {
  if (n === undefined) return '';
  const f = (name: string): string => descendants(n, name)[0]?.show ?? '';
  const ns = f('opcua.nodeid.nsindex') || '0';
  if (f('opcua.nodeid.string') !== '') return `ns=${ns};s=${f('opcua.nodeid.string')}`;
  if (f('opcua.nodeid.guid') !== '') return `ns=${ns};g=${f('opcua.nodeid.guid')}`;
  if (f('opcua.nodeid.bytestring') !== '') return `ns=${ns};b=${f('opcua.nodeid.bytestring').replace(/:/g, '')}`;
  return `ns=${ns};i=${f('opcua.nodeid.numeric')}`;
}

/** A NodeId's flattened columns (`<prefix>_namespace_idx` …) in the text of pdmlNodeId. */
function rowNodeId(r: LogRecord, prefix: string): string {
  const ns = str(r[`${prefix}_namespace_idx`]) || '0';
  if (str(r[`${prefix}_string`]) !== '') return `ns=${ns};s=${str(r[`${prefix}_string`])}`;
  if (str(r[`${prefix}_guid`]) !== '') return `ns=${ns};g=${str(r[`${prefix}_guid`])}`;
  if (str(r[`${prefix}_opaque`]) !== '') return `ns=${ns};b=${str(r[`${prefix}_opaque`]).replace(/^0x/, '')}`;
  return `ns=${ns};i=${str(r[`${prefix}_numeric`])}`;
}

/** A Variant element's encoding byte (the first byte of its value), `0x0c`. */
function variantMask(n: PdmlNode): string {
  return `0x${n.value.slice(0, 2)}`;
}

/** tshark's bool text (`1`, `True`) as CraneWatch writes it (`T` / `F`). */
function tsharkBool(s: string): string {
  return s === '' ? '' : s === '1' || s.toLowerCase() === 'true' ? 'T' : 'F';
}

/** tshark's StatusCode text as `0x` and 8 lower-case hex digits. */
function code8(s: string): string {
  const m = /0x([0-9a-fA-F]{8})/.exec(s);
  return m === null ? s : `0x${m[1].toLowerCase()}`;
}

/** CraneWatch stream of each service whose parameters the tshark peer compares, by type id. */
const SERVICE_STREAMS = new Map<number, string>([
  [712, 'opcua_binary_call'],
  [715, 'opcua_binary_call'],
  [826, 'opcua_binary_publish'],
  [829, 'opcua_binary_publish'],
  [832, 'opcua_binary_republish'],
  [835, 'opcua_binary_republish'],
  [847, 'opcua_binary_delete_subscriptions'],
  [850, 'opcua_binary_delete_subscriptions'],
  [799, 'opcua_binary_set_publishing_mode'],
  [802, 'opcua_binary_set_publishing_mode'],
  [769, 'opcua_binary_set_monitoring_mode'],
  [772, 'opcua_binary_set_monitoring_mode'],
  [781, 'opcua_binary_delete_monitored_items'],
  [784, 'opcua_binary_delete_monitored_items'],
  [793, 'opcua_binary_modify_subscription'],
  [796, 'opcua_binary_modify_subscription'],
  [673, 'opcua_binary_write'],
]);

/** One decoded service message's parameters as text, per compared field. */
interface ServiceView {
  key: string;
  stream: string;
  values: Record<string, string>;
}

/** The notification summary fields of a NotificationMessage subtree. */
function pdmlNotification(msg: PdmlNode | undefined, v: Record<string, string>): void {
  if (msg === undefined) return;
  v.notification_sequence_number = shows(msg, 'opcua.SequenceNumber')[0] ?? '';
  // tshark shows a zero DateTime as the epoch; CraneWatch leaves a DateTime of 0 unset.
  const time = tsharkMicros(shows(msg, 'opcua.PublishTime')[0] ?? '');
  v.publish_time = time === '0' ? '' : time;
  const data = labelled(msg, 'NotificationData');
  v.notification_data_count = arraySize(data);
  let dataChanges = 0;
  let items = 0;
  let lists = 0;
  let events = 0;
  let statusChanges = 0;
  for (const e of elements(data)) {
    const dc = labelled(e, 'DataChangeNotification');
    if (dc !== undefined) {
      dataChanges++;
      items += Number(arraySize(labelled(dc, 'MonitoredItems')) || 0);
    }
    const el = labelled(e, 'EventNotificationList');
    if (el !== undefined) {
      lists++;
      events += Number(arraySize(labelled(el, 'Events')) || 0);
    }
    if (labelled(e, 'StatusChangeNotification') !== undefined) statusChanges++;
  }
  v.data_change_notifications = String(dataChanges);
  v.monitored_item_notifications = String(items);
  v.event_field_lists = String(events);
  v.event_notification_lists = String(lists);
  v.status_change_notifications = String(statusChanges);
}

/** The compared parameters of one tshark service subtree (`CallRequest` …), or null for other services. */
function pdmlService(svc: number, body: PdmlNode): Record<string, string> | null {
  const v: Record<string, string> = {};
  const list = (n: PdmlNode | undefined, name: string): string => shows(n, name).join(',');
  switch (svc) {
    case 712: {
      const methods = elements(labelled(body, 'MethodsToCall'));
      v.methods = String(methods.length);
      v.object_id = methods.map((x) => pdmlNodeId(labelled(x, 'ObjectId'))).join(' ');
      v.method_id = methods.map((x) => pdmlNodeId(labelled(x, 'MethodId'))).join(' ');
      v.input_argument_count = methods.map((x) => arraySize(labelled(x, 'InputArguments'))).join(' ');
      v.input_argument_types = methods.map((x) => elements(labelled(x, 'InputArguments')).map(variantMask).join(',')).join(' ');
      return v;
    }
    case 715: {
      const results = elements(labelled(body, 'Results'));
      v.results = String(results.length);
      v.status = results.map((x) => code8(shows(x, 'opcua.StatusCode')[0] ?? '')).join(' ');
      v.input_argument_result_count = results.map((x) => arraySize(labelled(x, 'InputArgumentResults'))).join(' ');
      v.input_argument_results = results.map((x) => shows(labelled(x, 'InputArgumentResults'), 'opcua.InputArgumentResults').map(code8).join(',')).join(' ');
      v.output_argument_count = results.map((x) => arraySize(labelled(x, 'OutputArguments'))).join(' ');
      v.output_argument_types = results.map((x) => elements(labelled(x, 'OutputArguments')).map(variantMask).join(',')).join(' ');
      return v;
    }
    case 826: {
      const acks = elements(labelled(body, 'SubscriptionAcknowledgements'));
      v.ack_subscription_ids = acks.map((a) => shows(a, 'opcua.SubscriptionId')[0] ?? '').join(',');
      v.ack_sequence_numbers = acks.map((a) => shows(a, 'opcua.SequenceNumber')[0] ?? '').join(',');
      return v;
    }
    case 829:
      v.subscription_id = shows(body, 'opcua.SubscriptionId')[0] ?? '';
      v.available_sequence_numbers = list(labelled(body, 'AvailableSequenceNumbers'), 'opcua.AvailableSequenceNumbers');
      v.more_notifications = tsharkBool(shows(body, 'opcua.MoreNotifications')[0] ?? '');
      pdmlNotification(labelled(body, 'NotificationMessage'), v);
      v.results = shows(labelled(body, 'Results'), 'opcua.Results').map(code8).join(',');
      return v;
    case 832:
      v.subscription_id = shows(body, 'opcua.SubscriptionId')[0] ?? '';
      v.retransmit_sequence_number = shows(body, 'opcua.RetransmitSequenceNumber')[0] ?? '';
      return v;
    case 835:
      pdmlNotification(labelled(body, 'NotificationMessage'), v);
      return v;
    case 847:
    case 799:
      v.subscription_ids = list(labelled(body, 'SubscriptionIds'), 'opcua.SubscriptionIds');
      if (svc === 799) v.publishing_enabled = tsharkBool(shows(body, 'opcua.PublishingEnabled')[0] ?? '');
      return v;
    case 769:
    case 781:
      v.subscription_id = shows(body, 'opcua.SubscriptionId')[0] ?? '';
      v.monitored_item_ids = list(labelled(body, 'MonitoredItemIds'), 'opcua.MonitoredItemIds');
      return v;
    case 850:
    case 802:
    case 772:
    case 784:
      v.results = shows(labelled(body, 'Results'), 'opcua.Results').map(code8).join(',');
      return v;
    case 793:
      v.subscription_id = shows(body, 'opcua.SubscriptionId')[0] ?? '';
      v.requested_lifetime_count = shows(body, 'opcua.RequestedLifetimeCount')[0] ?? '';
      v.requested_max_keep_alive_count = shows(body, 'opcua.RequestedMaxKeepAliveCount')[0] ?? '';
      v.max_notifications_per_publish = shows(body, 'opcua.MaxNotificationsPerPublish')[0] ?? '';
      v.priority = shows(body, 'opcua.Priority')[0] ?? '';
      return v;
    case 796:
      v.revised_lifetime_count = shows(body, 'opcua.RevisedLifetimeCount')[0] ?? '';
      v.revised_max_keep_alive_count = shows(body, 'opcua.RevisedMaxKeepAliveCount')[0] ?? '';
      return v;
    case 673: {
      const nodes = elements(labelled(body, 'NodesToWrite'));
      v.node_id = nodes.map((x) => pdmlNodeId(labelled(x, 'NodeId'))).join(' ');
      v.attribute_id = nodes.map((x) => String(Number(shows(x, 'opcua.AttributeId')[0] ?? ''))).join(' ');
      v.value_types = nodes.map((x) => {
        const variant = labelled(labelled(x, 'Value'), 'Value');
        return variant === undefined ? '-' : variantMask(variant);
      }).join(' ');
      return v;
    }
    default:
      return null;
  }
}

/** tshark's decoded service messages of one capture (PDML), keyed as ourViews keys them. */
function tsharkServiceViews(file: string, ports: readonly number[]): ServiceView[] {
  const filter = [...SERVICE_STREAMS.keys()].map((id) => `opcua.servicenodeid.numeric == ${id}`).join(' || ');
  const args = ['-r', file, '-n', '-Y', filter, '-T', 'pdml'];
  for (const p of ports) args.push('-d', `tcp.port==${p},opcua`);
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, TZ: 'UTC' } });
  const out: ServiceView[] = [];
  for (const packet of parsePdml(r.stdout ?? '')) {
    const protos = packet.children;
    const fieldOf = (proto: string, name: string): string => protos.find((p) => p.name === proto)?.children.find((c) => c.name === name)?.show ?? '';
    const src = fieldOf('ip', 'ip.src') || fieldOf('ipv6', 'ipv6.src');
    const dst = fieldOf('ip', 'ip.dst') || fieldOf('ipv6', 'ipv6.dst');
    const flow = pair(`${src}:${fieldOf('tcp', 'tcp.srcport')}`, `${dst}:${fieldOf('tcp', 'tcp.dstport')}`);
    for (const ua of protos.filter((p) => p.name === 'opcua')) {
      const top = (name: string): string => ua.children.find((c) => c.name === name)?.show ?? '';
      const svcNode = descendants(ua, 'opcua.servicenodeid.numeric')[0];
      const svc = Number(svcNode?.show ?? NaN);
      const stream = SERVICE_STREAMS.get(svc);
      if (stream === undefined) continue;
      const encodeable = ua.children.find((c) => c.name === '' && c.show.startsWith('OpcUa Service'));
      const body = encodeable?.children.find((c) => c.name === '' && /^\w+(Request|Response)$/.test(c.show));
      if (body === undefined) continue;
      const values = pdmlService(svc, body);
      if (values === null) continue;
      out.push({ key: `${flow} ${top('opcua.transport.type')} rq=${top('opcua.security.rqid')} seq=${top('opcua.security.seq')} svc=${svc}`, stream, values });
    }
  }
  return out;
}

/** CraneWatch's service messages of one capture, keyed as tsharkServiceViews keys them. */
function ourServiceViews(s: OpcuaStreams): ServiceView[] {
  const keyOf = new Map<string, { key: string; svc: number }>();
  for (const r of s.get('opcua_binary') ?? []) {
    const flow = pair(`${r['id.orig_h']}:${r['id.orig_p']}`, `${r['id.resp_h']}:${r['id.resp_p']}`);
    for (const [link, seq, id] of [
      [r.req_opcua_link_id, r.req_seq_number, r.req_identifier],
      [r.res_opcua_link_id, r.res_seq_number, r.res_identifier],
    ] as const) {
      if (typeof link === 'string' && typeof id === 'number') keyOf.set(link, { key: `${flow} ${str(r.msg_type)} rq=${str(r.request_id)} seq=${str(seq)} svc=${id}`, svc: id });
    }
  }
  const byLink = (stream: string, field: string): Map<string, LogRecord[]> => {
    const m = new Map<string, LogRecord[]>();
    for (const r of s.get(stream) ?? []) {
      const l = str(r[field]);
      let a = m.get(l);
      if (a === undefined) m.set(l, (a = []));
      a.push(r);
    }
    return m;
  };
  const variants = byLink('opcua_binary_variant_metadata', 'variant_source_data_link_id');
  const status = byLink('opcua_binary_status_code_detail', 'status_code_link_id');
  const methods = byLink('opcua_binary_call_method', 'call_method_link_id');
  const results = byLink('opcua_binary_call_result', 'call_result_link_id');
  const types = (l: unknown): string => (variants.get(str(l)) ?? []).map((v) => str(v.dara_variant_encoding_mask)).join(',');
  const codes = (l: unknown): string => (status.get(str(l)) ?? []).map((v) => str(v.status_code)).join(',');
  const vec = (v: unknown): string => (Array.isArray(v) ? v.join(',') : '');
  const out: ServiceView[] = [];
  const writes = new Map<string, LogRecord[]>();
  for (const stream of new Set(SERVICE_STREAMS.values())) {
    for (const r of s.get(stream) ?? []) {
      const link = str(r.opcua_link_id);
      const k = keyOf.get(link);
      if (k === undefined) continue;
      const v: Record<string, string> = {};
      switch (k.svc) {
        case 712: {
          const ms = methods.get(str(r.call_method_link_id)) ?? [];
          v.methods = String(ms.length);
          v.object_id = ms.map((x) => rowNodeId(x, 'object_id')).join(' ');
          v.method_id = ms.map((x) => rowNodeId(x, 'method_id')).join(' ');
          v.input_argument_count = ms.map((x) => str(x.input_argument_count)).join(' ');
          v.input_argument_types = ms.map((x) => types(x.input_arguments_variant_metadata_link_id)).join(' ');
          break;
        }
        case 715: {
          const rs = results.get(str(r.call_result_link_id)) ?? [];
          v.results = String(rs.length);
          v.status = rs.map((x) => codes(x.status_code_link_id)).join(' ');
          v.input_argument_result_count = rs.map((x) => str(x.input_argument_result_count)).join(' ');
          v.input_argument_results = rs.map((x) => codes(x.input_argument_results_status_code_link_id)).join(' ');
          v.output_argument_count = rs.map((x) => str(x.output_argument_count)).join(' ');
          v.output_argument_types = rs.map((x) => types(x.output_arguments_variant_metadata_link_id)).join(' ');
          break;
        }
        case 826:
          v.ack_subscription_ids = vec(r.ack_subscription_ids);
          v.ack_sequence_numbers = vec(r.ack_sequence_numbers);
          break;
        case 829:
        case 835:
          if (k.svc === 829) {
            v.subscription_id = str(r.subscription_id);
            v.available_sequence_numbers = vec(r.available_sequence_numbers);
            v.more_notifications = r.more_notifications === true ? 'T' : r.more_notifications === false ? 'F' : '';
            v.results = codes(r.status_code_link_id);
          }
          v.notification_sequence_number = str(r.notification_sequence_number);
          v.publish_time = micros(r.publish_time);
          for (const f of ['notification_data_count', 'data_change_notifications', 'monitored_item_notifications', 'event_field_lists', 'event_notification_lists', 'status_change_notifications']) v[f] = str(r[f]);
          break;
        case 832:
          v.subscription_id = str(r.subscription_id);
          v.retransmit_sequence_number = str(r.retransmit_sequence_number);
          break;
        case 847:
        case 799:
          v.subscription_ids = vec(r.subscription_ids);
          if (k.svc === 799) v.publishing_enabled = r.publishing_enabled === true ? 'T' : 'F';
          break;
        case 769:
        case 781:
          v.subscription_id = str(r.subscription_id);
          v.monitored_item_ids = vec(r.monitored_item_ids);
          break;
        case 850:
        case 802:
        case 772:
        case 784:
          v.results = codes(r.status_code_link_id);
          break;
        case 793:
          for (const f of ['subscription_id', 'requested_lifetime_count', 'requested_max_keep_alive_count', 'max_notifications_per_publish', 'priority']) v[f] = str(r[f]);
          break;
        case 796:
          for (const f of ['revised_lifetime_count', 'revised_max_keep_alive_count']) v[f] = str(r[f]);
          break;
        case 673: {
          let a = writes.get(k.key);
          if (a === undefined) writes.set(k.key, (a = []));
          a.push(r);
          continue;
        }
        default:
          continue;
      }
      out.push({ key: k.key, stream, values: v });
    }
  }
  for (const [key, rows] of writes) {
    out.push({
      key,
      stream: 'opcua_binary_write',
      values: {
        node_id: rows.map((x) => rowNodeId(x, 'node_id')).join(' '),
        attribute_id: rows.map((x) => str(x.attribute_id)).join(' '),
        value_types: rows.map((x) => types(x.write_results_variant_metadata_link_id) || '-').join(' '),
      },
    });
  }
  return out;
}

/** Compare tshark's service parameters with CraneWatch's, one CaptureAgreement per stream present. */
function compareServiceViews(capture: string, peer: readonly ServiceView[], ours: readonly ServiceView[]): CaptureAgreement[] {
  const index = (vs: readonly ServiceView[]): Map<string, ServiceView> => {
    const n = new Map<string, number>();
    const m = new Map<string, ServiceView>();
    for (const v of vs) {
      const i = n.get(v.key) ?? 0;
      n.set(v.key, i + 1);
      m.set(`${v.key} #${i}`, v);
    }
    return m;
  };
  const o = index(ours);
  const byStream = new Map<string, { peer: number; matched: number; agreed: number; counts: Map<string, { compared: number; agreed: number }>; differences: string[] }>();
  for (const [key, pv] of index(peer)) {
    let st = byStream.get(pv.stream);
    if (st === undefined) byStream.set(pv.stream, (st = { peer: 0, matched: 0, agreed: 0, counts: new Map(), differences: [] }));
    st.peer++;
    const ov = o.get(key);
    if (ov === undefined) {
      st.differences.push(`${key}: no CraneWatch record`);
      continue;
    }
    st.matched++;
    let all = true;
    for (const [f, a] of Object.entries(pv.values)) {
      const b = ov.values[f] ?? '';
      let c = st.counts.get(f);
      if (c === undefined) st.counts.set(f, (c = { compared: 0, agreed: 0 }));
      c.compared++;
      // Times agree within 1 µs (a double holds a 2020s DateTime to about 0.24 µs).
      if (a === b || (f === 'publish_time' && a !== '' && b !== '' && Math.abs(Number(a) - Number(b)) <= 1)) c.agreed++;
      else {
        all = false;
        st.differences.push(`${key}: ${f} cw=${b} peer=${a}`);
      }
    }
    if (all) st.agreed++;
  }
  return [...byStream].map(([stream, st]) => ({
    capture,
    stream,
    peerRecords: st.peer,
    matched: st.matched,
    agreed: st.agreed,
    fields: [...st.counts].map(([field, c]) => ({ field, ...c })),
    differences: st.differences,
  }));
}
