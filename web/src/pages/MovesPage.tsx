/** Container moves: look up one container number, or list moves filtered by vessel and crane (paginated). */
import { useState, type FormEvent, type ReactElement } from 'react';
import { getMoves } from '../api.js';
import { Async } from '../components/Async.js';
import { CraneSelect } from '../components/CraneSelect.js';
import { MoveTable } from '../components/MoveTable.js';
import { Pager } from '../components/Pager.js';
import { navigate, queryInt, queryObject } from '../router.js';
import { useApi } from '../useApi.js';

const PAGE_SIZE = 50;

/**
 * Renders the search (`container-search`, `container-search-submit`), the filters (`moves-vessel`,
 * `moves-crane`, `moves-apply`) and the table (rows `move-row`, `moves-pager-*`).
 */
export function MovesPage({ query }: { readonly query: URLSearchParams }): ReactElement {
  const vessel = query.get('vessel') ?? '';
  const crane = query.get('crane') ?? '';
  const offset = queryInt(query, 'offset', 0);
  const [containerText, setContainerText] = useState('');
  const [vesselText, setVesselText] = useState(vessel);
  const { loaded } = useApi(() => getMoves({ vessel, crane, limit: PAGE_SIZE, offset }), [vessel, crane, offset]);
  const go = (change: Record<string, string | number | undefined>): void =>
    navigate(['moves'], { ...queryObject(query), offset: undefined, ...change });

  const onContainer = (e: FormEvent): void => {
    e.preventDefault();
    const number = containerText.replace(/\s+/g, '').toUpperCase();
    if (number !== '') navigate(['containers', number]);
  };
  const onFilter = (e: FormEvent): void => {
    e.preventDefault();
    go({ vessel: vesselText.trim() });
  };

  return (
    <section>
      <h2>Container moves</h2>
      <form className="filters" onSubmit={onContainer}>
        <label>Container number
          <input data-testid="container-search" placeholder="MSCU1234566" value={containerText} maxLength={15}
            onChange={(e) => setContainerText(e.target.value)} />
        </label>
        <button type="submit" data-testid="container-search-submit">Find container</button>
      </form>
      <form className="filters" onSubmit={onFilter}>
        <label>Vessel
          <input data-testid="moves-vessel" value={vesselText} onChange={(e) => setVesselText(e.target.value)} />
        </label>
        <label>Crane <CraneSelect testId="moves-crane" value={crane} onChange={(c) => go({ crane: c })} /></label>
        <button type="submit" data-testid="moves-apply">Filter</button>
      </form>
      <Async loaded={loaded}>
        {(page) => (
          <>
            <MoveTable moves={page.items} />
            <Pager total={page.total} limit={page.limit} offset={page.offset} testId="moves-pager"
              onOffset={(o) => navigate(['moves'], { ...queryObject(query), offset: o })} />
          </>
        )}
      </Async>
    </section>
  );
}
