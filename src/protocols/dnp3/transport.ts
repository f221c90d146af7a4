import { checkLinkHeader, copyUserData, dataCrcsMatch, frameBytes, LINK_HEADER_ANOMALY, LINK_HEADER_BYTES, LinkHeaderStatus, MAX_FRAME_BYTES, MIN_LENGTH } from './link.js';

/** Transport header bits (IEEE 1815-2012 §8.2.1): FIN, FIR, 6-bit sequence number. */
const TH_FIN = 0x80;
const TH_FIR = 0x40;
const TH_SEQ = 0x3f;

/** First size of a fragment buffer; DNP3 masters and outstations usually send fragments of ≤ 2048 octets (§4.2.1). */
const INITIAL_FRAGMENT_BYTES = 2048;

/** What one direction reports to the flow's application layer (application.ts). */
export interface LinkEvents {
  /** A frame header with a good CRC was seen (the flow is DNP3). */
  frameSeen(ts: number): void;
  /** Weird (graded `weird`) or violation (graded `violation`) of the link or transport layer. */
  linkAnomaly(name: string, violation: boolean, ts: number, detail: string): void;
  /** A whole application fragment `b[0, len)` (a view valid during the call). */
  fragment(isOrig: boolean, b: Uint8Array, len: number, ts: number): void;
}

/**
 * One direction of a DNP3 flow below the application layer: cuts link frames (link.ts) out of the byte
 * stream or datagrams, checks their CRCs, and joins transport segments (IEEE 1815-2012 §8.2: FIR starts a
 * fragment, each next segment carries the next sequence number modulo 64, FIN ends it) into application
 * fragments of at most `maxFragment` octets.
 * - A partial frame is held in a fixed 292-octet buffer; a frame wholly inside a chunk is read in place.
 * - Framing lost (bad start octets, LENGTH or header CRC; a gap): the bytes are searched for the next
 *   0x05 0x64 whose header CRC matches, so a capture that starts mid-frame is read from the next frame.
 * - A bad user-data CRC drops the frame (violation `dnp3.bad_data_crc`); the fragment it belonged to is
 *   then dropped at the next sequence mismatch.
 */
export class Dnp3Direction {
  private readonly frame = new Uint8Array(MAX_FRAME_BYTES);
  private have = 0;
  /** Whole frame size once the header is in, else 0. */
  private need = 0;
  /** Search for the next frame start (framing lost). */
  private lost = false;
  private frag: Uint8Array | null = null;
  private fragLen = 0;
  /** Sequence number expected next, or -1 when no fragment is being assembled. */
  private nextSeq = -1;
  /** The fragment under assembly outgrew `maxFragment`: drop segments until the next FIR. */
  private oversized = false;

  constructor(
    private readonly isOrig: boolean,
    private readonly events: LinkEvents,
    private readonly maxFragment: number,
  ) {}

  /** In-order bytes `data[0, len)` (a view valid during the call). @param ts seconds */
  push(data: Uint8Array, ts: number): void {
    const end = data.length;
    let off = 0;
    if (this.have > 0) off = this.continueFrame(data, ts);
    while (off < end) {
      if (this.lost) {
        off = this.search(data, off, end, ts);
        if (off >= end) return;
      }
      if (end - off < LINK_HEADER_BYTES) {
        if (data[off] !== 0x05 || (end - off > 1 && data[off + 1] !== 0x64)) {
          this.lose(LinkHeaderStatus.BadStart, ts);
          off++;
          continue;
        }
        this.hold(data, off, end);
        return;
      }
      const status = checkLinkHeader(data, off);
      if (status !== LinkHeaderStatus.Ok) {
        this.lose(status, ts);
        off++;
        continue;
      }
      this.events.frameSeen(ts);
      const size = frameBytes(data[off + 2]);
      if (end - off < size) {
        this.need = size;
        this.hold(data, off, end);
        return;
      }
      this.segment(data, off, ts);
      off += size;
    }
  }

  /** A datagram ended (UDP): a frame cut by its end is dropped. @param ts seconds */
  endOfDatagram(ts: number): void {
    if (this.have > 0) this.events.linkAnomaly('dnp3.partial_frame_discarded', false, ts, `${this.have} octets at the end of a datagram`);
    this.have = 0;
    this.need = 0;
    this.lost = false;
  }

  /** `len` octets of the stream are lost: the partial frame and fragment are dropped, framing is searched anew. */
  gap(len: number, ts: number): void {
    if (this.have > 0) this.events.linkAnomaly('dnp3.partial_frame_discarded', false, ts, `${this.have} octets before a ${len}-octet gap`);
    this.have = 0;
    this.need = 0;
    this.lost = true;
    this.dropFragment(ts, `before a ${len}-octet gap`);
  }

  /** The flow ended: report what is left half-done. */
  finish(ts: number): void {
    if (this.have > 0) this.events.linkAnomaly('dnp3.partial_frame_discarded', false, ts, `${this.have} octets at the end of the flow`);
    this.have = 0;
    this.need = 0;
    this.dropFragment(ts, 'at the end of the flow');
  }

  /** Add the chunk's first bytes to the held frame; returns the chunk offset after them. */
  private continueFrame(data: Uint8Array, ts: number): number {
    let used = 0;
    if (this.need === 0) {
      const take = Math.min(LINK_HEADER_BYTES - this.have, data.length);
      this.frame.set(data.subarray(0, take), this.have);
      this.have += take;
      used = take;
      if (this.have < LINK_HEADER_BYTES) {
        if (this.frame[0] !== 0x05 || (this.have > 1 && this.frame[1] !== 0x64)) {
          this.have = 0;
          this.lose(LinkHeaderStatus.BadStart, ts);
        }
        return used;
      }
      const status = checkLinkHeader(this.frame, 0);
      if (status !== LinkHeaderStatus.Ok) {
        this.have = 0;
        this.lose(status, ts);
        return used;
      }
      this.events.frameSeen(ts);
      this.need = frameBytes(this.frame[2]);
    }
    const take = Math.min(this.need - this.have, data.length - used);
    this.frame.set(data.subarray(used, used + take), this.have);
    this.have += take;
    used += take;
    if (this.have < this.need) return used;
    this.have = 0;
    this.need = 0;
    this.segment(this.frame, 0, ts);
    return used;
  }

  private hold(data: Uint8Array, off: number, end: number): void {
    this.frame.set(data.subarray(off, end), 0);
    this.have = end - off;
  }

  /** Framing lost at a bad header: report it and search from the next octet. */
  private lose(status: LinkHeaderStatus, ts: number): void {
    if (!this.lost) this.events.linkAnomaly(LINK_HEADER_ANOMALY[status], true, ts, 'link header rejected; searching for the next frame');
    this.lost = true;
  }

  /**
   * Offset of the next plausible frame start in `data[from, end)`: 0x05 0x64 with a matching header CRC,
   * or 0x05 (0x64) in the last octets (kept for the next chunk); `end` when there is none. Each
   * 0x05 0x64 whose header is rejected on the way is a violation.
   */
  private search(data: Uint8Array, from: number, end: number, ts: number): number {
    for (let p = from; p < end; p++) {
      if (data[p] !== 0x05) continue;
      if (end - p < LINK_HEADER_BYTES) {
        if (end - p === 1 || data[p + 1] === 0x64) {
          this.lost = false;
          return p;
        }
        continue;
      }
      if (data[p + 1] !== 0x64) continue;
      const status = checkLinkHeader(data, p);
      if (status === LinkHeaderStatus.Ok) {
        this.lost = false;
        return p;
      }
      this.events.linkAnomaly(LINK_HEADER_ANOMALY[status], true, ts, 'start octets with a rejected link header');
    }
    return end;
  }

  /** One whole frame at `b[off]` (header checked): check its data CRCs and pass its transport segment on. */
  private segment(b: Uint8Array, off: number, ts: number): void {
    const dataLen = b[off + 2] - MIN_LENGTH;
    if (dataLen === 0) return;
    if (!dataCrcsMatch(b, off)) {
      this.events.linkAnomaly('dnp3.bad_data_crc', true, ts, `frame of ${dataLen} user octets dropped`);
      return;
    }
    const th = b[off + LINK_HEADER_BYTES];
    const seq = th & TH_SEQ;
    if (th & TH_FIR) {
      if (this.nextSeq >= 0 && !this.oversized) this.events.linkAnomaly('dnp3.fragment_discarded', false, ts, `${this.fragLen} octets of an unfinished fragment before a new FIR`);
      this.fragLen = 0;
      this.oversized = false;
    } else if (this.nextSeq < 0) {
      this.events.linkAnomaly('dnp3.first_segment_missing', false, ts, `segment ${seq} without FIR`);
      return;
    } else if (seq !== this.nextSeq) {
      if (!this.oversized) this.events.linkAnomaly('dnp3.transport_sequence_gap', false, ts, `segment ${seq}, expected ${this.nextSeq}; ${this.fragLen} octets dropped`);
      this.nextSeq = -1;
      this.fragLen = 0;
      this.oversized = false;
      return;
    }
    this.nextSeq = (seq + 1) & TH_SEQ;
    const add = dataLen - 1;
    if (!this.oversized) {
      if (this.fragLen + add > this.maxFragment) {
        this.events.linkAnomaly('dnp3.fragment_too_large', false, ts, `fragment over ${this.maxFragment} octets dropped`);
        this.oversized = true;
        this.fragLen = 0;
      } else {
        const buf = this.reserve(this.fragLen + add);
        this.fragLen += copyUserData(b, off, 1, buf, this.fragLen);
      }
    }
    if (th & TH_FIN) {
      const len = this.fragLen;
      const over = this.oversized;
      this.nextSeq = -1;
      this.fragLen = 0;
      this.oversized = false;
      if (!over) this.events.fragment(this.isOrig, this.frag as Uint8Array, len, ts);
    }
  }

  private reserve(n: number): Uint8Array {
    const old = this.frag;
    if (old !== null && old.length >= n) return old;
    const grown = new Uint8Array(Math.min(this.maxFragment, Math.max(n, INITIAL_FRAGMENT_BYTES, old === null ? 0 : old.length * 2)));
    if (old !== null && this.fragLen > 0) grown.set(old.subarray(0, this.fragLen));
    this.frag = grown;
    return grown;
  }

  private dropFragment(ts: number, where: string): void {
    if (this.nextSeq >= 0 && !this.oversized && this.fragLen > 0) this.events.linkAnomaly('dnp3.fragment_discarded', false, ts, `${this.fragLen} octets of an unfinished fragment ${where}`);
    this.nextSeq = -1;
    this.fragLen = 0;
    this.oversized = false;
  }
}
