import type { Limits } from '../config/limits.js';
import type { AnomalyGrade } from '../events/anomaly.js';
import type { LogRecord, StreamName } from '../events/record.js';

/** Zeek's conn_id: the originator is the side that sent the first packet (or the SYN). */
export interface ConnId {
  orig_h: string;
  orig_p: number;
  resp_h: string;
  resp_p: number;
  /** 'tcp' | 'udp' | 'icmp' (Zeek's transport_proto). */
  proto: 'tcp' | 'udp' | 'icmp';
}

/**
 * What a protocol analyzer may see and do for the flow it is attached to.
 * Created by the session layer, one per flow; analyzers never reach past it.
 */
export interface FlowContext {
  /** Deterministic flow uid (session/uid.ts), the same string the conn record carries. */
  readonly uid: string;
  readonly id: ConnId;
  /** MAC addresses (48-bit integers, -1 unknown) of the originator and responder, as first seen. */
  readonly origMac: number;
  readonly respMac: number;
  readonly limits: Readonly<Limits>;
  /** Write one record to a log stream (e.g. `modbus`). */
  emit(stream: StreamName, record: LogRecord): void;
  /** Record an anomaly for this flow in the `weird` stream. `fatal` also detaches the analyzer. */
  anomaly(name: string, grade: AnomalyGrade, ts: number, addl?: string): void;
  /** The analyzer is sure of its protocol: adds `service` to the conn record (Zeek's analyzer confirmation). */
  confirm(service: string): void;
}

/**
 * A protocol analyzer over a reassembled TCP byte stream (one per flow).
 * Bytes arrive in order per direction; views are valid only during the call (copy to keep).
 */
export interface StreamAnalyzer {
  /** In-order bytes of one direction. `ts` is the timestamp of the packet that completed them. */
  deliver(isOrig: boolean, data: Uint8Array, ts: number): void;
  /** `len` bytes of one direction are lost for good (capture loss, skipped gap); parsing resumes after them. */
  gap(isOrig: boolean, len: number, ts: number): void;
  /** The flow is over (FIN/RST, expiry or end of input): flush what is pending. Called once. */
  end(ts: number): void;
  /** True once the analyzer has given up on the flow (fatal anomaly or not its protocol): delivery stops. */
  readonly done: boolean;
}

/** A protocol analyzer over UDP datagrams of one flow. */
export interface DatagramAnalyzer {
  datagram(isOrig: boolean, data: Uint8Array, ts: number): void;
  end(ts: number): void;
  readonly done: boolean;
}

/** Verdict of a content probe on the first payload bytes of a flow. */
/**
 * Content inspection beside the protocol analyzers: sees the in-order payload of the flows it
 * chooses, whatever protocol they carry (e.g. container numbers leaving the terminal). `open` is
 * asked once per new TCP or UDP flow; returning null leaves the flow alone at no further cost.
 */
export interface PayloadTap {
  open(uid: string, id: ConnId, ts: number): PayloadObserver | null;
}

/** The payload of one tapped flow: TCP in-order bytes per direction, or UDP datagrams. */
export interface PayloadObserver {
  /** `data` is a view valid during the call only; `ts` seconds since the epoch. */
  payload(isOrig: boolean, data: Uint8Array, ts: number): void;
  /** The flow is over. Called once. */
  end(ts: number): void;
}

export type ProbeVerdict = 'yes' | 'no' | 'maybe';

/**
 * Registration of one protocol: the session layer probes every new flow's first payload with it.
 * Protocol by content, not by port (DESIGN.md): `ports` only orders the probes.
 */
export interface AnalyzerSpec {
  /** Analyzer / service name as Zeek writes it in conn.log `service` (e.g. 'modbus'). */
  readonly name: string;
  readonly transport: 'tcp' | 'udp';
  /** Well-known server ports (e.g. [502]); a hint, never proof. */
  readonly ports: readonly number[];
  /**
   * Look at the first payload bytes one side sent (a view; at least 1 byte) and decide.
   * `onWellKnownPort` is true when the responder port is one of `ports` (probes may be laxer there).
   * 'maybe' asks for more bytes of the flow before deciding.
   */
  probe(data: Uint8Array, isOrig: boolean, onWellKnownPort: boolean): ProbeVerdict;
  /** Attach to a flow; for 'tcp' returns a StreamAnalyzer, for 'udp' a DatagramAnalyzer. */
  create(ctx: FlowContext): StreamAnalyzer | DatagramAnalyzer;
}
