/** Coloured badge for a finding or incident severity. */
import type { ReactElement } from 'react';
import type { Severity } from '../../../src/server/api-types.js';

/** Renders `severity` as a badge styled by the `sev-<severity>` class. */
export function SeverityBadge({ severity }: { readonly severity: Severity }): ReactElement {
  return <span className={`badge sev-${severity}`} data-testid="severity">{severity}</span>;
}
