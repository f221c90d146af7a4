import { openCapture } from '../../src/capture/open.js';

/**
 * The TCP segments of an Ethernet (+802.1Q) / IPv4 capture, read straight from the frame bytes with
 * no reassembly, so tests can show and reason about the exact bytes tools disagree on.
 * Layouts: IEEE 802.3 / 802.1Q, RFC 791 (IPv4 header), RFC 9293 §3.1 (TCP header and checksum).
 */

/** One TCP segment; `seq`/`ack` are the raw 32-bit numbers, `payload` a copy of the TCP data. */
export interface TcpSegment {
  /** 1-based frame number in the file (tshark's frame.number). */
  frame: number;
  /** Capture time, seconds since the epoch. */
  ts: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  seq: number;
  ack: number;
  /** TCP flag byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10). */
  flags: number;
  payload: Uint8Array;
  /** IPv4 total length exceeds the captured bytes (a truncated datagram). */
  truncated: boolean;
  /** The TCP checksum verifies (false for truncated datagrams). */
  checksumOk: boolean;
}

function ipText(b: Uint8Array, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

function checksumOk(b: Uint8Array, ip: number, tcp: number, tcpLen: number): boolean {
  let sum = 0;
  for (let i = 0; i < 8; i += 2) sum += (b[ip + 12 + i] << 8) | b[ip + 13 + i];
  sum += 6 + tcpLen;
  for (let i = 0; i + 1 < tcpLen; i += 2) sum += (b[tcp + i] << 8) | b[tcp + i + 1];
  if (tcpLen % 2 === 1) sum += b[tcp + tcpLen - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum === 0xffff;
}

/** Every TCP segment of an Ethernet/IPv4 capture (other frames skipped), in file order. */
export async function tcpSegments(file: string): Promise<TcpSegment[]> {
  const out: TcpSegment[] = [];
  const reader = await openCapture(file, 0);
  for await (const batch of reader.batches()) {
    for (const raw of batch) {
      const f = raw.data;
      let o = 12;
      let type = (f[o] << 8) | f[o + 1];
      while (type === 0x8100 && o + 6 <= f.length) {
        o += 4;
        type = (f[o] << 8) | f[o + 1];
      }
      const ip = o + 2;
      if (type !== 0x0800 || ip + 20 > f.length || f[ip + 9] !== 6) continue;
      const ihl = (f[ip] & 0x0f) * 4;
      const total = (f[ip + 2] << 8) | f[ip + 3];
      const tcp = ip + ihl;
      const end = Math.min(f.length, ip + total);
      if (tcp + 20 > end) continue;
      const doff = (f[tcp + 12] >> 4) * 4;
      const dv = new DataView(f.buffer, f.byteOffset + tcp, 20);
      const truncated = ip + total > f.length;
      out.push({
        frame: raw.frame,
        ts: raw.ts,
        src: ipText(f, ip + 12),
        sport: dv.getUint16(0),
        dst: ipText(f, ip + 16),
        dport: dv.getUint16(2),
        seq: dv.getUint32(4),
        ack: dv.getUint32(8),
        flags: f[tcp + 13],
        payload: f.slice(Math.min(end, tcp + doff), end),
        truncated,
        checksumOk: !truncated && checksumOk(f, ip, tcp, total - ihl),
      });
    }
  }
  return out;
}

/** Lower-case hex of `b` with a space every `group` bytes. */
export function hexOf(b: Uint8Array, group = 1): string {
  const parts: string[] = [];
  for (let i = 0; i < b.length; i += group) parts.push(Buffer.from(b.subarray(i, i + group)).toString('hex'));
  return parts.join(' ');
}
