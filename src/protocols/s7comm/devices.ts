import type { LogRecord } from '../../events/record.js';
import { sideFields, type FlowIds } from '../icsnpp-fields.js';
import { zeekEscape } from '../zeek-escape.js';

/** Largest SZL record (LENTHDR) the identity reader joins across fragments, in bytes. */
export const MAX_SZL_RECORD_BYTES = 256;

/**
 * Device identity collected from Read SZL 0x001c (component identification) responses of one flow
 * (S7-300/400 System Software manual, SZL-ID W#16#xy1C: records of index + 32 bytes; indices 1
 * automation system name, 2 module name, 3 plant designation, 5 serial number, 7 module type name).
 * Records may straddle user-data fragments: a partial record is carried (bounded by MAX_SZL_RECORD_BYTES).
 */
export class KnownDevice {
  private automationSystemName: string | null = null;
  private moduleName: string | null = null;
  private plantName: string | null = null;
  private moduleSerial: string | null = null;
  private moduleTypeName: string | null = null;
  private recordLength = 0;
  private readonly carry = new Uint8Array(MAX_SZL_RECORD_BYTES);
  private carryLength = 0;

  constructor(private readonly maxString: number) {}

  /** True once one identity record was read. */
  get seen(): boolean {
    return this.automationSystemName !== null || this.moduleName !== null || this.plantName !== null || this.moduleSerial !== null || this.moduleTypeName !== null;
  }

  /** Start a response list of `recordLength`-byte records (LENTHDR); false when it cannot hold index + name. */
  begin(recordLength: number): boolean {
    this.carryLength = 0;
    this.recordLength = recordLength >= 26 && recordLength <= MAX_SZL_RECORD_BYTES ? recordLength : 0;
    return this.recordLength !== 0;
  }

  /** Stop joining records (the list ended or was lost). */
  reset(): void {
    this.recordLength = 0;
    this.carryLength = 0;
  }

  /** Feed `len` bytes of record data at `off` (a view valid during the call). */
  feed(b: Uint8Array, off: number, len: number): void {
    const rl = this.recordLength;
    if (rl === 0) return;
    let i = off;
    const end = off + len;
    if (this.carryLength > 0) {
      const take = Math.min(rl - this.carryLength, end - i);
      this.carry.set(b.subarray(i, i + take), this.carryLength);
      this.carryLength += take;
      i += take;
      if (this.carryLength < rl) return;
      this.record(this.carry, 0);
      this.carryLength = 0;
    }
    for (; i + rl <= end; i += rl) this.record(b, i);
    if (i < end) {
      this.carry.set(b.subarray(i, end), 0);
      this.carryLength = end - i;
    }
  }

  private record(b: Uint8Array, r: number): void {
    const index = (b[r] << 8) | b[r + 1];
    if (index !== 1 && index !== 2 && index !== 3 && index !== 5 && index !== 7) return;
    const width = Math.min(index === 3 ? 32 : 24, this.recordLength - 2);
    const text = this.text(b, r + 2, width);
    if (index === 1) this.automationSystemName = text;
    else if (index === 2) this.moduleName = text;
    else if (index === 3) this.plantName = text;
    else if (index === 5) this.moduleSerial = text;
    else this.moduleTypeName = text;
  }

  /** Name bytes without trailing NULs, rendered as Zeek writes raw bytes (zeek-escape.ts), cut at the string bound. */
  private text(b: Uint8Array, off: number, width: number): string {
    let n = width;
    while (n > 0 && b[off + n - 1] === 0) n--;
    return zeekEscape(b, off, off + n, this.maxString).text;
  }

  /** The `s7comm_known_devices` record: the PLC (responder of the SZL reads) as the source. */
  toRecord(f: FlowIds, ts: number): LogRecord {
    const r = sideFields(f, ts, false);
    r.automation_system_name = this.automationSystemName;
    r.module_name = this.moduleName;
    r.plant_name = this.plantName;
    r.module_serial = this.moduleSerial;
    r.module_type_name = this.moduleTypeName;
    return r;
  }
}
