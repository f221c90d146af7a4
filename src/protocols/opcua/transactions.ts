import type { LogRecord, StreamName } from '../../events/record.js';
import type { ConnId } from '../../session/analyzer.js';
import type { UaMessage } from './message.js';
import { OpcuaPendingBudget, pendingCost } from './budget.js';
import { OPCUA_BINARY_STREAM } from './log.js';

const BINARY = OPCUA_BINARY_STREAM.name;

/** Where records go (the flow context's emit). */
export interface RecordOut {
  emit(stream: StreamName, record: LogRecord): void;
}

/** Flow constants every record repeats. */
export interface UaFlowIds {
  readonly uid: string;
  readonly id: ConnId;
}

const REQUEST = 'Request';
const RESPONSE = 'Response';

function isRequest(m: UaMessage): boolean {
  return m.identifierStr !== null && m.identifierStr.includes(REQUEST);
}

function isResponse(m: UaMessage): boolean {
  return m.identifierStr !== null && m.identifierStr.includes(RESPONSE);
}

/** Service name without its Request/Response suffix (`Read` for ReadRequest). */
function stem(s: string | null, suffix: string): string {
  if (s === null) return '';
  return s.endsWith(suffix) ? s.slice(0, s.length - suffix.length) : s;
}

/**
 * What `UaTransactions.message` did with a message: `ok` (written, paired or waiting), `overflow`
 * (this flow's pending table was full: written alone) or `budget` (the run-wide pending budget was
 * spent: written alone).
 */
export type PairingOutcome = 'ok' | 'overflow' | 'budget';

/**
 * Request/response pairing of one flow by RequestId (OPC 10000-6 §6.7.2.4), as ICSNPP's opcua_binary
 * summary does it: a response joins the pending request with its RequestId when the service, message
 * type and chunk type agree; otherwise each waits for its partner. HEL, ACK, ERR, RHE, CLO and chunks
 * whose body could not be decoded are written at once. At most `maxPending` requests and as many
 * responses wait per flow, and all flows sharing `budget` hold at most `budget.max` estimated bytes
 * of waiting messages (budget.ts); beyond either bound (or on a repeated RequestId) the message is
 * written alone. A waiting message keeps only what its `opcua_binary` row and the pairing test
 * need: its service body (already written to the child logs on arrival) is dropped.
 */
export class UaTransactions {
  private readonly requests = new Map<number, UaMessage>();
  private readonly responses = new Map<number, UaMessage>();

  /** Estimated bytes this flow's waiting messages hold in `budget` (budget.ts `pendingCost`). */
  private heldBytes = 0;

  /**
   * @param flow uid and connection tuple repeated by every record
   * @param maxPending requests (and as many responses) that may wait per flow (limits.maxPendingRequests)
   * @param out where records go
   * @param budget run-wide account of waiting messages shared with the run's other OPC UA flows
   *   (a private one of OPCUA_PENDING_BUDGET_BYTES by default)
   */
  constructor(
    private readonly flow: UaFlowIds,
    private readonly maxPending: number,
    private readonly out: RecordOut,
    private readonly budget: OpcuaPendingBudget = new OpcuaPendingBudget(),
  ) {}

  /** Messages waiting for a partner (requests + responses). */
  get pending(): number {
    return this.requests.size + this.responses.size;
  }

  /** Estimated bytes this flow's waiting messages hold in the run-wide budget. */
  get held(): number {
    return this.heldBytes;
  }

  /** Take one decoded message (its child records already written). @returns what was done with it */
  message(m: UaMessage): PairingOutcome {
    const t = m.msgType;
    if (t === 'HEL' || t === 'ACK' || t === 'ERR' || t === 'RHE' || m.requestId < 0) {
      this.out.emit(BINARY, this.record(m, null, null));
      return 'ok';
    }
    if (t === 'CLO') {
      this.out.emit(BINARY, this.record(m, m, null));
      return 'ok';
    }
    const id = m.requestId;
    const res = this.responses.get(id);
    if (res !== undefined && isRequest(m)) {
      if (matches(m, res)) {
        this.responses.delete(id);
        this.release(res);
        this.out.emit(BINARY, this.record(m, m, res));
        return 'ok';
      }
      return this.add(m);
    }
    const req = this.requests.get(id);
    if (req !== undefined && isResponse(m)) {
      if (matches(req, m)) {
        this.requests.delete(id);
        this.release(req);
        this.out.emit(BINARY, this.record(req, req, m));
        return 'ok';
      }
      return this.add(m);
    }
    return this.add(m);
  }

  /** The flow ended: write every waiting request, then every waiting response, in arrival order. */
  flush(): void {
    for (const m of this.requests.values()) this.out.emit(BINARY, this.record(m, m, null));
    for (const m of this.responses.values()) this.out.emit(BINARY, this.record(m, null, m));
    this.discard();
  }

  /** Forget every waiting message unwritten (the flow was abandoned) and give back its budget. */
  discard(): void {
    this.requests.clear();
    this.responses.clear();
    this.budget.held -= this.heldBytes;
    this.heldBytes = 0;
  }

  /**
   * Let `m` wait for its partner, without its service body. A repeated RequestId is written alone
   * at once (`ok`); a full table (`overflow`) or a spent run-wide budget (`budget`) writes it alone too.
   */
  private add(m: UaMessage): PairingOutcome {
    const table = isRequest(m) ? this.requests : this.responses;
    let outcome: PairingOutcome = 'ok';
    if (table.size >= this.maxPending && !table.has(m.requestId)) outcome = 'overflow';
    else if (!table.has(m.requestId)) {
      m.body = null;
      m.openReq = null;
      m.openRes = null;
      const cost = pendingCost(m);
      if (this.budget.held + cost <= this.budget.max) {
        this.budget.held += cost;
        this.heldBytes += cost;
        table.set(m.requestId, m);
        return 'ok';
      }
      outcome = 'budget';
    }
    this.out.emit(BINARY, table === this.requests ? this.record(m, m, null) : this.record(m, null, m));
    return outcome;
  }

  /** Give back the budget of a message that stopped waiting. */
  private release(m: UaMessage): void {
    const cost = pendingCost(m);
    this.budget.held -= cost;
    this.heldBytes -= cost;
  }

  /** One opcua_binary record: common fields from `base`, request side from `req`, response side from `res`. */
  private record(base: UaMessage, req: UaMessage | null, res: UaMessage | null): LogRecord {
    const id = this.flow.id;
    const h = base.hello;
    const a = base.asym;
    const rq = req?.reqHdr ?? null;
    const rs = res?.resHdr ?? null;
    const tok = rq?.authToken ?? null;
    let channels: number[] | null = null;
    if (base.secChannelId >= 0) {
      channels = [base.secChannelId];
      if (req !== null && res !== null && res.secChannelId !== base.secChannelId && res.secChannelId >= 0) channels.push(res.secChannelId);
    }
    return {
      ts: base.ts,
      uid: this.flow.uid,
      'id.orig_h': id.orig_h,
      'id.orig_p': id.orig_p,
      'id.resp_h': id.resp_h,
      'id.resp_p': id.resp_p,
      msg_type: base.msgType,
      is_final: base.isFinal,
      total_size: req !== null && res !== null ? req.msgSize + res.msgSize : base.msgSize,
      error: base.error >= 0 ? base.error : null,
      reason: base.reason,
      version: h?.version ?? null,
      rcv_buf_size: h?.rcvBufSize ?? null,
      snd_buf_size: h?.sndBufSize ?? null,
      max_msg_size: h?.maxMsgSize ?? null,
      max_chunk_cnt: h?.maxChunkCnt ?? null,
      endpoint_url: base.endpointUrl,
      sec_channel_id: channels,
      sec_policy_uri_len: a?.policyUriLen ?? null,
      sec_policy_uri: a?.policyUri ?? null,
      snd_cert_len: a?.sndCertLen ?? null,
      snd_cert: a?.sndCert ?? null,
      rcv_cert_len: a?.rcvThumbLen ?? null,
      rcv_cert: a?.rcvThumb ?? null,
      request_id: base.requestId >= 0 ? base.requestId : null,
      req_opcua_link_id: req?.linkId ?? null,
      req_msg_size: req?.msgSize ?? null,
      req_seq_number: req !== null && req.seq >= 0 ? req.seq : null,
      req_encoding_mask: req !== null && req.encMask >= 0 ? req.encMask : null,
      req_namespace_idx: req !== null && req.ns >= 0 ? req.ns : null,
      req_identifier: req !== null && req.identifier >= 0 ? req.identifier : null,
      req_identifier_str: req?.identifierStr ?? null,
      req_hdr_node_id_type: tok === null ? null : `0x${tok.encoding.toString(16).padStart(2, '0')}`,
      req_hdr_node_id_namespace_idx: tok === null || tok.ns < 0 ? null : tok.ns,
      req_hdr_node_id_numeric: tok === null || tok.numeric < 0 ? null : tok.numeric,
      req_hdr_node_id_string: tok?.str ?? null,
      req_hdr_node_id_guid: tok?.guid ?? null,
      req_hdr_node_id_opaque: tok?.opaque ?? null,
      req_hdr_timestamp: rq?.timestamp ?? null,
      req_hdr_request_handle: rq?.requestHandle ?? null,
      req_hdr_return_diag: rq?.returnDiag ?? null,
      req_hdr_audit_entry_id: rq?.auditEntryId ?? null,
      req_hdr_timeout_hint: rq?.timeoutHint ?? null,
      req_hdr_add_hdr_type_id: rq?.addHdr.typeId ?? null,
      req_hdr_add_hdr_enc_mask: rq?.addHdr.encoding ?? null,
      res_opcua_link_id: res?.linkId ?? null,
      res_msg_size: res?.msgSize ?? null,
      res_seq_number: res !== null && res.seq >= 0 ? res.seq : null,
      res_encoding_mask: res !== null && res.encMask >= 0 ? res.encMask : null,
      res_namespace_idx: res !== null && res.ns >= 0 ? res.ns : null,
      res_identifier: res !== null && res.identifier >= 0 ? res.identifier : null,
      res_identifier_str: res?.identifierStr ?? null,
      res_hdr_timestamp: rs?.timestamp ?? null,
      res_hdr_request_handle: rs?.requestHandle ?? null,
      status_code_link_id: res?.statusLinkId ?? null,
      res_hdr_service_diag_encoding: rs?.diagEncoding ?? null,
      res_hdr_add_hdr_type_id: rs?.addHdr.typeId ?? null,
      res_hdr_add_hdr_enc_mask: rs?.addHdr.encoding ?? null,
    };
  }
}

/** ICSNPP's pairing test: same service, message type and chunk type. */
function matches(req: UaMessage, res: UaMessage): boolean {
  return stem(req.identifierStr, REQUEST) === stem(res.identifierStr, RESPONSE) && req.msgType === res.msgType && req.isFinal === res.isFinal;
}
