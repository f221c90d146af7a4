/**
 * COARRI writer: a UN/EDIFACT D.95B container discharge/loading report in the SMDG COARRI layout
 * (`COARRI:D:95B:UN:<association>`, association ITG12 unless given), for the digital twin. Segment
 * order follows the D.95B segment table (see README.md):
 *
 *   UNA UNB UNH BGM DTM+137
 *   TDT+20 LOC… DTM+132 DTM+133
 *   per move: EQD+CN RFF+BM RFF+BN DTM+203 LOC+147 LOC+9 LOC+11 MEA+WT MEA+AAE+VGM TMP+2 SEL… NAD+CF
 *   CNT+16 UNT UNZ
 *
 * The move kind is written as EQD 8249 equipment status (load 2 export, discharge 3 import, restow
 * 5 shifter), which `parseCoarri` reads back; EQD C224 carries code list 102 (size and type) agency 5
 * (ISO). Dates in format 203.
 */
import { formatBayRowTier } from '../stowage-position.js';
import { MOVE_STATUS } from './coarri.js';
import type { FullEmpty } from './segments.js';
import { EdiBuilder, dtm203, ediNumber, vesselComposite, type EdiNewline, type InterchangeInput } from './writer.js';

/** One container move to report. */
export interface CoarriMoveInput {
  /** ISO 6346 number, written as given. */
  readonly number: string;
  /** ISO 6346 size and type code, optional. */
  readonly isoSizeType?: string | null;
  readonly kind: 'load' | 'discharge' | 'restow';
  readonly fullEmpty: FullEmpty;
  /** DTM+203 time the move was done, ISO 8601 local `YYYY-MM-DDTHH:MM`. */
  readonly time: string;
  /** Vessel cell (LOC+147), optional (a discharge report often has none). */
  readonly position?: { readonly bay: number; readonly row: number; readonly tier: number } | null;
  /** UN/LOCODE of the port of loading (LOC+9). */
  readonly portOfLoading: string;
  /** UN/LOCODE of the port of discharge (LOC+11). */
  readonly portOfDischarge: string;
  /** Gross mass in kg (MEA+WT), optional. */
  readonly grossWeightKg?: number | null;
  /** Verified gross mass in kg (MEA+AAE+VGM), optional. */
  readonly vgmKg?: number | null;
  /** Reefer setting in °C (TMP+2), optional. */
  readonly reeferTempC?: number | null;
  /** Seal numbers (SEL, issuer CA carrier), optional. */
  readonly seals?: readonly string[];
  /** Container operator code (NAD+CF), optional. */
  readonly operator?: string | null;
  /** Bill of lading (RFF+BM) and booking (RFF+BN), optional. */
  readonly billOfLading?: string | null;
  readonly booking?: string | null;
}

/** A loading or discharge report to write. */
export interface CoarriWriteInput {
  readonly interchange: InterchangeInput;
  /** UNH 0062 message reference. */
  readonly messageRef: string;
  /** S009 0057 association assigned code; default `ITG12`. */
  readonly association?: string;
  /** BGM 1001 document name code as agreed with the receiver (the shared sample COARRI uses 119). */
  readonly documentCode: string;
  /** BGM 1004 document identifier. */
  readonly documentNumber: string;
  /** DTM+137 document date, ISO 8601 local. */
  readonly documentDate: string;
  readonly vessel: {
    readonly name: string;
    readonly callSign?: string | null;
    readonly imo?: string | null;
    readonly voyage: string;
    readonly carrier?: string | null;
  };
  /** Transport-group LOC segments, e.g. `{ qualifier: '11', code: 'CRMOB' }` for the port of discharge of the call. */
  readonly places: readonly { readonly qualifier: string; readonly code: string }[];
  /** Transport-group DTM+132 / DTM+133, optional. */
  readonly schedule?: { readonly eta?: string | null; readonly etd?: string | null };
  readonly moves: readonly CoarriMoveInput[];
}

/**
 * Serialize a report as one interchange with one COARRI message, ending with CNT+16 (moves).
 * @param newline line break after each segment terminator ('' for the standard single-line form)
 * @throws CwError `CW_ERR_CONFIG` for an unusable value (date, number, bay/row/tier)
 */
export function writeCoarri(report: CoarriWriteInput, newline: EdiNewline = ''): string {
  const b = new EdiBuilder(report.interchange, newline);
  b.beginMessage(report.messageRef, 'COARRI', 'D', '95B', 'UN', report.association ?? 'ITG12');
  b.segment('BGM', report.documentCode, report.documentNumber, '9');
  b.segment('DTM', ['137', dtm203(report.documentDate, 'documentDate'), '203']);
  const v = report.vessel;
  b.segment('TDT', '20', v.voyage, '1', null, v.carrier ? [v.carrier, '172', '20'] : null, null, null, vesselComposite(v));
  for (const p of report.places) b.segment('LOC', p.qualifier, [p.code, '139', '6']);
  const eta = report.schedule?.eta;
  const etd = report.schedule?.etd;
  if (eta) b.segment('DTM', ['132', dtm203(eta, 'schedule.eta'), '203']);
  if (etd) b.segment('DTM', ['133', dtm203(etd, 'schedule.etd'), '203']);
  for (const m of report.moves) {
    b.segment('EQD', 'CN', m.number, [m.isoSizeType ?? null, '102', '5'], null, MOVE_STATUS[m.kind], m.fullEmpty === 'full' ? '5' : '4');
    if (m.billOfLading) b.segment('RFF', ['BM', m.billOfLading]);
    if (m.booking) b.segment('RFF', ['BN', m.booking]);
    b.segment('DTM', ['203', dtm203(m.time, 'move time'), '203']);
    if (m.position) b.segment('LOC', '147', [formatBayRowTier(m.position.bay, m.position.row, m.position.tier), null, '5']);
    b.segment('LOC', '9', [m.portOfLoading, '139', '6']);
    b.segment('LOC', '11', [m.portOfDischarge, '139', '6']);
    if (m.grossWeightKg !== undefined && m.grossWeightKg !== null) b.segment('MEA', 'WT', null, ['KGM', ediNumber(m.grossWeightKg, 'grossWeightKg')]);
    if (m.vgmKg !== undefined && m.vgmKg !== null) b.segment('MEA', 'AAE', 'VGM', ['KGM', ediNumber(m.vgmKg, 'vgmKg')]);
    if (m.reeferTempC !== undefined && m.reeferTempC !== null) b.segment('TMP', '2', [ediNumber(m.reeferTempC, 'reeferTempC'), 'CEL']);
    for (const seal of m.seals ?? []) b.segment('SEL', seal, 'CA');
    if (m.operator) b.segment('NAD', 'CF', [m.operator, '160', '20']);
  }
  b.segment('CNT', ['16', String(report.moves.length)]);
  b.endMessage();
  return b.finish();
}
