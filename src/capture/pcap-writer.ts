import { CwError } from '../errors.js';
import { BufferedOutput } from './buffered-output.js';
import { secondsToSecFrac } from './timestamp.js';

/** Options of a `PcapWriter`. */
export interface PcapWriterOptions {
  /** LINKTYPE_* value of every packet (tcpdump.org link-layer header types), 0–65535. */
  linkType: number;
  /** Snap length in bytes written in the header; longer packets are cut to it (default 262 144). */
  snaplen?: number;
  /** Timestamp resolution: 'micro' (default, magic 0xa1b2c3d4) or 'nano' (magic 0xa1b23c4d). */
  precision?: 'micro' | 'nano';
}

/**
 * Writes classic pcap (draft-ietf-opsawg-pcap §4 file header, §5 records), little-endian,
 * version 2.4, one link type. Output is buffered 1 MiB at a time (`toFile`: constant memory for
 * output of any size; `toMemory`: kept for `bytes()`).
 * Timestamps: seconds (float) are split into whole seconds and a rounded micro/nanosecond count,
 * carrying into the seconds when the fraction rounds up to 10^6 (10^9); every microsecond value a
 * reader produces is written back unchanged.
 */
export class PcapWriter {
  private readonly snaplen: number;
  private readonly units: number;
  private readonly split: [number, number] = [0, 0];

  private constructor(
    private readonly out: BufferedOutput,
    opts: PcapWriterOptions,
  ) {
    if (!Number.isInteger(opts.linkType) || opts.linkType < 0 || opts.linkType > 0xffff) {
      throw new CwError('CW_ERR_CONFIG', `pcap link type must be an integer 0-65535, got ${opts.linkType}`);
    }
    this.snaplen = opts.snaplen ?? 262_144;
    if (!Number.isInteger(this.snaplen) || this.snaplen < 1 || this.snaplen > 0xffffffff) {
      throw new CwError('CW_ERR_CONFIG', `pcap snaplen must be a positive 32-bit integer, got ${this.snaplen}`);
    }
    const nano = opts.precision === 'nano';
    this.units = nano ? 1e9 : 1e6;
    const at = out.reserve(24);
    const v = out.view;
    v.setUint32(at, nano ? 0xa1b23c4d : 0xa1b2c3d4, true); // magic
    v.setUint16(at + 4, 2, true); // major version
    v.setUint16(at + 6, 4, true); // minor version
    v.setUint32(at + 8, 0, true); // reserved1 (thiszone)
    v.setUint32(at + 12, 0, true); // reserved2 (sigfigs)
    v.setUint32(at + 16, this.snaplen, true); // snaplen
    v.setUint32(at + 20, opts.linkType, true); // link type, no FCS information
  }

  /**
   * A writer to a new file (created or truncated); the header is written at once.
   * @throws CwError CW_ERR_WRITE (cannot create), CW_ERR_CONFIG (bad options)
   */
  static toFile(path: string, opts: PcapWriterOptions): PcapWriter {
    const out = BufferedOutput.toFile(path);
    try {
      return new PcapWriter(out, opts);
    } catch (e) {
      out.close();
      throw e;
    }
  }

  /**
   * A writer that keeps the capture in memory; read it with `bytes()`.
   * @throws CwError CW_ERR_CONFIG (bad options)
   */
  static toMemory(opts: PcapWriterOptions): PcapWriter {
    return new PcapWriter(BufferedOutput.toMemory(), opts);
  }

  /**
   * Appends one record.
   * @param ts capture time, seconds since the epoch (float, 0 ≤ ts < 2^32)
   * @param data frame bytes; cut to the snap length
   * @param origLen length on the wire in bytes (default data.length; never less than what is written)
   * @throws CwError CW_ERR_WRITE (after close, or the file write fails)
   */
  writePacket(ts: number, data: Uint8Array, origLen?: number): void {
    const incl = data.length < this.snaplen ? data.length : this.snaplen;
    const orig = origLen === undefined ? data.length : Math.max(origLen, incl);
    secondsToSecFrac(ts, this.units, this.split);
    const at = this.out.reserve(16);
    const v = this.out.view;
    v.setUint32(at, this.split[0], true); // ts_sec
    v.setUint32(at + 4, this.split[1], true); // ts_usec / ts_nsec
    v.setUint32(at + 8, incl, true); // incl_len
    v.setUint32(at + 12, orig, true); // orig_len
    this.out.append(incl === data.length ? data : data.subarray(0, incl));
  }

  /**
   * Hands the buffered records to the file now (a reader following the file sees them).
   * @throws CwError CW_ERR_WRITE (the file write fails)
   */
  flush(): void {
    this.out.flush();
  }

  /** Flushes and closes the output. Idempotent. @throws CwError CW_ERR_WRITE */
  close(): void {
    this.out.close();
  }

  /**
   * The whole capture written so far (memory writers only).
   * @throws CwError CW_ERR_USAGE on a file writer
   */
  bytes(): Uint8Array {
    return this.out.bytes();
  }
}
