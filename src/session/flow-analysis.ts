import type { Limits } from '../config/limits.js';
import type { LogSink } from '../events/record.js';
import type { AnalyzerSpec, ConnId, PayloadTap } from './analyzer.js';
import { connRecord, type ConnSummary } from './conn-log.js';
import { Dispatcher } from './dispatch.js';
import { FlowWeirds } from './flow-context.js';
import type { Flow, Side } from './flow.js';
import { makeFlowWeird } from './weird-log.js';

/**
 * What the flow table (session/flow-table.ts) tells the analysis of its flows: the protocol
 * analyzers, payload taps and the `conn` record. The flow table calls it in packet order; it may run
 * in the same thread (LocalFlowAnalysis) or hand every call to another thread
 * (pipeline/flow-ring.ts), which then replays the calls on its own copies of the flows.
 */
export interface FlowAnalysis {
  /** A new flow, at its first packet. */
  open(flow: Flow): void;
  /** In-order TCP bytes or one UDP datagram (≥ 1 byte; a view valid during the call) sent by `side`. */
  payload(flow: Flow, side: Side, data: Uint8Array, ts: number): void;
  /** `len` bytes of `side`'s TCP stream skipped for good while the flow goes on (its weird is the flow table's). */
  gap(flow: Flow, side: Side, len: number, ts: number): void;
  /**
   * The flow is ending: true when what still waits behind reassembly gaps is to be delivered
   * (through `payload` and `endGap`) before `end`.
   */
  flushing(flow: Flow): boolean;
  /**
   * A gap found while flushing an ending flow. `admitted`: its weird `tcp.content_gap` is within
   * the flow's weird quota (FlowWeirds) and is to be written.
   */
  endGap(flow: Flow, side: Side, len: number, ts: number, admitted: boolean): void;
  /** The flow is over: `summary` is its conn record without the services, which the analysis adds. */
  end(flow: Flow, ts: number, summary: ConnSummary): void;
}

/** What a LocalFlowAnalysis needs. */
export interface LocalFlowAnalysisOptions {
  limits: Readonly<Limits>;
  /** Protocol analyzers to probe new flows with, in probe order. */
  analyzers: readonly AnalyzerSpec[];
  /** Receives the analyzers' records, their weirds and the `conn` records. */
  sink: LogSink;
  tap?: PayloadTap | null;
  /** Called at each flow's first packet (session/flow-table.ts SessionTableOptions.onFlowOpen). */
  onFlowOpen?: ((uid: string, id: ConnId, ts: number, origMac: number, respMac: number) => void) | null;
}

/** Weird name of a content gap (Zeek's content_gap). */
const CONTENT_GAP = 'tcp.content_gap';

/**
 * The analysis of flows in the thread of the flow table: probing and delivery (session/dispatch.ts),
 * payload taps, the `onFlowOpen` callback, and the `conn` record with the services the analyzers
 * confirmed. A flow is of interest while it has an analyzer, is being probed or is tapped; payload
 * of other flows is dropped here.
 */
export class LocalFlowAnalysis implements FlowAnalysis {
  private readonly dispatcher: Dispatcher;
  private readonly sink: LogSink;
  private readonly onFlowOpen: NonNullable<LocalFlowAnalysisOptions['onFlowOpen']> | null;
  /**
   * The weird writer of the analyzers and the dispatcher. The per-flow quota counts live on the Flow,
   * so a flow table's own writer in the same thread counts against the same quota.
   */
  readonly weirds: FlowWeirds;

  constructor(opts: LocalFlowAnalysisOptions) {
    this.sink = opts.sink;
    this.weirds = new FlowWeirds(opts.sink, opts.limits);
    this.dispatcher = new Dispatcher(opts.analyzers, opts.sink, opts.limits, this.weirds, opts.tap ?? null);
    this.onFlowOpen = opts.onFlowOpen ?? null;
  }

  open(flow: Flow): void {
    this.dispatcher.initFlow(flow);
    if (this.onFlowOpen !== null) this.onFlowOpen(flow.uid, flow.connId(), flow.ts, flow.orig.mac, flow.resp.mac);
  }

  payload(flow: Flow, side: Side, data: Uint8Array, ts: number): void {
    if (flow.analyzer !== null || flow.probeSpecs !== null || flow.tap !== null) this.dispatcher.payload(flow, side, data, ts);
  }

  gap(flow: Flow, side: Side, len: number, ts: number): void {
    this.dispatcher.gap(flow, side, len, ts);
  }

  flushing(flow: Flow): boolean {
    return flow.analyzer !== null || flow.probeSpecs !== null || flow.tap !== null;
  }

  endGap(flow: Flow, side: Side, len: number, ts: number, admitted: boolean): void {
    if (admitted) this.sink.write('weird', makeFlowWeird(CONTENT_GAP, 'weird', ts, flow.uid, flow.connId(), gapDetail(side, len, true), undefined));
    this.dispatcher.gap(flow, side, len, ts);
  }

  end(flow: Flow, ts: number, summary: ConnSummary): void {
    this.dispatcher.end(flow, ts);
    summary.services = flow.services ?? [];
    this.sink.write('conn', connRecord(summary));
  }
}

/** The `addl` of weird `tcp.content_gap`: the side and the bytes skipped. */
export function gapDetail(side: Side, len: number, atEnd: boolean): string {
  return `${side.isOrig ? 'orig' : 'resp'} ${len} bytes${atEnd ? ' (at flow end)' : ''}`;
}
