import { CwError } from '../errors.js';
import { BufferedOutput } from './buffered-output.js';
import { secondsToTicks } from './timestamp.js';

/** Block types and options written (draft-ietf-opsawg-pcapng §4.1 SHB, §4.2 IDB, §4.3 EPB). */
const BT_SHB = 0x0a0d0d0a;
const BT_IDB = 1;
const BT_EPB = 6;
const OPT_IF_TSRESOL = 9;

/** Options of a `PcapngWriter`: when `linkType` is given, interface 0 is described at once. */
export interface PcapngWriterOptions {
  /** LINKTYPE_* value of interface 0 (see `addInterface`). */
  linkType?: number;
  /** Snap length of interface 0 in bytes (default 262 144). */
  snaplen?: number;
  /** if_tsresol byte of interface 0 (default 6: microseconds). */
  tsresol?: number;
}

/** One described interface. */
interface WriterIface {
  linkType: number;
  snaplen: number;
  tsresol: number;
  unitsPerSecond: number;
}

/**
 * Writes pcapng (draft-ietf-opsawg-pcapng), little-endian: one Section Header Block (version 1.0,
 * section length unspecified), one Interface Description Block per `addInterface` (with its
 * if_tsresol option), and Enhanced Packet Blocks without options. Buffered like `PcapWriter`
 * (`toFile`: constant memory; `toMemory`: `bytes()`).
 */
export class PcapngWriter {
  private readonly ifaces: WriterIface[] = [];
  private readonly ticks: [number, number] = [0, 0];

  private constructor(
    private readonly out: BufferedOutput,
    opts: PcapngWriterOptions,
  ) {
    const at = out.reserve(28);
    const v = out.view;
    v.setUint32(at, BT_SHB, true); // block type
    v.setUint32(at + 4, 28, true); // block total length
    v.setUint32(at + 8, 0x1a2b3c4d, true); // byte-order magic
    v.setUint16(at + 12, 1, true); // major version
    v.setUint16(at + 14, 0, true); // minor version
    v.setInt32(at + 16, -1, true); // section length -1 (unspecified), low half
    v.setInt32(at + 20, -1, true); // high half
    v.setUint32(at + 24, 28, true); // block total length (trailing copy)
    if (opts.linkType !== undefined) this.addInterface(opts.linkType, opts.snaplen, opts.tsresol);
  }

  /**
   * A writer to a new file (created or truncated); the section header is written at once.
   * @throws CwError CW_ERR_WRITE (cannot create), CW_ERR_CONFIG (bad interface options)
   */
  static toFile(path: string, opts: PcapngWriterOptions = {}): PcapngWriter {
    const out = BufferedOutput.toFile(path);
    try {
      return new PcapngWriter(out, opts);
    } catch (e) {
      out.close();
      throw e;
    }
  }

  /**
   * A writer that keeps the capture in memory; read it with `bytes()`.
   * @throws CwError CW_ERR_CONFIG (bad interface options)
   */
  static toMemory(opts: PcapngWriterOptions = {}): PcapngWriter {
    return new PcapngWriter(BufferedOutput.toMemory(), opts);
  }

  /**
   * Describes an interface (IDB, §4.2) and returns its id for `writePacket`. Asking again for the
   * same link type, snap length and resolution returns the existing id.
   * @param linkType LINKTYPE_* value, 0–65535
   * @param snaplen snap length in bytes (default 262 144; 0 = none); longer packets are cut
   * @param tsresol if_tsresol byte: k for 10^-k s, or 0x80 | k for 2^-k s (default 6: microseconds);
   *   the resolution may be at most 2^32 ticks per second
   * @throws CwError CW_ERR_CONFIG (bad values), CW_ERR_WRITE
   */
  addInterface(linkType: number, snaplen = 262_144, tsresol = 6): number {
    if (!Number.isInteger(linkType) || linkType < 0 || linkType > 0xffff) {
      throw new CwError('CW_ERR_CONFIG', `pcapng link type must be an integer 0-65535, got ${linkType}`);
    }
    if (!Number.isInteger(snaplen) || snaplen < 0 || snaplen > 0xffffffff) {
      throw new CwError('CW_ERR_CONFIG', `pcapng snaplen must be a 32-bit integer ≥ 0, got ${snaplen}`);
    }
    const unitsPerSecond = Number.isInteger(tsresol) && tsresol >= 0 && tsresol <= 0xff
      ? tsresol & 0x80 ? 2 ** (tsresol & 0x7f) : 10 ** tsresol
      : Infinity;
    if (unitsPerSecond > 4294967296) {
      throw new CwError('CW_ERR_CONFIG', `pcapng if_tsresol ${tsresol} is finer than 2^-32 s or not a byte`);
    }
    const found = this.ifaces.findIndex((f) => f.linkType === linkType && f.snaplen === snaplen && f.tsresol === tsresol);
    if (found >= 0) return found;
    const at = this.out.reserve(32);
    const v = this.out.view;
    v.setUint32(at, BT_IDB, true); // block type
    v.setUint32(at + 4, 32, true); // block total length
    v.setUint16(at + 8, linkType, true); // link type
    v.setUint16(at + 10, 0, true); // reserved
    v.setUint32(at + 12, snaplen, true); // snap length
    v.setUint16(at + 16, OPT_IF_TSRESOL, true); // option code if_tsresol
    v.setUint16(at + 18, 1, true); // option length
    v.setUint32(at + 20, tsresol, true); // value byte + 3 padding bytes (zero)
    v.setUint32(at + 24, 0, true); // opt_endofopt (code 0, length 0)
    v.setUint32(at + 28, 32, true); // block total length (trailing copy)
    this.ifaces.push({ linkType, snaplen, tsresol, unitsPerSecond });
    return this.ifaces.length - 1;
  }

  /**
   * Appends one Enhanced Packet Block (§4.3).
   * @param interfaceId an id from `addInterface`
   * @param ts capture time, seconds since the epoch (float, ≥ 0), rounded to the interface resolution
   * @param data frame bytes; cut to the interface's snap length
   * @param origLen length on the wire in bytes (default data.length; never less than what is written)
   * @throws CwError CW_ERR_USAGE (unknown interface id), CW_ERR_WRITE
   */
  writePacket(interfaceId: number, ts: number, data: Uint8Array, origLen?: number): void {
    const iface = this.ifaces[interfaceId];
    if (iface === undefined) throw new CwError('CW_ERR_USAGE', `pcapng interface ${interfaceId} was not added`);
    const cap = iface.snaplen !== 0 && data.length > iface.snaplen ? iface.snaplen : data.length;
    const orig = origLen === undefined ? data.length : Math.max(origLen, cap);
    const pad = (4 - (cap & 3)) & 3;
    const total = 32 + cap + pad;
    secondsToTicks(ts, iface.unitsPerSecond, this.ticks);
    const at = this.out.reserve(28);
    const v = this.out.view;
    v.setUint32(at, BT_EPB, true); // block type
    v.setUint32(at + 4, total, true); // block total length
    v.setUint32(at + 8, interfaceId, true); // interface id
    v.setUint32(at + 12, this.ticks[0], true); // timestamp, upper 32 bits
    v.setUint32(at + 16, this.ticks[1], true); // timestamp, lower 32 bits
    v.setUint32(at + 20, cap, true); // captured packet length
    v.setUint32(at + 24, orig, true); // original packet length
    this.out.append(cap === data.length ? data : data.subarray(0, cap));
    const tail = this.out.reserve(pad + 4, true);
    v.setUint32(tail + pad, total, true); // padding, then block total length (trailing copy)
  }

  /**
   * Hands the buffered blocks to the file now (a reader following the file sees them).
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
