import type { LogRecord } from '../../events/record.js';
import { sideFields, type FlowIds } from '../icsnpp-fields.js';
import { zeekEscape } from '../zeek-escape.js';

/** Largest SZL record (LENTHDR) the identity reader joins across fragments, in bytes. */
export const MAX_SZL_RECORD_BYTES = 256;

/** Partial list number (low byte of the SZL id) of module identification, SZL-ID W#16#xy11. */
export const SZL_MODULE_IDENTIFICATION = 0x11;
/** Partial list number (low byte of the SZL id) of component identification, SZL-ID W#16#xy1C. */
export const SZL_COMPONENT_IDENTIFICATION = 0x1c;

/** Smallest module identification record: index (2), MlfB (20), BGTyp, Ausbg, Ausbe (2 each), in bytes. */
const MODULE_RECORD_BYTES = 28;
/** Smallest component identification record read: index (2) and a 24-byte name, in bytes. */
const COMPONENT_RECORD_BYTES = 26;

/**
 * True for the Read SZL lists whose records describe the answering device: module identification
 * (W#16#xy11) and component identification (W#16#xy1C), any partial list extract (high byte).
 * @param szlId the 16-bit SZL id of the request or response
 */
export function isIdentitySzl(szlId: number): boolean {
  const list = szlId & 0xff;
  return list === SZL_MODULE_IDENTIFICATION || list === SZL_COMPONENT_IDENTIFICATION;
}

/**
 * Device identity collected from the Read SZL responses of one flow, record layouts per Siemens
 * "System Software for S7-300/400 System and Standard Functions" (SZL chapter), as Wireshark's
 * `s7comm.szl.xy11.*` and `s7comm.szl.001c.*` fields dissect them:
 * - W#16#xy11 module identification, 28-byte records: index (u16), MlfB order number (20 ASCII,
 *   space padded), BGTyp module type id (u16), Ausbg (u16), Ausbe (u16). Index 0x0001 gives the
 *   order number, 0x0006 the basic hardware (its Ausbg is the hardware version), 0x0007 the basic
 *   firmware (Ausbg = version letter << 8 | major, Ausbe = minor << 8 | patch: `V 3.2.7`).
 * - W#16#xy1C component identification, 34-byte records of index (u16) + 32 bytes: 1 automation
 *   system name (24 chars), 2 module name (24), 3 plant designation (32), 4 copyright (26), 5 module
 *   serial number (24), 7 module type name (32), 8 memory card serial number (32), 9 manufacturer id,
 *   profile id, profile-specific type (u16 each), 10 OEM copyright (26 chars), OEM id (u16) and OEM
 *   additional id (u32), 11 location designation (32 chars).
 * Strings lose their trailing NULs (and the order number its trailing spaces); fields beyond the
 * announced record length (LENTHDR) are not read. Records may straddle user-data fragments: a
 * partial record is carried (bounded by MAX_SZL_RECORD_BYTES).
 */
export class KnownDevice {
  private automationSystemName: string | null = null;
  private moduleName: string | null = null;
  private plantName: string | null = null;
  private copyright: string | null = null;
  private moduleSerial: string | null = null;
  private moduleTypeName: string | null = null;
  private memoryCardSerial: string | null = null;
  private manufacturerId: number | null = null;
  private profileId: number | null = null;
  private profileSpecificType: number | null = null;
  private oemCopyright: string | null = null;
  private oemId: number | null = null;
  private oemAdditionalId: number | null = null;
  private location: string | null = null;
  private orderNumber: string | null = null;
  private hardwareVersion: number | null = null;
  private firmwareVersion: string | null = null;
  private anyRecord = false;
  /** Partial list being read (SZL_MODULE_IDENTIFICATION or SZL_COMPONENT_IDENTIFICATION), 0 when none. */
  private list = 0;
  private recordLength = 0;
  private readonly carry = new Uint8Array(MAX_SZL_RECORD_BYTES);
  private carryLength = 0;

  constructor(private readonly maxString: number) {}

  /** True once one identity record was read. */
  get seen(): boolean {
    return this.anyRecord;
  }

  /**
   * Start a response list of `recordLength`-byte records (LENTHDR) of SZL `szlId`; false when the id
   * is not an identity list (isIdentitySzl) or its records are too short to hold one field.
   */
  begin(szlId: number, recordLength: number): boolean {
    this.carryLength = 0;
    const list = szlId & 0xff;
    const min = list === SZL_MODULE_IDENTIFICATION ? MODULE_RECORD_BYTES : list === SZL_COMPONENT_IDENTIFICATION ? COMPONENT_RECORD_BYTES : 0;
    const ok = min !== 0 && recordLength >= min && recordLength <= MAX_SZL_RECORD_BYTES;
    this.list = ok ? list : 0;
    this.recordLength = ok ? recordLength : 0;
    return ok;
  }

  /** Stop joining records (the list ended or was lost). */
  reset(): void {
    this.list = 0;
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
    if (this.list === SZL_MODULE_IDENTIFICATION) this.moduleRecord(b, r);
    else this.componentRecord(b, r);
  }

  /** One W#16#xy11 record (28 bytes at `r`). */
  private moduleRecord(b: Uint8Array, r: number): void {
    const index = u16(b, r);
    if (index === 0x0001) {
      this.orderNumber = this.text(b, r + 2, 20, true);
      this.anyRecord = true;
    } else if (index === 0x0006) {
      this.hardwareVersion = u16(b, r + 24);
      this.anyRecord = true;
    } else if (index === 0x0007) {
      this.firmwareVersion = firmwareText(b[r + 24], b[r + 25], b[r + 26], b[r + 27]);
      this.anyRecord = true;
    }
  }

  /** One W#16#xy1C record (`recordLength` bytes at `r`). */
  private componentRecord(b: Uint8Array, r: number): void {
    const index = u16(b, r);
    const room = this.recordLength - 2;
    const o = r + 2;
    switch (index) {
      case 1:
        this.automationSystemName = this.text(b, o, Math.min(24, room), false);
        break;
      case 2:
        this.moduleName = this.text(b, o, Math.min(24, room), false);
        break;
      case 3:
        this.plantName = this.text(b, o, Math.min(32, room), false);
        break;
      case 4:
        this.copyright = this.text(b, o, Math.min(26, room), false);
        break;
      case 5:
        this.moduleSerial = this.text(b, o, Math.min(24, room), false);
        break;
      case 7:
        this.moduleTypeName = this.text(b, o, Math.min(32, room), false);
        break;
      case 8:
        this.memoryCardSerial = this.text(b, o, Math.min(32, room), false);
        break;
      case 9:
        this.manufacturerId = u16(b, o);
        this.profileId = u16(b, o + 2);
        this.profileSpecificType = u16(b, o + 4);
        break;
      case 10:
        this.oemCopyright = this.text(b, o, Math.min(26, room), false);
        if (room >= 32) {
          this.oemId = u16(b, o + 26);
          this.oemAdditionalId = u16(b, o + 28) * 0x10000 + u16(b, o + 30);
        }
        break;
      case 11:
        this.location = this.text(b, o, Math.min(32, room), false);
        break;
      default:
        return;
    }
    this.anyRecord = true;
  }

  /**
   * Name bytes without trailing NULs (and trailing spaces when `spaces`), rendered as Zeek writes raw
   * bytes (zeek-escape.ts), cut at the string bound.
   */
  private text(b: Uint8Array, off: number, width: number, spaces: boolean): string {
    let n = width;
    while (n > 0 && (b[off + n - 1] === 0 || (spaces && b[off + n - 1] === 0x20))) n--;
    return zeekEscape(b, off, off + n, this.maxString).text;
  }

  /**
   * The `s7comm_known_devices` record (log.ts KNOWN_DEVICES_STREAM): the PLC (responder of the SZL
   * reads) as the source; fields never told are null.
   */
  toRecord(f: FlowIds, ts: number): LogRecord {
    const r = sideFields(f, ts, false);
    r.automation_system_name = this.automationSystemName;
    r.module_name = this.moduleName;
    r.plant_name = this.plantName;
    r.module_serial = this.moduleSerial;
    r.module_type_name = this.moduleTypeName;
    r.order_number = this.orderNumber;
    r.hardware_version = this.hardwareVersion;
    r.firmware_version = this.firmwareVersion;
    r.copyright = this.copyright;
    r.memory_card_serial = this.memoryCardSerial;
    r.manufacturer_id = this.manufacturerId;
    r.profile_id = this.profileId;
    r.profile_specific_type = this.profileSpecificType;
    r.oem_copyright = this.oemCopyright;
    r.oem_id = this.oemId;
    r.oem_additional_id = this.oemAdditionalId;
    r.location = this.location;
    return r;
  }
}

/** Big-endian 16-bit value at `o`. */
function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

/**
 * Firmware version of a W#16#xy11 index 0x0007 record from its Ausbg (`g0`, `g1`) and Ausbe (`e0`,
 * `e1`) bytes: a printable first byte is the version letter (`V 3.2.7`); otherwise the version is
 * the three numbers alone (`3.2.7`).
 */
export function firmwareText(g0: number, g1: number, e0: number, e1: number): string {
  const numbers = `${g1}.${e0}.${e1}`;
  return g0 > 0x20 && g0 < 0x7f ? `${String.fromCharCode(g0)} ${numbers}` : numbers;
}
