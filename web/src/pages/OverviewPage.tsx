/** Terminal overview: what was analyzed, counts, incidents by severity and one card per crane. */
import type { ReactElement } from 'react';
import type { Severity } from '../../../src/server/api-types.js';
import { getOverview } from '../api.js';
import { Async } from '../components/Async.js';
import { CraneCard } from '../components/CraneCard.js';
import { DetectionOffNote } from '../components/DetectionOffNote.js';
import { fmtNum, fmtTime } from '../format.js';
import { hrefFor } from '../router.js';
import { useApi } from '../useApi.js';

const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** Renders `GET /api/overview` (test ids `run-info`, `count-<name>`, `severity-count-<severity>`, `overview-detection-off`, `crane-card`). */
export function OverviewPage(): ReactElement {
  const { loaded } = useApi(getOverview, []);
  return (
    <section>
      <h2>Overview</h2>
      <Async loaded={loaded}>
        {(o) => (
          <>
            <div className="card" data-testid="run-info">
              <dl>
                <dt>Terminal</dt>
                <dd>{o.run.terminal ?? '—'}{o.run.unlocode !== null ? ` (${o.run.unlocode})` : ''}</dd>
                <dt>Captures</dt><dd data-testid="run-captures">{o.run.captures.join(', ') || '—'}</dd>
                <dt>Data from</dt><dd>{fmtTime(o.run.first_ts)} → {fmtTime(o.run.last_ts)} UTC</dd>
                <dt>Detection</dt><dd>{o.run.detection ? 'on (site file)' : 'off (no site file)'}</dd>
              </dl>
            </div>
            <div className="stats">
              {Object.entries(o.counts).map(([name, value]) => (
                <div key={name} className="stat" data-testid={`count-${name}`}>
                  <span className="stat-value">{fmtNum(value)}</span>
                  <span className="stat-label">{name}</span>
                </div>
              ))}
            </div>
            <h3>Incidents by severity</h3>
            {!o.run.detection && <DetectionOffNote testId="overview-detection-off" />}
            <div className="stats">
              {SEVERITIES.map((s) => (
                <a key={s} className={`stat sev-border-${s}`} href={hrefFor(['incidents'], { severity: s })}
                  data-testid={`severity-count-${s}`}>
                  <span className="stat-value">{fmtNum(o.incidents_by_severity[s])}</span>
                  <span className="stat-label">{s}</span>
                </a>
              ))}
            </div>
            <h3>Cranes</h3>
            {o.cranes.length === 0 ? <p className="muted">No cranes seen.</p> : (
              <div className="cards">
                {o.cranes.map((c) => <CraneCard key={c.crane} crane={c} />)}
              </div>
            )}
          </>
        )}
      </Async>
    </section>
  );
}
