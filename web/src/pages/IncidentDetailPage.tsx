/** One incident: summary, timeline of its findings, and each finding with its evidence drill-down. */
import type { ReactElement } from 'react';
import { getIncident } from '../api.js';
import { Async } from '../components/Async.js';
import { FindingCard } from '../components/FindingCard.js';
import { SeverityBadge } from '../components/SeverityBadge.js';
import { Techniques } from '../components/Techniques.js';
import { Timeline } from '../components/Timeline.js';
import { fmtNum, fmtTime } from '../format.js';
import { hrefFor } from '../router.js';
import { useApi } from '../useApi.js';

/** Renders `GET /api/incidents/:id` (test ids `incident-detail`, `timeline-entry`, `finding-row`, `finding-evidence`). */
export function IncidentDetailPage({ id }: { readonly id: string }): ReactElement {
  const { loaded } = useApi(() => getIncident(id), [id]);
  return (
    <section>
      <p><a href={hrefFor(['incidents'])} data-testid="incident-back">‹ All incidents</a></p>
      <Async loaded={loaded}>
        {({ incident, findings, timeline }) => (
          <>
            <div className="card" data-testid="incident-detail" data-incident={incident.incident_id}>
              <header>
                <SeverityBadge severity={incident.severity} />
                <h2>{incident.title}</h2>
              </header>
              <p>{incident.msg}</p>
              <dl>
                <dt>Incident</dt><dd><code>{incident.incident_id}</code></dd>
                <dt>Span</dt><dd>{fmtTime(incident.ts)} → {fmtTime(incident.last_ts)} UTC</dd>
                <dt>Findings</dt><dd>{fmtNum(incident.findings)}</dd>
                <dt>Detectors</dt><dd>{incident.detectors.join(', ') || '—'}</dd>
                <dt>Techniques</dt><dd><Techniques ids={incident.techniques} version={incident.attack_version} /></dd>
                <dt>Hosts</dt><dd>{incident.hosts.join(', ') || '—'}</dd>
                <dt>Zones</dt><dd>{incident.zones.join(', ') || '—'}</dd>
                <dt>Cranes</dt><dd>{incident.cranes.join(', ') || '—'}</dd>
                <dt>Action</dt><dd>{incident.action || '—'}</dd>
              </dl>
            </div>
            <h3>Timeline</h3>
            <Timeline entries={timeline} />
            <h3>Findings ({findings.length})</h3>
            {findings.map((f) => <FindingCard key={f.finding_id} finding={f} />)}
          </>
        )}
      </Async>
    </section>
  );
}
