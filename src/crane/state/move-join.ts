import { parseBaplie } from '../edifact/baplie.js';
import { parseCoarri } from '../edifact/coarri.js';
import type { LogRecord } from '../../events/record.js';

/** Seconds between a job-done record's lock time and the tracker's (first poll showing the lock) that still join. */
export const JOB_DONE_LOCK_TOLERANCE_SEC = 5;
/** Seconds before the lock and after the unlock in which an OCR read still belongs to a move. */
export const OCR_WINDOW_SEC = 5;
/** OCR reads and job-done records remembered per crane (the latest ones). */
const PER_CRANE = 16;
/** Container numbers whose ports (from COARRI reports) are remembered. */
const MAX_PORTS = 4096;

/** An OCR read the crane's OCR controller posted (JSON `{"event":"ocr_read", crane, container, iso_type, read_ts}`). */
export interface OcrRead {
  readonly crane: string;
  readonly container: string;
  readonly isoType: string | null;
  /** Read time, seconds since the epoch (`read_ts`, else the HTTP message time). */
  readonly ts: number;
}

/** A job-done record the CMS posted (JSON `{"type":"job_done", crane, kind, container, iso_type, gross_kg, from, to, lock_ts, unlock_ts}`). */
export interface JobDone {
  readonly crane: string;
  /** True when the record's `kind` is `restow` (a box moved for the stowage plan that stays on board). */
  readonly restow: boolean;
  readonly moveId: string | null;
  readonly container: string | null;
  readonly isoType: string | null;
  readonly from: string | null;
  readonly to: string | null;
  /** Yard block-bay-row-tier the box goes to or came from (`yard`), e.g. `C17-04-2`. */
  readonly yard: string | null;
  /** Lock and unlock times, seconds since the epoch (NaN when absent). */
  readonly lockTs: number;
  readonly unlockTs: number;
}

/** Port of loading and of discharge of a container (UN/LOCODE, EDIFACT COARRI LOC+9 and LOC+11). */
export interface Ports {
  readonly loading: string | null;
  readonly discharge: string | null;
  /** Vessel name (work order `vessel`, or TDT C222 8212 of the EDIFACT message), null when unknown. */
  readonly vessel: string | null;
}

/** Text of a position object as the TOS link writes it: vessel `BBBRRTT`, `truck lane N`, or `type k=v …`. */
export function positionText(p: unknown): string | null {
  if (p === null || typeof p !== 'object') return typeof p === 'string' ? p : null;
  const o = p as Record<string, unknown>;
  const type = typeof o.type === 'string' ? o.type : 'position';
  if (typeof o.code === 'string') return `${type} ${o.code}`;
  if (typeof o.lane === 'number') return `${type} lane ${o.lane}`;
  const parts = Object.keys(o)
    .filter((k) => k !== 'type')
    .sort()
    .map((k) => `${k}=${String(o[k])}`);
  return [type, ...parts].join(' ');
}

/** Seconds since the epoch of an ISO 8601 time string, NaN when it is none. */
function isoSec(v: unknown): number {
  return typeof v === 'string' ? Date.parse(v) / 1000 : Number.NaN;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/** A JSON object body, or null (not JSON, cut, or not an object). Runs once per HTTP message, never per packet. */
function jsonObject(body: string): Record<string, unknown> | null {
  if (body.length < 2 || body.charCodeAt(0) !== 0x7b || body.charCodeAt(body.length - 1) !== 0x7d) return null;
  try {
    const v: unknown = JSON.parse(body);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * What the crane model learns from the HTTP bodies of the TOS link (`http_body` records of
 * protocols/http): OCR reads and job-done records (JSON request bodies, by their `event`/`type`
 * field) per crane, and each container's ports from EDIFACT COARRI reports (UN/EDIFACT D.95B, SMDG:
 * LOC+9 port of loading, LOC+11 port of discharge) posted as AS2 bodies. Bounded: the latest 16 reads
 * and records per crane, ports of the latest 4096 containers.
 */
export class MoveFacts {
  private readonly ocr = new Map<string, OcrRead[]>();
  private readonly done = new Map<string, JobDone[]>();
  private readonly ports = new Map<string, Ports>();

  /**
   * Take one `http_body` record (whole bodies only): OCR reads, job-done records and EDIFACT
   * BAPLIE / COARRI messages the clients send, and the work orders the TOS answers with (JSON with
   * `work_order_id`, `container`, `pol`, `pod`: the ports of every box before it is moved).
   * @returns true when it added a fact
   */
  add(r: LogRecord): boolean {
    if (r.truncated === true || typeof r.body !== 'string') return false;
    if (r.is_orig !== true) return this.addWorkOrder(r.body);
    const ts = typeof r.ts === 'number' ? r.ts : Number.NaN;
    const mime = typeof r.mime_type === 'string' ? r.mime_type : '';
    if (mime.includes('edifact') || r.body.startsWith('UNA') || r.body.startsWith('UNB')) return this.addCoarri(r.body) || this.addBaplie(r.body);
    const o = jsonObject(r.body);
    if (o === null) return false;
    const crane = str(o.crane);
    if (crane === null) return false;
    if (o.event === 'ocr_read') {
      const container = str(o.container);
      if (container === null) return false;
      const readTs = isoSec(o.read_ts);
      push(this.ocr, crane, { crane, container, isoType: str(o.iso_type), ts: Number.isNaN(readTs) ? ts : readTs });
      return true;
    }
    if (o.type === 'job_done') {
      push(this.done, crane, {
        crane,
        restow: o.kind === 'restow',
        moveId: str(o.move_id),
        container: str(o.container),
        isoType: str(o.iso_type),
        from: positionText(o.from ?? null),
        to: positionText(o.to ?? null),
        yard: str(o.yard),
        lockTs: isoSec(o.lock_ts),
        unlockTs: isoSec(o.unlock_ts),
      });
      return true;
    }
    return false;
  }

  /** The job-done record of `crane` whose lock time is within JOB_DONE_LOCK_TOLERANCE_SEC of `lockTs`, or null. */
  jobDone(crane: string, lockTs: number): JobDone | null {
    const list = this.done.get(crane);
    if (list === undefined) return null;
    let best: JobDone | null = null;
    for (const j of list) {
      const d = Math.abs(j.lockTs - lockTs);
      if (d <= JOB_DONE_LOCK_TOLERANCE_SEC && (best === null || d < Math.abs(best.lockTs - lockTs))) best = j;
    }
    return best;
  }

  /** The latest OCR read of `crane` between `lockTs` and `unlockTs` (widened by OCR_WINDOW_SEC), or null. */
  ocrRead(crane: string, lockTs: number, unlockTs: number): OcrRead | null {
    const list = this.ocr.get(crane);
    if (list === undefined) return null;
    for (let i = list.length - 1; i >= 0; i--) {
      const o = list[i];
      if (o.ts >= lockTs - OCR_WINDOW_SEC && o.ts <= unlockTs + OCR_WINDOW_SEC) return o;
    }
    return null;
  }

  /** Ports of `container` from the COARRI reports seen, or null. */
  portsOf(container: string): Ports | null {
    return this.ports.get(container) ?? null;
  }

  /** A work order the TOS sent (a reply body): the ports and vessel of its box. */
  private addWorkOrder(body: string): boolean {
    const o = jsonObject(body);
    if (o === null || str(o.work_order_id) === null) return false;
    const container = str(o.container);
    const pol = str(o.pol);
    const pod = str(o.pod);
    if (container === null || (pol === null && pod === null)) return false;
    this.setPorts(container, pol, pod, str(o.vessel));
    return true;
  }

  /** Ports of the boxes of a BAPLIE stowage plan (SG2 LOC+9 / LOC+11; the vessel's arrival plan) and the plan's vessel (SG1 TDT). */
  private addBaplie(body: string): boolean {
    const res = parseBaplie(body);
    if (!res.ok) return false;
    let added = false;
    for (const plan of res.plans) {
      for (const c of plan.containers) {
        if (c.number === '' || (c.portOfLoading === null && c.portOfDischarge === null)) continue;
        this.setPorts(c.number, c.portOfLoading, c.portOfDischarge, plan.vessel.name);
        added = true;
      }
    }
    return added;
  }

  private setPorts(container: string, loading: string | null, discharge: string | null, vessel: string | null): void {
    // A later report without a vessel name keeps the one already known for the box.
    const known = vessel ?? this.ports.get(container)?.vessel ?? null;
    this.ports.delete(container);
    this.ports.set(container, { loading, discharge, vessel: known });
    if (this.ports.size > MAX_PORTS) this.ports.delete(this.ports.keys().next().value as string);
  }

  private addCoarri(body: string): boolean {
    const res = parseCoarri(body);
    if (!res.ok) return false;
    let added = false;
    for (const rep of res.reports) {
      for (const m of rep.moves) {
        if (m.number === '' || (m.portOfLoading === null && m.portOfDischarge === null)) continue;
        this.setPorts(m.number, m.portOfLoading, m.portOfDischarge, rep.vessel.name);
        added = true;
      }
    }
    return added;
  }
}

function push<T>(m: Map<string, T[]>, key: string, v: T): void {
  let list = m.get(key);
  if (list === undefined) m.set(key, (list = []));
  list.push(v);
  if (list.length > PER_CRANE) list.shift();
}
