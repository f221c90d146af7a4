import type { Limits } from '../config/limits.js';
import type { LogSink } from '../events/record.js';
import type { AnalyzerSpec, DatagramAnalyzer, PayloadObserver, PayloadTap, StreamAnalyzer } from './analyzer.js';
import { FlowCtx, type FlowWeirds } from './flow-context.js';
import type { Flow, Side } from './flow.js';

/** Payload packets (TCP: in-order deliveries; UDP: datagrams) probed per flow before giving up. */
export const MAX_PROBE_PACKETS = 16;
/** Bytes of each TCP direction kept while probing: probed as one stream and replayed to the analyzer attached. */
export const PROBE_BUFFER_BYTES = 512;

const NO_SPECS: readonly AnalyzerSpec[] = Object.freeze([]);

/**
 * Protocol detection by content (DESIGN.md "Protocol by content, not by port") and delivery to the
 * attached analyzer. Each new flow is probed with every AnalyzerSpec of its transport, specs whose
 * `ports` include the responder port first (registry order otherwise).
 * - TCP: each direction's first PROBE_BUFFER_BYTES are kept, so a message cut into several segments
 *   (one byte each, or header and body apart) is probed whole; each later segment is also offered on
 *   its own (a stream that starts mid-message or with junk is found at its next message boundary,
 *   whatever the buffered bytes made the spec answer; what came before it is reported as weird
 *   `session.unrecognized_prefix`). 'yes' on the buffer attaches the analyzer and
 *   replays both directions' buffers (originator first), so the requests sent before the server's
 *   first answer are not lost; 'yes' on a later segment alone hands it that segment.
 * - UDP: each datagram is probed on its own; a spec that said 'no' to one is not asked again for that side.
 * 'yes' attaches the analyzer (`create(ctx)`); after MAX_PROBE_PACKETS probed payloads, or with both
 * sides stopped (UDP: every spec said 'no'), probing ends without an analyzer. An attached analyzer gets in-order bytes and gaps (TCP) or datagrams (UDP) until it
 * reports `done`, and `end` once when the flow ends (also when done) unless a fatal anomaly
 * detached it. An exception thrown by an analyzer becomes the fatal anomaly
 * `session.analyzer_error` (the analyzer is detached; the run goes on).
 */
export class Dispatcher {
  private readonly tcpSpecs: readonly AnalyzerSpec[];
  private readonly udpSpecs: readonly AnalyzerSpec[];
  /** Probe order per responder port for ports some spec lists; other ports use the registry order. */
  private readonly tcpOrder = new Map<number, readonly AnalyzerSpec[]>();
  private readonly udpOrder = new Map<number, readonly AnalyzerSpec[]>();

  constructor(
    analyzers: readonly AnalyzerSpec[],
    private readonly sink: LogSink,
    private readonly limits: Readonly<Limits>,
    private readonly weirds: FlowWeirds,
    private readonly tap: PayloadTap | null = null,
  ) {
    this.tcpSpecs = Object.freeze(analyzers.filter((a) => a.transport === 'tcp'));
    this.udpSpecs = Object.freeze(analyzers.filter((a) => a.transport === 'udp'));
    for (const [specs, order] of [
      [this.tcpSpecs, this.tcpOrder],
      [this.udpSpecs, this.udpOrder],
    ] as const) {
      for (const s of specs) {
        for (const port of s.ports) {
          if (order.has(port)) continue;
          const first = specs.filter((x) => x.ports.includes(port));
          order.set(port, Object.freeze([...first, ...specs.filter((x) => !x.ports.includes(port))]));
        }
      }
    }
  }

  /** Set up probing for a new flow (TCP and UDP; ICMP flows are not probed). */
  initFlow(flow: Flow): void {
    let specs: readonly AnalyzerSpec[] = NO_SPECS;
    if (flow.proto === 'tcp') specs = this.tcpOrder.get(flow.resp.port) ?? this.tcpSpecs;
    else if (flow.proto === 'udp') specs = this.udpOrder.get(flow.resp.port) ?? this.udpSpecs;
    flow.probeSpecs = specs.length > 0 ? specs : null;
    if (this.tap !== null && flow.proto !== 'icmp') {
      try {
        flow.tap = this.tap.open(flow.uid, flow.connId(), flow.ts);
      } catch (err) {
        this.weirds.write(flow, 'session.tap_error', 'weird', flow.ts, errorText(err, this.limits.maxStringLength));
      }
    }
  }

  /** In-order TCP bytes or one UDP datagram (≥ 1 byte, a view valid during the call) sent by `side`. */
  payload(flow: Flow, side: Side, data: Uint8Array, ts: number): void {
    if (flow.tap !== null) this.tapPayload(flow, flow.tap, side.isOrig, data, ts);
    const a = flow.analyzer;
    if (a !== null) {
      this.deliver(flow, a, side.isOrig, data, ts);
      return;
    }
    if (flow.probeSpecs !== null && !side.probeStopped) this.probe(flow, flow.probeSpecs, side, data, ts);
  }

  /** `len` bytes of `side`'s TCP stream skipped for good. */
  gap(flow: Flow, side: Side, len: number, ts: number): void {
    const a = flow.analyzer as StreamAnalyzer | null;
    if (a === null || a.done) return;
    try {
      a.gap(side.isOrig, len, ts);
    } catch (err) {
      this.failed(flow, err, ts);
    }
  }

  /** The flow is over: `end` the attached analyzer (once) and stop probing. */
  end(flow: Flow, ts: number): void {
    const a = flow.analyzer;
    const tap = flow.tap;
    flow.analyzer = null;
    flow.ctx = null;
    flow.probeSpecs = null;
    flow.tap = null;
    if (tap !== null) {
      try {
        tap.end(ts);
      } catch (err) {
        this.weirds.write(flow, 'session.tap_error', 'weird', ts, errorText(err, this.limits.maxStringLength));
      }
    }
    if (a === null) return;
    try {
      a.end(ts);
    } catch (err) {
      this.weirds.write(flow, 'session.analyzer_error', 'fatal', ts, errorText(err, this.limits.maxStringLength), flow.analyzerName);
    }
  }

  /** Hands payload to the flow's tap; a tap that throws is detached with weird `session.tap_error`. */
  private tapPayload(flow: Flow, tap: PayloadObserver, isOrig: boolean, data: Uint8Array, ts: number): void {
    try {
      tap.payload(isOrig, data, ts);
    } catch (err) {
      flow.tap = null;
      this.weirds.write(flow, 'session.tap_error', 'weird', ts, errorText(err, this.limits.maxStringLength));
    }
  }

  private deliver(flow: Flow, a: StreamAnalyzer | DatagramAnalyzer, isOrig: boolean, data: Uint8Array, ts: number): void {
    if (a.done) return;
    try {
      if (flow.proto === 'tcp') (a as StreamAnalyzer).deliver(isOrig, data, ts);
      else (a as DatagramAnalyzer).datagram(isOrig, data, ts);
    } catch (err) {
      this.failed(flow, err, ts);
    }
  }

  private probe(flow: Flow, specs: readonly AnalyzerSpec[], side: Side, data: Uint8Array, ts: number): void {
    flow.probePackets++;
    let rejected = side.probeRejected;
    if (rejected === null) rejected = side.probeRejected = new Uint8Array(specs.length);
    const stream = flow.proto === 'tcp';
    // TCP: the direction's bytes so far (bounded); `alone` is this segment when earlier bytes exist.
    let whole = data;
    let alone: Uint8Array | null = null;
    if (stream) {
      const had = side.probeLen;
      whole = bufferProbe(side, data);
      if (had > 0) alone = data;
    }
    const respPort = flow.resp.port;
    let open = false;
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i];
      const onPort = spec.ports.includes(respPort);
      if (rejected[i] === 0) {
        const verdict = this.ask(flow, spec, whole, side.isOrig, onPort, ts);
        if (verdict === 'yes') {
          this.attach(flow, spec, side, data, ts, stream);
          return;
        }
        if (verdict === 'no') rejected[i] = 1;
        else open = true;
      }
      if (alone !== null) {
        const verdict = this.ask(flow, spec, alone, side.isOrig, onPort, ts);
        if (verdict === 'yes') {
          this.attach(flow, spec, side, alone, ts, false);
          // What the direction sent before this segment was not the protocol's: say so, it was not analyzed.
          this.weirds.write(flow, 'session.unrecognized_prefix', 'weird', ts, `${side.isOrig ? 'orig' : 'resp'}: bytes before the first ${spec.name} message were not analyzed`);
          return;
        }
        open = true;
      }
    }
    if (!open && !stream) side.probeStopped = true;
    if (flow.probePackets >= MAX_PROBE_PACKETS || (flow.orig.probeStopped && flow.resp.probeStopped)) {
      // A flow on an analyzer's own port that none recognised is worth a line: it may be that
      // protocol behind padding meant to evade detection.
      const owner = specs.find((s) => s.ports.includes(respPort));
      if (owner !== undefined) this.weirds.write(flow, 'session.probe_gave_up', 'weird', ts, `${flow.probePackets} payloads on ${owner.name}'s port ${respPort} and no analyzer recognised the flow`);
      this.stopProbing(flow);
    }
  }

  /** One probe; an exception counts as 'no' with weird `session.analyzer_error`. */
  private ask(flow: Flow, spec: AnalyzerSpec, data: Uint8Array, isOrig: boolean, onPort: boolean, ts: number): string {
    try {
      return spec.probe(data, isOrig, onPort);
    } catch (err) {
      this.weirds.write(flow, 'session.analyzer_error', 'violation', ts, errorText(err, this.limits.maxStringLength), spec.name);
      return 'no';
    }
  }

  private stopProbing(flow: Flow): void {
    flow.probeSpecs = null;
    flow.orig.probeBuf = flow.resp.probeBuf = null;
    flow.orig.probeLen = flow.resp.probeLen = 0;
    flow.orig.probeSeen = flow.resp.probeSeen = 0;
  }

  /**
   * Attach `spec`'s analyzer. With `replay` (TCP, 'yes' on a buffered direction) both directions'
   * buffered bytes are delivered, originator first, each followed by what its direction sent beyond
   * the buffer (a gap for bytes no longer at hand, then the rest of `data`, this segment, for `side`);
   * otherwise `data` alone.
   */
  private attach(flow: Flow, spec: AnalyzerSpec, side: Side, data: Uint8Array, ts: number, replay: boolean): void {
    // What each direction sent while probing: the buffered bytes, then (beyond the buffer) the bytes
    // not kept — the tail of this segment is still at hand; earlier ones are lost and become a gap.
    const replays: Array<{ isOrig: boolean; buf: Uint8Array | null; lost: number; tail: Uint8Array | null }> = [];
    for (const x of [flow.orig, flow.resp]) {
      const buf = x.probeBuf !== null ? x.probeBuf.subarray(0, x.probeLen) : null;
      let lost = x.probeSeen - x.probeLen;
      let tail: Uint8Array | null = null;
      if (x === side && lost > 0) {
        const kept = Math.max(0, data.length - lost);
        tail = data.subarray(kept);
        lost -= tail.length;
      }
      replays.push({ isOrig: x.isOrig, buf, lost, tail });
    }
    this.stopProbing(flow);
    const ctx = new FlowCtx(flow, this.sink, this.weirds, this.limits, spec.name);
    let a: StreamAnalyzer | DatagramAnalyzer;
    try {
      a = spec.create(ctx);
    } catch (err) {
      this.weirds.write(flow, 'session.analyzer_error', 'fatal', ts, errorText(err, this.limits.maxStringLength), spec.name);
      return;
    }
    flow.analyzer = a;
    flow.analyzerName = spec.name;
    flow.ctx = ctx;
    if (!replay) {
      this.deliver(flow, a, side.isOrig, data, ts);
      return;
    }
    for (const r of replays) {
      if (r.buf !== null && r.buf.length > 0) this.deliver(flow, a, r.isOrig, r.buf, ts);
      if (r.lost > 0 && flow.proto === 'tcp' && !a.done) {
        try {
          (a as StreamAnalyzer).gap(r.isOrig, r.lost, ts);
        } catch (err) {
          this.failed(flow, err, ts);
          return;
        }
      }
      if (r.tail !== null && r.tail.length > 0) this.deliver(flow, a, r.isOrig, r.tail, ts);
    }
  }

  private failed(flow: Flow, err: unknown, ts: number): void {
    this.weirds.write(flow, 'session.analyzer_error', 'fatal', ts, errorText(err, this.limits.maxStringLength), flow.analyzerName);
    flow.analyzer = null;
    flow.ctx = null;
  }
}

/**
 * Appends `data` to the side's probe buffer (at most PROBE_BUFFER_BYTES in all, allocated at the
 * side's first payload) and returns the buffered bytes as a view.
 */
function bufferProbe(side: Side, data: Uint8Array): Uint8Array {
  side.probeSeen += data.length;
  const had = side.probeLen;
  const take = Math.min(data.length, PROBE_BUFFER_BYTES - had);
  if (take <= 0) return (side.probeBuf as Uint8Array).subarray(0, had);
  if (side.probeBuf === null) side.probeBuf = new Uint8Array(PROBE_BUFFER_BYTES);
  side.probeBuf.set(take === data.length ? data : data.subarray(0, take), had);
  side.probeLen = had + take;
  return side.probeBuf.subarray(0, side.probeLen);
}

/** One line describing a thrown value, at most `max` characters. */
function errorText(err: unknown, max: number): string {
  const s = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return s.length > max ? s.slice(0, max) : s;
}
