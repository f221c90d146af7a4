import type { LogRecord } from '../../events/record.js';
import { defineStream, type StreamSchema } from '../../events/schema.js';
import { qclassName, qtypeName, rcodeName } from './names.js';

/**
 * `dns`: one record per query and its answer (Zeek dns.log, scripts/base/protocols/dns/main.zeek,
 * `DNS::Info`), in Zeek's field order. `TTLs` is Zeek's `vector[interval]`; TTLs are whole seconds
 * (RFC 1035 §3.2.1), so it is written here as `vector[count]` with the same numbers.
 */
export const DNS_STREAM: StreamSchema = defineStream({
  name: 'dns',
  doc: 'DNS queries and their answers, paired by transaction id and query per flow (Zeek dns.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the query, or of the response when no query was seen (seconds since the epoch).' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address (usually the client).' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address (usually the server).' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'proto', type: 'enum', doc: 'Transport: udp or tcp.' },
    { name: 'trans_id', type: 'count', doc: 'DNS ID of the header (RFC 1035 §4.1.1; dns.id).' },
    { name: 'rtt', type: 'interval', doc: 'Seconds from the query to its response; unset without both.' },
    { name: 'query', type: 'string', doc: 'First question name, lower case, Zeek escapes (dns.qry.name).' },
    { name: 'qclass', type: 'count', doc: 'QCLASS of the question (RFC 1035 §3.2.4).' },
    { name: 'qclass_name', type: 'string', doc: 'QCLASS name (C_INTERNET …, qclass-N).' },
    { name: 'qtype', type: 'count', doc: 'QTYPE of the question (RFC 1035 §3.2.3; dns.qry.type).' },
    { name: 'qtype_name', type: 'string', doc: 'QTYPE name (A, TXT, * …, query-N).' },
    { name: 'rcode', type: 'count', doc: 'RCODE of the response (dns.flags.rcode).' },
    { name: 'rcode_name', type: 'string', doc: 'RCODE name (NOERROR, NXDOMAIN …, rcode-N).' },
    { name: 'AA', type: 'bool', doc: 'Authoritative Answer bit (of the response when there is one).' },
    { name: 'TC', type: 'bool', doc: 'TrunCation bit.' },
    { name: 'RD', type: 'bool', doc: 'Recursion Desired bit.' },
    { name: 'RA', type: 'bool', doc: 'Recursion Available bit.' },
    { name: 'Z', type: 'count', doc: 'The 3-bit Z field (RFC 1035 §4.1.1; AD and CD of RFC 4035 live in it).' },
    { name: 'answers', type: 'vector[string]', doc: 'Answer-section RDATA as text (addresses, names, "TXT n text", <unknown type=N>).' },
    { name: 'TTLs', type: 'vector[count]', doc: 'TTL of each answer, seconds (Zeek: vector[interval]).' },
    { name: 'rejected', type: 'bool', doc: 'The response carried no records at all (Zeek dns_rejected).' },
  ],
});

/** Per-flow constants every record repeats. */
export interface DnsFlowIds {
  readonly uid: string;
  readonly origH: string;
  readonly origP: number;
  readonly respH: string;
  readonly respP: number;
  readonly proto: 'udp' | 'tcp';
}

/** What one DNS message contributes to a record (query side or response side). */
export interface DnsSide {
  readonly ts: number;
  readonly id: number;
  readonly query: string | null;
  readonly qtype: number;
  readonly qclass: number;
  readonly hasQuestion: boolean;
  readonly aa: boolean;
  readonly tc: boolean;
  readonly rd: boolean;
  readonly ra: boolean;
  readonly z: number;
  readonly rcode: number;
  readonly answers: readonly string[];
  readonly ttls: readonly number[];
  /** Response with no records in any section. */
  readonly rejected: boolean;
}

/**
 * The `dns` record of a query and its response (either may be null, not both). Header bits,
 * rcode, answers and `rejected` come from the response when there is one, as Zeek's dns.log has
 * them after the reply; `ts` is the query's, `rtt` = response ts − query ts.
 */
export function dnsRecord(f: DnsFlowIds, q: DnsSide | null, r: DnsSide | null): LogRecord {
  const first = (q ?? r) as DnsSide;
  const last = r ?? first;
  const named = first.hasQuestion ? first : last;
  return {
    ts: first.ts,
    uid: f.uid,
    'id.orig_h': f.origH,
    'id.orig_p': f.origP,
    'id.resp_h': f.respH,
    'id.resp_p': f.respP,
    proto: f.proto,
    trans_id: first.id,
    rtt: q !== null && r !== null ? Math.max(0, r.ts - q.ts) : null,
    query: named.hasQuestion ? named.query : null,
    qclass: named.hasQuestion ? named.qclass : null,
    qclass_name: named.hasQuestion ? qclassName(named.qclass) : null,
    qtype: named.hasQuestion ? named.qtype : null,
    qtype_name: named.hasQuestion ? qtypeName(named.qtype) : null,
    rcode: r !== null ? r.rcode : null,
    rcode_name: r !== null ? rcodeName(r.rcode) : null,
    AA: last.aa,
    TC: last.tc,
    RD: last.rd,
    RA: last.ra,
    Z: last.z,
    answers: r !== null && r.answers.length > 0 ? r.answers : null,
    TTLs: r !== null && r.ttls.length > 0 ? r.ttls : null,
    rejected: r !== null && r.rejected,
  };
}
