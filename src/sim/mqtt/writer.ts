import { CwError } from '../../errors.js';
import { MQTT_MAX_REMAINING_LENGTH, MQTT_MAX_STRING_BYTES } from './constants.js';

/** Room kept in front of a packet body for the fixed header: one type byte + up to four length bytes. */
const HEADER_ROOM = 5;
/** Room kept for a property length before the properties are known (a Variable Byte Integer, ≤ 4 bytes). */
const PROPS_ROOM = 4;
const encoder = new TextEncoder();

/** Bytes a Variable Byte Integer takes for `v` (0 … 268 435 455): 1–4 (3.1.1 §2.2.3, 5.0 §1.5.5). */
export function varintLength(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : 4;
}

/**
 * Builds one MQTT control packet at a time into a reusable buffer: `begin(first byte)`, the
 * variable header and payload through the field writers, then `end()` puts the fixed header
 * (3.1.1 §2.2, 5.0 §2.1) in front of the body and returns the whole packet.
 * Field encodings: Two/Four Byte Integers big-endian, Variable Byte Integer (5.0 §1.5.5), UTF-8
 * Encoded String and Binary Data with a 16-bit length prefix (3.1.1 §1.5.3, 5.0 §1.5.4, §1.5.6), and
 * a v5 property block whose length prefix is filled in by `endProperties` (5.0 §2.2.2.1).
 * The buffer grows only when a larger packet than any before is built.
 * Lifetime rule: the view `end()` returns is valid until the next `begin()`.
 */
export class MqttWriter {
  private buf: Uint8Array;
  private pos = HEADER_ROOM;
  private first = 0;

  /** @param capacity initial buffer size in bytes (default 1024). */
  constructor(capacity = 1024) {
    this.buf = new Uint8Array(Math.max(capacity, 64));
  }

  /** Start a packet whose fixed-header first byte (type << 4 | flags) is `firstByte`. */
  begin(firstByte: number): void {
    this.first = firstByte & 0xff;
    this.pos = HEADER_ROOM;
  }

  /** One byte. */
  u8(v: number): void {
    this.room(1);
    this.buf[this.pos++] = v & 0xff;
  }

  /** Two Byte Integer, big-endian (5.0 §1.5.2). */
  u16(v: number): void {
    this.room(2);
    const b = this.buf;
    b[this.pos++] = (v >>> 8) & 0xff;
    b[this.pos++] = v & 0xff;
  }

  /** Four Byte Integer, big-endian (5.0 §1.5.3). */
  u32(v: number): void {
    this.room(4);
    const b = this.buf;
    b[this.pos++] = (v >>> 24) & 0xff;
    b[this.pos++] = (v >>> 16) & 0xff;
    b[this.pos++] = (v >>> 8) & 0xff;
    b[this.pos++] = v & 0xff;
  }

  /** Variable Byte Integer, 0 … 268 435 455 (5.0 §1.5.5). */
  varint(v: number): void {
    this.room(4);
    this.pos = writeVarint(this.buf, this.pos, v);
  }

  /**
   * UTF-8 Encoded String: 16-bit byte count, then the bytes (3.1.1 §1.5.3, 5.0 §1.5.4).
   * @throws CwError CW_ERR_CONFIG when the text takes more than 65 535 bytes.
   */
  utf8(s: string): void {
    this.room(2 + 3 * s.length);
    const b = this.buf;
    const at = this.pos + 2;
    let n = 0;
    const len = s.length;
    while (n < len) {
      const c = s.charCodeAt(n);
      if (c >= 0x80) break;
      b[at + n] = c;
      n++;
    }
    if (n < len) n += encoder.encodeInto(s.slice(n), b.subarray(at + n)).written;
    if (n > MQTT_MAX_STRING_BYTES) throw new CwError('CW_ERR_CONFIG', `MQTT string of ${n} bytes is longer than ${MQTT_MAX_STRING_BYTES} bytes`);
    b[this.pos] = n >>> 8;
    b[this.pos + 1] = n & 0xff;
    this.pos = at + n;
  }

  /**
   * Binary Data: 16-bit byte count, then `data[off, off+len)` (5.0 §1.5.6; 3.1.1 password §3.1.3.5).
   * @throws CwError CW_ERR_CONFIG when `len` exceeds 65 535.
   */
  binary(data: Uint8Array, off: number, len: number): void {
    if (len > MQTT_MAX_STRING_BYTES) throw new CwError('CW_ERR_CONFIG', `MQTT binary field of ${len} bytes is longer than ${MQTT_MAX_STRING_BYTES} bytes`);
    this.u16(len);
    this.raw(data, off, len);
  }

  /** `data[off, off+len)` as is (an application payload, 3.1.1 §3.3.3, 5.0 §3.3.3). */
  raw(data: Uint8Array, off: number, len: number): void {
    if (len <= 0) return;
    this.room(len);
    if (len <= 32) {
      const b = this.buf;
      for (let i = 0; i < len; i++) b[this.pos + i] = data[off + i];
    } else {
      this.buf.set(data.subarray(off, off + len), this.pos);
    }
    this.pos += len;
  }

  /** Open a v5 property block (5.0 §2.2.2); returns the mark `endProperties` needs. */
  beginProperties(): number {
    this.room(PROPS_ROOM);
    const mark = this.pos;
    this.pos += PROPS_ROOM;
    return mark;
  }

  /** Close the property block opened at `mark`: write its Property Length and close the gap. */
  endProperties(mark: number): void {
    const bodyAt = mark + PROPS_ROOM;
    const n = this.pos - bodyAt;
    const w = varintLength(n);
    if (w < PROPS_ROOM) {
      this.buf.copyWithin(mark + w, bodyAt, this.pos);
      this.pos -= PROPS_ROOM - w;
    }
    writeVarint(this.buf, mark, n);
  }

  /**
   * Finish the packet: fixed header (first byte + Remaining Length) in front of the body.
   * @returns the packet bytes, a view valid until the next `begin()`.
   * @throws CwError CW_ERR_CONFIG when the body exceeds 268 435 455 bytes.
   */
  end(): Uint8Array {
    const remaining = this.pos - HEADER_ROOM;
    if (remaining > MQTT_MAX_REMAINING_LENGTH) {
      throw new CwError('CW_ERR_CONFIG', `MQTT packet body of ${remaining} bytes is longer than ${MQTT_MAX_REMAINING_LENGTH} bytes`);
    }
    const start = HEADER_ROOM - 1 - varintLength(remaining);
    this.buf[start] = this.first;
    writeVarint(this.buf, start + 1, remaining);
    return this.buf.subarray(start, this.pos);
  }

  private room(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    if (need > MQTT_MAX_REMAINING_LENGTH + HEADER_ROOM + 3 * MQTT_MAX_STRING_BYTES) {
      throw new CwError('CW_ERR_CONFIG', `MQTT packet body would be longer than ${MQTT_MAX_REMAINING_LENGTH} bytes`);
    }
    const b = new Uint8Array(Math.max(this.buf.length * 2, need));
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
  }
}

/** Write `v` as a Variable Byte Integer at `out[off]`; returns the offset after it (5.0 §1.5.5 algorithm). */
function writeVarint(out: Uint8Array, off: number, v: number): number {
  let x = v;
  do {
    let d = x & 0x7f;
    x = Math.floor(x / 128);
    if (x > 0) d |= 0x80;
    out[off++] = d;
  } while (x > 0);
  return off;
}
