/** The asset row of one map node (`GET /api/assets?q=<host>`), or the node's own facts when it is not an asset. */
import type { ReactElement } from 'react';
import type { MapNode } from '../../../src/server/api-types.js';
import { getAssets } from '../api.js';
import { useApi } from '../useApi.js';
import { AssetTable } from './AssetTable.js';
import { Async } from './Async.js';

/** Renders the node's asset row (test id `map-asset-row`) or a `map-node-info` note for outside peers. */
export function NodeAsset({ node }: { readonly node: MapNode }): ReactElement {
  const { loaded } = useApi(() => getAssets({ q: node.id, limit: 50, offset: 0 }), [node.id]);
  return (
    <div className="card" data-testid="map-node-detail" data-node={node.id}>
      <p data-testid="map-node-info">
        <strong>{node.label}</strong> — {node.kind}, zone {node.zone ?? 'unknown'}, roles {node.roles.join(', ') || '—'},
        {' '}{node.findings} finding(s)
      </p>
      <Async loaded={loaded}>
        {(page) => {
          const rows = page.items.filter((a) => a.host === node.id);
          return rows.length === 0
            ? <p className="muted">Not in the asset inventory.</p>
            : <AssetTable assets={rows} rowTestId="map-asset-row" />;
        }}
      </Async>
    </div>
  );
}
