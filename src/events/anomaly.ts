/**
 * Anomalies are data (DESIGN.md): three grades.
 * - `weird`: odd but parsed (Zeek's weird.log).
 * - `violation`: counts against protocol confirmation (Zeek's analyzer violation).
 * - `fatal`: stop parsing this flow with this analyzer; the conn record is kept.
 */
export type AnomalyGrade = 'weird' | 'violation' | 'fatal';

/**
 * One anomaly as the `weird` stream logs it. Field names follow Zeek's weird.log
 * (`ts uid id.orig_h id.orig_p id.resp_h id.resp_p name addl notice peer source`), plus `grade`.
 * Names are dotted and stable: `<layer or protocol>.<what>`, e.g. `tcp.seq_gap`, `modbus.invalid_length`.
 */
export interface WeirdRecord {
  ts: number;
  uid: string | null;
  'id.orig_h': string | null;
  'id.orig_p': number | null;
  'id.resp_h': string | null;
  'id.resp_p': number | null;
  name: string;
  addl: string | null;
  notice: boolean;
  peer: string;
  source: string;
  grade: AnomalyGrade;
}
