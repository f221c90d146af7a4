import type { CaptureWarning, RawPacket } from './packet.js';
import { PCAP_HEADER_BYTES } from './detect.js';
import { CAPTURE_BOUNDS } from './bounds.js';
import type { RecordParser } from './record-parser.js';
import { secFracToSeconds } from './timestamp.js';

/** pcap record header length: ts_sec, ts_usec/ts_nsec, incl_len, orig_len (draft-ietf-opsawg-pcap §5). */
const RECORD_HEADER_BYTES = 16;

/**
 * Incremental parser of classic pcap (draft-ietf-opsawg-pcap): the 24-byte file header (§4: magic
 * in either byte order, µs or ns timestamps, snap length, link type in the low 16 bits of the
 * LinkType field — the FCS bits above are masked out), then records (§5).
 *
 * Damage handling (warnings, keeping every earlier packet):
 * - `capture.bad_record_length`: incl_len above max(snaplen, 262 144) (capped at 16 MiB), or above
 *   orig_len by more than 65 535 bytes; the file stops there.
 * - `capture.truncated_record` (reported by the driver at end of input): the last record is cut.
 * The header must already have passed `detectCaptureFormat` (capture/detect.ts).
 */
export class PcapParser implements RecordParser {
  need = PCAP_HEADER_BYTES;
  stopped = false;
  private headerDone = false;
  private le = true;
  private unitsPerSecond = 1e6;
  private linkType = 0;
  private maxIncl: number = CAPTURE_BOUNDS.minRecordBound;
  private frame = 0;

  /**
   * @param name file path or stream name, for warnings
   * @param source input index copied into every RawPacket.source
   * @param warnings array the parser appends its warnings to
   */
  constructor(
    private readonly name: string,
    private readonly source: number,
    readonly warnings: CaptureWarning[],
  ) {}

  parse(buf: Uint8Array, fileOffset: number, out: RawPacket[]): number {
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const end = buf.length;
    let o = 0;
    if (!this.headerDone) {
      if (end < PCAP_HEADER_BYTES) {
        this.need = PCAP_HEADER_BYTES;
        return 0;
      }
      this.readHeader(dv);
      o = PCAP_HEADER_BYTES;
    }
    const le = this.le;
    const units = this.unitsPerSecond;
    const linkType = this.linkType;
    const maxIncl = this.maxIncl;
    const source = this.source;
    let frame = this.frame;
    let need = RECORD_HEADER_BYTES;
    while (true) {
      if (end - o < RECORD_HEADER_BYTES) {
        need = RECORD_HEADER_BYTES;
        break;
      }
      const incl = dv.getUint32(o + 8, le);
      const orig = dv.getUint32(o + 12, le);
      if (incl > maxIncl || incl > orig + CAPTURE_BOUNDS.maxExcessCapture) {
        this.badLength(fileOffset + o, incl, orig);
        break;
      }
      const recEnd = o + RECORD_HEADER_BYTES + incl;
      if (recEnd > end) {
        need = RECORD_HEADER_BYTES + incl;
        break;
      }
      out.push({
        ts: secFracToSeconds(dv.getUint32(o, le), dv.getUint32(o + 4, le), units),
        linkType,
        data: buf.subarray(o + RECORD_HEADER_BYTES, recEnd),
        origLen: orig,
        source,
        frame: ++frame,
      });
      o = recEnd;
    }
    this.frame = frame;
    this.need = need;
    return o;
  }

  private readHeader(dv: DataView): void {
    const magic = dv.getUint32(0, false);
    this.le = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
    this.unitsPerSecond = magic === 0xa1b23c4d || magic === 0x4d3cb2a1 ? 1e9 : 1e6;
    const snaplen = dv.getUint32(16, this.le);
    this.linkType = dv.getUint32(20, this.le) & 0xffff;
    this.maxIncl = Math.min(Math.max(snaplen, CAPTURE_BOUNDS.minRecordBound), CAPTURE_BOUNDS.maxBlockBytes);
    this.headerDone = true;
  }

  private badLength(offset: number, incl: number, orig: number): void {
    this.stopped = true;
    this.warnings.push({
      file: this.name,
      offset,
      code: 'capture.bad_record_length',
      message:
        `record at byte ${offset} claims ${incl} captured bytes of ${orig} on the wire ` +
        `(limit ${this.maxIncl}); the rest of ${this.name} is skipped`,
    });
  }
}
