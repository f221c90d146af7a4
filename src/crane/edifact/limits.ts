/**
 * Bounds of EDIFACT reading (DESIGN.md "Everything bounded"). Crossing one raises an anomaly naming
 * it; the reader never grows past it. Kept here because src/config/limits.ts is shared by the
 * packet pipeline and has no EDI fields; the string bound is taken from it.
 */
import { DEFAULT_LIMITS } from '../../config/limits.js';

/** Limits of the tokenizer and message readers. */
export interface EdiLimits {
  /** Segments read from one input; reading stops there (`edifact.too_many_segments`). A BAPLIE of a 24 000 TEU ship is about 150 000 segments. */
  maxSegments: number;
  /** Characters kept of one component value; the rest is cut (`edifact.element_too_long`). ISO 9735 data elements are at most 512 characters (e.g. 4440 free text an..512). */
  maxElementLength: number;
  /** Data elements kept per segment, tag excluded (`edifact.too_many_elements`). */
  maxElementsPerSegment: number;
  /** Components kept per data element (`edifact.too_many_components`). */
  maxComponentsPerElement: number;
  /** Anomalies kept in a result; further ones are only counted. */
  maxAnomalies: number;
}

/** The defaults. */
export const DEFAULT_EDI_LIMITS: Readonly<EdiLimits> = Object.freeze({
  maxSegments: 1_000_000,
  maxElementLength: DEFAULT_LIMITS.maxStringLength,
  maxElementsPerSegment: 99,
  maxComponentsPerElement: 99,
  maxAnomalies: 256,
});
