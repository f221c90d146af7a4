/**
 * Anomalies of EDIFACT reading: data, never exceptions (DESIGN.md "Anomalies are data"). Names are
 * dotted and stable; `segmentIndex` and `offset` locate the cause in the input.
 */
import type { AnomalyGrade } from '../../events/anomaly.js';

/** Stable anomaly names of the tokenizer, the envelope reader and the BAPLIE / COARRI readers. */
export type EdiAnomalyName =
  /** UNA service string advice shorter than 9 characters or with clashing delimiters (ISO 9735-1 service string advice); the defaults are used. */
  | 'edifact.bad_una'
  /** The input ends inside a segment (no segment terminator); the partial segment is kept. */
  | 'edifact.unterminated_segment'
  /** A segment whose tag is not 3 characters `[A-Z][A-Z0-9]{2}` (ISO 9735-1 segment tag), e.g. input that starts mid-segment; the segment is dropped. */
  | 'edifact.bad_segment_tag'
  /** A component longer than `maxElementLength`; cut to the limit. */
  | 'edifact.element_too_long'
  /** More data elements in a segment than `maxElementsPerSegment`; the rest is dropped. */
  | 'edifact.too_many_elements'
  /** More components in a data element than `maxComponentsPerElement`; the rest is dropped. */
  | 'edifact.too_many_components'
  /** More segments than `maxSegments`; reading stopped. */
  | 'edifact.too_many_segments'
  /** A release character as the last character of the input (ISO 9735-1 release character). */
  | 'edifact.dangling_release'
  /** A message without an interchange header UNB before it. */
  | 'edifact.missing_unb'
  /** An interchange without its trailer UNZ. */
  | 'edifact.missing_unz'
  /** Data segments outside any UNH…UNT message; read as one message of unknown type. */
  | 'edifact.missing_unh'
  /** A message without its trailer UNT. */
  | 'edifact.missing_unt'
  /** UNT 0074 differs from the segments counted from UNH to UNT inclusive (ISO 9735-1 message trailer). */
  | 'edifact.unt_count_mismatch'
  /** UNT 0062 differs from UNH 0062. */
  | 'edifact.unt_reference_mismatch'
  /** UNZ 0036 differs from the messages (or functional groups) counted in the interchange. */
  | 'edifact.unz_count_mismatch'
  /** UNZ 0020 differs from UNB 0020. */
  | 'edifact.unz_reference_mismatch'
  /** A numeric value that is not a decimal number (ISO 9735-1 decimal mark: either `.` or `,`). */
  | 'edifact.bad_number'
  /** A date/time that does not fit its format qualifier 2379 or is not a calendar date. */
  | 'edifact.bad_date'
  /** A measure unit (6411) other than the supported KGM, LBR, TNE, CEL, FAH. */
  | 'edifact.unknown_unit'
  /** A message of another type where BAPLIE or COARRI was expected; skipped. */
  | 'edifact.other_message'
  /** BAPLIE segment that belongs in a stowage-location group (SG2) before the first LOC+147. */
  | 'baplie.segment_outside_group'
  /** LOC+147 place that is not an ISO 9711-1 bay-row-tier (BBBRRTT). */
  | 'baplie.bad_position'
  /** EQD+CN without an equipment identification. */
  | 'baplie.missing_container_number'
  /** EQD+CN whose identification fails ISO 6346 (format or check digit). */
  | 'baplie.invalid_container_number'
  /** COARRI equipment-group segment before the first EQD. */
  | 'coarri.segment_outside_group'
  /** LOC+147 place that is not an ISO 9711-1 bay-row-tier (BBBRRTT). */
  | 'coarri.bad_position'
  /** EQD+CN without an equipment identification. */
  | 'coarri.missing_container_number'
  /** EQD+CN whose identification fails ISO 6346 (format or check digit). */
  | 'coarri.invalid_container_number'
  /** CNT+16 total number of equipment differs from the EQD+CN counted. */
  | 'coarri.cnt_mismatch';

/** One anomaly with where it happened. */
export interface EdiAnomaly {
  readonly name: EdiAnomalyName;
  readonly grade: AnomalyGrade;
  /** 0-based ordinal of the segment in the input (UNA not counted), -1 when not tied to one. */
  readonly segmentIndex: number;
  /** Byte offset in the input of that segment (or of the fault), -1 when not known. */
  readonly offset: number;
  /** A short note (a value, an expected count), at most 80 characters, or null. */
  readonly detail: string | null;
}

/** Bounded anomaly collector shared by the stages of one read: keeps `max`, counts every one. */
export class EdiAnomalyLog {
  /** Anomalies kept, in the order raised. */
  readonly list: EdiAnomaly[] = [];
  /** Anomalies raised in all, kept or not. */
  total = 0;

  constructor(private readonly max: number) {}

  /** Record one anomaly (kept while fewer than `max` are kept). */
  add(name: EdiAnomalyName, grade: AnomalyGrade, segmentIndex: number, offset: number, detail: string | null = null): void {
    this.total++;
    if (this.list.length >= this.max) return;
    const d = detail === null || detail.length <= 80 ? detail : detail.slice(0, 80);
    this.list.push({ name, grade, segmentIndex, offset, detail: d });
  }
}
