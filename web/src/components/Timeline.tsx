/** An incident's timeline as an ordered list: each finding's first sighting, detection and last sighting. */
import type { ReactElement } from 'react';
import type { TimelineEntry } from '../../../src/server/api-types.js';
import { fmtTime } from '../format.js';
import { SeverityBadge } from './SeverityBadge.js';

const KIND_LABEL: Readonly<Record<TimelineEntry['kind'], string>> = {
  first: 'first seen',
  detected: 'detected',
  last: 'last seen',
};

function scrollToFinding(findingId: string): void {
  document.getElementById(`finding-${findingId}`)?.scrollIntoView({ block: 'start' });
}

/** Renders the entries in the server's (time) order, test id `timeline-entry`. */
export function Timeline({ entries }: { readonly entries: readonly TimelineEntry[] }): ReactElement {
  if (entries.length === 0) return <p className="muted">No timeline entries.</p>;
  return (
    <ol className="timeline" data-testid="timeline">
      {entries.map((e, i) => (
        <li key={`${e.finding_id}-${e.kind}-${i}`} data-testid="timeline-entry" className={`tl-${e.kind}`}>
          <time>{fmtTime(e.ts)}</time> <span className="tl-kind">{KIND_LABEL[e.kind]}</span>{' '}
          <SeverityBadge severity={e.severity} /> <button type="button" className="link" onClick={() => scrollToFinding(e.finding_id)}>{e.title}</button>{' '}
          <small className="muted">{e.detector}</small>
        </li>
      ))}
    </ol>
  );
}
