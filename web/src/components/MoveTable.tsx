/** Table of container moves (`container_move` records with TOS vessel data). */
import type { ReactElement } from 'react';
import type { MoveRow } from '../../../src/server/api-types.js';
import { fmtDuration, fmtNum, fmtTime } from '../format.js';
import { hrefFor } from '../router.js';

/** Renders one row per move (test id `move-row`); container numbers link to their detail page. */
export function MoveTable({ moves }: { readonly moves: readonly MoveRow[] }): ReactElement {
  if (moves.length === 0) return <p className="muted" data-testid="moves-empty">No moves.</p>;
  return (
    <div className="table-wrap">
      <table data-testid="moves-table">
        <thead>
          <tr>
            <th>Time</th><th>Crane</th><th>Kind</th><th>Container</th><th>ISO type</th><th>Gross</th>
            <th>From</th><th>To</th><th>Duration</th><th>Vessel</th><th>POL</th><th>POD</th>
          </tr>
        </thead>
        <tbody>
          {moves.map((m) => (
            <tr key={m.move_id} data-testid="move-row">
              <td>{fmtTime(m.ts)}</td>
              <td>{m.crane}</td>
              <td>{m.kind}</td>
              <td>{m.container === null ? '—' : <a href={hrefFor(['containers', m.container])}>{m.container}</a>}</td>
              <td>{m.iso_type ?? '—'}</td>
              <td>{m.gross_kg === null ? '—' : `${fmtNum(m.gross_kg)} kg`}</td>
              <td>{m.from ?? '—'}</td>
              <td>{m.to ?? '—'}</td>
              <td>{fmtDuration(m.duration)}</td>
              <td>{m.vessel ?? '—'}</td>
              <td>{m.port_of_loading ?? '—'}</td>
              <td>{m.port_of_discharge ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
