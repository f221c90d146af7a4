import type { DatagramAnalyzer, FlowContext } from '../../session/analyzer.js';
import { parseDnsMessage, type DnsGrammarAnomaly } from './grammar.js';
import type { DnsFlowIds, DnsSide } from './log.js';
import { DnsTransactions } from './transactions.js';

/** Violations tolerated before the first valid message; the next one stops the analyzer (fatal). */
export const MAX_UNCONFIRMED_VIOLATIONS = 3;

/** Anomaly names of the message layer (besides the grammar's and the pairing's). */
export type DnsMessageAnomaly =
  /** Fatal: too many malformed messages before any valid one; the analyzer detaches. */
  | 'dns.too_many_violations'
  /** Weird: a name was cut at limits.maxStringLength characters. */
  | 'dns.string_truncated'
  /** Weird: answer records beyond limits.maxVectorLength were counted, not kept. */
  | 'dns.vector_truncated';

/**
 * What the UDP and TCP analyzers share: parse one whole message, report its anomalies, confirm the
 * `dns` service on the first valid message, and pair queries with responses (transactions.ts).
 * A malformed message is a violation; before confirmation the fourth is fatal.
 */
export class DnsMessages {
  private readonly tx: DnsTransactions;
  private confirmed = false;
  private violations = 0;
  /** True once a fatal anomaly stopped the analyzer. */
  stopped = false;

  constructor(
    private readonly ctx: FlowContext,
    proto: 'udp' | 'tcp',
  ) {
    const id = ctx.id;
    const flow: DnsFlowIds = { uid: ctx.uid, origH: id.orig_h, origP: id.orig_p, respH: id.resp_h, respP: id.resp_p, proto };
    this.tx = new DnsTransactions(flow, ctx.limits.maxPendingRequests, {
      emit: (stream, record) => ctx.emit(stream, record),
      weird: (name, ts, detail) => ctx.anomaly(name, 'weird', ts, detail),
    });
  }

  /** One whole message `b[start, end)` (a view valid during the call). @param ts seconds */
  message(b: Uint8Array, start: number, end: number, ts: number): void {
    if (this.stopped) return;
    const lim = this.ctx.limits;
    const pr = parseDnsMessage(b, start, end, lim.maxVectorLength, lim.maxStringLength);
    if (pr.kind === 'malformed') {
      this.violation(pr.anomaly, pr.detail, ts);
      return;
    }
    const m = pr.message;
    if (pr.weird !== null) this.ctx.anomaly(pr.weird, 'weird', ts, pr.weirdDetail);
    if (m.stringTruncated) this.weird('dns.string_truncated', ts, `name cut at ${lim.maxStringLength} characters`);
    if (m.answersDropped > 0) this.weird('dns.vector_truncated', ts, `${m.answersDropped} answers beyond ${lim.maxVectorLength}`);
    if (!this.confirmed) {
      this.confirmed = true;
      this.ctx.confirm('dns');
    }
    const h = m.header;
    const n = m.answers.length;
    const answers: string[] = new Array<string>(n);
    const ttls: number[] = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      answers[i] = m.answers[i].text;
      ttls[i] = m.answers[i].ttl;
    }
    const side: DnsSide = {
      ts,
      id: h.id,
      query: m.query,
      qtype: m.qtype,
      qclass: m.qclass,
      hasQuestion: m.query !== null,
      aa: h.aa,
      tc: h.tc,
      rd: h.rd,
      ra: h.ra,
      z: h.z,
      rcode: h.rcode,
      answers,
      ttls,
      rejected: h.qr && h.ancount === 0 && h.nscount === 0 && h.arcount === 0,
    };
    if (h.qr) this.tx.response(side);
    else this.tx.query(side);
  }

  /** The flow is over: write unanswered queries. */
  finish(): void {
    this.tx.finish();
  }

  /** Report a weird of the message layer or the TCP framing. */
  weird(name: string, ts: number, detail: string): void {
    this.ctx.anomaly(name, 'weird', ts, detail);
  }

  private violation(name: DnsGrammarAnomaly, detail: string, ts: number): void {
    this.ctx.anomaly(name, 'violation', ts, detail);
    this.violations++;
    if (!this.confirmed && this.violations > MAX_UNCONFIRMED_VIOLATIONS) {
      const fatal: DnsMessageAnomaly = 'dns.too_many_violations';
      this.ctx.anomaly(fatal, 'fatal', ts, `${this.violations} malformed messages before any valid one`);
      this.stopped = true;
    }
  }
}

/**
 * DNS over UDP (RFC 1035 §4.2.1): every datagram is one message, whichever side sent it; QR tells
 * a query from a response (not the direction). Writes `dns` records (log.ts) and names the service
 * `dns` as Zeek does.
 */
export class DnsDatagramAnalyzer implements DatagramAnalyzer {
  private readonly m: DnsMessages;

  constructor(ctx: FlowContext) {
    this.m = new DnsMessages(ctx, 'udp');
  }

  get done(): boolean {
    return this.m.stopped;
  }

  /** One datagram's payload (a view valid during the call). @param ts seconds */
  datagram(_isOrig: boolean, data: Uint8Array, ts: number): void {
    this.m.message(data, 0, data.length, ts);
  }

  end(_ts: number): void {
    this.m.finish();
  }
}
