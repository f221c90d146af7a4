/**
 * UN/EDIFACT syntax layer (ISO 9735-1:2002, syntax versions 1–4): splits an interchange into segments,
 * data elements and components. No message knowledge, no I/O, never throws: every fault becomes an
 * `EdiAnomaly` and reading goes on where it can.
 *
 * - Service string advice `UNA` (ISO 9735-1 §7.1): when the input starts with `UNA`, its next six
 *   characters are the component data element separator, data element separator, decimal mark,
 *   release character, reserved (repetition separator in version 4) and segment terminator. Without
 *   UNA the defaults `:+.? '` apply (ISO 9735-1 Annex A, level A); an interchange that starts
 *   `UNB` followed by IS3 (0x1D) uses the level B defaults: IS1 (0x1F) component, IS3 (0x1D) element,
 *   IS4 (0x1C) segment, no release character.
 * - Release character (§7.1): the character after it is data, whatever it is.
 * - Carriage return and line feed are not part of the syntax: they are ignored wherever they appear
 *   (between segments, as most files have them, or inside a segment of a file wrapped at a fixed
 *   width) unless they are themselves a delimiter or released. Spaces and tabs before a segment tag
 *   are skipped too.
 * - The segment tag is the first component of the first data element and must be `[A-Z][A-Z0-9]{2}`
 *   (§6.2); other segments (garbage, or an input that starts mid-segment) are dropped with
 *   `edifact.bad_segment_tag`.
 *
 * Input is read byte for byte as ISO 8859-1, so offsets are byte offsets; the UNOA–UNOC repertoires
 * are subsets of it (UTF-8 text of UNOW arrives as its bytes).
 */
import { EdiAnomalyLog } from './anomaly.js';
import { DEFAULT_EDI_LIMITS, type EdiLimits } from './limits.js';

/** The six service characters, as char codes (ISO 9735-1 §7.1). `release` is -1 when there is none. */
export interface Delimiters {
  /** Component data element separator, default `:`. */
  component: number;
  /** Data element separator, default `+`. */
  element: number;
  /** Decimal mark, default `.` (a reader accepts `,` too, ISO 9735-1 §10). */
  decimal: number;
  /** Release character, default `?`; -1 for none. */
  release: number;
  /** Reserved character (repetition separator in syntax version 4), default space. */
  reserved: number;
  /** Segment terminator, default `'`. */
  segment: number;
}

/** Level A defaults `:+.? '` (ISO 9735-1 Annex A). */
export const DEFAULT_DELIMITERS: Readonly<Delimiters> = Object.freeze({
  component: 0x3a,
  element: 0x2b,
  decimal: 0x2e,
  release: 0x3f,
  reserved: 0x20,
  segment: 0x27,
});

/** Level B defaults: IS1 component, IS3 element, IS4 segment, no release character (ISO 9735-1 Annex A). */
const LEVEL_B_DELIMITERS: Readonly<Delimiters> = Object.freeze({
  component: 0x1f,
  element: 0x1d,
  decimal: 0x2e,
  release: -1,
  reserved: 0x20,
  segment: 0x1c,
});

/** One segment: its tag and data elements, each the list of its components with release characters removed. */
export interface EdiSegment {
  /** Segment tag, e.g. `LOC`. */
  readonly tag: string;
  /** Data elements after the tag (element 1 is `elements[0]`); each holds at least one component (possibly ''). */
  readonly elements: readonly (readonly string[])[];
  /** 0-based ordinal of the segment in the input (UNA not counted; dropped segments counted). */
  readonly index: number;
  /** Byte offset of the segment's first character in the input. */
  readonly offset: number;
}

/** What `tokenize` returns. */
export interface TokenizeResult {
  /** Segments with a valid tag, in input order. */
  readonly segments: EdiSegment[];
  /** The service characters in force. */
  readonly delimiters: Readonly<Delimiters>;
  /** True when the input carried a UNA service string advice. */
  readonly una: boolean;
  /** Segments read, dropped ones included (the next free `index`). */
  readonly segmentsRead: number;
  /** True when reading stopped at `maxSegments`. */
  readonly stopped: boolean;
}

const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;

/** Input as a latin1 string (one char per byte); a string input is used as it is. */
export function ediText(input: Uint8Array | string): string {
  if (typeof input === 'string') return input;
  return Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
}

/** Delimiters of the UNA at `pos` (which starts with "UNA"), or null when it is too short or inconsistent. */
function readUna(s: string, pos: number): Delimiters | null {
  if (pos + 9 > s.length) return null;
  const d: Delimiters = {
    component: s.charCodeAt(pos + 3),
    element: s.charCodeAt(pos + 4),
    decimal: s.charCodeAt(pos + 5),
    release: s.charCodeAt(pos + 6),
    reserved: s.charCodeAt(pos + 7),
    segment: s.charCodeAt(pos + 8),
  };
  // A space as release character means "none" (ISO 9735-1 §7.1 allows it to be unused).
  if (d.release === SPACE) d.release = -1;
  const used = [d.component, d.element, d.segment];
  if (d.release >= 0) used.push(d.release);
  if (new Set(used).size !== used.length) return null;
  if (d.decimal !== 0x2e && d.decimal !== 0x2c) return null;
  return d;
}

function isTagStart(c: number): boolean {
  return c >= 0x41 && c <= 0x5a;
}

function isTagChar(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
}

function validTag(t: string): boolean {
  return t.length === 3 && isTagStart(t.charCodeAt(0)) && isTagChar(t.charCodeAt(1)) && isTagChar(t.charCodeAt(2));
}

/**
 * Split `input` into segments (ISO 9735-1 §6–7). Never throws; faults are added to `log`
 * (`edifact.*` names, see anomaly.ts).
 * @param input an interchange or any part of one (bytes or a latin1 string)
 * @param limits bounds (segments, component length, elements and components per segment)
 * @param log anomaly collector (one is made when omitted; pass one to share it with later stages)
 */
export function tokenize(
  input: Uint8Array | string,
  limits: Readonly<EdiLimits> = DEFAULT_EDI_LIMITS,
  log: EdiAnomalyLog = new EdiAnomalyLog(limits.maxAnomalies),
): TokenizeResult {
  const s = ediText(input);
  const len = s.length;
  let pos = 0;
  // UTF-8 byte order mark, as latin1.
  if (s.startsWith('\u00ef\u00bb\u00bf')) pos = 3;
  while (pos < len && isSkippable(s.charCodeAt(pos))) pos++;

  let delims: Readonly<Delimiters> = DEFAULT_DELIMITERS;
  let una = false;
  if (s.startsWith('UNA', pos)) {
    const d = readUna(s, pos);
    if (d === null) log.add('edifact.bad_una', 'violation', -1, pos, JSON.stringify(s.slice(pos, pos + 9)));
    else delims = d;
    una = true;
    pos = Math.min(len, pos + 9);
  } else if (s.startsWith('UNB', pos) && s.charCodeAt(pos + 3) === LEVEL_B_DELIMITERS.element) {
    delims = LEVEL_B_DELIMITERS;
  }

  const COMP = delims.component;
  const ELEM = delims.element;
  const SEG = delims.segment;
  const REL = delims.release;
  const crlfIsData = COMP === CR || COMP === LF || ELEM === CR || ELEM === LF || SEG === CR || SEG === LF;
  const maxLen = limits.maxElementLength;
  const maxElems = limits.maxElementsPerSegment + 1; // + the tag element
  const maxComps = limits.maxComponentsPerElement;

  const segments: EdiSegment[] = [];
  let index = 0;
  let stopped = false;

  while (pos < len) {
    // Skip line breaks and blanks between segments.
    let c = s.charCodeAt(pos);
    if (isSkippable(c) && c !== SEG) {
      pos++;
      continue;
    }
    if (index >= limits.maxSegments) {
      log.add('edifact.too_many_segments', 'fatal', index, pos, `limit ${limits.maxSegments}`);
      stopped = true;
      break;
    }
    const start = pos;
    const elements: string[][] = [];
    let comps: string[] = [];
    let runStart = pos; // start of the current plain run of the current component
    let value = ''; // text of the current component before runStart (only when a release or line break was met)
    let tooLongNoted = false;
    let elemsNoted = false;
    let compsNoted = false;
    let terminated = false;
    let i = pos;
    for (; i < len; i++) {
      c = s.charCodeAt(i);
      if (c === COMP || c === ELEM || c === SEG) {
        let v = runStart === i ? value : value + s.slice(runStart, i);
        if (v.length > maxLen) {
          v = v.slice(0, maxLen);
          if (!tooLongNoted) log.add('edifact.element_too_long', 'weird', index, start, `limit ${maxLen}`);
          tooLongNoted = true;
        }
        if (comps.length < maxComps) comps.push(v);
        else if (!compsNoted) {
          log.add('edifact.too_many_components', 'weird', index, start, `limit ${maxComps}`);
          compsNoted = true;
        }
        value = '';
        runStart = i + 1;
        if (c === COMP) continue;
        if (elements.length < maxElems) elements.push(comps);
        else if (!elemsNoted) {
          log.add('edifact.too_many_elements', 'weird', index, start, `limit ${maxElems - 1}`);
          elemsNoted = true;
        }
        comps = [];
        if (c === SEG) {
          terminated = true;
          break;
        }
        continue;
      }
      if (c === REL) {
        if (i + 1 >= len) {
          log.add('edifact.dangling_release', 'weird', index, i);
          value += s.slice(runStart, i);
          runStart = i + 1;
          continue;
        }
        // Bounded: only the first maxLen + 1 characters matter, the rest is cut later.
        if (value.length <= maxLen) value += s.slice(runStart, i) + s[i + 1];
        i++;
        runStart = i + 1;
        continue;
      }
      if ((c === CR || c === LF) && !crlfIsData) {
        if (value.length <= maxLen) value += s.slice(runStart, i);
        runStart = i + 1;
      }
    }
    if (!terminated) {
      let v = runStart >= i ? value : value + s.slice(runStart, i);
      if (v.length > maxLen) v = v.slice(0, maxLen);
      if (comps.length < maxComps) comps.push(v);
      if (elements.length < maxElems) elements.push(comps);
      log.add('edifact.unterminated_segment', 'weird', index, start);
    }
    pos = terminated ? i + 1 : len;
    const tag = (elements[0]?.[0] ?? '').trim();
    if (!validTag(tag)) {
      log.add('edifact.bad_segment_tag', 'violation', index, start, JSON.stringify(tag.slice(0, 16)));
      index++;
      continue;
    }
    elements.shift();
    segments.push({ tag, elements, index, offset: start });
    index++;
  }
  return { segments, delimiters: delims, una, segmentsRead: index, stopped };
}

/** CR, LF, space and tab: skipped before a segment tag. */
function isSkippable(c: number): boolean {
  return c === CR || c === LF || c === SPACE || c === TAB;
}

