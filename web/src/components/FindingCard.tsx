/** One finding of an incident: severity, detector, time span, techniques, hosts, and an evidence drill-down. */
import { useState, type ReactElement } from 'react';
import type { FindingRow } from '../../../src/server/api-types.js';
import { fmtNum, fmtTime } from '../format.js';
import { FindingEvidencePanel } from './FindingEvidencePanel.js';
import { SeverityBadge } from './SeverityBadge.js';
import { Techniques } from './Techniques.js';

/** Renders the finding (test id `finding-row`); the `finding-evidence` button toggles its evidence records. */
export function FindingCard({ finding }: { readonly finding: FindingRow }): ReactElement {
  const [open, setOpen] = useState(false);
  return (
    <article className="card finding" id={`finding-${finding.finding_id}`} data-testid="finding-row"
      data-finding={finding.finding_id}>
      <header>
        <SeverityBadge severity={finding.severity} />
        <h4>{finding.title}</h4>
        <code>{finding.detector}</code>
      </header>
      <p>{finding.msg}</p>
      <dl>
        <dt>Finding</dt><dd><code>{finding.finding_id}</code></dd>
        <dt>Span</dt><dd>{fmtTime(finding.ts)} → {fmtTime(finding.last_ts)}</dd>
        <dt>Detected</dt><dd>{fmtTime(finding.detected_ts)}</dd>
        <dt>Count</dt><dd>{fmtNum(finding.count)}</dd>
        <dt>Techniques</dt>
        <dd><Techniques ids={finding.techniques} names={finding.technique_names} version={finding.attack_version} /></dd>
        <dt>Hosts</dt><dd>{finding.hosts.join(', ') || '—'}</dd>
        <dt>Zones</dt><dd>{finding.zones.join(', ') || '—'}</dd>
        <dt>Cranes</dt><dd>{finding.cranes.join(', ') || '—'}</dd>
        <dt>Action</dt><dd>{finding.action || '—'}</dd>
      </dl>
      <button type="button" data-testid="finding-evidence" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {open ? 'Hide evidence' : 'Show evidence'}
      </button>
      {open && <FindingEvidencePanel findingId={finding.finding_id} />}
    </article>
  );
}
