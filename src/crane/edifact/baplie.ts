/**
 * BAPLIE reader: Bayplan/stowage plan occupied and empty locations message, UN/EDIFACT D.95B as used by
 * the SMDG BAPLIE user manuals 1.5, 2.0, 2.1 and 2.2 (segment groups per the D.95B segment table):
 *
 *   UNH BGM DTM RFF NAD
 *   SG1  TDT LOC(5, 61) DTM(132, 133, 136, 178) RFF FTX           vessel, voyage, ports, schedule
 *   SG2  LOC+147 GID GDS FTX MEA DIM TMP RNG LOC(9, 11, 83, …) RFF  one stowage location
 *     SG3  EQD EQA NAD                                            equipment in that location (≤ 3)
 *     SG4  DGS FTX                                                dangerous goods in that location
 *   UNT
 *
 * A LOC+147 starts a stowage-location group; it ends at the next LOC+147 or UNT. Each EQD+CN of a group
 * is one container, carrying the group's position, mass, temperature, ports and dangerous goods.
 * Never throws: faults are anomalies (`edifact.*`, `baplie.*`).
 */
import { parseContainerNumber } from '../iso6346.js';
import { parseBayRowTier, type BayRowTier } from '../stowage-position.js';
import { EdiAnomalyLog, type EdiAnomaly } from './anomaly.js';
import type { EdiMessage, InterchangeHeader, MessageHeader } from './envelope.js';
import { isMessageOfType, readMessages } from './message-select.js';
import { DEFAULT_EDI_LIMITS, type EdiLimits } from './limits.js';
import {
  NO_VESSEL,
  readDgs,
  readDtm,
  readEqd,
  readLoc,
  readMass,
  readNad,
  readTdt,
  readTemperature,
  type DangerousGoods,
  type Equipment,
  type FullEmpty,
  type VesselCall,
} from './segments.js';
import type { EdiSegment } from './tokenizer.js';
import { compOrNull } from './values.js';

/** One container of a bay plan (one EQD+CN with its stowage-location group). */
export interface BaplieContainer {
  /** EQD C237 8260 as written (trimmed), e.g. `TEMU9544485`; '' when the EQD has none. */
  readonly number: string;
  /** True when `number` is an ISO 6346 number with a valid check digit. */
  readonly numberValid: boolean;
  /** EQD C224 8155 size and type code, e.g. `45R1`. */
  readonly isoSizeType: string | null;
  /** LOC+147 stowage cell as ISO 9711-1 bay-row-tier, null when absent or not `BBBRRTT`. */
  readonly position: BayRowTier | null;
  /** LOC+147 C517 3225 as written, or null. */
  readonly positionRaw: string | null;
  /** LOC+9 place/port of loading (UN/LOCODE); LOC+6 in SMDG 1.5 files that have no LOC+9. */
  readonly portOfLoading: string | null;
  /** LOC+11 place/port of discharge (UN/LOCODE); LOC+12 in SMDG 1.5 files that have no LOC+11. */
  readonly portOfDischarge: string | null;
  /** LOC+83 place of delivery (final destination), or null. */
  readonly placeOfDelivery: string | null;
  /** Gross mass in kg: MEA+WT, or the VGM when the group has no WT; null when neither is usable. LBR and TNE are converted. */
  readonly grossWeightKg: number | null;
  /** Verified gross mass in kg (MEA+VGM, SMDG 2.2), or null. */
  readonly vgmKg: number | null;
  /** EQD 8169: `full` (5) or `empty` (4). */
  readonly fullEmpty: FullEmpty | null;
  /** EQD 8249 equipment status code as written. */
  readonly status: string | null;
  /** NAD+CA (carrier / container operator) C082 3039 after the EQD, e.g. `NQSH`. */
  readonly operator: string | null;
  /** TMP setting in °C (FAH converted), for reefers; null otherwise. */
  readonly reeferTempC: number | null;
  /** DGS entries of the stowage location. */
  readonly dangerousGoods: readonly DangerousGoods[];
  /** Index of the EQD segment in the input. */
  readonly segmentIndex: number;
}

/** One BAPLIE message. */
export interface BapliePlan {
  readonly interchange: InterchangeHeader | null;
  readonly message: MessageHeader;
  /** BGM 1004 document identifier. */
  readonly documentNumber: string | null;
  /** DTM+137 document/message date, ISO 8601 local. */
  readonly documentDate: string | null;
  /** SG1 TDT: vessel and voyage. */
  readonly vessel: VesselCall;
  /** SG1 LOC+5 place of departure and LOC+61 next port of call (UN/LOCODE). */
  readonly ports: { readonly departure: string | null; readonly nextPortOfCall: string | null };
  /** SG1 DTM+132 estimated arrival and DTM+133 estimated departure, ISO 8601 local. */
  readonly schedule: { readonly eta: string | null; readonly etd: string | null };
  readonly containers: readonly BaplieContainer[];
}

/** Result of `parseBaplie`: the plans, or why there is none; with the anomalies either way. */
export type BaplieResult =
  | { readonly ok: true; readonly plans: readonly BapliePlan[]; readonly anomalies: readonly EdiAnomaly[]; readonly anomalyTotal: number }
  | {
      readonly ok: false;
      /** `baplie.no_message`: the input holds no BAPLIE message (nothing readable, or only other message types). */
      readonly error: 'baplie.no_message';
      readonly anomalies: readonly EdiAnomaly[];
      readonly anomalyTotal: number;
    };

/** Segments of SG2–SG4 that must not appear before the first LOC+147. */
const GROUP_TAGS = new Set(['GID', 'GDS', 'MEA', 'DIM', 'TMP', 'RNG', 'EQD', 'EQA', 'DGS']);

interface Group {
  loc: EdiSegment;
  equipment: { eqd: Equipment; seg: EdiSegment; operator: string | null }[];
  gross: number | null;
  vgm: number | null;
  temp: number | null;
  /** LOC+9, LOC+6 (SMDG 1.5 loading), LOC+11, LOC+12 (SMDG 1.5 discharge), LOC+83; undefined until seen. */
  loc9: string | null | undefined;
  loc6: string | null | undefined;
  loc11: string | null | undefined;
  loc12: string | null | undefined;
  loc83: string | null | undefined;
  dangerous: DangerousGoods[] | null;
}

function newGroup(loc: EdiSegment): Group {
  return {
    loc,
    equipment: [],
    gross: null,
    vgm: null,
    temp: null,
    loc9: undefined,
    loc6: undefined,
    loc11: undefined,
    loc12: undefined,
    loc83: undefined,
    dangerous: null,
  };
}

/** The first LOC of each qualifier in a group that carries a code counts. */
function setPlace(g: Group, qualifier: string, code: string | null): void {
  if (qualifier === '9') g.loc9 ??= code;
  else if (qualifier === '11') g.loc11 ??= code;
  else if (qualifier === '83') g.loc83 ??= code;
  else if (qualifier === '6') g.loc6 ??= code;
  else if (qualifier === '12') g.loc12 ??= code;
}

function flush(g: Group, out: BaplieContainer[], log: EdiAnomalyLog): void {
  const positionRaw = compOrNull(g.loc, 1, 0);
  const position = positionRaw === null ? null : parseBayRowTier(positionRaw);
  if (positionRaw !== null && position === null) log.add('baplie.bad_position', 'weird', g.loc.index, g.loc.offset, positionRaw);
  const dangerousGoods: readonly DangerousGoods[] = g.dangerous ?? NO_DG;
  const portOfLoading = g.loc9 !== undefined ? g.loc9 : (g.loc6 ?? null);
  const portOfDischarge = g.loc11 !== undefined ? g.loc11 : (g.loc12 ?? null);
  const placeOfDelivery = g.loc83 ?? null;
  for (const { eqd, seg, operator } of g.equipment) {
    if (eqd.qualifier !== 'CN') continue;
    let numberValid = false;
    if (eqd.number === '') log.add('baplie.missing_container_number', 'weird', seg.index, seg.offset);
    else {
      const p = parseContainerNumber(eqd.number);
      numberValid = p.ok;
      if (!p.ok) log.add('baplie.invalid_container_number', 'weird', seg.index, seg.offset, `${eqd.number} ${p.reason}`);
    }
    out.push({
      number: eqd.number,
      numberValid,
      isoSizeType: eqd.isoSizeType,
      position,
      positionRaw,
      portOfLoading,
      portOfDischarge,
      placeOfDelivery,
      grossWeightKg: g.gross ?? g.vgm,
      vgmKg: g.vgm,
      fullEmpty: eqd.fullEmpty,
      status: eqd.status,
      operator,
      reeferTempC: g.temp,
      dangerousGoods,
      segmentIndex: seg.index,
    });
  }
}

const NO_DG: readonly DangerousGoods[] = Object.freeze([]) as readonly DangerousGoods[];

/**
 * Read one enveloped message as a BAPLIE (any message type; `parseBaplie` picks the BAPLIE ones).
 * Anomalies go to `log`. Never throws.
 */
export function readBaplieMessage(msg: EdiMessage, log: EdiAnomalyLog): BapliePlan {
  let documentNumber: string | null = null;
  let documentDate: string | null = null;
  let vessel: VesselCall = NO_VESSEL;
  let departure: string | null = null;
  let nextPortOfCall: string | null = null;
  let eta: string | null = null;
  let etd: string | null = null;
  const containers: BaplieContainer[] = [];
  let g: Group | null = null;

  for (const seg of msg.segments) {
    const tag = seg.tag;
    if (tag === 'LOC' && seg.comp(0, 0).trim() === '147') {
      if (g !== null) flush(g, containers, log);
      g = newGroup(seg);
      continue;
    }
    if (g === null) {
      switch (tag) {
        case 'BGM':
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
        case 'LOC': {
          const p = readLoc(seg);
          if (p.qualifier === '5') departure = p.code;
          else if (p.qualifier === '61') nextPortOfCall = p.code;
          break;
        }
        default:
          if (GROUP_TAGS.has(tag)) log.add('baplie.segment_outside_group', 'weird', seg.index, seg.offset, tag);
      }
      continue;
    }
    switch (tag) {
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
      case 'LOC': {
        const p = readLoc(seg);
        setPlace(g, p.qualifier, p.code);
        break;
      }
      case 'EQD':
        g.equipment.push({ eqd: readEqd(seg), seg, operator: null });
        break;
      case 'NAD': {
        const last = g.equipment[g.equipment.length - 1];
        const n = readNad(seg);
        if (last !== undefined && last.operator === null && (n.qualifier === 'CA' || n.qualifier === 'CF')) last.operator = n.party;
        break;
      }
      case 'DGS':
        (g.dangerous ??= []).push(readDgs(seg));
        break;
      default:
        break;
    }
  }
  if (g !== null) flush(g, containers, log);
  return {
    interchange: msg.interchange,
    message: msg.header,
    documentNumber,
    documentDate,
    vessel,
    ports: { departure, nextPortOfCall },
    schedule: { eta, etd },
    containers,
  };
}

/**
 * Parse a BAPLIE interchange (bytes or latin1 text): every BAPLIE message becomes a `BapliePlan`;
 * messages of other types raise `edifact.other_message` and are skipped. Segments without a UNH are
 * read as a BAPLIE when they contain LOC+147 groups (a fragment seen on the wire). Never throws.
 */
export function parseBaplie(input: Uint8Array | string, limits: Readonly<EdiLimits> = DEFAULT_EDI_LIMITS): BaplieResult {
  const r = readMessages(input, limits, (msg) => isMessageOfType(msg, 'BAPLIE', 'LOC', '147'), readBaplieMessage);
  if (r.items.length === 0) return { ok: false, error: 'baplie.no_message', anomalies: r.anomalies, anomalyTotal: r.anomalyTotal };
  return { ok: true, plans: r.items, anomalies: r.anomalies, anomalyTotal: r.anomalyTotal };
}
