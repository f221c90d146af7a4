/**
 * UN/EDIFACT writer (ISO 9735-1:2002): serializes segments with the level A service characters of a
 * `UNA:+.? '` service string advice, escapes the service characters in data with the release
 * character, omits trailing empty components and data elements (truncation), and wraps
 * messages in the interchange envelope with correct control counts: UNT 0074 = segments from UNH to
 * UNT inclusive, UNZ 0036 = messages in the interchange (ISO 9735-1 service segments).
 * Output is deterministic: the caller supplies every date and reference.
 */
import { CwError } from '../../errors.js';
import { isoParts, toFormat203 } from './values.js';

/** A data element: one value, or its components in order (null or '' for an empty one). */
export type EdiValue = string | null | readonly (string | null)[];

/** Interchange header data (UNB, syntax UNOA version 2, as SMDG user manuals show it). */
export interface InterchangeInput {
  /** S002 0004 sender identification. */
  readonly sender: string;
  /** S003 0010 recipient identification. */
  readonly recipient: string;
  /** Preparation date and time, ISO 8601 local `YYYY-MM-DDTHH:MM` (written as S004 YYMMDD:HHMM). */
  readonly date: string;
  /** 0020 interchange control reference (also repeated in UNZ). */
  readonly controlRef: string;
}

/** Line break written after each segment terminator: none (the standard form), LF or CR LF. */
export type EdiNewline = '' | '\n' | '\r\n';

/** Characters that must be released in data: `?` first, then `:` `+` `'`. */
const RELEASE_RE = /[?:+']/g;

/** `text` with every service character preceded by the release character `?`. */
export function escapeEdi(text: string): string {
  return text.replace(RELEASE_RE, '?$&');
}

function element(v: EdiValue): string {
  if (v === null) return '';
  if (typeof v === 'string') return escapeEdi(v);
  let last = v.length - 1;
  while (last >= 0 && (v[last] === null || v[last] === '')) last--;
  let out = '';
  for (let i = 0; i <= last; i++) {
    if (i > 0) out += ':';
    const c = v[i];
    if (c !== null) out += escapeEdi(c);
  }
  return out;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Builds one interchange: UNA, UNB, then messages (`beginMessage` … segments … `endMessage`), then
 * `finish` writes UNZ and returns the text.
 */
export class EdiBuilder {
  private out: string;
  private messageSegments = 0;
  private messageRef: string | null = null;
  private messages = 0;
  private finished = false;

  /**
   * Start an interchange: `UNA:+.? '` and `UNB+UNOA:2+sender+recipient+YYMMDD:HHMM+controlRef'`.
   * @throws CwError `CW_ERR_CONFIG` when `header.date` is not `YYYY-MM-DDTHH:MM`
   */
  constructor(
    private readonly header: InterchangeInput,
    private readonly newline: EdiNewline = '',
  ) {
    const p = isoParts(header.date);
    if (p === null) throw new CwError('CW_ERR_CONFIG', `interchange date must be YYYY-MM-DDTHH:MM, got "${header.date}"`);
    const d = `${pad2(p.year % 100)}${pad2(p.month)}${pad2(p.day)}`;
    const t = `${pad2(p.hour)}${pad2(p.minute)}`;
    this.out = `UNA:+.? '${newline}`;
    this.raw('UNB', [['UNOA', '2'], header.sender, header.recipient, [d, t], header.controlRef]);
  }

  /**
   * Start a message: `UNH+reference+type:version:release:agency:association'` (S009).
   * @throws CwError `CW_ERR_CONFIG` when a message is already open or the interchange is finished
   */
  beginMessage(reference: string, type: string, version: string, release: string, agency: string, association: string | null): void {
    if (this.finished || this.messageRef !== null) throw new CwError('CW_ERR_CONFIG', 'EDIFACT message begun inside another message or after UNZ');
    this.messageRef = reference;
    this.messageSegments = 0;
    this.messages++;
    this.segment('UNH', reference, [type, version, release, agency, association]);
  }

  /**
   * One segment inside the open message; trailing empty data elements are omitted.
   * @throws CwError `CW_ERR_CONFIG` when no message is open or the tag is not `[A-Z][A-Z0-9]{2}`
   */
  segment(tag: string, ...elements: EdiValue[]): void {
    if (this.messageRef === null) throw new CwError('CW_ERR_CONFIG', `EDIFACT segment ${tag} outside a message`);
    this.raw(tag, elements);
    this.messageSegments++;
  }

  /** Close the open message with `UNT+count+reference'`, count including UNH and UNT. */
  endMessage(): void {
    const ref = this.messageRef;
    if (ref === null) throw new CwError('CW_ERR_CONFIG', 'EDIFACT UNT without an open message');
    this.messageSegments++;
    this.raw('UNT', [String(this.messageSegments), ref]);
    this.messageRef = null;
  }

  /**
   * Write `UNZ+messages+controlRef'` and return the interchange text.
   * @throws CwError `CW_ERR_CONFIG` when a message is still open
   */
  finish(): string {
    if (this.messageRef !== null) throw new CwError('CW_ERR_CONFIG', 'EDIFACT interchange finished inside a message');
    if (!this.finished) {
      this.raw('UNZ', [String(this.messages), this.header.controlRef]);
      this.finished = true;
    }
    return this.out;
  }

  private raw(tag: string, elements: readonly EdiValue[]): void {
    if (!/^[A-Z][A-Z0-9]{2}$/.test(tag)) throw new CwError('CW_ERR_CONFIG', `bad EDIFACT segment tag "${tag}"`);
    let last = elements.length - 1;
    while (last >= 0 && element(elements[last]) === '') last--;
    let s = tag;
    for (let i = 0; i <= last; i++) s += `+${element(elements[i])}`;
    this.out += `${s}'${this.newline}`;
  }
}

/** A decimal as EDIFACT writes it: up to 3 decimals, trailing zeros dropped, `.` mark, no exponent. */
export function ediNumber(n: number, what: string): string {
  if (!Number.isFinite(n) || Math.abs(n) >= 1e15) throw new CwError('CW_ERR_CONFIG', `${what} must be a finite number, got ${n}`);
  const s = n.toFixed(3).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

/** DTM C507 value in format 203, or a config error naming the field. */
export function dtm203(iso: string, what: string): string {
  const v = toFormat203(iso);
  if (v === null) throw new CwError('CW_ERR_CONFIG', `${what} must be YYYY-MM-DDTHH:MM, got "${iso}"`);
  return v;
}

/** TDT C222 transport identification: call sign (code list 103) or IMO number (146), and the name. */
export function vesselComposite(v: { name: string; callSign?: string | null; imo?: string | null }): (string | null)[] {
  if (v.callSign) return [v.callSign, '103', 'ZZZ', v.name];
  if (v.imo) return [v.imo, '146', '11', v.name];
  return [null, '103', 'ZZZ', v.name];
}
