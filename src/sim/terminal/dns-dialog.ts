import type { Prng } from '../random.js';
import type { UdpDialog } from './udp-dialog.js';

/** A DNS query the twin sent, as the ground truth lists it (tshark: `dns.id`, `dns.qry.name`, `dns.a`). */
export interface DnsQueryRecord {
  frame: number;
  ts: number;
  src: string;
  dst: string;
  id: number;
  qname: string;
  qtype: 'A';
  answer: string;
}

/** TTL of the answers, seconds. */
const ANSWER_TTL = 300;

/**
 * A stub resolver asking a terminal DNS server for the A records of a few names in turn, and the
 * server's answers (RFC 1035 §4.1 message format: 12-byte header, question, one answer using a
 * compression pointer to the question name, §4.1.4). Query flags: RD (0x0100); answer flags: QR, RD,
 * RA (0x8180), authoritative answer not set. Names are encoded once.
 */
export class DnsDialog implements UdpDialog {
  private readonly qnames: Uint8Array[];
  private readonly answers: Uint8Array[];
  private next = 0;
  private id = 0;
  private current = 0;
  private qlen = 0;

  /**
   * @param names   [name, IPv4 dotted quad] pairs asked in rotation.
   * @param records receives one record per query.
   */
  constructor(
    private readonly names: ReadonlyArray<readonly [string, string]>,
    private readonly rng: Prng,
    private readonly src: string,
    private readonly dst: string,
    private readonly records: DnsQueryRecord[],
  ) {
    this.qnames = names.map(([n]) => encodeName(n));
    this.answers = names.map(([, ip]) => new Uint8Array(ip.split('.').map(Number)));
  }

  request(ts: number, frame: number, buf: Uint8Array): number {
    const i = this.next;
    this.next = (i + 1) % this.qnames.length;
    this.current = i;
    this.id = this.rng.int(0, 0xffff);
    const q = this.qnames[i];
    header(buf, this.id, 0x0100, 0);
    buf.set(q, 12);
    let p = 12 + q.length;
    buf[p++] = 0;
    buf[p++] = 1; // QTYPE A
    buf[p++] = 0;
    buf[p++] = 1; // QCLASS IN
    this.qlen = p;
    this.records.push({ frame, ts: Math.round(ts * 1e6) / 1e6, src: this.src, dst: this.dst, id: this.id, qname: this.names[i][0], qtype: 'A', answer: this.names[i][1] });
    return p;
  }

  response(_ts: number, buf: Uint8Array): number {
    // The question section stays in `buf` from the request.
    header(buf, this.id, 0x8180, 1);
    let p = this.qlen;
    buf[p++] = 0xc0;
    buf[p++] = 12; // pointer to the question name
    buf[p++] = 0;
    buf[p++] = 1; // TYPE A
    buf[p++] = 0;
    buf[p++] = 1; // CLASS IN
    buf[p++] = (ANSWER_TTL >>> 24) & 0xff;
    buf[p++] = (ANSWER_TTL >>> 16) & 0xff;
    buf[p++] = (ANSWER_TTL >>> 8) & 0xff;
    buf[p++] = ANSWER_TTL & 0xff;
    buf[p++] = 0;
    buf[p++] = 4;
    buf.set(this.answers[this.current], p);
    return p + 4;
  }
}

/** Header: ID, flags, QDCOUNT 1, ANCOUNT, NSCOUNT 0, ARCOUNT 0 (RFC 1035 §4.1.1). */
function header(buf: Uint8Array, id: number, flags: number, ancount: number): void {
  buf[0] = id >>> 8;
  buf[1] = id & 0xff;
  buf[2] = flags >>> 8;
  buf[3] = flags & 0xff;
  buf[4] = 0;
  buf[5] = 1;
  buf[6] = 0;
  buf[7] = ancount;
  buf[8] = 0;
  buf[9] = 0;
  buf[10] = 0;
  buf[11] = 0;
}

/** A domain name as length-prefixed labels ending with the zero-length root label (RFC 1035 §3.1). */
function encodeName(name: string): Uint8Array {
  const out: number[] = [];
  for (const label of name.split('.')) {
    out.push(label.length);
    for (let i = 0; i < label.length; i++) out.push(label.charCodeAt(i));
  }
  out.push(0);
  return new Uint8Array(out);
}
