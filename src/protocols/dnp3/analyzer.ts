import type { DatagramAnalyzer, FlowContext, StreamAnalyzer } from '../../session/analyzer.js';
import { Dnp3Session } from './application.js';
import { Dnp3Direction } from './transport.js';

/**
 * DNP3 over TCP (IEEE 1815-2012 IP networking annex: link frames carried back to back in the byte stream,
 * port 20000): each direction's bytes go through link framing and transport reassembly (transport.ts)
 * into the flow's application layer (application.ts). Fragments are bounded by
 * limits.maxAnalyzerBufferBytes; a partial frame takes at most 292 octets per direction.
 */
export class Dnp3StreamAnalyzer implements StreamAnalyzer {
  private readonly session: Dnp3Session;
  private readonly orig: Dnp3Direction;
  private readonly resp: Dnp3Direction;

  constructor(ctx: FlowContext) {
    this.session = new Dnp3Session(ctx);
    this.orig = new Dnp3Direction(true, this.session, ctx.limits.maxAnalyzerBufferBytes);
    this.resp = new Dnp3Direction(false, this.session, ctx.limits.maxAnalyzerBufferBytes);
  }

  get done(): boolean {
    return this.session.stopped;
  }

  /** In-order bytes of one direction (a view valid during the call). @param ts seconds */
  deliver(isOrig: boolean, data: Uint8Array, ts: number): void {
    if (this.session.stopped || data.length === 0) return;
    (isOrig ? this.orig : this.resp).push(data, ts);
  }

  /** `len` octets of one direction lost: framing is searched anew after them. */
  gap(isOrig: boolean, len: number, ts: number): void {
    if (this.session.stopped) return;
    (isOrig ? this.orig : this.resp).gap(len, ts);
  }

  end(ts: number): void {
    this.orig.finish(ts);
    this.resp.finish(ts);
    this.session.finish();
  }
}

/**
 * DNP3 over UDP (IEEE 1815-2012 IP networking annex, port 20000): every datagram carries whole link frames; a frame
 * cut by the end of its datagram is dropped (weird `dnp3.partial_frame_discarded`). Transport
 * reassembly spans datagrams as on a serial line.
 */
export class Dnp3DatagramAnalyzer implements DatagramAnalyzer {
  private readonly session: Dnp3Session;
  private readonly orig: Dnp3Direction;
  private readonly resp: Dnp3Direction;

  constructor(ctx: FlowContext) {
    this.session = new Dnp3Session(ctx);
    this.orig = new Dnp3Direction(true, this.session, ctx.limits.maxAnalyzerBufferBytes);
    this.resp = new Dnp3Direction(false, this.session, ctx.limits.maxAnalyzerBufferBytes);
  }

  get done(): boolean {
    return this.session.stopped;
  }

  /** One datagram's payload (a view valid during the call). @param ts seconds */
  datagram(isOrig: boolean, data: Uint8Array, ts: number): void {
    if (this.session.stopped) return;
    const d = isOrig ? this.orig : this.resp;
    d.push(data, ts);
    d.endOfDatagram(ts);
  }

  end(ts: number): void {
    this.orig.finish(ts);
    this.resp.finish(ts);
    this.session.finish();
  }
}
