import type { ConnId } from '../../session/analyzer.js';
import type { CarryBudget } from './carry-budget.js';
import { B32, base32Decode, base64Decode, ENCODED_CLASS, HEX, hexDecode } from './codec.js';
import { type ContentDecoder, MAX_DEPTH, MIN_BASE64_RUN } from './content-decoder.js';
import { LeakHits } from './leak-hits.js';

/** Chunk header of the usual tunnel tools' uploads: message number, chunk index, chunk count (u16 each, big-endian). */
const CHUNK_HEADER = 6;
/** Labels shorter than this next to the registered domain of a lone query are taken as the tunnel's sub-domain. */
const SHORT_LABEL = 4;

/** One (client, server, registered domain) whose query names carry data. */
export interface DnsTunnel {
  /** Uid and conn id of the flow of the first query. */
  readonly uid: string;
  readonly id: ConnId;
  readonly firstTs: number;
  /** Queries seen. */
  queries: number;
  /** Decoded bytes of all queries (chunk headers included). */
  bytes: number;
  readonly hits: LeakHits;
}

interface TunnelState extends DnsTunnel {
  /** The first query (a copy of its message) and its labels, until the tunnel's own suffix is known. */
  first: { msg: Uint8Array; starts: Int32Array; lens: Int32Array; n: number } | null;
  /** Trailing labels that name the tunnel (registered domain included); 0 until learned. */
  suffix: number;
  chunks: Uint8Array[];
  label: string;
  /** Bytes the chunks charge to the budget. */
  charged: number;
}

/**
 * Data tunnelled in DNS query names (RFC 1035 §4.1.2), gathered per (client, server, registered
 * domain — the last two labels) across flows, as tunnels use a fresh port per query (through a
 * resolver the server is the resolver, so a relayed tunnel still gathers in one place). The labels below the
 * tunnel's own domain (the trailing labels two queries share) are joined per query and decoded as
 * hex, base32 (RFC 4648 §6) or base64url (§5), whichever alphabet they fit; chunks keep the order
 * the queries arrived in. At `flush`, a 6-byte chunk header (message, index, count) is stripped
 * when every chunk carries a consistent one, and the joined data is searched by `ContentDecoder`
 * (clear text, and gzip / base64 / hex inside) under `dns-base32`, `dns-hex`, `dns-base64url`.
 * Queries with fewer than 16 characters below the registered domain (ordinary lookups) cost one
 * pass over the name. Bounded: `maxTunnels` tunnels, `maxBytes` decoded bytes per tunnel and the shared
 * budget; chunks beyond them are dropped.
 */
export class DnsTunnels {
  private readonly tunnels = new Map<string, TunnelState>();
  private readonly text = new Uint8Array(256);
  /** Tunnels refused by `maxTunnels`. */
  dropped = 0;

  constructor(
    private readonly decoder: ContentDecoder,
    private readonly budget: CarryBudget,
    private readonly maxTunnels: number,
    private readonly maxBytes: number,
    private readonly numbersPerEncoding: number,
  ) {}

  /**
   * One query from `client`: `n` labels at `starts`/`lens` of `msg` (dns-qname.ts readQueryName).
   * `uid`/`id` name the query's flow.
   */
  add(client: string, uid: string, id: ConnId, msg: Uint8Array, n: number, starts: Int32Array, lens: Int32Array, ts: number): void {
    if (n < 3) return;
    let below = 0;
    for (let i = 0; i < n - 2; i++) below += lens[i];
    if (below < MIN_BASE64_RUN) return;
    const key = `${client} ${id.resp_h} ${labelText(msg, starts[n - 2], lens[n - 2])}.${labelText(msg, starts[n - 1], lens[n - 1])}`;
    let t = this.tunnels.get(key);
    if (t === undefined) {
      if (this.tunnels.size >= this.maxTunnels) {
        this.dropped++;
        return;
      }
      t = { uid, id, firstTs: ts, queries: 1, bytes: 0, hits: new LeakHits(this.numbersPerEncoding), first: null, suffix: 0, chunks: [], label: '', charged: 0 };
      t.first = { msg: msg.slice(), starts: starts.slice(0, n), lens: lens.slice(0, n), n };
      this.tunnels.set(key, t);
      return;
    }
    t.queries++;
    const f = t.first;
    if (f !== null) {
      let common = 0;
      while (common < n && common < f.n && sameLabel(msg, starts[n - 1 - common], lens[n - 1 - common], f.msg, f.starts[f.n - 1 - common], f.lens[f.n - 1 - common])) common++;
      t.suffix = common >= n || common >= f.n ? 2 : Math.max(2, common);
      this.decodeQuery(t, f.msg, f.starts, f.lens, f.n - t.suffix);
      t.first = null;
    }
    this.decodeQuery(t, msg, starts, lens, n - t.suffix);
  }

  /** Decode what each tunnel holds, search it, and hand every tunnel with finds to `emit`, in first-seen order; then forget them. */
  finish(emit: (t: DnsTunnel) => void): void {
    for (const t of this.tunnels.values()) {
      this.flush(t);
      if (!t.hits.empty) emit(t);
    }
    this.tunnels.clear();
  }

  private flush(t: TunnelState): void {
    const f = t.first;
    if (f !== null) {
      let s = 2;
      while (s < f.n - 1 && f.lens[f.n - 1 - s] < SHORT_LABEL) s++;
      this.decodeQuery(t, f.msg, f.starts, f.lens, f.n - s);
      t.first = null;
    }
    if (t.chunks.length === 0) return;
    const strip = headersConsistent(t.chunks) ? CHUNK_HEADER : 0;
    let total = 0;
    for (const c of t.chunks) total += c.length - strip;
    const data = new Uint8Array(total);
    let p = 0;
    for (const c of t.chunks) {
      data.set(c.subarray(strip), p);
      p += c.length - strip;
    }
    this.decoder.block(data, t.label, MAX_DEPTH, t.firstTs, t.hits);
    this.budget.give(t.charged);
    t.charged = 0;
    t.chunks = [];
  }

  /** Join labels [0, k) of a query, decode them by their alphabet and keep the bytes as one chunk. */
  private decodeQuery(t: TunnelState, msg: Uint8Array, starts: Int32Array, lens: Int32Array, k: number): void {
    if (k < 1) return;
    const text = this.text;
    let len = 0;
    let classes = B32 | HEX | 0x80;
    for (let i = 0; i < k; i++) {
      const s = starts[i];
      for (let j = 0; j < lens[i]; j++) {
        const c = msg[s + j];
        const cls = ENCODED_CLASS[c];
        classes &= cls === 0 ? 0 : cls | 0x80;
        text[len++] = c;
      }
    }
    if (classes === 0) return;
    let kind: string;
    let out: Uint8Array;
    let m: number;
    if ((classes & HEX) !== 0 && (len & 1) === 0) {
      kind = 'dns-hex';
      out = new Uint8Array(len >>> 1);
      m = hexDecode(text, 0, len, out);
    } else if ((classes & B32) !== 0) {
      kind = 'dns-base32';
      out = new Uint8Array((len * 5) >>> 3);
      m = base32Decode(text, 0, len, out, 0);
    } else {
      kind = 'dns-base64url';
      out = new Uint8Array((len * 3) >>> 2);
      m = base64Decode(text, 0, len, out);
    }
    if (t.bytes + m > this.maxBytes || !this.budget.take(m)) return;
    if (t.label === '') t.label = kind;
    t.bytes += m;
    t.charged += m;
    t.chunks.push(m === out.length ? out : out.subarray(0, m));
  }
}

/** A label's bytes as lower-case text (latin1). */
function labelText(msg: Uint8Array, start: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) {
    const c = msg[start + i];
    s += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c | 0x20 : c);
  }
  return s;
}

/** Two labels equal, ASCII case-insensitively (RFC 4343). */
function sameLabel(a: Uint8Array, as: number, al: number, b: Uint8Array, bs: number, bl: number): boolean {
  if (al !== bl) return false;
  for (let i = 0; i < al; i++) if ((a[as + i] | 0x20) !== (b[bs + i] | 0x20)) return false;
  return true;
}

/**
 * True when every chunk starts with a header (message, index < count) continuing the one before:
 * the same message with the next index and the same count, or a new message at index 0.
 */
function headersConsistent(chunks: readonly Uint8Array[]): boolean {
  let pm = -1;
  let pi = -1;
  let pc = -1;
  for (let k = 0; k < chunks.length; k++) {
    const c = chunks[k];
    if (c.length <= CHUNK_HEADER) return false;
    const m = (c[0] << 8) | c[1];
    const i = (c[2] << 8) | c[3];
    const n = (c[4] << 8) | c[5];
    if (i >= n) return false;
    if (k > 0 && (m === pm ? i !== pi + 1 || n !== pc : i !== 0)) return false;
    pm = m;
    pi = i;
    pc = n;
  }
  return true;
}
