/**
 * BAPLIE writer: a UN/EDIFACT D.95B bay plan in the SMDG BAPLIE 2.2 layout (`BAPLIE:D:95B:UN:SMDG22`),
 * for the digital twin. Segment order follows the D.95B segment table (see README.md):
 *
 *   UNA UNB UNH BGM DTM+137
 *   TDT+20 LOC+5 LOC+61 DTM+132 DTM+133
 *   per container: LOC+147 MEA+WT MEA+VGM TMP+2 LOC+9 LOC+11 LOC+83 RFF+BM EQD+CN NAD+CA DGS+IMD…
 *   UNT UNZ
 *
 * Codes written: LOC C517 code list 139 (port) agency 6 (UN/ECE) for UN/LOCODEs; LOC+147 agency 5
 * (ISO 9711-1 cell); MEA unit KGM; TMP unit CEL; TDT C222 code list 103 (call sign) or 146 (IMO);
 * carrier code list 172 agency 20 (BIC); EQD 8169 5 full / 4 empty. Dates in format 203.
 */
import { formatBayRowTier } from '../stowage-position.js';
import type { DangerousGoods, FullEmpty } from './segments.js';
import { EdiBuilder, dtm203, ediNumber, vesselComposite, type EdiNewline, type InterchangeInput } from './writer.js';

/** One container to write (a stowage-location group with one EQD+CN). */
export interface BaplieContainerInput {
  /** ISO 6346 number, written as given. */
  readonly number: string;
  /** ISO 6346 size and type code, e.g. `45G1`. */
  readonly isoSizeType: string;
  /** Vessel cell (ISO 9711-1). */
  readonly position: { readonly bay: number; readonly row: number; readonly tier: number };
  /** UN/LOCODE of the port of loading (LOC+9). */
  readonly portOfLoading: string;
  /** UN/LOCODE of the port of discharge (LOC+11). */
  readonly portOfDischarge: string;
  /** UN/LOCODE of the place of delivery (LOC+83), optional. */
  readonly placeOfDelivery?: string | null;
  /** Gross mass in kg (MEA+WT). */
  readonly grossWeightKg: number;
  /** Verified gross mass in kg (MEA+VGM), optional. */
  readonly vgmKg?: number | null;
  readonly fullEmpty: FullEmpty;
  /** EQD 8249 equipment status code, optional. */
  readonly status?: string | null;
  /** Carrier / container operator code (NAD+CA), optional. */
  readonly operator?: string | null;
  /** Reefer setting in °C (TMP+2), optional. */
  readonly reeferTempC?: number | null;
  /** Dangerous goods (DGS+IMD), optional. */
  readonly dangerousGoods?: readonly DangerousGoods[];
}

/** A bay plan to write. */
export interface BaplieWriteInput {
  readonly interchange: InterchangeInput;
  /** UNH 0062 message reference. */
  readonly messageRef: string;
  /** BGM 1004 document identifier. */
  readonly documentNumber: string;
  /** DTM+137 document date, ISO 8601 local `YYYY-MM-DDTHH:MM`. */
  readonly documentDate: string;
  readonly vessel: {
    readonly name: string;
    readonly callSign?: string | null;
    readonly imo?: string | null;
    /** 8028 voyage number. */
    readonly voyage: string;
    readonly carrier?: string | null;
  };
  /** LOC+5 place of departure and LOC+61 next port of call (UN/LOCODE). */
  readonly ports: { readonly departure: string; readonly nextPortOfCall: string };
  /** DTM+132 estimated arrival (optional) and DTM+133 estimated departure, ISO 8601 local. */
  readonly schedule: { readonly eta?: string | null; readonly etd: string };
  readonly containers: readonly BaplieContainerInput[];
}

/**
 * Serialize a bay plan as one interchange with one BAPLIE message. Values are written as given
 * (escaped); numbers with up to 3 decimals.
 * @param newline line break after each segment terminator ('' for the standard single-line form)
 * @throws CwError `CW_ERR_CONFIG` for an unusable value: a date not `YYYY-MM-DDTHH:MM`, a non-finite
 *   number, a bay/row/tier out of range
 */
export function writeBaplie(plan: BaplieWriteInput, newline: EdiNewline = ''): string {
  const b = new EdiBuilder(plan.interchange, newline);
  b.beginMessage(plan.messageRef, 'BAPLIE', 'D', '95B', 'UN', 'SMDG22');
  b.segment('BGM', null, plan.documentNumber, '9');
  b.segment('DTM', ['137', dtm203(plan.documentDate, 'documentDate'), '203']);
  const v = plan.vessel;
  b.segment('TDT', '20', v.voyage, null, null, v.carrier ? [v.carrier, '172', '20'] : null, null, null, vesselComposite(v));
  b.segment('LOC', '5', [plan.ports.departure, '139', '6']);
  b.segment('LOC', '61', [plan.ports.nextPortOfCall, '139', '6']);
  if (plan.schedule.eta) b.segment('DTM', ['132', dtm203(plan.schedule.eta, 'schedule.eta'), '203']);
  b.segment('DTM', ['133', dtm203(plan.schedule.etd, 'schedule.etd'), '203']);
  for (const c of plan.containers) {
    b.segment('LOC', '147', [formatBayRowTier(c.position.bay, c.position.row, c.position.tier), null, '5']);
    b.segment('MEA', 'WT', null, ['KGM', ediNumber(c.grossWeightKg, 'grossWeightKg')]);
    if (c.vgmKg !== undefined && c.vgmKg !== null) b.segment('MEA', 'VGM', null, ['KGM', ediNumber(c.vgmKg, 'vgmKg')]);
    if (c.reeferTempC !== undefined && c.reeferTempC !== null) b.segment('TMP', '2', [ediNumber(c.reeferTempC, 'reeferTempC'), 'CEL']);
    b.segment('LOC', '9', [c.portOfLoading, '139', '6']);
    b.segment('LOC', '11', [c.portOfDischarge, '139', '6']);
    if (c.placeOfDelivery) b.segment('LOC', '83', [c.placeOfDelivery, '139', '6']);
    b.segment('RFF', ['BM', '1']);
    b.segment('EQD', 'CN', c.number, c.isoSizeType, null, c.status ?? null, c.fullEmpty === 'full' ? '5' : '4');
    if (c.operator) b.segment('NAD', 'CA', [c.operator, '172', '20']);
    for (const dg of c.dangerousGoods ?? []) b.segment('DGS', 'IMD', dg.imdgClass, dg.unNumber);
  }
  b.endMessage();
  return b.finish();
}
