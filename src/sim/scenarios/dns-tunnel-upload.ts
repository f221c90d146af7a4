import { DNS_PORT, DnsMessageWriter, DnsType } from '../dns/message.js';
import { tunnelName, tunnelNameCapacity } from '../dns/tunnel-name.js';
import type { FrameBuilder } from '../net/frame-builder.js';
import type { SimHost } from '../net/host.js';
import type { Prng } from '../random.js';
import type { Actor } from '../scheduler.js';

/** Bytes in front of each chunk's data: message number, chunk index, chunk count (u16 each, big-endian). */
export const TUNNEL_CHUNK_HEADER_LEN = 6;
/** Flags of the tunnel server's answers: QR, AA, RD (RFC 1035 §4.1.1) — it is authoritative for its domain. */
const FLAGS_AUTH_RESPONSE = 0x8500;
/** RD only (RFC 1035 §4.1.1). */
const FLAGS_QUERY = 0x0100;
/** TTL of the acknowledgement answers, seconds (0: never cached, every query reaches the server). */
const ACK_TTL = 0;
const ACK = new Uint8Array([0x6f, 0x6b]); // "ok"

/** Data bytes one tunnel query carries under `suffix` (0 when the suffix leaves no room). */
export function tunnelChunkCapacity(suffix: string): number {
  return Math.max(0, tunnelNameCapacity(suffix) - TUNNEL_CHUNK_HEADER_LEN);
}

/**
 * One payload leaving through DNS (the tunnelling pattern of iodine/dnscat-style tools): the bytes
 * cut into chunks, each prefixed by `TUNNEL_CHUNK_HEADER_LEN` header bytes (message number, chunk
 * index, chunk count) and sent as the base32 labels of a TXT query name under `suffix`
 * (`tunnelName`), from a fresh ephemeral port and DNS id per query (RFC 5452 §9.2), straight to the
 * tunnel's server on UDP 53; the server answers each with the question echoed and a TXT "ok"
 * (RFC 1035 §4.1, §3.3.14). Two frames per chunk; messages built in one 512-byte buffer.
 */
export class DnsTunnelUpload implements Actor {
  nextTs: number;
  /** Queries sent. */
  queries = 0;
  private chunk = 0;
  private answering = false;
  private port = 0;
  private id = 0;
  private name = '';
  private readonly chunks: number;
  private readonly per: number;
  private readonly w = new DnsMessageWriter();
  private readonly buf = new Uint8Array(512);
  private readonly scratch: Uint8Array;

  /**
   * @param payload   bytes to send (≥ 1; at most 65 535 chunks of `tunnelChunkCapacity(suffix)`).
   * @param messageNo 16-bit message number written into every chunk header.
   * @param gapSec    pause between an answer and the next query, drawn uniformly, seconds.
   * @param rttSec    round trip to the server, seconds.
   * @param onFirst   called with the frame number and time of the first query.
   */
  constructor(
    private readonly fb: FrameBuilder,
    readonly client: SimHost,
    readonly server: SimHost,
    private readonly rng: Prng,
    private readonly payload: Uint8Array,
    private readonly messageNo: number,
    private readonly suffix: string,
    startTs: number,
    private readonly gapSec: readonly [number, number],
    private readonly rttSec: number,
    private readonly onFirst: (frame: number, ts: number) => void,
  ) {
    this.per = tunnelChunkCapacity(suffix);
    this.chunks = this.per > 0 ? Math.min(0xffff, Math.ceil(payload.length / this.per)) : 0;
    this.scratch = new Uint8Array(TUNNEL_CHUNK_HEADER_LEN + this.per);
    this.nextTs = this.chunks > 0 ? startTs : Infinity;
  }

  step(): void {
    const ts = this.nextTs;
    const w = this.w;
    if (!this.answering) {
      const s = this.scratch;
      const off = this.chunk * this.per;
      const k = Math.min(this.per, this.payload.length - off);
      s[0] = this.messageNo >>> 8;
      s[1] = this.messageNo & 0xff;
      s[2] = this.chunk >>> 8;
      s[3] = this.chunk & 0xff;
      s[4] = this.chunks >>> 8;
      s[5] = this.chunks & 0xff;
      s.set(this.payload.subarray(off, off + k), TUNNEL_CHUNK_HEADER_LEN);
      this.name = tunnelName(s, 0, TUNNEL_CHUNK_HEADER_LEN + k, this.suffix);
      this.port = this.rng.int(this.client.portMin, this.client.portMax);
      this.id = this.rng.int(0, 0xffff);
      w.begin(this.buf, 0, this.id, FLAGS_QUERY);
      w.question(this.name, DnsType.TXT);
      this.fb.udp(ts, this.client, this.server, this.port, DNS_PORT, this.buf, 0, w.finish());
      if (this.queries === 0) this.onFirst(this.fb.frames, ts);
      this.queries++;
      this.answering = true;
      this.nextTs = ts + this.rttSec;
      return;
    }
    w.begin(this.buf, 0, this.id, FLAGS_AUTH_RESPONSE);
    w.question(this.name, DnsType.TXT);
    w.answerTxt(ACK_TTL, ACK, 0, ACK.length);
    this.fb.udp(ts, this.server, this.client, DNS_PORT, this.port, this.buf, 0, w.finish());
    this.answering = false;
    this.chunk++;
    this.nextTs = this.chunk < this.chunks ? ts + this.rng.range(this.gapSec[0], this.gapSec[1]) : Infinity;
  }
}
