import type { FlowContext } from '../../session/analyzer.js';
import { zeekEscape } from '../zeek-escape.js';
import {
  CLASS_IDENTITY,
  ENCAP_HEADER_BYTES,
  ITEM_CIP_IDENTITY,
  ITEM_CONNECTED_DATA,
  ITEM_UNCONNECTED_DATA,
  SERVICE_GET_ATTRIBUTES_ALL,
  SERVICE_MULTIPLE,
  multipleServiceStarts,
  newCipMessage,
  newCpfList,
  newIdentityFields,
  newPathIds,
  parseCip,
  parseCpf,
  parseIdentityAttributes,
  parseIdentityItem,
  parsePath,
  u16,
  u32,
  type CipMessage,
  type CpfList,
  type EncapHeader,
  type GrammarAnomaly,
  type IdentityFields,
  type PathIds,
} from './grammar.js';
import { icsnppRecordFactory, sideFields, type FlowIds } from '../icsnpp-fields.js';
import { CIP_IDENTITY_STREAM, CIP_STREAM, ENIP_STREAM, hexBytes, hexCode, ipv4Text } from './log.js';
import { className, code8, commandName, encapStatusName, extendedStatusName, hex2, serviceName, statusName } from './names.js';
import { deviceTypeName, vendorName } from './vendors.js';

/** Records of the two hot streams, every column allocated up front (icsnpp-fields.ts). */
const newEnipRecord = icsnppRecordFactory(ENIP_STREAM);
const newCipRecord = icsnppRecordFactory(CIP_STREAM);

/** Encapsulation commands whose data is interface handle, timeout and a CPF list (Vol 2 §2-4.7, §2-4.8). */
const CMD_SEND_RR_DATA = 0x6f;
const CMD_SEND_UNIT_DATA = 0x70;
/** ListIdentity (Vol 2 §2-4.2): the reply's CPF list carries CIP Identity items. */
const CMD_LIST_IDENTITY = 0x63;
/** Services one Multiple Service Packet is split into at most (the rest is reported and skipped). */
export const MAX_MULTIPLE_SERVICES = 256;
/** Pending-identity key of "no Get_Attributes_All request to the Identity object waiting". */
const NO_KEY = -1;
/** The options field of nearly every encapsulation message (CIP Vol 2 §2-3.6: zero). */
const NO_OPTIONS = '0x00000000';

/**
 * Turns whole encapsulation messages of one flow into `enip`, `cip` and `cip_identity` records
 * (CIP Vol 2 §2-3 header, §2-4 commands, §2-6 Common Packet Format; Vol 1 §2-4 Message Router
 * messages, § Multiple Service Packet). Framing is the caller's (TCP stream or UDP datagram).
 *
 * Identity from Get_Attributes_All: a request to class 1 (Identity) remembers one key (the connected
 * sequence count, or the sender context for unconnected SendRRData); the next Get_Attributes_All
 * success reply with that key is decoded as Identity attributes 1–8. One key per flow is held.
 */
export class EnipMessages {
  /**
   * Parse results, shared by every flow of the process: a message is parsed and logged within one
   * synchronous call that never re-enters another flow's analyzer, so one set suffices (no per-flow
   * allocation of the 64 CPF item slots and 256 service offsets).
   */
  private static readonly cpf: CpfList = newCpfList();
  private static readonly msg: CipMessage = newCipMessage();
  private static readonly inner: CipMessage = newCipMessage();
  private static readonly ids: PathIds = newPathIds();
  private static readonly identity: IdentityFields = newIdentityFields();
  private static readonly starts: number[] = new Array<number>(MAX_MULTIPLE_SERVICES).fill(0);
  private readonly cpf = EnipMessages.cpf;
  private readonly msg = EnipMessages.msg;
  private readonly inner = EnipMessages.inner;
  private readonly ids = EnipMessages.ids;
  private readonly identity = EnipMessages.identity;
  private readonly starts = EnipMessages.starts;
  private pendingIdentity = NO_KEY;
  /** The flow's session handle and its text, kept while it stays the same (every message repeats it). */
  private sessionHandle = -1;
  private sessionText = '';
  /** The last sender context (as two 32-bit words) and its text: it repeats, or a reply echoes it. */
  private context0 = -1;
  private context1 = -1;
  private contextText = '';

  /**
   * @param ctx the flow (records, anomalies)
   * @param flow per-flow constants of the records
   */
  constructor(
    private readonly ctx: FlowContext,
    private readonly flow: FlowIds,
  ) {}

  /**
   * One whole encapsulation message `b[off, off + 24 + h.length)` whose header is `h`, sent by the
   * originator when `isOrig`. Writes its `enip` row, then the CIP rows of its CPF items.
   * @param ts seconds since the epoch
   */
  message(isOrig: boolean, b: Uint8Array, off: number, h: EncapHeader, ts: number): void {
    const r = newEnipRecord(this.flow, ts, isOrig);
    r.enip_command_code = code8(h.command);
    r.enip_command = commandName(h.command);
    r.length = h.length;
    if (h.session !== this.sessionHandle) {
      this.sessionHandle = h.session;
      this.sessionText = hexCode(h.session, 8);
    }
    r.session_handle = this.sessionText;
    r.enip_status = encapStatusName(h.status);
    const c0 = u32(b, h.contextOff);
    const c1 = u32(b, h.contextOff + 4);
    if (c0 !== this.context0 || c1 !== this.context1) {
      this.context0 = c0;
      this.context1 = c1;
      this.contextText = `0x${hexBytes(b, h.contextOff, 8, 16)}`;
    }
    r.sender_context = this.contextText;
    r.options = h.options === 0 ? NO_OPTIONS : hexCode(h.options, 8);
    this.ctx.emit(ENIP_STREAM.name, r);
    const body = off + ENCAP_HEADER_BYTES;
    const end = body + h.length;
    if (h.length === 0) return;
    if (h.command === CMD_SEND_RR_DATA || h.command === CMD_SEND_UNIT_DATA) {
      if (h.length < 6) {
        this.violation('enip.cpf_truncated', ts, `command 0x${hex2(h.command)} with ${h.length} data bytes`);
        return;
      }
      this.items(isOrig, b, body + 6, end, u32(b, h.contextOff), ts);
    } else if (h.command === CMD_LIST_IDENTITY) {
      this.items(isOrig, b, body, end, 0, ts);
    }
  }

  /** The CPF list at `[off, end)`: CIP messages of data items, identities of identity items. */
  private items(isOrig: boolean, b: Uint8Array, off: number, end: number, context: number, ts: number): void {
    const bad = parseCpf(b, off, end, this.cpf);
    if (bad !== null) this.violation(bad, ts, `CPF list of ${end - off} bytes`);
    for (let i = 0; i < this.cpf.count; i++) {
      const it = this.cpf.items[i];
      if (it.type === ITEM_UNCONNECTED_DATA) {
        this.cip(isOrig, b, it.off, it.off + it.len, 0, 0x10000 + (context & 0xffff), ts);
      } else if (it.type === ITEM_CONNECTED_DATA) {
        if (it.len < 2) {
          this.violation('cip.truncated', ts, 'connected data item without a sequence count');
          continue;
        }
        const seq = u16(b, it.off);
        this.cip(isOrig, b, it.off + 2, it.off + it.len, seq, seq, ts);
      } else if (it.type === ITEM_CIP_IDENTITY) {
        if (parseIdentityItem(b, it.off, it.off + it.len, this.identity)) this.emitIdentity(isOrig, b, ts);
        else this.violation('enip.identity_truncated', ts, `identity item of ${it.len} bytes`);
      }
    }
  }

  /**
   * One CIP message `[off, end)`. `seq` is the connected sequence count (0 when unconnected: the
   * row leaves it unset, as ICSNPP does for 0); `key` pairs Identity Get_Attributes_All requests with replies.
   */
  private cip(isOrig: boolean, b: Uint8Array, off: number, end: number, seq: number, key: number, ts: number): void {
    const m = this.msg;
    const bad = parseCip(b, off, end, m);
    if (bad !== null) {
      this.violation(bad, ts, `CIP message of ${end - off} bytes`);
      return;
    }
    this.row(isOrig, m, b, seq, ts);
    if (m.service === SERVICE_MULTIPLE) {
      this.multiple(isOrig, b, m.dataOff, end, seq, ts);
      return;
    }
    if (m.service !== SERVICE_GET_ATTRIBUTES_ALL) return;
    if (!m.isResponse) {
      this.pendingIdentity = this.ids.classId === CLASS_IDENTITY && this.ids.instanceId >= 1 ? key : NO_KEY;
    } else if (this.pendingIdentity === key) {
      this.pendingIdentity = NO_KEY;
      if (m.status === 0 && parseIdentityAttributes(b, m.dataOff, m.dataEnd, this.identity)) this.emitIdentity(isOrig, b, ts);
    }
  }

  /** The services of a Multiple Service Packet whose data is `[off, end)`, one row each. */
  private multiple(isOrig: boolean, b: Uint8Array, off: number, end: number, seq: number, ts: number): void {
    const n = multipleServiceStarts(b, off, end, this.starts);
    if (n < 0) {
      this.ctx.anomaly('cip.bad_multiple_service_offset', 'weird', ts, `Multiple Service Packet of ${end - off} bytes`);
      return;
    }
    if (u16(b, off) > n) this.ctx.anomaly('cip.too_many_services', 'weird', ts, `${u16(b, off)} services, ${n} logged`);
    for (let i = 0; i < n; i++) {
      const at = this.starts[i];
      const stop = i + 1 < n && this.starts[i + 1] > at ? this.starts[i + 1] : end;
      const bad = parseCip(b, at, stop, this.inner);
      if (bad !== null) {
        this.violation(bad, ts, `service ${i} of a Multiple Service Packet`);
        continue;
      }
      this.row(isOrig, this.inner, b, seq, ts);
    }
  }

  /** Write the `cip` row of message `m` (request path ids are left in `this.ids`). */
  private row(isOrig: boolean, m: CipMessage, b: Uint8Array, seq: number, ts: number): void {
    const r = newCipRecord(this.flow, ts, isOrig);
    r.cip_sequence_count = seq === 0 ? null : seq;
    r.direction = m.isResponse ? 'response' : 'request';
    r.cip_service_code = code8(m.service);
    r.cip_service = serviceName(m.service);
    if (m.isResponse) {
      r.cip_status_code = code8(m.status);
      r.cip_status = statusName(m.status);
      r.cip_extended_status_code = m.extStatus < 0 ? null : hexCode(m.extStatus, 4);
      r.cip_extended_status = m.extStatus < 0 ? null : extendedStatusName(m.extStatus);
    } else {
      const ids = this.ids;
      parsePath(b, m.pathOff, m.pathLen, ids);
      r.class_id = ids.classId < 0 ? null : code8(ids.classId);
      r.class_name = ids.classId < 0 ? null : className(ids.classId);
      r.instance_id = ids.instanceId < 0 ? null : code8(ids.instanceId);
      r.attribute_id = ids.attributeId < 0 ? null : code8(ids.attributeId);
    }
    this.ctx.emit(CIP_STREAM.name, r);
  }

  /** Write the `cip_identity` row of `this.identity` (product name bytes still in `b`). */
  private emitIdentity(isOrig: boolean, b: Uint8Array, ts: number): void {
    const d = this.identity;
    const r = sideFields(this.flow, ts, isOrig);
    const listed = d.encapVersion >= 0;
    r.encapsulation_version = listed ? d.encapVersion : null;
    r.socket_address = listed ? ipv4Text(d.socketAddr) : null;
    r.socket_port = listed ? d.socketPort : null;
    r.vendor_id = d.vendorId;
    r.vendor_name = vendorName(d.vendorId);
    r.device_type_id = d.deviceType;
    r.device_type_name = deviceTypeName(d.deviceType);
    r.product_code = d.productCode;
    r.revision = `${d.revMajor}.${d.revMinor}`;
    r.device_status = hexCode(d.status, 4);
    r.serial_number = hexCode(d.serial, 8);
    r.product_name = zeekEscape(b, d.nameOff, d.nameOff + d.nameLen, this.ctx.limits.maxStringLength).text;
    r.device_state = d.state < 0 ? null : hexCode(d.state, 4);
    this.ctx.emit(CIP_IDENTITY_STREAM.name, r);
  }

  private violation(name: GrammarAnomaly | 'enip.identity_truncated', ts: number, detail: string): void {
    this.ctx.anomaly(name, 'violation', ts, detail);
  }
}
