/**
 * COARRI reader: Container discharge/loading report message, UN/EDIFACT D.95B (SMDG COARRI user
 * manual, ITIGG association codes such as ITG10/ITG12) and the later directories up to D.23A that keep
 * the same shape:
 *
 *   UNH BGM DTM FTX RFF
 *   transport group   TDT RFF LOC DTM                      vessel, voyage, ports of the call
 *   party group       NAD (CTA COM)
 *   equipment group   EQD RFF GDS TMD DTM LOC MEA DIM TMP RNG SEL FTX DGS EQA PIA HAN DAM NAD …
 *   CNT UNT
 *
 * An EQD starts an equipment group (one container move); it ends at the next EQD, CNT or UNT. The move
 * time is DTM+203 (execution date/time), the vessel cell LOC+147, the ports LOC+9 / LOC+11.
 * Never throws: faults are anomalies (`edifact.*`, `coarri.*`).
 */
import { parseContainerNumber } from '../iso6346.js';
import { parseBayRowTier, type BayRowTier } from '../stowage-position.js';
import { EdiAnomalyLog, type EdiAnomaly } from './anomaly.js';
import type { EdiMessage, InterchangeHeader, MessageHeader } from './envelope.js';
import { isMessageOfType, readMessages } from './message-select.js';
import { DEFAULT_EDI_LIMITS, type EdiLimits } from './limits.js';
import {
  NO_VESSEL,
  readDtm,
  readEqd,
  readLoc,
  readMass,
  readNad,
  readTdt,
  readTemperature,
  type Equipment,
  type FullEmpty,
  type Place,
  type VesselCall,
} from './segments.js';
import type { EdiSegment } from './tokenizer.js';
import { compOrNull } from './values.js';

/**
 * What a move did, from EQD 8249 equipment status (UNTDID code list): 2 export → `load`, 3 import →
 * `discharge`, 5 shifter → `restow`; other codes (e.g. 6 transhipment) or none → `unknown`.
 */
export type MoveKind = 'load' | 'discharge' | 'restow' | 'unknown';

/** EQD 8249 codes of each move kind a writer uses. */
export const MOVE_STATUS: Readonly<Record<Exclude<MoveKind, 'unknown'>, string>> = Object.freeze({ load: '2', discharge: '3', restow: '5' });

/** One reported container move (one equipment group). */
export interface CoarriMove {
  /** EQD C237 8260 as written (trimmed); '' when the EQD has none. */
  readonly number: string;
  /** True when `number` is an ISO 6346 number with a valid check digit. */
  readonly numberValid: boolean;
  /** EQD C224 8155 size and type code, or null (the shared samples leave it empty). */
  readonly isoSizeType: string | null;
  /** Load / discharge / restow, from EQD 8249. */
  readonly kind: MoveKind;
  /** EQD 8249 equipment status as written. */
  readonly status: string | null;
  /** EQD 8169: `full` (5) or `empty` (4). */
  readonly fullEmpty: FullEmpty | null;
  /** DTM+203 execution date/time of the move, ISO 8601 local `YYYY-MM-DDTHH:MM`. */
  readonly time: string | null;
  /** LOC+147 vessel cell as ISO 9711-1 bay-row-tier, null when absent or not `BBBRRTT`. */
  readonly position: BayRowTier | null;
  /** LOC+147 C517 3225 as written, or null. */
  readonly positionRaw: string | null;
  /** LOC+9 place/port of loading (UN/LOCODE). */
  readonly portOfLoading: string | null;
  /** LOC+11 place/port of discharge (UN/LOCODE). */
  readonly portOfDischarge: string | null;
  /** Gross mass in kg: MEA gross, or the VGM when there is no gross. */
  readonly grossWeightKg: number | null;
  /** Verified gross mass in kg (MEA+AAE+VGM or MEA+VGM), or null. */
  readonly vgmKg: number | null;
  /** TMP setting in °C, or null. */
  readonly reeferTempC: number | null;
  /** SEL 9308 seal numbers, in order. */
  readonly seals: readonly string[];
  /** NAD+CF (container operator) or NAD+CA (carrier) C082 3039 of the group, or null. */
  readonly operator: string | null;
  /** RFF+BM bill of lading number, or null. */
  readonly billOfLading: string | null;
  /** RFF+BN booking reference, or null. */
  readonly booking: string | null;
  /** Index of the EQD segment in the input. */
  readonly segmentIndex: number;
}

/** One COARRI message. */
export interface CoarriReport {
  readonly interchange: InterchangeHeader | null;
  readonly message: MessageHeader;
  /** BGM 1001 document name code as written (the sender's code for a loading or discharge report). */
  readonly documentCode: string | null;
  /** BGM 1004 document identifier. */
  readonly documentNumber: string | null;
  /** DTM+137 document date, ISO 8601 local. */
  readonly documentDate: string | null;
  /** TDT: vessel and voyage. */
  readonly vessel: VesselCall;
  /** LOC segments of the transport group (qualifier, UN/LOCODE or other code, name), in order. */
  readonly places: readonly Place[];
  /** Transport group DTM+132 estimated arrival and DTM+133 estimated departure, ISO 8601 local. */
  readonly schedule: { readonly eta: string | null; readonly etd: string | null };
  readonly moves: readonly CoarriMove[];
  /** CNT+16 total number of equipment as declared, or null. */
  readonly declaredMoves: number | null;
}

/** Result of `parseCoarri`: the reports, or why there is none; with the anomalies either way. */
export type CoarriResult =
  | { readonly ok: true; readonly reports: readonly CoarriReport[]; readonly anomalies: readonly EdiAnomaly[]; readonly anomalyTotal: number }
  | {
      readonly ok: false;
      /** `coarri.no_message`: the input holds no COARRI message. */
      readonly error: 'coarri.no_message';
      readonly anomalies: readonly EdiAnomaly[];
      readonly anomalyTotal: number;
    };

/** Equipment-group segments that must not appear before the first EQD. */
const GROUP_TAGS = new Set(['SEL', 'TMP', 'MEA', 'DIM', 'RNG', 'DGS', 'EQA', 'HAN', 'DAM', 'TMD', 'PIA']);

interface Group {
  eqd: EdiSegment;
  equipment: Equipment;
  time: string | null;
  loc147: EdiSegment | null;
  pol: string | null | undefined;
  pod: string | null | undefined;
  gross: number | null;
  vgm: number | null;
  temp: number | null;
  seals: string[] | null;
  operator: string | null;
  bl: string | null;
  booking: string | null;
}

const NO_SEALS: readonly string[] = Object.freeze([]) as readonly string[];

function newGroup(eqd: EdiSegment): Group {
  return {
    eqd,
    equipment: readEqd(eqd),
    time: null,
    loc147: null,
    pol: undefined,
    pod: undefined,
    gross: null,
    vgm: null,
    temp: null,
    seals: null,
    operator: null,
    bl: null,
    booking: null,
  };
}

function kindOf(status: string | null): MoveKind {
  if (status === '2') return 'load';
  if (status === '3') return 'discharge';
  if (status === '5') return 'restow';
  return 'unknown';
}

function flush(g: Group, out: CoarriMove[], log: EdiAnomalyLog): void {
  const eq = g.equipment;
  if (eq.qualifier !== 'CN') return;
  let numberValid = false;
  if (eq.number === '') log.add('coarri.missing_container_number', 'weird', g.eqd.index, g.eqd.offset);
  else {
    const p = parseContainerNumber(eq.number);
    numberValid = p.ok;
    if (!p.ok) log.add('coarri.invalid_container_number', 'weird', g.eqd.index, g.eqd.offset, `${eq.number} ${p.reason}`);
  }
  const positionRaw = g.loc147 === null ? null : compOrNull(g.loc147, 1, 0);
  const position = positionRaw === null ? null : parseBayRowTier(positionRaw);
  if (positionRaw !== null && position === null && g.loc147 !== null) {
    log.add('coarri.bad_position', 'weird', g.loc147.index, g.loc147.offset, positionRaw);
  }
  out.push({
    number: eq.number,
    numberValid,
    isoSizeType: eq.isoSizeType,
    kind: kindOf(eq.status),
    status: eq.status,
    fullEmpty: eq.fullEmpty,
    time: g.time,
    position,
    positionRaw,
    portOfLoading: g.pol ?? null,
    portOfDischarge: g.pod ?? null,
    grossWeightKg: g.gross ?? g.vgm,
    vgmKg: g.vgm,
    reeferTempC: g.temp,
    seals: g.seals ?? NO_SEALS,
    operator: g.operator,
    billOfLading: g.bl,
    booking: g.booking,
    segmentIndex: g.eqd.index,
  });
}

/** Read one enveloped message as a COARRI (any type; `parseCoarri` picks the COARRI ones). Anomalies go to `log`. Never throws. */
export function readCoarriMessage(msg: EdiMessage, log: EdiAnomalyLog): CoarriReport {
  let documentCode: string | null = null;
  let documentNumber: string | null = null;
  let documentDate: string | null = null;
  let vessel: VesselCall = NO_VESSEL;
  const places: Place[] = [];
  let eta: string | null = null;
  let etd: string | null = null;
  let declaredMoves: number | null = null;
  let cntSeg: EdiSegment | null = null;
  const moves: CoarriMove[] = [];
  let g: Group | null = null;

  for (const seg of msg.segments) {
    const tag = seg.tag;
    if (tag === 'EQD') {
      if (g !== null) flush(g, moves, log);
      g = newGroup(seg);
      continue;
    }
    if (tag === 'CNT') {
      if (g !== null) flush(g, moves, log);
      g = null;
      if (seg.comp(0, 0).trim() === '16') {
        const n = Number(seg.comp(0, 1).trim());
        declaredMoves = Number.isInteger(n) ? n : null;
        cntSeg = seg;
      }
      continue;
    }
    if (g === null) {
      switch (tag) {
        case 'BGM':
          documentCode = compOrNull(seg, 0, 0);
          documentNumber = compOrNull(seg, 1, 0);
          break;
        case 'DTM': {
          const d = readDtm(seg, log);
          if (d.qualifier === '137') documentDate = d.time;
          else if (d.qualifier === '132') eta = d.time;
          else if (d.qualifier === '133') etd = d.time;
          break;
        }
        case 'TDT':
          vessel = readTdt(seg);
          break;
        case 'LOC':
          places.push(readLoc(seg));
          break;
        default:
          if (GROUP_TAGS.has(tag)) log.add('coarri.segment_outside_group', 'weird', seg.index, seg.offset, tag);
      }
      continue;
    }
    switch (tag) {
      case 'DTM': {
        const d = readDtm(seg, log);
        if (d.qualifier === '203') g.time ??= d.time;
        break;
      }
      case 'LOC': {
        const q = seg.comp(0, 0).trim();
        if (q === '147') g.loc147 ??= seg;
        else if (q === '9') g.pol ??= compOrNull(seg, 1, 0);
        else if (q === '11') g.pod ??= compOrNull(seg, 1, 0);
        break;
      }
      case 'MEA': {
        const m = readMass(seg, log);
        if (m !== null && m.kg !== null) {
          if (m.kind === 'vgm') g.vgm = m.kg;
          else g.gross = m.kg;
        }
        break;
      }
      case 'TMP':
        g.temp = readTemperature(seg, log);
        break;
      case 'SEL': {
        const seal = compOrNull(seg, 0, 0);
        if (seal !== null) (g.seals ??= []).push(seal);
        break;
      }
      case 'NAD': {
        const n = readNad(seg);
        if (g.operator === null && (n.qualifier === 'CF' || n.qualifier === 'CA')) g.operator = n.party;
        break;
      }
      case 'RFF': {
        const q = seg.comp(0, 0).trim();
        if (q === 'BM') g.bl ??= compOrNull(seg, 0, 1);
        else if (q === 'BN') g.booking ??= compOrNull(seg, 0, 1);
        break;
      }
      default:
        break;
    }
  }
  if (g !== null) flush(g, moves, log);
  if (declaredMoves !== null && cntSeg !== null) {
    const counted = moves.length;
    if (declaredMoves !== counted) log.add('coarri.cnt_mismatch', 'weird', cntSeg.index, cntSeg.offset, `CNT ${declaredMoves}, counted ${counted}`);
  }
  return {
    interchange: msg.interchange,
    message: msg.header,
    documentCode,
    documentNumber,
    documentDate,
    vessel,
    places,
    schedule: { eta, etd },
    moves,
    declaredMoves,
  };
}

/**
 * Parse a COARRI interchange (bytes or latin1 text): every COARRI message becomes a `CoarriReport`;
 * messages of other types raise `edifact.other_message` and are skipped. Never throws.
 */
export function parseCoarri(input: Uint8Array | string, limits: Readonly<EdiLimits> = DEFAULT_EDI_LIMITS): CoarriResult {
  const r = readMessages(input, limits, (msg) => isMessageOfType(msg, 'COARRI', 'DTM', '203'), readCoarriMessage);
  if (r.items.length === 0) return { ok: false, error: 'coarri.no_message', anomalies: r.anomalies, anomalyTotal: r.anomalyTotal };
  return { ok: true, reports: r.items, anomalies: r.anomalies, anomalyTotal: r.anomalyTotal };
}
