import type { Flow } from './flow.js';
import { parseIpv4 } from '../decode/ip-parse.js';

/** Initial slot count of the IPv4 table (a power of two); it doubles when half full. */
const INITIAL_SLOTS = 1024;

type V6Tree = Map<string, Map<string, Map<number, Flow>>>;

/**
 * Flow lookup by 5-tuple without building a key per packet.
 *
 * A key is (IP protocol, lower address, higher address, ports), "lower" being the (address, port)
 * pair that sorts first so both directions find the same entry (ICMP one-way messages use source
 * then destination, as Zeek's conn key does); ports are packed as (loPort << 16) | hiPort, a
 * 32-bit integer.
 *
 * IPv4 keys live in an open-addressing hash table over typed arrays (linear probing,
 * backward-shift deletion): the dotted quads are parsed to 32-bit integers, nothing is allocated
 * per lookup and an entry costs about 40 bytes. Other addresses (IPv6) use one tree per IP
 * protocol of nested maps keyed by the decoder's address strings and the ports integer.
 */
export class FlowIndex {
  private slots = INITIAL_SLOTS;
  private mask = INITIAL_SLOTS - 1;
  private used = 0;
  private kLo = new Int32Array(INITIAL_SLOTS);
  private kHi = new Int32Array(INITIAL_SLOTS);
  private kPorts = new Int32Array(INITIAL_SLOTS);
  /** IP protocol of the entry; 0 = empty slot. */
  private kProto = new Uint8Array(INITIAL_SLOTS);
  private vals: (Flow | null)[] = new Array<Flow | null>(INITIAL_SLOTS).fill(null);
  private readonly v6 = new Map<number, V6Tree>();

  /** Signed 32-bit integer packing the two ports (each 0–65535) of a key. */
  static portsKey(loPort: number, hiPort: number): number {
    return (loPort << 16) | hiPort;
  }

  /** Entries stored (both tables). */
  get size(): number {
    let n = this.used;
    for (const tree of this.v6.values()) for (const m of tree.values()) for (const p of m.values()) n += p.size;
    return n;
  }

  /** The flow of IP protocol `ipProto` (1–255) stored under (lo, hi, ports), if any. */
  get(ipProto: number, lo: string, hi: string, ports: number): Flow | undefined {
    const a = parseIpv4(lo);
    if (a < 0) return this.v6Get(ipProto, lo, hi, ports);
    return this.getV4(ipProto, a, parseIpv4(hi), ports);
  }

  /**
   * The flow stored under IPv4 addresses given as unsigned 32-bit integers (the decoder's
   * `src4` / `dst4`, lower first), without parsing text: the per-packet lookup.
   */
  getV4(ipProto: number, lo4: number, hi4: number, ports: number): Flow | undefined {
    const a32 = lo4 | 0;
    const b = hi4 | 0;
    const mask = this.mask;
    for (let i = hash(ipProto, a32, b, ports) & mask; this.kProto[i] !== 0; i = (i + 1) & mask) {
      if (this.kLo[i] === a32 && this.kHi[i] === b && this.kPorts[i] === ports && this.kProto[i] === ipProto) {
        return this.vals[i] as Flow;
      }
    }
    return undefined;
  }

  /** Store `flow` under its key (flow.ipProto, keyLo, keyHi, keyPorts), replacing an entry with that key. */
  set(flow: Flow): void {
    const a = parseIpv4(flow.keyLo);
    if (a < 0) {
      this.v6Set(flow);
      return;
    }
    if ((this.used + 1) * 2 > this.slots) this.grow();
    this.insert(flow.ipProto, a | 0, parseIpv4(flow.keyHi) | 0, flow.keyPorts, flow);
  }

  /** Remove `flow` (only if it is the entry stored under its key). */
  delete(flow: Flow): void {
    const a = parseIpv4(flow.keyLo);
    if (a < 0) {
      this.v6Delete(flow);
      return;
    }
    const mask = this.mask;
    let i = hash(flow.ipProto, a | 0, parseIpv4(flow.keyHi) | 0, flow.keyPorts) & mask;
    while (this.kProto[i] !== 0 && this.vals[i] !== flow) i = (i + 1) & mask;
    if (this.kProto[i] === 0) return;
    // Backward-shift deletion: pull later entries of the probe run into the hole.
    let hole = i;
    for (let j = (i + 1) & mask; this.kProto[j] !== 0; j = (j + 1) & mask) {
      const home = hash(this.kProto[j], this.kLo[j], this.kHi[j], this.kPorts[j]) & mask;
      const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (stays) continue;
      this.kLo[hole] = this.kLo[j];
      this.kHi[hole] = this.kHi[j];
      this.kPorts[hole] = this.kPorts[j];
      this.kProto[hole] = this.kProto[j];
      this.vals[hole] = this.vals[j];
      hole = j;
    }
    this.kProto[hole] = 0;
    this.vals[hole] = null;
    this.used--;
  }

  private insert(proto: number, a: number, b: number, ports: number, flow: Flow): void {
    const mask = this.mask;
    let i = hash(proto, a, b, ports) & mask;
    while (this.kProto[i] !== 0) {
      if (this.kLo[i] === a && this.kHi[i] === b && this.kPorts[i] === ports && this.kProto[i] === proto) {
        this.vals[i] = flow;
        return;
      }
      i = (i + 1) & mask;
    }
    this.kLo[i] = a;
    this.kHi[i] = b;
    this.kPorts[i] = ports;
    this.kProto[i] = proto;
    this.vals[i] = flow;
    this.used++;
  }

  private grow(): void {
    const { kLo, kHi, kPorts, kProto, vals, slots } = this;
    this.slots = slots * 2;
    this.mask = this.slots - 1;
    this.kLo = new Int32Array(this.slots);
    this.kHi = new Int32Array(this.slots);
    this.kPorts = new Int32Array(this.slots);
    this.kProto = new Uint8Array(this.slots);
    this.vals = new Array<Flow | null>(this.slots).fill(null);
    this.used = 0;
    for (let i = 0; i < slots; i++) if (kProto[i] !== 0) this.insert(kProto[i], kLo[i], kHi[i], kPorts[i], vals[i] as Flow);
  }

  private v6Get(ipProto: number, lo: string, hi: string, ports: number): Flow | undefined {
    return this.v6.get(ipProto)?.get(lo)?.get(hi)?.get(ports);
  }

  private v6Set(flow: Flow): void {
    let tree = this.v6.get(flow.ipProto);
    if (tree === undefined) this.v6.set(flow.ipProto, (tree = new Map()));
    let m1 = tree.get(flow.keyLo);
    if (m1 === undefined) tree.set(flow.keyLo, (m1 = new Map()));
    let m2 = m1.get(flow.keyHi);
    if (m2 === undefined) m1.set(flow.keyHi, (m2 = new Map()));
    m2.set(flow.keyPorts, flow);
  }

  private v6Delete(flow: Flow): void {
    const tree = this.v6.get(flow.ipProto);
    const m1 = tree?.get(flow.keyLo);
    const m2 = m1?.get(flow.keyHi);
    if (tree === undefined || m1 === undefined || m2 === undefined || m2.get(flow.keyPorts) !== flow) return;
    m2.delete(flow.keyPorts);
    if (m2.size === 0) {
      m1.delete(flow.keyHi);
      if (m1.size === 0) tree.delete(flow.keyLo);
    }
  }
}

/** 32-bit mix of a key (multiply-xorshift). */
function hash(proto: number, a: number, b: number, ports: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b ^ 0x27d4eb2f, 0x85ebca6b) ^ Math.imul(ports ^ (proto << 24), 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
}
