import type { FlowContext, StreamAnalyzer } from '../../session/analyzer.js';
import { CarryBytes } from './carry.js';
import { isIdentitySzl, KnownDevice } from './devices.js';
import {
  COTP_DT, newCotpHeader, newS7Pdu, parseCotp, parsePlusHeader, parseS7comm, parseSzlHeader, parseTransfer, plcControlServiceAt,
  S7COMM_ID, S7COMM_PLUS_ID, tpktLength, TPKT_HEADER_BYTES, type PlusHeader, type SzlHeader, type TransferFields,
} from './grammar.js';
import { flowIdsOf, sideFields, type FlowIds } from '../icsnpp-fields.js';
import { zeekEscape } from '../zeek-escape.js';
import { cotpRecord } from './log.js';
import {
  blockTypeName, cotpPduName, errorClassName, fileSystemName, functionName, hex2, hex4, hexMin2, plcControlName, plusFunctionName,
  plusOpcodeName, returnCodeName, rosctrName, subfunctionName, szlIdName, userDataFunctionName, userDataMethodName,
} from './names.js';

/** Per-direction framing state: bytes of an unfinished TPKT packet and of an unfinished COTP TSDU. */
class Side {
  /** Carry-over of a TPKT packet split across deliveries; while `lost`, the last scanned bytes (< RESYNC_PROBE_BYTES). */
  readonly pkt: CarryBytes;
  /** Bytes of an oversized packet still to skip. */
  skip = 0;
  /** True until a TPKT boundary is known (mid-stream start, after a gap or garbage). */
  lost = true;
  /** COTP DT fragments (EOT = 0) joined into one TSDU (ISO 8073 §6.3 segmenting). */
  readonly tsdu: CarryBytes;
  /** A Read SZL response spread over user-data fragments: its id, index and data unit reference (-1: none pending). */
  szlId = -1;
  szlIndex = -1;
  szlUnit = -1;

  /** @param bound most bytes a carried packet or TSDU may reach (limits.maxAnalyzerBufferBytes) */
  constructor(bound: number) {
    this.pkt = new CarryBytes(bound);
    this.tsdu = new CarryBytes(bound);
  }
}

const COTP_CODES = new Set([0x1, 0x2, 0x5, 0x6, 0x7, 0x8, 0xc, 0xd, 0xe, 0xf]);
/** Bytes the resync test reads at a candidate offset (TPKT header, COTP length indicator and code). */
const RESYNC_PROBE_BYTES = 6;

/**
 * ISO-on-TCP analyzer (RFC 1006 TPKT, ISO 8073 COTP, S7comm, S7comm-plus header) for one TCP flow:
 * frames TPKT packets across segments (bounded by limits.maxAnalyzerBufferBytes), joins COTP DT
 * fragments into TSDUs, and writes `cotp`, `s7comm`, `s7comm_read_szl`, `s7comm_upload_download`,
 * `s7comm_plus` rows and, at the end of the flow, `s7comm_known_devices`. After a gap or garbage it
 * scans for the next plausible TPKT + COTP header. Confirms `cotp`, then `s7comm` / `s7comm-plus`.
 */
export class S7commAnalyzer implements StreamAnalyzer {
  private readonly ids: FlowIds;
  private readonly orig: Side;
  private readonly resp: Side;
  private readonly bound: number;
  private readonly cotp = newCotpHeader();
  private readonly pdu = newS7Pdu();
  private readonly szl: SzlHeader = { id: -1, index: -1, recordLength: -1, recordCount: -1, recordsOffset: 0 };
  private readonly transfer: TransferFields = { status: -1, sessionId: -1, blockLength: -1, filenameOffset: -1, filenameLength: -1 };
  private readonly plus: PlusHeader = { version: -1, opcode: -1, func: -1 };
  private readonly device: KnownDevice;
  private confirmedCotp = false;
  private confirmedS7 = false;
  private confirmedPlus = false;
  private isDone = false;
  private lastTs = 0;

  constructor(private readonly ctx: FlowContext) {
    this.ids = flowIdsOf(ctx);
    this.bound = Math.max(TPKT_HEADER_BYTES + 3, ctx.limits.maxAnalyzerBufferBytes);
    // Both sides start unsynchronised: the first plausible TPKT + COTP header (at once, normally) starts framing.
    this.orig = new Side(this.bound);
    this.resp = new Side(this.bound);
    this.device = new KnownDevice(ctx.limits.maxStringLength);
  }

  get done(): boolean {
    return this.isDone;
  }

  /**
   * Bytes of storage held for carried TPKT packets, joined TSDUs and scan tails, both directions
   * (read-only, for diagnostics and tests). Grows with the bytes actually carried, not with the
   * lengths headers declare; storage above RETAINED_CARRY_BYTES (carry.ts) is released when its
   * packet or TSDU completes or is dropped.
   */
  get bufferedBytes(): number {
    return this.orig.pkt.capacity + this.orig.tsdu.capacity + this.resp.pkt.capacity + this.resp.tsdu.capacity;
  }

  deliver(isOrig: boolean, data: Uint8Array, ts: number): void {
    if (this.isDone) return;
    this.lastTs = ts;
    const s = isOrig ? this.orig : this.resp;
    const end = data.length;
    let off = 0;
    while (off < end) {
      if (s.skip > 0) {
        const n = Math.min(s.skip, end - off);
        s.skip -= n;
        off += n;
      } else if (s.lost) {
        off = this.scan(s, data, off, end);
      } else {
        off = this.synced(s, data, off, end, isOrig, ts);
      }
    }
  }

  /**
   * Unsynchronised: find the next plausible TPKT + COTP header, first at the bytes kept from the last
   * delivery (joined with this one's first bytes), then in `data` itself, which is not copied. A header
   * in the kept bytes becomes the carried start of a packet (returns `off`, `s.lost` cleared); one in
   * `data` is framed from its offset (returned). Without one, the last RESYNC_PROBE_BYTES - 1 bytes are
   * kept (a header may start in them) and `end` is returned.
   */
  private scan(s: Side, data: Uint8Array, off: number, end: number): number {
    const k = s.pkt;
    const held = k.length;
    if (held > 0) {
      const extra = Math.min(end - off, RESYNC_PROBE_BYTES - 1);
      k.append(data, off, off + extra);
      const at = this.resync(k.bytes, 0, k.length, held);
      if (at >= 0) {
        k.keep(at, held);
        s.lost = false;
        return off;
      }
      if (off + extra === end) {
        k.keep(Math.max(0, k.length - (RESYNC_PROBE_BYTES - 1)), k.length);
        return end;
      }
      k.clear();
    }
    const at = this.resync(data, off, end, end);
    if (at >= 0) {
      s.lost = false;
      return at;
    }
    k.append(data, Math.max(off, end - (RESYNC_PROBE_BYTES - 1)), end);
    return end;
  }

  /**
   * Synchronised: complete a carried packet, then frame whole packets from `data`, carrying a partial
   * one (its bytes copied into `s.pkt`). Returns `end`, or the offset where a bad header lost the sync
   * (`s.lost` set) or an oversized packet started (`s.skip` set).
   */
  private synced(s: Side, data: Uint8Array, off: number, end: number, isOrig: boolean, ts: number): number {
    const k = s.pkt;
    if (k.length > 0) {
      while (off < end) {
        const have = k.length;
        const need = have < TPKT_HEADER_BYTES ? TPKT_HEADER_BYTES - have : tpktLength(k.bytes, 0, have) - have;
        const take = Math.min(need, end - off);
        k.append(data, off, off + take);
        off += take;
        if (k.length < TPKT_HEADER_BYTES) return off;
        const len = tpktLength(k.bytes, 0, k.length);
        if (len < 0) {
          this.lose(s, isOrig, ts, 's7comm.tpkt_invalid');
          return off;
        }
        if (len > this.bound) {
          this.ctx.anomaly('s7comm.tpkt_too_long', 'weird', ts, `${len}`);
          s.skip = len - k.length;
          k.clear();
          return off;
        }
        if (k.length === len) {
          const bytes = k.bytes;
          k.clear();
          this.packet(bytes, 0, len, isOrig, ts);
          break;
        }
      }
      if (k.length > 0) return off;
    }
    while (off < end) {
      const len = tpktLength(data, off, end);
      if (len === 0) {
        s.pkt.append(data, off, end);
        return end;
      }
      if (len < 0) {
        this.lose(s, isOrig, ts, 's7comm.tpkt_invalid');
        return off;
      }
      if (len > this.bound) {
        this.ctx.anomaly('s7comm.tpkt_too_long', 'weird', ts, `${len}`);
        s.skip = len;
        return off;
      }
      if (off + len > end) {
        s.pkt.append(data, off, end);
        return end;
      }
      this.packet(data, off, len, isOrig, ts);
      off += len;
    }
    return end;
  }

  gap(isOrig: boolean, _len: number, _ts: number): void {
    const s = isOrig ? this.orig : this.resp;
    s.pkt.clear();
    s.skip = 0;
    s.tsdu.clear();
    s.szlId = s.szlIndex = -1;
    s.lost = true;
    // Identity records arrive in the responder's SZL answers: only a gap there breaks their joining
    // (the client's requests of a one-sided or lossy capture may have gaps of their own).
    if (!isOrig) this.device.reset();
  }

  end(ts: number): void {
    // Stamped with the flow's last delivery: the time `end` is called with may come from a later input file.
    if (this.device.seen) this.ctx.emit('s7comm_known_devices', this.device.toRecord(this.ids, this.lastTs === 0 ? ts : this.lastTs));
    this.isDone = true;
  }

  /** Lose sync on a bad header: report it once and scan from the next byte. */
  private lose(s: Side, isOrig: boolean, ts: number, name: string): void {
    this.ctx.anomaly(name, 'violation', ts, isOrig ? 'orig' : 'resp');
    s.lost = true;
    s.pkt.clear();
  }

  /**
   * First offset in [off, before) where a plausible TPKT + COTP header starts (version 3, reserved 0,
   * length ≥ 7, a length indicator inside the packet, a known TPDU code) with its RESYNC_PROBE_BYTES
   * before `end`, or -1.
   */
  private resync(b: Uint8Array, off: number, end: number, before: number): number {
    for (let i = off; i < before && i + RESYNC_PROBE_BYTES <= end; i++) {
      if (b[i] !== 3 || b[i + 1] !== 0) continue;
      const len = (b[i + 2] << 8) | b[i + 3];
      const li = b[i + 4];
      if (len >= 7 && li > 0 && li + 5 <= len && COTP_CODES.has(b[i + 5] >> 4)) return i;
    }
    return -1;
  }

  /** One whole TPKT packet [off, off + len). */
  private packet(b: Uint8Array, off: number, len: number, isOrig: boolean, ts: number): void {
    const end = off + len;
    const c = this.cotp;
    if (!parseCotp(b, off + TPKT_HEADER_BYTES, end, c)) {
      this.ctx.anomaly('s7comm.cotp_invalid', 'violation', ts, isOrig ? 'orig' : 'resp');
      return;
    }
    this.ctx.emit('cotp', cotpRecord(this.ids, ts, isOrig, hex2(c.code), cotpPduName(c.code)));
    if (!this.confirmedCotp) {
      this.confirmedCotp = true;
      this.ctx.confirm('cotp');
    }
    if (c.code !== COTP_DT || c.payloadOffset >= end) return;
    const s = isOrig ? this.orig : this.resp;
    const t = s.tsdu;
    if (!c.eot || t.length > 0) {
      const n = end - c.payloadOffset;
      if (t.length + n > this.bound) {
        this.ctx.anomaly('s7comm.tsdu_too_long', 'weird', ts, `${t.length + n}`);
        t.clear();
        return;
      }
      t.append(b, c.payloadOffset, end);
      if (!c.eot) return;
      const total = t.length;
      const bytes = t.bytes;
      t.clear();
      this.tsdu(bytes, 0, total, isOrig, ts);
      return;
    }
    this.tsdu(b, c.payloadOffset, end, isOrig, ts);
  }

  /** One COTP TSDU: an S7comm or S7comm-plus PDU. */
  private tsdu(b: Uint8Array, off: number, end: number, isOrig: boolean, ts: number): void {
    const id = b[off];
    if (id === S7COMM_ID) this.s7(b, off, end, isOrig, ts);
    else if (id === S7COMM_PLUS_ID) this.s7plus(b, off, end, isOrig, ts);
    else this.ctx.anomaly('s7comm.unknown_protocol_id', 'weird', ts, hex2(id));
  }

  private s7(b: Uint8Array, off: number, end: number, isOrig: boolean, ts: number): void {
    const p = this.pdu;
    const status = parseS7comm(b, off, end, p);
    if (status === 'short') {
      this.ctx.anomaly('s7comm.truncated_header', 'violation', ts, isOrig ? 'orig' : 'resp');
      return;
    }
    if (status === 'overrun') this.ctx.anomaly('s7comm.length_overrun', 'weird', ts, `${p.paramLength}+${p.dataLength}`);
    if (!this.confirmedS7) {
      this.confirmedS7 = true;
      this.ctx.confirm('s7comm');
    }
    // Columns in schema order (log.ts S7COMM_STREAM); unset ones stay null.
    const r = sideFields(this.ids, ts, isOrig);
    r.rosctr_code = p.rosctr;
    r.rosctr_name = rosctrName(p.rosctr);
    r.pdu_reference = p.pduRef;
    r.function_code = null;
    r.function_name = null;
    r.subfunction_code = null;
    r.subfunction_name = null;
    r.error_class = null;
    r.error_code = null;
    if (p.rosctr === 7) {
      if (p.udFunction >= 0) {
        r.function_code = hex2(p.udFunction);
        r.function_name = userDataFunctionName(p.udFunction);
        r.subfunction_code = hex2(p.udSub);
        r.subfunction_name = subfunctionName(p.udFunction & 0x0f, p.udSub);
      }
      if (p.udError === 0) {
        r.error_class = 'No error';
        r.error_code = '0x00';
      } else if (p.udError > 0) {
        r.error_class = 'Parameter Error';
        r.error_code = hexMin2(p.udError);
      }
    } else {
      if (p.func >= 0) {
        r.function_code = hex2(p.func);
        r.function_name = functionName(p.func);
        if (p.func === 0x28 && p.rosctr === 1) {
          const at = plcControlServiceAt(b, p.paramOffset, Math.min(end, p.dataOffset));
          if (at >= 0) {
            const service = zeekEscape(b, at + 1, at + 1 + b[at], this.ctx.limits.maxStringLength).text;
            r.subfunction_code = service;
            r.subfunction_name = plcControlName(service);
          }
        }
      }
      if (p.errorClass >= 0) {
        r.error_class = errorClassName(p.errorClass);
        r.error_code = hex2(p.errorCode);
      }
    }
    this.ctx.emit('s7comm', r);
    if (p.rosctr === 7 && (p.udFunction & 0x0f) === 4 && p.udSub === 1) this.readSzl(b, isOrig, ts);
    else if ((p.rosctr === 1 || p.rosctr === 3) && p.func >= 0x1a && p.func <= 0x1f) this.transferRow(b, end, isOrig, ts);
  }

  /** Read SZL (user-data CPU functions, subfunction 1): one row per request and per (joined) response. */
  private readSzl(b: Uint8Array, isOrig: boolean, ts: number): void {
    const p = this.pdu;
    const s = isOrig ? this.orig : this.resp;
    const response = (p.udFunction & 0xf0) === 0x80;
    const fragment = response && p.udDataUnitRef > 0 && p.udLastUnit !== 0;
    let id: number;
    let index: number;
    if (response && s.szlId >= 0 && p.udDataUnitRef === s.szlUnit) {
      // A follow-up fragment of the same data unit: record bytes only.
      id = s.szlId;
      index = s.szlIndex;
      if (isIdentitySzl(id)) this.device.feed(b, p.itemOffset, p.itemLength);
      if (fragment) return;
      s.szlId = s.szlIndex = -1;
    } else {
      if (!parseSzlHeader(b, p.itemOffset, p.itemLength, response, this.szl)) return;
      id = this.szl.id;
      index = this.szl.index;
      if (response && isIdentitySzl(id) && this.device.begin(id, this.szl.recordLength)) {
        this.device.feed(b, this.szl.recordsOffset, p.itemOffset + p.itemLength - this.szl.recordsOffset);
      }
      if (fragment) {
        s.szlId = id;
        s.szlIndex = index;
        s.szlUnit = p.udDataUnitRef;
        return;
      }
      if (response) s.szlId = s.szlIndex = -1;
    }
    const r = sideFields(this.ids, ts, isOrig);
    r.pdu_reference = p.pduRef;
    r.method = userDataMethodName(p.udMethod);
    r.szl_id = hex4(id);
    r.szl_id_name = szlIdName(id);
    r.szl_index = hex4(index);
    r.return_code = p.returnCode >= 0 ? hex2(p.returnCode) : null;
    r.return_code_name = p.returnCode >= 0 ? returnCodeName(p.returnCode) : null;
    this.ctx.emit('s7comm_read_szl', r);
  }

  /** Block upload / download job or ack (functions 0x1a–0x1f). */
  private transferRow(b: Uint8Array, end: number, isOrig: boolean, ts: number): void {
    const p = this.pdu;
    const t = this.transfer;
    if (!parseTransfer(b, p, end, p.rosctr === 1, t)) {
      this.ctx.anomaly('s7comm.transfer_parameter_short', 'weird', ts, hex2(p.func));
      return;
    }
    const r = sideFields(this.ids, ts, isOrig);
    r.rosctr = rosctrName(p.rosctr);
    r.pdu_reference = p.pduRef;
    r.function_name = functionName(p.func);
    r.function_status = t.status >= 0 ? hex2(t.status) : null;
    r.session_id = t.sessionId >= 0 ? t.sessionId : null;
    r.blocklength = t.blockLength >= 0 ? t.blockLength : null;
    // File name `_TTNNNNNF`: the logged parts are escaped like the whole; type and file system are table keys.
    const o = t.filenameOffset;
    const n = t.filenameLength;
    const max = this.ctx.limits.maxStringLength;
    r.filename = o >= 0 ? zeekEscape(b, o, o + n, max).text : null;
    r.block_type = o >= 0 && n >= 3 ? blockTypeName(String.fromCharCode(b[o + 1], b[o + 2])) : null;
    r.block_number = o >= 0 && n >= 8 ? zeekEscape(b, o + 3, o + 8, max).text : null;
    r.destination_filesystem = o >= 0 && n >= 9 ? fileSystemName(String.fromCharCode(b[o + 8])) : null;
    this.ctx.emit('s7comm_upload_download', r);
  }

  /** S7comm-plus: header fields only. */
  private s7plus(b: Uint8Array, off: number, end: number, isOrig: boolean, ts: number): void {
    const h = this.plus;
    if (!parsePlusHeader(b, off, end, h)) return;
    if (!this.confirmedPlus) {
      this.confirmedPlus = true;
      this.ctx.confirm('s7comm-plus');
    }
    const r = sideFields(this.ids, ts, isOrig);
    r.version = h.version;
    r.opcode = hex2(h.opcode);
    r.opcode_name = plusOpcodeName(h.opcode);
    r.function_code = h.func >= 0 ? hex4(h.func) : null;
    r.function_name = h.func >= 0 ? plusFunctionName(h.func) : null;
    this.ctx.emit('s7comm_plus', r);
  }
}
