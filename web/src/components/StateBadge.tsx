/** Coloured badge for a crane's activity state (working / idle / stopped / unknown). */
import type { ReactElement } from 'react';
import type { CraneActivity } from '../../../src/server/api-types.js';

/** Renders `state` as a badge styled by the `state-<state>` class. */
export function StateBadge({ state }: { readonly state: CraneActivity }): ReactElement {
  return <span className={`badge state-${state}`} data-testid="crane-state">{state}</span>;
}
