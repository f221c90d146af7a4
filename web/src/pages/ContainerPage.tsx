/** One container: ISO 6346 check-digit verdict, its moves, and where its number was seen on the network. */
import type { ReactElement } from 'react';
import { getContainer } from '../api.js';
import { Async } from '../components/Async.js';
import { MoveTable } from '../components/MoveTable.js';
import { fmtTime } from '../format.js';
import { hrefFor } from '../router.js';
import { useApi } from '../useApi.js';

/** Renders `GET /api/containers/:number` (test ids `container-detail`, `check-digit`, `move-row`, `sighting-row`). */
export function ContainerPage({ containerNumber }: { readonly containerNumber: string }): ReactElement {
  const { loaded } = useApi(() => getContainer(containerNumber), [containerNumber]);
  return (
    <section>
      <p><a href={hrefFor(['moves'])}>‹ Moves</a></p>
      <Async loaded={loaded}>
        {(c) => (
          <div data-testid="container-detail" data-container={c.container}>
            <h2>Container {c.container}</h2>
            <p data-testid="check-digit" className={c.check_digit_valid ? 'ok' : 'warn'}>
              ISO 6346 check digit {c.check_digit_valid ? 'valid' : 'INVALID'}
            </p>
            <h3>Moves ({c.moves.length})</h3>
            <MoveTable moves={c.moves} />
            <h3>Network sightings ({c.sightings.length})</h3>
            {c.sightings.length === 0
              ? <p className="muted" data-testid="sightings-empty">Not seen outside its approved destinations.</p>
              : (
                <div className="table-wrap">
                  <table data-testid="sightings-table">
                    <thead>
                      <tr><th>Time</th><th>From</th><th>To</th><th>Port</th><th>Service</th><th>Zone</th><th>uid</th>
                        <th>Findings</th></tr>
                    </thead>
                    <tbody>
                      {c.sightings.map((s, i) => (
                        <tr key={`${s.uid}-${i}`} data-testid="sighting-row">
                          <td>{fmtTime(s.ts)}</td>
                          <td>{s.orig_h}</td>
                          <td>{s.resp_h}</td>
                          <td>{s.resp_p ?? '—'}</td>
                          <td>{s.service ?? '—'}</td>
                          <td>{s.zone ?? '—'}</td>
                          <td><code>{s.uid}</code></td>
                          <td>{s.finding_ids.join(', ') || '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
          </div>
        )}
      </Async>
    </section>
  );
}
