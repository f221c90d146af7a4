/** Asset inventory: filter by inventory status, zone, role and free text; paginated. */
import { useState, type FormEvent, type ReactElement } from 'react';
import type { InventoryStatus } from '../../../src/server/api-types.js';
import { getAssets } from '../api.js';
import { AssetTable } from '../components/AssetTable.js';
import { Async } from '../components/Async.js';
import { Pager } from '../components/Pager.js';
import { navigate, queryInt, queryObject } from '../router.js';
import { useApi } from '../useApi.js';

const PAGE_SIZE = 50;
const STATUSES: readonly InventoryStatus[] = ['inventoried', 'uninventoried', 'unseen', 'unknown'];

function asStatus(value: string | null): InventoryStatus | '' {
  return STATUSES.find((s) => s === value) ?? '';
}

/** Renders the filters (`assets-status`, `assets-zone`, `assets-role`, `assets-q`, `assets-apply`) and the table (`asset-row`, `assets-pager-*`). */
export function AssetsPage({ query }: { readonly query: URLSearchParams }): ReactElement {
  const status = asStatus(query.get('status'));
  const zone = query.get('zone') ?? '';
  const role = query.get('role') ?? '';
  const q = query.get('q') ?? '';
  const offset = queryInt(query, 'offset', 0);
  const [zoneText, setZoneText] = useState(zone);
  const [roleText, setRoleText] = useState(role);
  const [qText, setQText] = useState(q);
  const { loaded } = useApi(() => getAssets({ status, zone, role, q, limit: PAGE_SIZE, offset }), [status, zone, role, q, offset]);
  const go = (change: Record<string, string | number | undefined>): void =>
    navigate(['assets'], { ...queryObject(query), offset: undefined, ...change });
  const onApply = (e: FormEvent): void => {
    e.preventDefault();
    go({ zone: zoneText.trim(), role: roleText.trim(), q: qText.trim() });
  };

  return (
    <section>
      <h2>Assets</h2>
      <form className="filters" onSubmit={onApply}>
        <label>Status
          <select data-testid="assets-status" value={status} onChange={(e) => go({ status: e.target.value })}>
            <option value="">any</option>
            {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>Zone <input data-testid="assets-zone" value={zoneText} onChange={(e) => setZoneText(e.target.value)} /></label>
        <label>Role <input data-testid="assets-role" value={roleText} onChange={(e) => setRoleText(e.target.value)} /></label>
        <label>Search <input data-testid="assets-q" type="search" value={qText} onChange={(e) => setQText(e.target.value)} /></label>
        <button type="submit" data-testid="assets-apply">Filter</button>
      </form>
      <Async loaded={loaded}>
        {(page) => (
          <>
            <AssetTable assets={page.items} />
            <Pager total={page.total} limit={page.limit} offset={page.offset} testId="assets-pager"
              onOffset={(o) => navigate(['assets'], { ...queryObject(query), offset: o })} />
          </>
        )}
      </Async>
    </section>
  );
}
