/**
 * Readers of the UN/EDIFACT segments the container messages share (UNTDID D.95B segment directory;
 * SMDG BAPLIE 2.x and COARRI user manuals for the qualifiers used): TDT details of transport, LOC
 * place/location identification, DTM date/time/period, MEA measurements, TMP temperature, EQD
 * equipment details, NAD name and address, DGS dangerous goods. Element numbers below are 1-based as
 * in the directories (`elements[0]` is element 1). Each reader takes one segment and returns plain
 * values; malformed values give null and an anomaly.
 */
import type { EdiAnomalyLog } from './anomaly.js';
import type { EdiSegment } from './tokenizer.js';
import { celsius, compOrNull, ediDateTime, massKg, parseDecimal } from './values.js';

/** The vessel and voyage a message is about (TDT, transport stage qualifier 20 = main carriage). */
export interface VesselCall {
  /** C222 8212 transport means name, e.g. `DEL MONTE GOLD`. */
  readonly name: string | null;
  /** C222 8213 when its code list 1131 is 103 (call sign directory), e.g. `9V2036`. */
  readonly callSign: string | null;
  /** C222 8213 when its code list 1131 is 146 (means of transport identification: Lloyd's / IMO number), e.g. `9118018`. */
  readonly imo: string | null;
  /** 8028 means of transport journey identifier (the carrier's voyage number). */
  readonly voyage: string | null;
  /** C040 3127 carrier identification (code list 1131 = 172, carrier code), e.g. `SEC`. */
  readonly carrier: string | null;
}

/** An empty `VesselCall` (no TDT read yet). */
export const NO_VESSEL: VesselCall = Object.freeze({ name: null, callSign: null, imo: null, voyage: null, carrier: null });

/**
 * TDT (D.95B: 8051, 8028, C220, C228, C040, 8101, C401, C222, 8281). The vessel composite is found by
 * its code list (1131 = 103 call sign or 146 IMO / Lloyd's) among elements 4–8, because SMDG BAPLIE 1.5
 * files write it in element 4 where D.95B has it in element 8; without such a code list, element 8 is
 * used. The carrier is the composite with code list 172 among elements 4–8.
 */
export function readTdt(seg: EdiSegment): VesselCall {
  let vessel = -1;
  let carrier = -1;
  const n = seg.elementCount;
  for (let e = 3; e <= 7 && e < n; e++) {
    const list = seg.comp(e, 1);
    if (vessel < 0 && (list === '103' || list === '146')) vessel = e;
    else if (carrier < 0 && list === '172') carrier = e;
  }
  if (vessel < 0 && n > 7) vessel = 7;
  const id = vessel < 0 ? null : compOrNull(seg, vessel, 0);
  const scheme = vessel < 0 ? '' : seg.comp(vessel, 1);
  return {
    name: vessel < 0 ? null : compOrNull(seg, vessel, 3),
    callSign: scheme === '146' ? null : id,
    imo: scheme === '146' ? id : null,
    voyage: compOrNull(seg, 1, 0),
    carrier: carrier < 0 ? null : compOrNull(seg, carrier, 0),
  };
}

/** A LOC segment's qualifier (3227), place code (C517 3225) and place name (C517 3224). */
export interface Place {
  readonly qualifier: string;
  readonly code: string | null;
  readonly name: string | null;
}

/** LOC (D.95B: 3227, C517 [3225, 1131, 3055, 3224], C519, C553, 5479). */
export function readLoc(seg: EdiSegment): Place {
  return { qualifier: seg.comp(0, 0).trim(), code: compOrNull(seg, 1, 0), name: compOrNull(seg, 1, 3) };
}

/**
 * DTM (C507: 2005 qualifier, 2380 value, 2379 format) → qualifier and ISO 8601 local time; a value that
 * does not fit its format raises `edifact.bad_date` and gives null; an empty value gives null quietly.
 */
export function readDtm(seg: EdiSegment, log: EdiAnomalyLog): { qualifier: string; time: string | null } {
  const qualifier = seg.comp(0, 0).trim();
  const value = seg.comp(0, 1).trim();
  if (value === '') return { qualifier, time: null };
  const time = ediDateTime(value, compOrNull(seg, 0, 2));
  if (time === null) log.add('edifact.bad_date', 'weird', seg.index, seg.offset, `${value}:${seg.comp(0, 2)}`);
  return { qualifier, time };
}

/** Which mass a MEA carries. */
export type MassKind = 'gross' | 'vgm';

/**
 * MEA (D.95B: 6311 measurement application qualifier, C502 [6313 dimension, …], C174 [6411 unit,
 * 6314 value, …]) as a mass in kg. Gross mass: 6311 `WT` (SMDG BAPLIE 1.5–2.1, COARRI), or `AAE` with
 * 6313 `G`/`AAB`. Verified gross mass (SOLAS VI/2): 6311 `VGM` (SMDG BAPLIE 2.2) or `AAE` with 6313
 * `VGM` (D.23A style). Other measurements give null without an anomaly; a bad value raises
 * `edifact.bad_number`, a unit other than KGM/LBR/TNE `edifact.unknown_unit`.
 */
export function readMass(seg: EdiSegment, log: EdiAnomalyLog): { kind: MassKind; kg: number | null } | null {
  const q = seg.comp(0, 0).trim();
  const dim = seg.comp(1, 0).trim();
  let kind: MassKind;
  if (q === 'VGM' || (q === 'AAE' && dim === 'VGM')) kind = 'vgm';
  else if (q === 'WT' || (q === 'AAE' && (dim === 'G' || dim === 'AAB' || dim === 'WT'))) kind = 'gross';
  else return null;
  const unit = seg.comp(2, 0).trim();
  const text = seg.comp(2, 1).trim();
  if (text === '') return { kind, kg: null };
  const value = parseDecimal(text);
  if (value === null) {
    log.add('edifact.bad_number', 'weird', seg.index, seg.offset, text);
    return { kind, kg: null };
  }
  const kg = massKg(value, unit);
  if (kg === null) log.add('edifact.unknown_unit', 'weird', seg.index, seg.offset, unit);
  return { kind, kg };
}

/**
 * TMP (D.95B: 6245 temperature qualifier, C239 [6246 setting, 6411 unit]) → °C; null with
 * `edifact.bad_number` / `edifact.unknown_unit` when the value or unit (CEL, FAH) is unusable.
 */
export function readTemperature(seg: EdiSegment, log: EdiAnomalyLog): number | null {
  const text = seg.comp(1, 0).trim();
  if (text === '') return null;
  const value = parseDecimal(text);
  if (value === null) {
    log.add('edifact.bad_number', 'weird', seg.index, seg.offset, text);
    return null;
  }
  const unit = seg.comp(1, 1).trim();
  const c = celsius(value, unit);
  if (c === null) log.add('edifact.unknown_unit', 'weird', seg.index, seg.offset, unit || '(none)');
  return c;
}

/** Full/empty indicator 8169: 5 full, 4 empty (UNTDID code list). */
export type FullEmpty = 'full' | 'empty';

/** EQD equipment details. */
export interface Equipment {
  /** 8053 equipment qualifier, `CN` for container. */
  readonly qualifier: string;
  /** C237 8260 equipment identification number as written (trimmed). */
  readonly number: string;
  /** C224 8155 equipment size and type (ISO 6346 code such as `45G1`, or the older `2200`), or null. */
  readonly isoSizeType: string | null;
  /** 8077 equipment supplier (1 shipper, 2 carrier supplied), or null. */
  readonly supplier: string | null;
  /** 8249 equipment status (e.g. 2 export, 3 import, 5 shifter, 6 transhipment), or null. */
  readonly status: string | null;
  /** 8169 full/empty indicator as `full` / `empty`, null for other codes or absent. */
  readonly fullEmpty: FullEmpty | null;
}

/** EQD (D.95B: 8053, C237 [8260, 1131, 3055, 3207], C224 [8155, 1131, 3055, 8154], 8077, 8249, 8169). */
export function readEqd(seg: EdiSegment): Equipment {
  const fe = seg.comp(5, 0).trim();
  return {
    qualifier: seg.comp(0, 0).trim(),
    number: seg.comp(1, 0).trim(),
    isoSizeType: compOrNull(seg, 2, 0),
    supplier: compOrNull(seg, 3, 0),
    status: compOrNull(seg, 4, 0),
    fullEmpty: fe === '5' ? 'full' : fe === '4' ? 'empty' : null,
  };
}

/** NAD (D.95B: 3035 party qualifier, C082 [3039 party id, 1131, 3055], …) qualifier and party id. */
export function readNad(seg: EdiSegment): { qualifier: string; party: string | null } {
  return { qualifier: seg.comp(0, 0).trim(), party: compOrNull(seg, 1, 0) };
}

/** One dangerous-goods entry. */
export interface DangerousGoods {
  /** C205 8351 hazard code identification: the IMDG class, e.g. `3`, `2.1`. */
  readonly imdgClass: string | null;
  /** C234 7124 UN number, e.g. `1993`. */
  readonly unNumber: string | null;
}

/** DGS (D.95B: 8273 regulations code `IMD`, C205 [8351 class, 8078, 8092], C234 [7124 UN number, 7088], …). */
export function readDgs(seg: EdiSegment): DangerousGoods {
  return { imdgClass: compOrNull(seg, 1, 0), unNumber: compOrNull(seg, 2, 0) };
}
