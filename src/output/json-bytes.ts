/**
 * A growable byte buffer that JSON text is written into directly as UTF-8 (RFC 8259), so that
 * encoding a log line builds no intermediate strings: keys are copied from pre-encoded bytes,
 * integers are written digit by digit, and strings of printable ASCII — nearly every value a
 * log holds (uids, addresses, names) — are copied character by character.
 *
 * `buf[0, len)` holds the text written so far; the owner empties it with `reset()` after writing it
 * out. The buffer grows (doubling) when a write does not fit, so one line of any size fits.
 */
export class JsonBytes {
  buf: Uint8Array;
  len = 0;

  /** @param capacity initial size in bytes (at least 64). */
  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(64, capacity));
  }

  /** Forget what was written (the bytes stay allocated). */
  reset(): void {
    this.len = 0;
  }

  /** Make room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.len + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** One byte (an ASCII character code). */
  byte(c: number): void {
    if (this.len >= this.buf.length) this.reserve(1);
    this.buf[this.len++] = c;
  }

  /**
   * Bytes copied as they are (pre-encoded UTF-8 text such as `"key":`). A loop, not
   * `Uint8Array.prototype.set`: these are a few dozen bytes, where the native call costs more.
   */
  bytes(b: Uint8Array): void {
    const n = b.length;
    this.reserve(n);
    const buf = this.buf;
    let at = this.len;
    for (let i = 0; i < n; i++) buf[at++] = b[i];
    this.len = at;
  }

  /** Text known to be ASCII and free of characters JSON escapes (number forms, literals). */
  ascii(s: string): void {
    const n = s.length;
    this.reserve(n);
    const buf = this.buf;
    let at = this.len;
    for (let i = 0; i < n; i++) buf[at++] = s.charCodeAt(i);
    this.len = at;
  }

  /**
   * A safe integer in decimal (no exponent, `-` for negatives); other numbers must not be passed
   * (the caller formats them as doubles).
   */
  integer(x: number): void {
    if (x < 0 || x > 0x7fffffff) {
      this.ascii(String(x));
      return;
    }
    let digits = 1;
    for (let p = 10; p <= x; p *= 10) digits++;
    this.reserve(digits);
    const buf = this.buf;
    let at = this.len + digits;
    this.len = at;
    let v = x;
    do {
      const q = (v / 10) | 0;
      buf[--at] = 48 + v - q * 10;
      v = q;
    } while (v !== 0);
  }

  /**
   * The decimal `k / 10^6` for an integer `k` with 0 < k < 2^53 that is not a multiple of 10^6:
   * the integer part, a point and the six decimals without trailing zeros (`1258531221486539` →
   * `1258531221.486539`, `239` → `0.000239`). Microsecond timestamps and durations.
   */
  micros(k: number): void {
    let whole = Math.floor(k / 1e6);
    let frac = k - whole * 1e6;
    if (frac < 0) {
      whole--;
      frac += 1e6;
    } else if (frac >= 1e6) {
      whole++;
      frac -= 1e6;
    }
    this.integer(whole);
    let digits = 6;
    while (frac % 10 === 0) {
      frac /= 10;
      digits--;
    }
    this.reserve(digits + 1);
    const buf = this.buf;
    buf[this.len] = 0x2e;
    let at = this.len + digits;
    this.len = at + 1;
    for (let i = 0; i < digits; i++) {
      const q = Math.floor(frac / 10);
      buf[at--] = 48 + frac - q * 10;
      frac = q;
    }
  }

  /**
   * A JSON string with the quotes, exactly as `JSON.stringify(s)` writes it (ECMA-262 §25.5.2.3
   * QuoteJSONString: `\"`, `\\`, `\b \f \n \r \t`, other controls as `\u00XX`, lone surrogates as
   * `\uDXXX`), encoded as UTF-8. Printable ASCII is copied directly; a string with anything else
   * goes through `JSON.stringify` and a UTF-8 encoder.
   */
  jsonString(s: string): void {
    const n = s.length;
    this.reserve(n + 2);
    const buf = this.buf;
    let at = this.len;
    buf[at++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
        this.escaped(s);
        return;
      }
      buf[at++] = c;
    }
    buf[at++] = 0x22;
    this.len = at;
  }

  /** The general path of `jsonString`. */
  private escaped(s: string): void {
    const text = JSON.stringify(s);
    this.reserve(text.length * 3);
    this.len += ENCODER.encodeInto(text, this.buf.subarray(this.len)).written;
  }
}

const ENCODER = new TextEncoder();
