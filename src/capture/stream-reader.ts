import type { FileHandle } from 'node:fs/promises';
import { CwError } from '../errors.js';
import type { ChunkSource } from './chunk-source.js';
import { detectCaptureFormat, HEADER_PROBE_BYTES } from './detect.js';
import type { CaptureFormat, CaptureWarning, RawPacket } from './packet.js';
import { PcapParser } from './pcap-parser.js';
import { PcapngParser } from './pcapng-parser.js';
import type { CaptureReader } from './reader.js';
import type { RecordParser } from './record-parser.js';

const EMPTY: Uint8Array = new Uint8Array(0);

/**
 * The streaming driver behind every `CaptureReader`: pulls fresh buffers from a `ChunkSource`,
 * lets the format's `RecordParser` take every complete record, carries the cut record at the end
 * of a buffer into the next one, and reports a cut final record as `capture.truncated_record`
 * (with its byte offset). Formats by magic number (capture/detect.ts): pcap
 * (draft-ietf-opsawg-pcap), pcapng (draft-ietf-opsawg-pcapng).
 */
export class CaptureStreamReader implements CaptureReader {
  readonly warnings: CaptureWarning[] = [];
  private fmt: CaptureFormat | null = null;
  private parser: RecordParser | null = null;
  private first: Uint8Array | null = null;
  private started = false;

  /**
   * @param source the byte source, owned (closed) by this reader
   * @param name path or stream name, for warnings and messages
   * @param sourceIndex input index copied into every RawPacket.source
   * @param sizeBytes input size in bytes when known, else null
   */
  constructor(
    private readonly source: ChunkSource,
    readonly name: string,
    private readonly sourceIndex: number,
    readonly sizeBytes: number | null,
  ) {}

  get format(): CaptureFormat {
    if (this.fmt === null) {
      throw new CwError('CW_ERR_USAGE', `the format of ${this.name} is not known before its first bytes are read`);
    }
    return this.fmt;
  }

  get bytesRead(): number {
    return this.source.bytesRead;
  }

  /**
   * Reads the first bytes, chooses the format and checks the file header. Idempotent.
   * Closes the source when it throws.
   * @throws CwError CW_ERR_EMPTY, CW_ERR_NOT_CAPTURE, CW_ERR_BAD_CAPTURE_HEADER, CW_ERR_READ
   */
  async close(): Promise<void> {
    await this.source.close();
  }

  async handOver(): Promise<FileHandle | null> {
    if (this.started || this.sizeBytes === null || this.source.handOver === undefined) return null;
    this.started = true;
    return this.source.handOver();
  }

  async detect(): Promise<void> {
    if (this.parser !== null) return;
    try {
      const head = (await this.source.next(EMPTY, HEADER_PROBE_BYTES)) ?? EMPTY;
      this.fmt = detectCaptureFormat(head, this.name);
      this.first = head;
    } catch (e) {
      await this.source.close();
      throw e;
    }
    this.parser =
      this.fmt === 'pcap'
        ? new PcapParser(this.name, this.sourceIndex, this.warnings)
        : new PcapngParser(this.name, this.sourceIndex, this.warnings);
  }

  async *batches(): AsyncGenerator<RawPacket[]> {
    if (this.started) throw new CwError('CW_ERR_USAGE', `the packets of ${this.name} can be read only once`);
    this.started = true;
    try {
      await this.detect();
      const parser = this.parser as RecordParser;
      let buf: Uint8Array | null = this.first;
      this.first = null;
      let offset = 0;
      let carry: Uint8Array = EMPTY;
      while (buf !== null) {
        const out: RawPacket[] = [];
        const used = parser.parse(buf, offset, out);
        offset += used;
        carry = buf.subarray(used);
        buf = null;
        if (out.length > 0) yield out;
        if (parser.stopped) break;
        buf = await this.source.next(carry, parser.need);
      }
      if (!parser.stopped && carry.length > 0) this.truncated(offset, carry.length, parser.need);
    } finally {
      await this.source.close();
    }
  }

  private truncated(offset: number, have: number, need: number): void {
    this.warnings.push({
      file: this.name,
      offset,
      code: 'capture.truncated_record',
      message: `${this.name} ends inside the record at byte ${offset} (${have} of at least ${need} bytes present); earlier packets are kept`,
    });
  }
}
