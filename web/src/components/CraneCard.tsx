/** Overview card of one crane: state, moves per hour, open incidents, last load and wind. */
import type { ReactElement } from 'react';
import type { CraneOverview } from '../../../src/server/api-types.js';
import { fmtNum, fmtTime } from '../format.js';
import { hrefFor } from '../router.js';
import { StateBadge } from './StateBadge.js';

/** Renders the card with links to the crane's telemetry and incidents. */
export function CraneCard({ crane }: { readonly crane: CraneOverview }): ReactElement {
  return (
    <article className="card crane-card" data-testid="crane-card" data-crane={crane.crane}>
      <header>
        <h3>{crane.crane}</h3>
        <StateBadge state={crane.state} />
      </header>
      <dl>
        <dt>PLC</dt><dd>{crane.plc_h ?? '—'}</dd>
        <dt>Moves/h</dt><dd data-testid="crane-moves-per-hour">{fmtNum(crane.moves_per_hour, 1)}</dd>
        <dt>Moves</dt><dd>{fmtNum(crane.moves)}</dd>
        <dt>Open incidents</dt><dd data-testid="crane-open-incidents">{fmtNum(crane.open_incidents)}</dd>
        <dt>Load</dt><dd>{crane.load_kg === null ? '—' : `${fmtNum(crane.load_kg)} kg`}</dd>
        <dt>Wind</dt><dd>{crane.wind_speed_ms === null ? '—' : `${fmtNum(crane.wind_speed_ms, 1)} m/s`}</dd>
        <dt>Last seen</dt><dd>{fmtTime(crane.last_ts)}</dd>
      </dl>
      <footer>
        <a href={hrefFor(['telemetry'], { crane: crane.crane })}>Telemetry</a>
        {' · '}
        <a href={hrefFor(['incidents'], { crane: crane.crane })}>Incidents</a>
        {' · '}
        <a href={hrefFor(['moves'], { crane: crane.crane })}>Moves</a>
      </footer>
    </article>
  );
}
