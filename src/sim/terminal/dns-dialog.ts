import { DNS_FLAGS_QUERY, DNS_FLAGS_RESPONSE, DnsMessageWriter, DnsType } from '../dns/message.js';
import { parseIpv4 } from '../net/address.js';
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
 * server's answers (RFC 1035 §4.1 message format through `DnsMessageWriter`: 12-byte header,
 * question, one answer using a compression pointer to the question name, §4.1.4). Query flags: RD
 * (0x0100); answer flags: QR, RD, RA (0x8180), authoritative answer not set.
 */
export class DnsDialog implements UdpDialog {
  private readonly answers: number[];
  private readonly w = new DnsMessageWriter();
  private next = 0;
  private id = 0;
  private current = 0;

  /**
   * @param names   [name, IPv4 dotted quad] pairs asked in rotation.
   * @param records receives one record per query.
   * @throws CwError CW_ERR_CONFIG when an address is not a dotted quad.
   */
  constructor(
    private readonly names: ReadonlyArray<readonly [string, string]>,
    private readonly rng: Prng,
    private readonly src: string,
    private readonly dst: string,
    private readonly records: DnsQueryRecord[],
  ) {
    this.answers = names.map(([, ip]) => parseIpv4(ip));
  }

  request(ts: number, frame: number, buf: Uint8Array): number {
    const i = this.next;
    this.next = (i + 1) % this.names.length;
    this.current = i;
    this.id = this.rng.int(0, 0xffff);
    const w = this.w;
    w.begin(buf, 0, this.id, DNS_FLAGS_QUERY);
    w.question(this.names[i][0], DnsType.A);
    this.records.push({ frame, ts: Math.round(ts * 1e6) / 1e6, src: this.src, dst: this.dst, id: this.id, qname: this.names[i][0], qtype: 'A', answer: this.names[i][1] });
    return w.finish();
  }

  response(_ts: number, buf: Uint8Array): number {
    const w = this.w;
    w.begin(buf, 0, this.id, DNS_FLAGS_RESPONSE);
    w.question(this.names[this.current][0], DnsType.A);
    w.answerA(ANSWER_TTL, this.answers[this.current]);
    return w.finish();
  }
}
