/**
 * UN/EDIFACT syntax layer (ISO 9735-1:2002, syntax versions 1–4): splits an interchange into segments,
 * data elements and components. No message knowledge, no I/O, never throws: every fault becomes an
 * `EdiAnomaly` and reading goes on where it can.
 *
 * - Service string advice `UNA` (ISO 9735-1): when the input starts with `UNA`, its next six
 *   characters are the component data element separator, data element separator, decimal mark,
 *   release character, reserved (repetition separator in version 4) and segment terminator. Without
 *   UNA the defaults `:+.? '` apply (ISO 9735-1, character repertoire level A); an interchange that starts
 *   `UNB` followed by IS3 (0x1D) uses the level B defaults: IS1 (0x1F) component, IS3 (0x1D) element,
 *   IS4 (0x1C) segment, no release character.
 * - Release character: the character after it is data, whatever it is.
 * - Carriage return and line feed are not part of the syntax: they are ignored wherever they appear
 *   (between segments, as most files have them, or inside a segment of a file wrapped at a fixed
 *   width) unless they are themselves a delimiter or released. Spaces and tabs before a segment tag
 *   are skipped too.
 * - The segment tag is the first component of the first data element and must be `[A-Z][A-Z0-9]{2}`
 *   (ISO 9735-1 segment tag); other segments (garbage, or an input that starts mid-segment) are dropped with
 *   `edifact.bad_segment_tag`.
 *
 * Segments are compact: one object per segment holding the delimiter positions in a shared array;
 * component strings are cut from the input text only when read (`EdiSegment.comp`). A tokenized input
 * keeps its text alive while any of its segments is referenced.
 * Input is read byte for byte as ISO 8859-1, so offsets are byte offsets; the UNOA–UNOC repertoires
 * are subsets of it (UTF-8 text of UNOW arrives as its bytes).
 */
import { EdiAnomalyLog } from './anomaly.js';
import { DEFAULT_EDI_LIMITS, type EdiLimits } from './limits.js';

/** The six service characters, as char codes (ISO 9735-1 service string advice). `release` is -1 when there is none. */
export interface Delimiters {
  /** Component data element separator, default `:`. */
  component: number;
  /** Data element separator, default `+`. */
  element: number;
  /** Decimal mark, default `.` (a reader accepts `,` too: ISO 9735-1 allows either decimal mark). */
  decimal: number;
  /** Release character, default `?`; -1 for none. */
  release: number;
  /** Reserved character (repetition separator in syntax version 4), default space. */
  reserved: number;
  /** Segment terminator, default `'`. */
  segment: number;
}

/** Level A defaults `:+.? '` (ISO 9735-1, character repertoire level A). */
export const DEFAULT_DELIMITERS: Readonly<Delimiters> = Object.freeze({
  component: 0x3a,
  element: 0x2b,
  decimal: 0x2e,
  release: 0x3f,
  reserved: 0x20,
  segment: 0x27,
});

/** Level B defaults: IS1 component, IS3 element, IS4 segment, no release character (ISO 9735-1, character repertoire level B). */
const LEVEL_B_DELIMITERS: Readonly<Delimiters> = Object.freeze({
  component: 0x1f,
  element: 0x1d,
  decimal: 0x2e,
  release: -1,
  reserved: 0x20,
  segment: 0x1c,
});

const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;

/** Text and delimiter positions shared by the segments of one tokenized input. */
interface Store {
  readonly text: string;
  /** Delimiter positions: an element separator as its offset, a component separator as `~offset`. */
  marks: Int32Array;
  readonly release: number;
  /** CR (resp. LF) is a delimiter, so it is syntax and never removed from values as a line break. */
  readonly crIsSyntax: boolean;
  readonly lfIsSyntax: boolean;
  readonly maxLen: number;
  readonly maxElements: number;
  readonly maxComponents: number;
}

/**
 * One segment: its tag and data elements. Element numbers are 0-based and exclude the tag (element 1 of
 * a directory is `e = 0`); values come back with release characters and line breaks removed and cut to
 * `maxElementLength`; elements and components past the limits read as ''.
 */
export class EdiSegment {
  /**
   * Made by `tokenize` only.
   * @param tag segment tag, e.g. `LOC`
   * @param index 0-based ordinal of the segment in the input (UNA not counted; dropped segments counted)
   * @param offset byte offset of the segment's first character in the input
   */
  constructor(
    readonly tag: string,
    readonly index: number,
    readonly offset: number,
    private readonly store: Store,
    /** End of the last component (the terminator's offset, or the input length). */
    private readonly end: number,
    /** First and one-past-last index into `store.marks`. */
    private readonly m0: number,
    private readonly m1: number,
    /** True when a release character or a line break lies inside the segment. */
    private readonly dirty: boolean,
  ) {}

  /** Component `c` of data element `e` (both 0-based, tag excluded); '' when absent. */
  comp(e: number, c: number = 0): string {
    const st = this.store;
    if (e >= st.maxElements || c >= st.maxComponents) return '';
    const marks = st.marks;
    let elem = -1;
    let ci = 0;
    let from = this.offset;
    for (let k = this.m0; k < this.m1; k++) {
      const mk = marks[k];
      const isComp = mk < 0;
      const p = isComp ? ~mk : mk;
      if (elem === e && ci === c) return this.cut(from, p);
      if (isComp) ci++;
      else {
        if (elem === e) return '';
        elem++;
        ci = 0;
      }
      from = p + 1;
    }
    return elem === e && ci === c ? this.cut(from, this.end) : '';
  }

  /** Number of data elements after the tag (capped at `maxElementsPerSegment`). */
  get elementCount(): number {
    let n = 0;
    const marks = this.store.marks;
    for (let k = this.m0; k < this.m1; k++) if (marks[k] >= 0) n++;
    return Math.min(n, this.store.maxElements);
  }

  /** All data elements as arrays of components (materialized on each call; for tools and tests). */
  get elements(): string[][] {
    const st = this.store;
    const out: string[][] = [];
    let cur: string[] | null = null; // null while in the tag element
    let from = this.offset;
    for (let k = this.m0; k < this.m1; k++) {
      const mk = st.marks[k];
      const p = mk < 0 ? ~mk : mk;
      if (cur !== null && cur.length < st.maxComponents) cur.push(this.cut(from, p));
      if (mk >= 0) {
        if (cur !== null) out.push(cur);
        cur = [];
      }
      from = p + 1;
    }
    if (cur !== null) {
      if (cur.length < st.maxComponents) cur.push(this.cut(from, this.end));
      out.push(cur);
    }
    return out.length > st.maxElements ? out.slice(0, st.maxElements) : out;
  }

  /** Value of `[a, b)`: release characters and (unless data) line breaks removed, cut to the length bound. */
  private cut(a: number, b: number): string {
    const st = this.store;
    const s = st.text;
    if (!this.dirty) return b - a > st.maxLen ? s.slice(a, a + st.maxLen) : s.slice(a, b);
    let out = '';
    let run = a;
    for (let i = a; i < b; i++) {
      const ch = s.charCodeAt(i);
      if (ch === st.release) {
        out += s.slice(run, i);
        run = i + 1;
        i++; // the released character stays in the next run
      } else if ((ch === CR && !st.crIsSyntax) || (ch === LF && !st.lfIsSyntax)) {
        out += s.slice(run, i);
        run = i + 1;
      }
      if (out.length > st.maxLen) break;
    }
    if (run < b) out += s.slice(run, b);
    return out.length > st.maxLen ? out.slice(0, st.maxLen) : out;
  }
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

/** Input as a latin1 string (one char per byte); a string input is used as it is. */
function ediText(input: Uint8Array | string): string {
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
  // A space as release character means "none" (ISO 9735-1: the release character may be unused).
  if (d.release === SPACE) d.release = -1;
  const used = [d.component, d.element, d.segment];
  if (d.release >= 0) used.push(d.release);
  if (new Set(used).size !== used.length) return null;
  if (d.decimal !== 0x2e && d.decimal !== 0x2c) return null;
  return d;
}

/** Segment tags seen so far, by their three char codes (so a tag string is made once per distinct tag). */
const TAGS = new Map<number, string>();

/** The tag `[A-Z][A-Z0-9]{2}` of the 3 characters at `a`, or null. */
function tagAt(s: string, a: number): string | null {
  const c0 = s.charCodeAt(a);
  const c1 = s.charCodeAt(a + 1);
  const c2 = s.charCodeAt(a + 2);
  if (!(c0 >= 0x41 && c0 <= 0x5a)) return null;
  if (!((c1 >= 0x41 && c1 <= 0x5a) || (c1 >= 0x30 && c1 <= 0x39))) return null;
  if (!((c2 >= 0x41 && c2 <= 0x5a) || (c2 >= 0x30 && c2 <= 0x39))) return null;
  const key = (c0 << 16) | (c1 << 8) | c2;
  let t = TAGS.get(key);
  if (t === undefined) {
    t = String.fromCharCode(c0, c1, c2);
    TAGS.set(key, t);
  }
  return t;
}

/** CR, LF, space and tab: skipped before a segment tag. */
function isSkippable(c: number): boolean {
  return c === CR || c === LF || c === SPACE || c === TAB;
}

/**
 * Split `input` into segments (ISO 9735-1). Never throws; faults are added to `log`
 * (`edifact.*` names, see anomaly.ts). Cost: one pass over the input, one object per segment.
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
  const crIsSyntax = COMP === CR || ELEM === CR || SEG === CR;
  const lfIsSyntax = COMP === LF || ELEM === LF || SEG === LF;
  const store: Store = {
    text: s,
    marks: new Int32Array(Math.max(64, len >> 2)),
    release: REL,
    crIsSyntax,
    lfIsSyntax,
    maxLen: limits.maxElementLength,
    maxElements: limits.maxElementsPerSegment,
    maxComponents: limits.maxComponentsPerElement,
  };
  let marks = store.marks;
  let nMarks = 0;
  const maxLen = limits.maxElementLength;
  const maxElems = limits.maxElementsPerSegment;
  const maxComps = limits.maxComponentsPerElement;

  const segments: EdiSegment[] = [];
  let index = 0;
  let stopped = false;

  while (pos < len) {
    const first = s.charCodeAt(pos);
    // Blanks between segments; with a line break as terminator, empty lines too.
    if (isSkippable(first) && (first !== SEG || SEG === CR || SEG === LF)) {
      pos++;
      continue;
    }
    if (index >= limits.maxSegments) {
      log.add('edifact.too_many_segments', 'fatal', index, pos, `limit ${limits.maxSegments}`);
      stopped = true;
      break;
    }
    const start = pos;
    const m0 = nMarks;
    let dirty = false;
    let elems = 0;
    let comps = 1;
    let compStart = pos;
    let longNoted = false;
    let elemsNoted = false;
    let compsNoted = false;
    let end = len;
    let terminated = false;
    for (let i = pos; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c === COMP || c === ELEM) {
        if (nMarks === marks.length) {
          const grown = new Int32Array(marks.length * 2);
          grown.set(marks);
          marks = grown;
          store.marks = grown;
        }
        marks[nMarks++] = c === ELEM ? i : ~i;
        if (i - compStart > maxLen && !longNoted) {
          log.add('edifact.element_too_long', 'weird', index, start, `limit ${maxLen}`);
          longNoted = true;
        }
        compStart = i + 1;
        if (c === ELEM) {
          elems++;
          comps = 1;
          if (elems > maxElems && !elemsNoted) {
            log.add('edifact.too_many_elements', 'weird', index, start, `limit ${maxElems}`);
            elemsNoted = true;
          }
        } else if (++comps > maxComps && !compsNoted) {
          log.add('edifact.too_many_components', 'weird', index, start, `limit ${maxComps}`);
          compsNoted = true;
        }
      } else if (c === SEG) {
        end = i;
        terminated = true;
        break;
      } else if (c === REL) {
        dirty = true;
        if (i + 1 >= len) log.add('edifact.dangling_release', 'weird', index, i);
        i++;
      } else if ((c === CR && !crIsSyntax) || (c === LF && !lfIsSyntax)) {
        dirty = true;
      }
    }
    if (end - compStart > maxLen && !longNoted) log.add('edifact.element_too_long', 'weird', index, start, `limit ${maxLen}`);
    if (!terminated) log.add('edifact.unterminated_segment', 'weird', index, start);
    pos = terminated ? end + 1 : len;
    const tagEnd = nMarks > m0 ? (marks[m0] < 0 ? ~marks[m0] : marks[m0]) : end;
    const tag = tagEnd - start === 3 ? tagAt(s, start) : null;
    if (tag === null) {
      log.add('edifact.bad_segment_tag', 'violation', index, start, JSON.stringify(s.slice(start, Math.min(tagEnd, start + 16))));
      nMarks = m0;
      index++;
      continue;
    }
    segments.push(new EdiSegment(tag, index, start, store, end, m0, nMarks, dirty));
    index++;
  }
  return { segments, delimiters: delims, una, segmentsRead: index, stopped };
}
