import { Eta } from 'eta';
import type { AssetRow, FindingRow, Severity } from '../server/api-types.js';
import { REPORT_MAP_EDGES, type Capped, type ReportData } from './report-data.js';
import { MAX_CHART_MARKERS, telemetrySvg } from './telemetry-chart.js';
import { REPORT_CSS, REPORT_TEMPLATE } from './template.js';

/** Text shown for an absent value. */
const NONE = '—';

const eta = new Eta({ autoEscape: true, autoTrim: false, useWith: false });

/** Seconds since the epoch as `YYYY-MM-DD HH:MM:SS UTC`; NONE for null. */
export function utcText(ts: number | null): string {
  if (ts === null || !Number.isFinite(ts)) return NONE;
  return `${new Date(Math.round(ts * 1000)).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A list as comma-separated text, NONE when empty. */
function list(xs: readonly string[] | null | undefined): string {
  return xs && xs.length > 0 ? xs.join(', ') : NONE;
}

/** A number with thousands separators, NONE for null. */
function num(n: number | null, digits = 0): string {
  return n === null || !Number.isFinite(n) ? NONE : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** "Showing the first N of M …" when a list was cut, else ''. */
function cut<T>(c: Capped<T>, what: string): string {
  return c.rows.length < c.total ? `Showing ${c.rows.length} of ${c.total.toLocaleString('en-US')} ${what}; the console and the database hold them all.` : '';
}

/** A finding's evidence in words: its streams (each once) and how many flows. */
function evidence(f: FindingRow): string {
  const streams = list([...new Set(f.evidence_streams)]);
  if (f.evidence_uids.length === 0) return streams;
  return `${streams} — ${f.evidence_uids.length} flow${f.evidence_uids.length === 1 ? '' : 's'} (${f.evidence_uids.slice(0, 3).join(', ')}${f.evidence_uids.length > 3 ? ', …' : ''})`;
}

function findingView(f: FindingRow): Record<string, string> {
  return {
    when: utcText(f.ts),
    severity: f.severity,
    title: f.title,
    msg: f.msg,
    detector: f.detector,
    count: num(f.count),
    hosts: list(f.hosts),
    evidence: evidence(f),
  };
}

function assetView(a: AssetRow): Record<string, string> {
  return {
    host: a.host,
    name: a.name ?? NONE,
    zone: a.zone ?? NONE,
    vendor: a.device_vendor ?? list(a.vendors),
    roles: list(a.roles),
    protocols: list(a.protocols),
    first: utcText(a.first_seen),
    last: utcText(a.last_seen),
    findings: num(a.open_findings),
  };
}

/** The headline sentence of the summary. */
function headline(d: ReportData): string {
  const bySev = d.overview.incidents_by_severity;
  const open = d.overview.counts.incidents;
  if (!d.overview.run.detection) return 'Detection was off for this run (no site file): the report lists what was seen, without findings.';
  if (open === 0) return 'No incident was raised: every device, flow and command seen matched the site file.';
  const parts = (['critical', 'high', 'medium', 'low'] as const satisfies readonly Severity[]).filter((s) => bySev[s] > 0).map((s) => `${bySev[s]} ${s}`);
  return `${open} incident${open === 1 ? '' : 's'} (${parts.join(', ')}) need${open === 1 ? 's' : ''} attention. The most severe come first below, each with its evidence and a recommended action.`;
}

/**
 * The report as one self-contained HTML document (inline style sheet and SVG charts, no scripts
 * or external resources; a Content-Security-Policy meta tag forbids loading anything): summary,
 * cranes, incidents with their findings and recommended actions, container data leaving the
 * terminal, flagged flows and outside peers, inventory differences and telemetry charts. Every
 * text from the data is HTML-escaped. Deterministic for the same data.
 */
export function renderHtmlReport(d: ReportData): string {
  const o = d.overview;
  const run = o.run;
  const terminal = [run.terminal, run.unlocode ? `UN/LOCODE ${run.unlocode}` : null].filter((x) => x !== null).join(' — ');
  const sev = o.incidents_by_severity;
  const view = {
    title: `CraneWatch report${run.terminal ? ` — ${run.terminal}` : ''}`,
    css: REPORT_CSS,
    terminalLine: terminal === '' ? 'Terminal not named (no site file)' : terminal,
    period: run.first_ts === null ? 'no packets' : `${utcText(run.first_ts)} to ${utcText(run.last_ts)}`,
    captures: list(run.captures),
    detection: run.detection ? 'on (site file given)' : 'off (no site file)',
    generated: utcText(d.generatedTs),
    headline: headline(d),
    tiles: [
      { label: 'incidents', value: num(o.counts.incidents), cls: o.counts.incidents > 0 ? 'alert' : '' },
      { label: 'critical / high', value: `${sev.critical} / ${sev.high}`, cls: sev.critical + sev.high > 0 ? 'alert' : '' },
      { label: 'findings', value: num(o.counts.findings), cls: '' },
      { label: 'cranes', value: num(o.cranes.length), cls: '' },
      { label: 'container moves', value: num(o.counts.moves), cls: '' },
      { label: 'hosts', value: num(o.counts.hosts), cls: '' },
      { label: 'flows', value: num(o.counts.flows), cls: '' },
    ],
    cranes: o.cranes.map((c) => ({
      crane: c.crane,
      plc: c.plc_h ?? NONE,
      state: c.state,
      moves: num(c.moves),
      movesPerHour: num(c.moves_per_hour, 1),
      openIncidents: num(c.open_incidents),
      load: num(c.load_kg),
      wind: num(c.wind_speed_ms, 1),
      last: utcText(c.last_ts),
    })),
    noIncidents: run.detection ? 'No incident was raised.' : 'Detection was off (no site file).',
    incidentsCut: cut(d.incidents, 'incidents (the most severe)'),
    incidents: d.incidents.rows.map((r) => ({
      id: r.incident.incident_id,
      severity: r.incident.severity,
      title: r.incident.title,
      when: r.incident.last_ts > r.incident.ts ? `${utcText(r.incident.ts)} to ${utcText(r.incident.last_ts)}` : utcText(r.incident.ts),
      cranes: list(r.incident.cranes),
      hosts: list(r.incident.hosts),
      zones: list(r.incident.zones),
      techniques: r.incident.techniques.length === 0 ? NONE : `${r.incident.techniques.join(', ')} (ATT&CK for ICS ${r.incident.attack_version})`,
      msg: r.incident.msg,
      action: r.incident.action,
      findings: r.findings.map(findingView),
      findingsCut: r.findings.length < r.findingsTotal ? `Showing ${r.findings.length} of ${r.findingsTotal} findings.` : '',
    })),
    noContainerData: run.detection ? 'No container number was seen travelling to an unapproved destination.' : 'Detection was off (no site file).',
    containerData: d.containerData.rows.map(findingView),
    containerDataCut: cut(d.containerData, 'findings'),
    flaggedEdges: d.flaggedEdges.rows.map((e) => ({
      source: e.source,
      target: e.target,
      service: e.service === '' ? e.proto : `${e.service} (${e.proto})`,
      flows: num(e.flows),
      bytes: num(e.bytes),
      findings: list(e.finding_ids),
    })),
    flaggedCut: cut(d.flaggedEdges, 'flagged flows'),
    externalPeers: d.externalPeers.rows.map((n) => ({ id: n.id, findings: num(n.findings) })),
    externalCut: cut(d.externalPeers, 'outside peers'),
    mapCut: d.mapTruncated
      ? `Read from the ${REPORT_MAP_EDGES.toLocaleString('en-US')} heaviest communication-map edges: lighter flagged flows and outside peers may be missing here; the console's Map page and the database hold them all.`
      : '',
    inventoryKnown: run.detection,
    uninventoried: d.uninventoried.rows.map(assetView),
    uninventoriedCut: cut(d.uninventoried, 'hosts'),
    unseen: d.unseen.rows.map(assetView),
    unseenCut: cut(d.unseen, 'hosts'),
    charts: d.telemetry.map((t) => ({
      crane: t.crane,
      svg: telemetrySvg(t),
      markers: t.markers.slice(0, MAX_CHART_MARKERS).map((m) => ({ when: utcText(m.ts), severity: m.severity, title: m.title })),
    })),
    footer: `Made by CraneWatch, a passive monitor: it only read captured traffic and never transmitted on the monitored network. Times are UTC. Technique ids are MITRE ATT&CK for ICS.`,
  };
  return eta.renderString(REPORT_TEMPLATE, view);
}
