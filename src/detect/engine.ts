import { macToText } from '../decode/mac.js';
import type { LogRecord, LogSink, StreamName } from '../events/record.js';
import type { ConnId } from '../session/analyzer.js';
import type { SitePolicy } from '../policy/site-policy.js';
import { hashId } from '../session/uid.js';
import { ATTACK_ICS_VERSION, type IcsTechnique } from './attack.js';
import type { Detector } from './detector.js';
import { FINDINGS_SCHEMA, MAX_EVIDENCE, type FindingReport, type FindingWriter, type Severity, severityRank } from './finding.js';
import { groupIncidents, INCIDENTS_SCHEMA, type Incident } from './incidents.js';

/** The engine's internal stream of flow starts (see `DetectionEngine.flowOpened`). */
export const CONN_OPEN_STREAM = 'conn_open';

/** Findings kept per run; later new ones are counted in `dropped`, occurrences of kept ones still merge. */
export const MAX_FINDINGS = 10_000;

/** One finding while the run lasts: reports of the same detector and key merged. */
export interface Finding {
  readonly id: string;
  readonly detector: string;
  readonly key: string;
  readonly firstTs: number;
  lastTs: number;
  /** Capture time when it was first reported (the engine's clock then, at least `firstTs`). */
  readonly detectedTs: number;
  severity: Severity;
  title: string;
  explanation: string;
  techniques: IcsTechnique[];
  hosts: string[];
  cranes: string[];
  evidence: { stream: string; uid: string }[];
  count: number;
  action: string;
  incidentId: string;
}

/**
 * The detection stage (DESIGN.md: event → detector → finding): a LogSink that hands each record to
 * the detectors reading its stream, merges their reports into findings (same detector and key →
 * one finding: first/last time, occurrence count, the first MAX_EVIDENCE evidence records, the
 * highest severity, hosts and cranes united) and, at `finish`, groups the findings into incidents
 * (detect/incidents.ts) and writes the `findings` and `incidents` logs to `out`.
 * Deterministic: ids hash the detector, key and first time; output is sorted by time then id.
 * Memory: at most MAX_FINDINGS findings, each with bounded lists.
 */
export class DetectionEngine implements LogSink, FindingWriter {
  private readonly byStream = new Map<string, Detector[]>();
  private readonly findings = new Map<string, Finding>();
  private current = '';
  /** The stream of the record being handed to the detectors. */
  private stream = '';
  /**
   * Per finding (detector and key), the flows it reported at their first packet (conn_open) whose
   * end (their conn record) has not come yet: that end is the same occurrence, not a new one.
   */
  private readonly opened = new Map<string, Set<string>>();
  /** Capture clock: the latest record time seen (a conn record counts at its end). */
  private clock = Number.NEGATIVE_INFINITY;
  /** New findings refused by MAX_FINDINGS. */
  dropped = 0;
  private incidentList: Incident[] = [];
  private finished = false;

  /**
   * @param detectors the detectors to run (each gets the records of its `streams`)
   * @param policy the site policy, for the zones written with each finding (null without a site file)
   * @param out where `findings` and `incidents` records go at `finish`
   */
  constructor(
    private readonly detectors: readonly Detector[],
    private readonly policy: SitePolicy | null,
    private readonly out: LogSink,
  ) {
    for (const d of detectors) {
      for (const s of d.streams) {
        let list = this.byStream.get(s);
        if (list === undefined) this.byStream.set(s, (list = []));
        list.push(d);
      }
    }
  }

  write(stream: StreamName, record: LogRecord): void {
    const ts = record.ts;
    if (typeof ts === 'number') {
      const d = record.duration;
      const t = typeof d === 'number' ? ts + d : ts;
      if (t > this.clock) this.clock = t;
    }
    const list = this.byStream.get(stream);
    if (list === undefined) return;
    this.stream = stream;
    for (const d of list) {
      this.current = d.name;
      d.observe(stream, record, this);
    }
  }

  /**
   * A flow's first packet (pipeline/analyze.ts `onFlowOpen`): handed to the detectors as a record of
   * the internal stream `conn_open` (conn.log id fields, `proto`, `orig_l2_addr` / `resp_l2_addr`;
   * never logged), so they can act before the flow's conn record, which comes when it ends.
   */
  flowOpened(uid: string, id: ConnId, ts: number, origMac: number, respMac: number): void {
    this.write(CONN_OPEN_STREAM, {
      ts,
      uid,
      'id.orig_h': id.orig_h,
      'id.orig_p': id.orig_p,
      'id.resp_h': id.resp_h,
      'id.resp_p': id.resp_p,
      proto: id.proto,
      orig_l2_addr: origMac < 0 ? null : macToText(origMac),
      resp_l2_addr: respMac < 0 ? null : macToText(respMac),
    });
  }

  /** FindingWriter: merge one report of the detector being run. */
  report(f: FindingReport): void {
    const detector = this.current;
    const k = `${detector}\u0000${f.key}`;
    let finding = this.findings.get(k);
    if (finding === undefined) {
      if (this.findings.size >= MAX_FINDINGS) {
        this.dropped++;
        return;
      }
      finding = {
        id: hashId('F', `${detector}|${f.key}|${Math.round(f.ts * 1e6)}`),
        detector,
        key: f.key,
        firstTs: f.ts,
        lastTs: f.ts,
        detectedTs: Math.max(f.ts, this.clock),
        severity: f.severity,
        title: f.title,
        explanation: f.explanation,
        techniques: [...f.techniques],
        hosts: [...f.hosts],
        cranes: [...(f.cranes ?? [])],
        evidence: [],
        count: 0,
        action: f.action,
        incidentId: '',
      };
      this.findings.set(k, finding);
    }
    if (!this.endOfOpenedFlow(k, f)) finding.count++;
    if (f.ts > finding.lastTs) finding.lastTs = f.ts;
    if (severityRank(f.severity) > severityRank(finding.severity)) {
      finding.severity = f.severity;
      finding.title = f.title;
      finding.explanation = f.explanation;
      finding.action = f.action;
    }
    for (const t of f.techniques) if (!finding.techniques.some((x) => x.id === t.id)) finding.techniques.push(t);
    for (const h of f.hosts) if (!finding.hosts.includes(h) && finding.hosts.length < MAX_EVIDENCE) finding.hosts.push(h);
    for (const c of f.cranes ?? []) if (!finding.cranes.includes(c)) finding.cranes.push(c);
    this.addEvidence(finding, f);
  }

  /**
   * True when report `f` (of finding `k`) is made on a flow's conn record and the flow was already
   * reported at its first packet: one occurrence, counted then. Remembers the flows reported at
   * conn_open, at most MAX_EVIDENCE per finding (later ones count again at their end).
   */
  private endOfOpenedFlow(k: string, f: FindingReport): boolean {
    const uid = f.evidence?.uid;
    if (uid === undefined) return false;
    if (this.stream === 'conn') return this.opened.get(k)?.delete(uid) === true;
    if (this.stream === CONN_OPEN_STREAM) {
      let set = this.opened.get(k);
      if (set === undefined) this.opened.set(k, (set = new Set()));
      if (set.size < MAX_EVIDENCE) set.add(uid);
    }
    return false;
  }

  /** End of input: detectors finish, findings are grouped and both logs written. Idempotent. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const d of this.detectors) {
      this.current = d.name;
      d.finish(this);
    }
    const list = this.list();
    this.incidentList = groupIncidents(list, (ip) => this.zoneName(ip));
    for (const f of list) this.out.write(FINDINGS_SCHEMA.name, this.record(f));
    for (const inc of this.incidentList) this.out.write(INCIDENTS_SCHEMA.name, incidentRecord(inc));
  }

  /** Findings sorted by first time, then id. */
  list(): Finding[] {
    return [...this.findings.values()].sort((a, b) => a.firstTs - b.firstTs || (a.id < b.id ? -1 : 1));
  }

  /** Incidents (after `finish`), sorted by first time. */
  incidents(): readonly Incident[] {
    return this.incidentList;
  }

  /** Nothing buffered beyond the findings, which `finish` writes. */
  async close(): Promise<void> {}

  private addEvidence(finding: Finding, f: FindingReport): void {
    const e = f.evidence;
    if (e === undefined || finding.evidence.length >= MAX_EVIDENCE) return;
    if (!finding.evidence.some((x) => x.uid === e.uid && x.stream === e.stream)) finding.evidence.push({ stream: e.stream, uid: e.uid });
  }

  private zoneName(ip: string): string {
    return this.policy?.zoneOf(ip)?.id ?? '-';
  }

  private record(f: Finding): LogRecord {
    return {
      ts: f.firstTs,
      finding_id: f.id,
      incident_id: f.incidentId,
      last_ts: f.lastTs,
      detected_ts: f.detectedTs,
      detector: f.detector,
      severity: f.severity,
      title: f.title,
      msg: f.explanation,
      count: f.count,
      techniques: f.techniques.map((t) => t.id),
      technique_names: f.techniques.map((t) => t.name),
      attack_version: ATTACK_ICS_VERSION,
      hosts: f.hosts,
      zones: f.hosts.map((h) => this.zoneName(h)),
      cranes: f.cranes,
      evidence_streams: f.evidence.map((e) => e.stream),
      evidence_uids: f.evidence.map((e) => e.uid),
      action: f.action,
    };
  }
}

function incidentRecord(inc: Incident): LogRecord {
  return {
    ts: inc.firstTs,
    incident_id: inc.id,
    last_ts: inc.lastTs,
    severity: inc.severity,
    title: inc.title,
    msg: inc.summary,
    findings: inc.findingIds.length,
    finding_ids: inc.findingIds,
    detectors: inc.detectors,
    techniques: inc.techniques.map((t) => t.id),
    attack_version: ATTACK_ICS_VERSION,
    hosts: inc.hosts,
    zones: inc.zones,
    cranes: inc.cranes,
    action: inc.action,
  };
}
