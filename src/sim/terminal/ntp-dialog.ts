import type { UdpDialog } from './udp-dialog.js';

/** Seconds from the NTP prime epoch (1900-01-01) to the Unix epoch (RFC 5905 §6). */
const NTP_UNIX_OFFSET = 2_208_988_800;
/** NTP packet header length without extensions or MAC, bytes (RFC 5905 §7.3). */
const NTP_LEN = 48;

/**
 * NTPv4 client/server exchange (RFC 5905 §7.3 packet format, §8 on-wire protocol): the client sends
 * mode 3 with its transmit timestamp; the stratum-2 server answers mode 4 with the client's transmit
 * time as origin, its receive and transmit times, a reference id naming its upstream (the IPv4
 * address `refId`), poll and precision. The client clock is offset by `clientOffsetSec`.
 */
export class NtpDialog implements UdpDialog {
  private origin = 0;
  private received = 0;

  /**
   * @param poll            log2 poll interval, seconds (6 = 64 s … 10 = 1024 s).
   * @param clientOffsetSec client clock error (its transmit timestamp = true time + this).
   * @param refId           upstream server IPv4 as 32-bit number.
   */
  constructor(
    private readonly poll: number,
    private readonly clientOffsetSec: number,
    private readonly refId: number,
  ) {}

  request(ts: number, _frame: number, buf: Uint8Array): number {
    buf.fill(0, 0, NTP_LEN);
    buf[0] = (0 << 6) | (4 << 3) | 3; // LI 0, VN 4, mode 3 (client)
    buf[2] = this.poll;
    buf[3] = 0xe9; // precision 2^-23 s
    this.origin = ts + this.clientOffsetSec;
    putTimestamp(buf, 40, this.origin);
    this.received = ts;
    return NTP_LEN;
  }

  response(ts: number, buf: Uint8Array): number {
    buf.fill(0, 0, NTP_LEN);
    buf[0] = (0 << 6) | (4 << 3) | 4; // LI 0, VN 4, mode 4 (server)
    buf[1] = 2; // stratum 2
    buf[2] = this.poll;
    buf[3] = 0xe8; // precision 2^-24 s
    putU32(buf, 4, 0x0000_0a3d); // root delay 0.04 s (16.16 fixed point)
    putU32(buf, 8, 0x0000_1c29); // root dispersion 0.11 s
    putU32(buf, 12, this.refId);
    putTimestamp(buf, 16, Math.floor(ts / 64) * 64 - 17);
    putTimestamp(buf, 24, this.origin);
    putTimestamp(buf, 32, this.received + 0.000012);
    putTimestamp(buf, 40, ts - 0.000004);
    return NTP_LEN;
  }
}

/** 64-bit NTP timestamp (32-bit seconds since 1900, 32-bit fraction) of Unix time `ts`. */
function putTimestamp(buf: Uint8Array, off: number, ts: number): void {
  const secs = Math.floor(ts);
  putU32(buf, off, (secs + NTP_UNIX_OFFSET) >>> 0);
  putU32(buf, off + 4, Math.floor((ts - secs) * 4294967296) >>> 0);
}

function putU32(buf: Uint8Array, off: number, v: number): void {
  buf[off] = (v >>> 24) & 0xff;
  buf[off + 1] = (v >>> 16) & 0xff;
  buf[off + 2] = (v >>> 8) & 0xff;
  buf[off + 3] = v & 0xff;
}
