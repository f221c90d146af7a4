import type { ArpInfo } from '../decode/packet.js';
import { CwError, type CwErrorCode } from '../errors.js';
import type { LogRecord, LogSink, StreamName } from '../events/record.js';
import type { ConnSummary } from '../session/conn-log.js';
import type { FlowAnalysis } from '../session/flow-analysis.js';
import { Flow, Side } from '../session/flow.js';
import type { AnomalyGrade, WeirdRecord } from '../events/anomaly.js';
import type { CaptureWarning } from '../capture/packet.js';
import type { DecodeStageResult } from './decode-stage.js';
import {
  align8,
  newRingMemory,
  nullableBytes,
  putNullable,
  putString,
  RING_SLOTS,
  SlotReader,
  SlotWriter,
  SLOT_HEADER_BYTES,
  StringCursor,
  stringBytes,
  type RingMemory,
} from './ring-slots.js';

/**
 * The calls of a flow table (session/flow-table.ts) to its FlowAnalysis, and the records it writes,
 * carried from the thread that tracks sessions to the thread that runs the analyzers
 * (pipeline/ring-slots.ts), in call order. The reading side keeps a copy of each open flow (its
 * endpoints, uid, orientation: what the analyzers and the dispatcher read) and replays every call on
 * a LocalFlowAnalysis, so records come out as they would in one thread.
 *
 * Messages (first Float64: the kind):
 * - payload: kind, flow id, ts, side, byte count, then the bytes; a big payload (over
 *   FLOW_RING_BIG_PAYLOAD_BYTES) the same without its bytes, which wait in the ring's big buffer;
 * - gap / end gap: kind, flow id, ts, side, length (end gap: and the weird's admission);
 * - flushing: kind, flow id, side (orientation only);
 * - open: kind, flow id, transport, IP protocol, ts, VLANs, the `lo` and the other endpoint's port
 *   and MAC, whether `lo` is the originator; then the uid and both addresses (ring-slots.ts putString);
 * - end: kind, flow id, ts, side, the numbers of the conn summary (session/conn-log.ts ConnSummary),
 *   then its strings (uid, addresses, transport, conn_state, history);
 * - weird record: kind, ts, ports (-1 unset), notice, then its strings (ring-slots.ts putNullable);
 * - ARP: kind, ts, op, both MACs, then both addresses;
 * - other records, capture warnings, end of run, failure: JSON (ring-slots.ts writeJson); the end of
 *   run's warnings travel one per message before it, so that no message outgrows a slot.
 * `side` packs two bits: 1 when the sending side is the flow's `lo` endpoint (its fixed identity),
 * 2 when the originator is `lo` (its orientation, which Zeek's flips can change mid-flow).
 */

const KIND_PAYLOAD = 1;
const KIND_GAP = 2;
const KIND_END_GAP = 3;
const KIND_FLUSHING = 4;
const KIND_OPEN = 5;
const KIND_END = 6;
const KIND_RECORD = 7;
const KIND_ARP = 8;
const KIND_DONE = 9;
const KIND_FAIL = 10;
const KIND_BIG_PAYLOAD = 11;
const KIND_WEIRD = 12;
const KIND_WARNING = 13;

/** Float64 fields of a payload message before its bytes. */
const PAYLOAD_FIELDS = 5;
/** Payloads larger than this travel in the ring's big buffer (ring-slots.ts SlotWriter.putBig), not in a slot. */
export const FLOW_RING_BIG_PAYLOAD_BYTES = 256 << 10;
/** Room in a slot for any message but a big payload (a record's JSON is bounded by the string limits). */
const MESSAGE_ROOM_BYTES = FLOW_RING_BIG_PAYLOAD_BYTES + (1 << 20);

/**
 * The shared memory of a flow ring whose payloads reach `maxPayloadBytes` (the largest record a
 * capture reader accepts, or a reassembled datagram if larger).
 * @param fillBytes bytes after which a slot is handed over (ring-slots.ts; tests make it small)
 */
export function newFlowRingMemory(maxPayloadBytes: number, fillBytes?: number): RingMemory {
  return newRingMemory(MESSAGE_ROOM_BYTES, fillBytes, RING_SLOTS, align8(Math.max(maxPayloadBytes, FLOW_RING_BIG_PAYLOAD_BYTES)));
}

/** The `side` bits of `side` in `flow`. */
function sideBits(flow: Flow, side: Side): number {
  return (side === flow.lo ? 1 : 0) | (flow.orig === flow.lo ? 2 : 0);
}

/** Transport names by their code in open messages. */
const TRANSPORTS = ['tcp', 'udp', 'icmp'] as const;
/** Float64 fields of an open message before its strings. */
const OPEN_FIELDS = 12;
/** Float64 fields of an end message before its strings. */
const END_FIELDS = 20;
/** Float64 fields of a weird message before its strings. */
const WEIRD_FIELDS = 5;
/** Float64 fields of an ARP message before its strings. */
const ARP_FIELDS = 5;

/**
 * Writing side (session thread): a FlowAnalysis whose every call becomes a message, the LogSink of
 * the flow table's and decoder's own records, and the ARP packets.
 */
export class FlowRingWriter implements FlowAnalysis, LogSink {
  private readonly out: SlotWriter;

  constructor(mem: RingMemory) {
    this.out = new SlotWriter(mem);
  }

  /** Bytes read from the inputs so far (stamped on each slot for progress). */
  set bytesRead(n: number) {
    this.out.progress = n;
  }

  open(flow: Flow): void {
    const lo = flow.lo;
    const hi = lo.peer;
    const out = this.out;
    const at = out.reserve(8 * OPEN_FIELDS + stringBytes(flow.uid) + stringBytes(lo.addr) + stringBytes(hi.addr));
    const f = out.f64[out.slot];
    const u = out.u16[out.slot];
    const i = at >> 3;
    f[i] = KIND_OPEN;
    f[i + 1] = flow.id;
    f[i + 2] = TRANSPORTS.indexOf(flow.proto);
    f[i + 3] = flow.ipProto;
    f[i + 4] = flow.ts;
    f[i + 5] = flow.vlan;
    f[i + 6] = flow.innerVlan;
    f[i + 7] = lo.port;
    f[i + 8] = lo.mac;
    f[i + 9] = hi.port;
    f[i + 10] = hi.mac;
    f[i + 11] = flow.orig === lo ? 1 : 0;
    let p = at + 8 * OPEN_FIELDS;
    p = putString(f, u, p, flow.uid);
    p = putString(f, u, p, lo.addr);
    putString(f, u, p, hi.addr);
  }

  payload(flow: Flow, side: Side, data: Uint8Array, ts: number): void {
    const out = this.out;
    const big = data.length > FLOW_RING_BIG_PAYLOAD_BYTES;
    if (big) out.putBig(data);
    const at = out.reserve(8 * PAYLOAD_FIELDS + (big ? 0 : align8(data.length)));
    const f = out.f64[out.slot];
    const i = at >> 3;
    f[i] = big ? KIND_BIG_PAYLOAD : KIND_PAYLOAD;
    f[i + 1] = flow.id;
    f[i + 2] = ts;
    f[i + 3] = sideBits(flow, side);
    f[i + 4] = data.length;
    if (!big) out.u8[out.slot].set(data, at + 8 * PAYLOAD_FIELDS);
  }

  gap(flow: Flow, side: Side, len: number, ts: number): void {
    this.gapMessage(KIND_GAP, flow, side, len, ts, false);
  }

  /** Always true here: whether the ending flow is still of interest is for the reading side to say. */
  flushing(flow: Flow): boolean {
    const out = this.out;
    const at = out.reserve(24);
    const f = out.f64[out.slot];
    f[at >> 3] = KIND_FLUSHING;
    f[(at >> 3) + 1] = flow.id;
    f[(at >> 3) + 2] = sideBits(flow, flow.lo);
    return true;
  }

  endGap(flow: Flow, side: Side, len: number, ts: number, admitted: boolean): void {
    this.gapMessage(KIND_END_GAP, flow, side, len, ts, admitted);
  }

  end(flow: Flow, ts: number, summary: ConnSummary): void {
    const c = summary;
    const out = this.out;
    const at = out.reserve(
      8 * END_FIELDS + stringBytes(c.uid) + stringBytes(c.origH) + stringBytes(c.respH) + stringBytes(c.proto) + stringBytes(c.connState) + stringBytes(c.history),
    );
    const f = out.f64[out.slot];
    const u = out.u16[out.slot];
    const i = at >> 3;
    f[i] = KIND_END;
    f[i + 1] = flow.id;
    f[i + 2] = ts;
    f[i + 3] = sideBits(flow, flow.lo);
    f[i + 4] = c.ts;
    f[i + 5] = c.origP;
    f[i + 6] = c.respP;
    f[i + 7] = c.duration;
    f[i + 8] = c.origBytes;
    f[i + 9] = c.respBytes;
    f[i + 10] = c.missedBytes;
    f[i + 11] = c.origPkts;
    f[i + 12] = c.origIpBytes;
    f[i + 13] = c.respPkts;
    f[i + 14] = c.respIpBytes;
    f[i + 15] = c.ipProto;
    f[i + 16] = c.origMac;
    f[i + 17] = c.respMac;
    f[i + 18] = c.vlan;
    f[i + 19] = c.innerVlan;
    let p = at + 8 * END_FIELDS;
    p = putString(f, u, p, c.uid);
    p = putString(f, u, p, c.origH);
    p = putString(f, u, p, c.respH);
    p = putString(f, u, p, c.proto);
    p = putString(f, u, p, c.connState);
    putString(f, u, p, c.history);
  }

  write(stream: StreamName, record: LogRecord): void {
    if (stream === 'weird') this.weird(record as unknown as WeirdRecord);
    else this.out.writeJson(KIND_RECORD, { stream, record });
  }

  /** A weird record (session/weird-log.ts makeWeird, makeFlowWeird): the decoder's and the flow table's anomalies. */
  private weird(w: WeirdRecord): void {
    const out = this.out;
    const strings = [w.uid, w['id.orig_h'], w['id.resp_h'], w.name, w.addl, w.peer, w.source, w.grade] as const;
    let size = 8 * WEIRD_FIELDS;
    for (const s of strings) size += nullableBytes(s);
    const at = out.reserve(size);
    const f = out.f64[out.slot];
    const u = out.u16[out.slot];
    const i = at >> 3;
    f[i] = KIND_WEIRD;
    f[i + 1] = w.ts;
    f[i + 2] = w['id.orig_p'] ?? -1;
    f[i + 3] = w['id.resp_p'] ?? -1;
    f[i + 4] = w.notice ? 1 : 0;
    let p = at + 8 * WEIRD_FIELDS;
    for (const s of strings) p = putNullable(f, u, p, s);
  }

  /** Nothing to release: `finish` ends the ring. */
  async close(): Promise<void> {}

  /** An ARP packet (`ts` seconds since the epoch). */
  arp(arp: ArpInfo, ts: number): void {
    const out = this.out;
    const at = out.reserve(8 * ARP_FIELDS + stringBytes(arp.senderIp) + stringBytes(arp.targetIp));
    const f = out.f64[out.slot];
    const u = out.u16[out.slot];
    const i = at >> 3;
    f[i] = KIND_ARP;
    f[i + 1] = ts;
    f[i + 2] = arp.op;
    f[i + 3] = arp.senderMac;
    f[i + 4] = arp.targetMac;
    putString(f, u, putString(f, u, at + 8 * ARP_FIELDS, arp.senderIp), arp.targetIp);
  }

  /** The end of the run with the decode stage's result (its warnings one per message first); the last slot is handed over. */
  finish(result: DecodeStageResult): void {
    for (const w of result.warnings) this.out.writeJson(KIND_WARNING, w);
    this.out.writeJson(KIND_DONE, { ...result, warnings: [] });
    this.out.flush();
  }

  /**
   * The run failed at this point (after everything written so far): the reading side throws `error`
   * when it gets here, as a one-thread run would have thrown after the same records. The last slot is handed over.
   */
  fail(error: FlowRingFailure): void {
    this.out.writeJson(KIND_FAIL, error);
    this.out.flush();
  }

  private gapMessage(kind: number, flow: Flow, side: Side, len: number, ts: number, admitted: boolean): void {
    const out = this.out;
    const at = out.reserve(48);
    const f = out.f64[out.slot];
    const i = at >> 3;
    f[i] = kind;
    f[i + 1] = flow.id;
    f[i + 2] = ts;
    f[i + 3] = sideBits(flow, side);
    f[i + 4] = len;
    f[i + 5] = admitted ? 1 : 0;
  }
}

/** A failure of the writing side as the ring carries it: a CwError's code (null for another error) and message. */
export interface FlowRingFailure {
  readonly code: string | null;
  readonly message: string;
}

/** The error a FlowRingFailure stands for: a CwError with its code, or an Error. */
export function failureError(f: FlowRingFailure): Error {
  return f.code === null ? new Error(f.message) : new CwError(f.code as CwErrorCode, f.message);
}

/** What the reading side does with what is not a flow's analysis. */
export interface FlowRingTarget {
  /** The flow's analysis, replayed on the reading side's copies of the flows. */
  readonly analysis: FlowAnalysis;
  /** Records of the session thread (weirds of the decoder and the flow table). */
  record(stream: StreamName, record: LogRecord): void;
  arp(arp: ArpInfo, ts: number): void;
  /** Bytes read from the inputs so far, once per slot. */
  progress(bytesRead: number): void;
}

/** A flow copy on the reading side and whether its end flush is of interest. */
interface FlowCopy {
  flow: Flow;
  /** Set at its flushing message: what LocalFlowAnalysis.flushing said then. */
  flushWanted: boolean;
}

/**
 * Reading side (analysis thread). `next` waits for a slot, replays its messages on the target and
 * gives the slot back. Payload views point into the slot and are valid only during the call.
 */
export class FlowRingReader {
  private readonly in: SlotReader;
  private readonly flows = new Map<number, FlowCopy>();
  /** Capture warnings read so far (they come before the end of the run). */
  private readonly warnings: CaptureWarning[] = [];
  private readonly strings = new StringCursor();
  /** The copy of the last message's flow (payload comes in runs of one flow). */
  private last: FlowCopy | null = null;

  /** @param maxHistory limits.maxStringLength (a Flow's history bound; unused by the copies' analysis) */
  constructor(
    mem: RingMemory,
    private readonly target: FlowRingTarget,
    private readonly maxHistory: number,
  ) {
    this.in = new SlotReader(mem);
  }

  /** Flows open on the reading side (a copy is dropped at its end message). */
  get openFlows(): number {
    return this.flows.size;
  }

  /**
   * Waits for the next slot (`stop`: as SlotReader.take), replays its messages and frees it.
   * @returns the end-of-run value once read, otherwise undefined (call again)
   * @throws the writing side's failure when its failure message is reached (failureError)
   */
  async next(stop: Promise<unknown>): Promise<{ done: DecodeStageResult } | undefined> {
    const s = await this.in.take(stop);
    try {
      return this.replay(s);
    } finally {
      this.in.release();
    }
  }

  private replay(s: number): { done: DecodeStageResult } | undefined {
    const input = this.in;
    const f = input.f64[s];
    const buffer = input.u8[s].buffer;
    const used = input.used(s);
    const target = this.target;
    const analysis = target.analysis;
    target.progress(input.progress(s));
    let at = SLOT_HEADER_BYTES;
    while (at < used) {
      const i = at >> 3;
      const kind = f[i];
      // Integers travel as Float64: `| 0` gives the small integers back their integer representation.
      if (kind === KIND_PAYLOAD) {
        const len = f[i + 4] | 0;
        const bits = f[i + 3] | 0;
        const c = this.copy(f[i + 1] | 0, bits);
        const side = (bits & 1) !== 0 ? c.flow.lo : c.flow.lo.peer;
        const p = at + 8 * PAYLOAD_FIELDS;
        analysis.payload(c.flow, side, new Uint8Array(buffer, p, len), f[i + 2]);
        at = p + align8(len);
        continue;
      }
      if (kind === KIND_BIG_PAYLOAD) {
        const bits = f[i + 3] | 0;
        const c = this.copy(f[i + 1] | 0, bits);
        const side = (bits & 1) !== 0 ? c.flow.lo : c.flow.lo.peer;
        try {
          analysis.payload(c.flow, side, input.bigView(f[i + 4] | 0), f[i + 2]);
        } finally {
          input.releaseBig();
        }
        at += 8 * PAYLOAD_FIELDS;
        continue;
      }
      if (kind === KIND_GAP || kind === KIND_END_GAP) {
        const bits = f[i + 3] | 0;
        const c = this.copy(f[i + 1] | 0, bits);
        const side = (bits & 1) !== 0 ? c.flow.lo : c.flow.lo.peer;
        if (kind === KIND_GAP) analysis.gap(c.flow, side, f[i + 4], f[i + 2]);
        else if (c.flushWanted) analysis.endGap(c.flow, side, f[i + 4], f[i + 2], f[i + 5] === 1);
        at += 48;
        continue;
      }
      if (kind === KIND_OPEN) {
        at = this.open(s, at);
        continue;
      }
      if (kind === KIND_END) {
        at = this.end(s, at);
        continue;
      }
      if (kind === KIND_WEIRD) {
        at = this.weird(s, at);
        continue;
      }
      if (kind === KIND_ARP) {
        const strings = this.strings.start(f, input.u16[s], at + 8 * ARP_FIELDS);
        const senderIp = strings.string();
        const targetIp = strings.string();
        target.arp({ op: f[i + 2] | 0, senderMac: f[i + 3], senderIp, targetMac: f[i + 4], targetIp }, f[i + 1]);
        at = strings.at;
        continue;
      }
      if (kind === KIND_FLUSHING) {
        const c = this.copy(f[i + 1] | 0, f[i + 2] | 0);
        c.flushWanted = analysis.flushing(c.flow);
        at += 24;
        continue;
      }
      const { value, next } = input.readJson(s, at);
      at = next;
      if (kind === KIND_RECORD) {
        const r = value as { stream: StreamName; record: LogRecord };
        target.record(r.stream, r.record);
      } else if (kind === KIND_WARNING) {
        this.warnings.push(value as CaptureWarning);
      } else if (kind === KIND_DONE) {
        return { done: { ...(value as DecodeStageResult), warnings: this.warnings } };
      } else if (kind === KIND_FAIL) {
        throw failureError(value as FlowRingFailure);
      } else {
        throw new Error(`flow ring: unknown message kind ${kind} at byte ${at} of slot ${s}`);
      }
    }
    return undefined;
  }

  /** The weird message at `at` of slot `s`, as the record makeWeird / makeFlowWeird made; returns the offset after it. */
  private weird(s: number, at: number): number {
    const f = this.in.f64[s];
    const i = at >> 3;
    const c = this.strings.start(f, this.in.u16[s], at + 8 * WEIRD_FIELDS);
    const uid = c.nullable();
    const origH = c.nullable();
    const respH = c.nullable();
    const name = c.string();
    const addl = c.nullable();
    const peer = c.string();
    const source = c.string();
    const grade = c.string() as AnomalyGrade;
    const origP = f[i + 2];
    const respP = f[i + 3];
    const record: WeirdRecord = {
      ts: f[i + 1],
      uid,
      'id.orig_h': origH,
      'id.orig_p': origP < 0 ? null : origP | 0,
      'id.resp_h': respH,
      'id.resp_p': respP < 0 ? null : respP | 0,
      name,
      addl,
      notice: f[i + 4] === 1,
      peer,
      source,
      grade,
    };
    this.target.record('weird', record as unknown as LogRecord);
    return c.at;
  }

  /** The copy of flow `id`, turned to the orientation the `side` bits give. */
  private copy(id: number, bits: number): FlowCopy {
    let c = this.last;
    if (c === null || c.flow.id !== id) {
      c = this.flows.get(id) ?? null;
      if (c === null) throw new Error(`flow ring: message for flow ${id}, which is not open`);
      this.last = c;
    }
    const flow = c.flow;
    if ((flow.orig === flow.lo) !== ((bits & 2) !== 0)) flow.flip();
    return c;
  }

  /** The open message at `at` of slot `s`: a new flow copy, opened for analysis; returns the offset after it. */
  private open(s: number, at: number): number {
    const f = this.in.f64[s];
    const i = at >> 3;
    const id = f[i + 1] | 0;
    const loIsOrig = f[i + 11] === 1;
    const strings = this.strings.start(f, this.in.u16[s], at + 8 * OPEN_FIELDS);
    const uid = strings.string();
    const loAddr = strings.string();
    const hiAddr = strings.string();
    const flow = new Flow(TRANSPORTS[f[i + 2] | 0], f[i + 3] | 0, f[i + 4], f[i + 5] | 0, f[i + 6] | 0, this.maxHistory);
    const lo = new Side(flow, loAddr, f[i + 7] | 0, f[i + 8], loIsOrig);
    const hi = new Side(flow, hiAddr, f[i + 9] | 0, f[i + 10], !loIsOrig);
    lo.peer = hi;
    hi.peer = lo;
    flow.lo = lo;
    flow.orig = loIsOrig ? lo : hi;
    flow.resp = loIsOrig ? hi : lo;
    flow.uid = uid;
    flow.id = id;
    const c: FlowCopy = { flow, flushWanted: false };
    this.flows.set(id, c);
    this.last = c;
    this.target.analysis.open(flow);
    return strings.at;
  }

  /** The end message at `at` of slot `s`: the flow's analysis ends, its copy is dropped; returns the offset after it. */
  private end(s: number, at: number): number {
    const f = this.in.f64[s];
    const i = at >> 3;
    const id = f[i + 1] | 0;
    const c = this.copy(id, f[i + 3] | 0);
    const strings = this.strings.start(f, this.in.u16[s], at + 8 * END_FIELDS);
    const uid = strings.string();
    const origH = strings.string();
    const respH = strings.string();
    const proto = strings.string();
    const connState = strings.string();
    const history = strings.string();
    const summary: ConnSummary = {
      ts: f[i + 4],
      uid,
      origH,
      origP: f[i + 5] | 0,
      respH,
      respP: f[i + 6] | 0,
      proto: proto as ConnSummary['proto'],
      services: [],
      duration: f[i + 7],
      origBytes: f[i + 8],
      respBytes: f[i + 9],
      connState,
      missedBytes: f[i + 10],
      history,
      origPkts: f[i + 11],
      origIpBytes: f[i + 12],
      respPkts: f[i + 13],
      respIpBytes: f[i + 14],
      ipProto: f[i + 15] | 0,
      origMac: f[i + 16],
      respMac: f[i + 17],
      vlan: f[i + 18] | 0,
      innerVlan: f[i + 19] | 0,
    };
    this.flows.delete(id);
    this.last = null;
    this.target.analysis.end(c.flow, f[i + 2], summary);
    return strings.at;
  }
}
