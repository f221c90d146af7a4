import type { CaptureWarning, RawPacket } from './packet.js';
import { PCAPNG_BYTE_ORDER_MAGIC, PCAPNG_SHB_TYPE } from './detect.js';
import { CAPTURE_BOUNDS } from './bounds.js';
import type { RecordParser } from './record-parser.js';
import { ticksToSeconds } from './timestamp.js';

/** Block types (draft-ietf-opsawg-pcapng §4 and Appendix A for the obsolete Packet Block). */
const BT_IDB = 1;
const BT_PB = 2;
const BT_SPB = 3;
const BT_EPB = 6;

/** IDB options (draft-ietf-opsawg-pcapng §4.2): end of options, if_tsresol, if_tsoffset. */
const OPT_ENDOFOPT = 0;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;

const TWO32 = 4294967296;

/** One Interface Description Block of the current section. */
interface Iface {
  /** LINKTYPE_* value (16 bits). */
  linkType: number;
  /** Snap length in bytes; 0 means none. */
  snaplen: number;
  /** Timestamp ticks per second (if_tsresol: 10^k or 2^k; default 10^6). */
  unitsPerSecond: number;
  /** Seconds added to every timestamp (if_tsoffset; default 0). */
  offsetSec: number;
}

/**
 * Incremental parser of pcapng (draft-ietf-opsawg-pcapng). Handles:
 * - Section Header Blocks (§4.1) in either byte order, several per file; each resets the interfaces;
 * - Interface Description Blocks (§4.2): link type, snap length, if_tsresol (option 9, power of 10
 *   or, with the high bit set, power of 2), if_tsoffset (option 14, seconds);
 * - Enhanced Packet Blocks (§4.3), Simple Packet Blocks (§4.4: interface 0, captured length =
 *   min(original length, snap length, room in the block); no timestamp, so the packet takes the
 *   timestamp of the file's previous packet, 0 before any) and the obsolete Packet Block (Appendix A);
 * - every other block (name resolution, interface statistics, decryption secrets, custom, unknown)
 *   is skipped.
 * Damage (warnings; the file stops there, keeping every earlier packet):
 * - `capture.bad_block_length`: block total length not a multiple of 4, < 12 (or below the block
 *   type's fixed part), > 16 MiB, or unequal to its trailing copy (§3.1);
 * - `capture.bad_record_length`: an EPB/PB captured length larger than its block;
 * - `capture.bad_section_header`: a later SHB with a bad byte-order magic or a major version ≠ 1.
 * Not fatal: `capture.unknown_interface` (a packet whose interface id has no IDB in its section;
 * once per id and section, the packet is skipped) and `capture.bad_option_length` (an IDB option
 * running past its block; the options after it are ignored), `capture.too_many_interfaces` (more
 * than 4096 IDBs in a section; the extra ones are ignored).
 * Timestamps are 64-bit tick counts split in two 32-bit halves (§4.3), converted by
 * `ticksToSeconds`, plus if_tsoffset. Frame numbers count packet blocks delivered, from 1, which is
 * tshark's frame.number except that tshark 4.x also numbers custom blocks (0x00000BAD/0x40000BAD)
 * as frames.
 */
export class PcapngParser implements RecordParser {
  need = 12;
  stopped = false;
  private le = true;
  private ifaces: Iface[] = [];
  private readonly unknownIfWarned = new Set<number>();
  private frame = 0;
  private lastTs = 0;
  private tooManyWarned = false;

  /**
   * @param name file path or stream name, for warnings
   * @param source input index copied into every RawPacket.source
   * @param warnings array the parser appends its warnings to (at most CAPTURE_BOUNDS.maxWarnings)
   */
  constructor(
    private readonly name: string,
    private readonly source: number,
    readonly warnings: CaptureWarning[],
  ) {}

  parse(buf: Uint8Array, fileOffset: number, out: RawPacket[]): number {
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const end = buf.length;
    const source = this.source;
    let o = 0;
    let need = 12;
    while (true) {
      const avail = end - o;
      if (avail < 12) {
        need = 12;
        break;
      }
      let le = this.le;
      const type = dv.getUint32(o, le);
      if (type === PCAPNG_SHB_TYPE) {
        const bom = dv.getUint32(o + 8, true);
        if (bom === PCAPNG_BYTE_ORDER_MAGIC) le = true;
        else if (bom === 0x4d3c2b1a) le = false;
        else {
          this.damage(
            fileOffset + o,
            'capture.bad_section_header',
            `section header block at byte ${fileOffset + o} has a bad byte-order magic; the rest of ${this.name} is skipped`,
          );
          break;
        }
      }
      const len = dv.getUint32(o + 4, le);
      if (len < 12 || (len & 3) !== 0 || len > CAPTURE_BOUNDS.maxBlockBytes) {
        this.badBlockLength(fileOffset + o, len);
        break;
      }
      if (avail < len) {
        need = len;
        break;
      }
      if (dv.getUint32(o + len - 4, le) !== len) {
        this.badBlockLength(fileOffset + o, len);
        break;
      }
      if (type === BT_EPB || type === BT_PB) {
        // EPB (§4.3) and PB (Appendix A) share the layout after the interface id: timestamp high,
        // timestamp low, captured length, original length, data at 28. EPB: u32 interface id;
        // PB: u16 interface id + u16 drops count.
        if (len < 32) {
          this.badBlockLength(fileOffset + o, len);
          break;
        }
        const cap = dv.getUint32(o + 20, le);
        if (cap > len - 32) {
          this.badCapturedLength(fileOffset + o, cap, len);
          break;
        }
        const ifId = type === BT_EPB ? dv.getUint32(o + 8, le) : dv.getUint16(o + 8, le);
        const iface = this.ifaces[ifId];
        if (iface === undefined) this.unknownInterface(fileOffset + o, ifId);
        else {
          const ts = ticksToSeconds(dv.getUint32(o + 12, le), dv.getUint32(o + 16, le), iface.unitsPerSecond) + iface.offsetSec;
          this.lastTs = ts;
          out.push({
            ts,
            linkType: iface.linkType,
            data: buf.subarray(o + 28, o + 28 + cap),
            origLen: dv.getUint32(o + 24, le),
            source,
            frame: ++this.frame,
          });
        }
      } else if (type === BT_SPB) {
        if (len < 16) {
          this.badBlockLength(fileOffset + o, len);
          break;
        }
        const iface = this.ifaces[0];
        if (iface === undefined) this.unknownInterface(fileOffset + o, 0);
        else {
          const orig = dv.getUint32(o + 8, le);
          let cap = len - 16;
          if (orig < cap) cap = orig;
          if (iface.snaplen !== 0 && iface.snaplen < cap) cap = iface.snaplen;
          out.push({
            ts: this.lastTs,
            linkType: iface.linkType,
            data: buf.subarray(o + 12, o + 12 + cap),
            origLen: orig,
            source,
            frame: ++this.frame,
          });
        }
      } else if (type === BT_IDB) {
        if (len < 20) {
          this.badBlockLength(fileOffset + o, len);
          break;
        }
        if (this.ifaces.length < CAPTURE_BOUNDS.maxInterfaces) this.ifaces.push(this.readInterface(dv, o, len, le, fileOffset));
        else if (!this.tooManyWarned) {
          this.tooManyWarned = true;
          this.warn(
            fileOffset + o,
            'capture.too_many_interfaces',
            `interface description block at byte ${fileOffset + o} is beyond the ${CAPTURE_BOUNDS.maxInterfaces} interfaces ` +
              `kept per section; it and later ones in the section are ignored`,
          );
        }
      } else if (type === PCAPNG_SHB_TYPE) {
        if (len < 28) {
          this.badBlockLength(fileOffset + o, len);
          break;
        }
        const major = dv.getUint16(o + 12, le);
        if (major !== 1) {
          this.damage(
            fileOffset + o,
            'capture.bad_section_header',
            `section header block at byte ${fileOffset + o} has major version ${major} (only 1 is readable); ` +
              `the rest of ${this.name} is skipped`,
          );
          break;
        }
        this.le = le;
        this.ifaces = [];
        this.tooManyWarned = false;
        this.unknownIfWarned.clear();
      }
      o += len;
    }
    this.need = need;
    return o;
  }

  /** IDB body (§4.2): LinkType u16, reserved u16, SnapLen u32, then options up to the trailing length. */
  private readInterface(dv: DataView, o: number, len: number, le: boolean, fileOffset: number): Iface {
    const iface: Iface = {
      linkType: dv.getUint16(o + 8, le),
      snaplen: dv.getUint32(o + 12, le),
      unitsPerSecond: 1e6,
      offsetSec: 0,
    };
    const optEnd = o + len - 4;
    let p = o + 16;
    while (p + 4 <= optEnd) {
      const code = dv.getUint16(p, le);
      const optLen = dv.getUint16(p + 2, le);
      if (code === OPT_ENDOFOPT) break;
      if (p + 4 + optLen > optEnd) {
        this.warn(
          fileOffset + p,
          'capture.bad_option_length',
          `interface description block at byte ${fileOffset + o} has option ${code} running past the block; its later options are ignored`,
        );
        break;
      }
      if (code === OPT_IF_TSRESOL && optLen >= 1) {
        const v = dv.getUint8(p + 4);
        iface.unitsPerSecond = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
      } else if (code === OPT_IF_TSOFFSET && optLen >= 8) {
        const hi = le ? dv.getInt32(p + 8, true) : dv.getInt32(p + 4, false);
        const lo = le ? dv.getUint32(p + 4, true) : dv.getUint32(p + 8, false);
        iface.offsetSec = hi * TWO32 + lo;
      }
      p += 4 + ((optLen + 3) & ~3);
    }
    return iface;
  }

  private unknownInterface(offset: number, id: number): void {
    if (this.unknownIfWarned.has(id) || this.unknownIfWarned.size >= CAPTURE_BOUNDS.maxWarnings) return;
    this.unknownIfWarned.add(id);
    this.warn(
      offset,
      'capture.unknown_interface',
      `packet block at byte ${offset} refers to interface ${id}, but its section describes ${this.ifaces.length}; ` +
        `packets of that interface in this section are skipped`,
    );
  }

  private badBlockLength(offset: number, len: number): void {
    this.damage(
      offset,
      'capture.bad_block_length',
      `block at byte ${offset} has a damaged length (${len}); the rest of ${this.name} is skipped`,
    );
  }

  private badCapturedLength(offset: number, cap: number, len: number): void {
    this.damage(
      offset,
      'capture.bad_record_length',
      `packet block at byte ${offset} claims ${cap} captured bytes but the ${len}-byte block has room for ${len - 32}; ` +
        `the rest of ${this.name} is skipped`,
    );
  }

  private damage(offset: number, code: string, message: string): void {
    this.stopped = true;
    this.warn(offset, code, message);
  }

  private warn(offset: number, code: string, message: string): void {
    if (this.warnings.length >= CAPTURE_BOUNDS.maxWarnings) return;
    this.warnings.push({ file: this.name, offset, code, message });
  }
}
