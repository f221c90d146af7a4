/** Incident list: filter by severity and crane, server-side pages of 50; filters and offset live in the URL. */
import type { ReactElement } from 'react';
import type { Severity } from '../../../src/server/api-types.js';
import { getIncidents, getOverview } from '../api.js';
import { Async } from '../components/Async.js';
import { CraneSelect } from '../components/CraneSelect.js';
import { DetectionOffNote } from '../components/DetectionOffNote.js';
import { Pager } from '../components/Pager.js';
import { SeverityBadge } from '../components/SeverityBadge.js';
import { Techniques } from '../components/Techniques.js';
import { fmtNum, fmtTime } from '../format.js';
import { hrefFor, navigate, queryInt, queryObject } from '../router.js';
import { useApi } from '../useApi.js';

const PAGE_SIZE = 50;
const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

function asSeverity(value: string | null): Severity | '' {
  return SEVERITIES.find((s) => s === value) ?? '';
}

/**
 * Renders the list (`incidents-severity`, `incidents-crane`, rows `incident-row`, `incidents-pager-*`); an empty list
 * says `incidents-empty`, or `incidents-detection-off` when the run had no site file (overview `run.detection` false).
 */
export function IncidentsPage({ query }: { readonly query: URLSearchParams }): ReactElement {
  const severity = asSeverity(query.get('severity'));
  const crane = query.get('crane') ?? '';
  const offset = queryInt(query, 'offset', 0);
  const { loaded } = useApi(() => getIncidents({ severity: severity === '' ? undefined : severity, crane, limit: PAGE_SIZE, offset }), [severity, crane, offset]);
  const overview = useApi(getOverview, []).loaded;
  const detectionOff = overview.state === 'ok' && !overview.data.run.detection;
  const go = (change: Record<string, string | number | undefined>): void =>
    navigate(['incidents'], { ...queryObject(query), offset: undefined, ...change });

  return (
    <section>
      <h2>Incidents</h2>
      <div className="filters">
        <label>Severity
          <select data-testid="incidents-severity" value={severity} onChange={(e) => go({ severity: e.target.value })}>
            <option value="">any</option>
            {SEVERITIES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>Crane <CraneSelect testId="incidents-crane" value={crane} onChange={(c) => go({ crane: c })} /></label>
      </div>
      <Async loaded={loaded}>
        {(page) => (
          <>
            {page.items.length === 0 ? (
              detectionOff ? <DetectionOffNote testId="incidents-detection-off" />
                : <p className="muted" data-testid="incidents-empty">No incidents match.</p>
            ) : (
              <div className="table-wrap">
                <table data-testid="incidents-table">
                  <thead>
                    <tr><th>Severity</th><th>Title</th><th>First</th><th>Last</th><th>Findings</th><th>Techniques</th>
                      <th>Cranes</th><th>Hosts</th></tr>
                  </thead>
                  <tbody>
                    {page.items.map((inc) => (
                      <tr key={inc.incident_id} data-testid="incident-row" data-incident={inc.incident_id} className="clickable"
                        onClick={() => navigate(['incidents', inc.incident_id])}>
                        <td><SeverityBadge severity={inc.severity} /></td>
                        <td><a href={hrefFor(['incidents', inc.incident_id])}>{inc.title}</a></td>
                        <td>{fmtTime(inc.ts)}</td>
                        <td>{fmtTime(inc.last_ts)}</td>
                        <td>{fmtNum(inc.findings)}</td>
                        <td><Techniques ids={inc.techniques} version={inc.attack_version} /></td>
                        <td>{inc.cranes.join(', ') || '—'}</td>
                        <td>{inc.hosts.slice(0, 4).join(', ')}{inc.hosts.length > 4 ? ` +${inc.hosts.length - 4}` : ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <Pager total={page.total} limit={page.limit} offset={page.offset} testId="incidents-pager"
              onOffset={(o) => navigate(['incidents'], { ...queryObject(query), offset: o })} />
          </>
        )}
      </Async>
    </section>
  );
}
