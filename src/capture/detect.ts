import { CwError } from '../errors.js';
import type { CaptureFormat } from './packet.js';
import { CAPTURE_BOUNDS } from './bounds.js';

/** Bytes a reader should have in hand before calling `detectCaptureFormat` (a minimal pcapng SHB is 28). */
export const HEADER_PROBE_BYTES = 28;

/** pcap file header length (draft-ietf-opsawg-pcap §4). */
export const PCAP_HEADER_BYTES = 24;

/** pcapng Section Header Block type (draft-ietf-opsawg-pcapng §4.1); the same bytes in both byte orders. */
export const PCAPNG_SHB_TYPE = 0x0a0d0d0a;

/** pcapng byte-order magic of the SHB (draft-ietf-opsawg-pcapng §4.1). */
export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** pcap magic numbers as read big-endian from the first four bytes (draft-ietf-opsawg-pcap §4). */
const PCAP_MAGICS = [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1];

function hex(bytes: Uint8Array, n: number): string {
  let s = '0x';
  for (let i = 0; i < n && i < bytes.length; i++) s += bytes[i].toString(16).padStart(2, '0');
  return s;
}

function bigEndian32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/** True when the first `n` bytes of `head` are the first bytes of a known magic (a cut header). */
function isMagicPrefix(head: Uint8Array): boolean {
  const all = [...PCAP_MAGICS, PCAPNG_SHB_TYPE];
  return all.some((m) => {
    for (let i = 0; i < head.length; i++) if (head[i] !== ((m >>> (24 - 8 * i)) & 0xff)) return false;
    return true;
  });
}

/**
 * Chooses the capture format from the first bytes of an input and checks its file header, by
 * magic number only (never by file name):
 * - pcap: 0xa1b2c3d4 / 0xd4c3b2a1 (µs), 0xa1b23c4d / 0x4d3cb2a1 (ns), then major version 2 and a
 *   complete 24-byte header (draft-ietf-opsawg-pcap §4);
 * - pcapng: Section Header Block 0x0a0d0d0a, byte-order magic 0x1a2b3c4d in either order, major
 *   version 1, block total length a multiple of 4, ≥ 28 and ≤ 16 MiB, and its trailing copy equal
 *   when the whole block is in hand (draft-ietf-opsawg-pcapng §3.1, §4.1).
 * @param head the first bytes of the input (`HEADER_PROBE_BYTES` of them unless the input is shorter)
 * @param name file path or stream name for messages
 * @throws CwError CW_ERR_EMPTY (no bytes), CW_ERR_NOT_CAPTURE (another magic; the message shows the
 *   first four bytes), CW_ERR_BAD_CAPTURE_HEADER (a capture magic with a short or damaged header)
 */
export function detectCaptureFormat(head: Uint8Array, name: string): CaptureFormat {
  if (head.length === 0) throw new CwError('CW_ERR_EMPTY', `${name} is empty (0 bytes)`);
  if (head.length < 4) {
    if (isMagicPrefix(head)) {
      throw new CwError('CW_ERR_BAD_CAPTURE_HEADER', `${name} ends inside its capture file header (${head.length} bytes)`);
    }
    throw new CwError('CW_ERR_NOT_CAPTURE', `${name} is not a pcap or pcapng capture (starts with ${hex(head, 4)})`);
  }
  const magic = bigEndian32(head, 0);
  if (PCAP_MAGICS.includes(magic)) {
    if (head.length < PCAP_HEADER_BYTES) {
      throw new CwError(
        'CW_ERR_BAD_CAPTURE_HEADER',
        `${name} has a pcap magic number but only ${head.length} of the 24 file header bytes`,
      );
    }
    const le = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
    const major = le ? head[4] | (head[5] << 8) : (head[4] << 8) | head[5];
    if (major !== 2) {
      throw new CwError('CW_ERR_BAD_CAPTURE_HEADER', `${name} has pcap major version ${major} (only 2 exists)`);
    }
    return 'pcap';
  }
  if (magic === PCAPNG_SHB_TYPE) {
    if (head.length < HEADER_PROBE_BYTES) {
      throw new CwError(
        'CW_ERR_BAD_CAPTURE_HEADER',
        `${name} has a pcapng magic number but only ${head.length} bytes, less than a section header block`,
      );
    }
    const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const bom = dv.getUint32(8, true);
    if (bom !== PCAPNG_BYTE_ORDER_MAGIC && bom !== 0x4d3c2b1a) {
      throw new CwError(
        'CW_ERR_BAD_CAPTURE_HEADER',
        `${name} has a pcapng section header with a bad byte-order magic (${hex(head.subarray(8), 4)})`,
      );
    }
    const le = bom === PCAPNG_BYTE_ORDER_MAGIC;
    const len = dv.getUint32(4, le);
    if (len < HEADER_PROBE_BYTES || len % 4 !== 0 || len > CAPTURE_BOUNDS.maxBlockBytes) {
      throw new CwError('CW_ERR_BAD_CAPTURE_HEADER', `${name} has a pcapng section header block of bad length ${len}`);
    }
    if (len <= head.length && dv.getUint32(len - 4, le) !== len) {
      throw new CwError(
        'CW_ERR_BAD_CAPTURE_HEADER',
        `${name} has a pcapng section header block whose trailing length differs from ${len}`,
      );
    }
    const major = dv.getUint16(12, le);
    if (major !== 1) {
      throw new CwError('CW_ERR_BAD_CAPTURE_HEADER', `${name} has pcapng major version ${major} (only 1 is readable)`);
    }
    return 'pcapng';
  }
  throw new CwError('CW_ERR_NOT_CAPTURE', `${name} is not a pcap or pcapng capture (starts with ${hex(head, 4)})`);
}
