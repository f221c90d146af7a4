/** A finding id that leads to its incident's page (`#/incidents/<incident_id>`). */
import { useState, type ReactElement } from 'react';
import { getFindingEvidence } from '../api.js';
import { hrefFor, navigate } from '../router.js';

/** Props: the finding id and, when already known, its incident id (null when the finding has no incident). */
export interface FindingLinkProps {
  readonly findingId: string;
  readonly incidentId?: string | null;
}

/**
 * A link to the finding's incident when `incidentId` is known; when it is undefined, a link-styled
 * button that looks the finding up on click (`GET /api/findings/:id/evidence?limit=1`, one record)
 * and opens its incident (a failed look-up can be retried); plain text when the finding has no incident. Test id `finding-link`.
 */
export function FindingLink({ findingId, incidentId }: FindingLinkProps): ReactElement {
  const [state, setState] = useState<'idle' | 'busy' | 'none'>('idle');
  if (typeof incidentId === 'string') {
    return (
      <a href={hrefFor(['incidents', incidentId])} data-testid="finding-link" data-finding={findingId}
        title={`Incident ${incidentId}`}><code>{findingId}</code></a>
    );
  }
  if (incidentId === null || state === 'none') return <code title="Not part of an incident">{findingId}</code>;
  const onClick = async (): Promise<void> => {
    setState('busy');
    const result = await getFindingEvidence(findingId, { limit: 1, offset: 0 });
    if (!result.ok) {
      setState('idle');
      return;
    }
    const incident = result.data.finding.incident_id;
    if (incident === null) setState('none');
    else navigate(['incidents', incident]);
  };
  return (
    <button type="button" className="link" data-testid="finding-link" data-finding={findingId} disabled={state === 'busy'}
      title="Open the finding's incident" onClick={() => void onClick()}><code>{findingId}</code></button>
  );
}
