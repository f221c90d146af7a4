import type { LogRecord } from '../../events/record.js';
import { DNS_STREAM, dnsRecord, type DnsFlowIds, type DnsSide } from './log.js';

/** Anomaly of pairing (graded `weird`). */
export type DnsPairingAnomaly =
  /** limits.maxPendingRequests queries wait for answers: the oldest is logged without a response. */
  'dns.pending_overflow';

/** Where pairing writes. */
export interface DnsPairingOutput {
  emit(stream: string, record: LogRecord): void;
  weird(name: DnsPairingAnomaly, ts: number, detail: string): void;
}

/**
 * Pairs the queries and responses of one flow by (transaction id, query name), as Zeek's dns.log
 * does (scripts/base/protocols/dns/main.zeek keeps pending queries per trans_id): a response takes
 * the oldest waiting query with its id and the same first question name (RFC 1035 §4.1.2: the answer
 * repeats the question; a response without a question, as mDNS sends them, RFC 6762 §6, takes only
 * a query without one) and writes one `dns` record; a response without a query is
 * written alone; queries still waiting when the flow ends are written without a response, oldest
 * first. At most `maxPending` queries wait per flow.
 */
export class DnsTransactions {
  /** Waiting queries by transaction id, oldest first. */
  private readonly byId = new Map<number, DnsSide[]>();
  /** All waiting queries in arrival order (for overflow and the end of the flow). */
  private readonly order = new Set<DnsSide>();

  constructor(
    private readonly flow: DnsFlowIds,
    private readonly maxPending: number,
    private readonly out: DnsPairingOutput,
  ) {}

  /** A query (QR 0) arrived. */
  query(q: DnsSide): void {
    if (this.order.size >= this.maxPending) {
      const oldest = this.order.values().next().value as DnsSide;
      this.remove(oldest);
      this.out.weird('dns.pending_overflow', q.ts, `${this.maxPending} queries waiting; id ${oldest.id} logged without a response`);
      this.out.emit(DNS_STREAM.name, dnsRecord(this.flow, oldest, null));
    }
    let list = this.byId.get(q.id);
    if (list === undefined) {
      list = [];
      this.byId.set(q.id, list);
    }
    list.push(q);
    this.order.add(q);
  }

  /** A response (QR 1) arrived: write it with its query, or alone. */
  response(r: DnsSide): void {
    const list = this.byId.get(r.id);
    let match: DnsSide | null = null;
    if (list !== undefined) {
      for (let i = 0; i < list.length; i++) {
        const q = list[i];
        if (q.hasQuestion === r.hasQuestion && q.query === r.query) {
          match = q;
          break;
        }
      }
    }
    if (match !== null) this.remove(match);
    this.out.emit(DNS_STREAM.name, dnsRecord(this.flow, match, r));
  }

  /** The flow ended: write the queries that got no response, in arrival order. */
  finish(): void {
    for (const q of this.order) this.out.emit(DNS_STREAM.name, dnsRecord(this.flow, q, null));
    this.order.clear();
    this.byId.clear();
  }

  private remove(q: DnsSide): void {
    this.order.delete(q);
    const list = this.byId.get(q.id);
    if (list === undefined) return;
    const i = list.indexOf(q);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.byId.delete(q.id);
  }
}
