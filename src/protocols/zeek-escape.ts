/**
 * Wire bytes to log text the way Zeek's ASCII/JSON writers render a `string` holding raw bytes
 * (Zeek src/Desc.cc `ODesc::AddBytes` in UTF-8 mode with src/util.cc `escape_utf8`):
 * - printable ASCII 0x20–0x7E is kept, except the backslash, written `\\` (two characters);
 * - control bytes (0x00–0x1F, 0x7F, tab included) become `\xNN` (lowercase hex);
 * - bytes ≥ 0x80 are kept as UTF-8 characters when the whole value is valid UTF-8 (RFC 3629),
 *   otherwise every one of them becomes `\xNN`.
 * The result is log-ready text: writers put it out verbatim.
 */

/** Text of an escaped byte range and whether the character bound cut it. */
export interface EscapedText {
  readonly text: string;
  /** True when `maxChars` stopped the output before the last byte. */
  readonly truncated: boolean;
}

const HEX = '0123456789abcdef';

/** Length of the valid UTF-8 sequence starting at `i` (RFC 3629 §4), or 0 when it is not one. */
function utf8SequenceLength(b: Uint8Array, i: number, end: number): number {
  const c = b[i];
  let n: number;
  let min: number;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
    min = 0x80;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    min = 0x800;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > end) return 0;
  let cp = c & (0xff >> (n + 1));
  for (let k = 1; k < n; k++) {
    const cc = b[i + k];
    if ((cc & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

function isValidUtf8(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; ) {
    if (b[i] < 0x80) {
      i++;
      continue;
    }
    const n = utf8SequenceLength(b, i, end);
    if (n === 0) return false;
    i += n;
  }
  return true;
}

function escapedByte(c: number): string {
  return '\\x' + HEX[c >> 4] + HEX[c & 15];
}

/**
 * Escape `bytes[start, end)` as Zeek writes raw string bytes, keeping at most `maxChars` output
 * characters (an escape sequence or UTF-8 character is never split).
 * @param bytes source bytes (a view; not kept)
 * @param start first byte offset
 * @param end offset past the last byte
 * @param maxChars bound on the output length in UTF-16 code units (limits.maxStringLength)
 */
export function zeekEscape(bytes: Uint8Array, start: number, end: number, maxChars: number): EscapedText {
  const utf8 = isValidUtf8(bytes, start, end);
  let out = '';
  let i = start;
  while (i < end) {
    const c = bytes[i];
    let piece: string;
    let used = 1;
    if (c === 0x5c) piece = '\\\\';
    else if (c >= 0x20 && c < 0x7f) piece = String.fromCharCode(c);
    else if (c >= 0x80 && utf8) {
      used = utf8SequenceLength(bytes, i, end);
      piece = Buffer.from(bytes.buffer, bytes.byteOffset + i, used).toString('utf8');
    } else piece = escapedByte(c);
    if (out.length + piece.length > maxChars) return { text: out, truncated: true };
    out += piece;
    i += used;
  }
  return { text: out, truncated: false };
}
