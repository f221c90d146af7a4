/** The communication map's violation edges as a table whose finding ids link to their incidents. */
import { useMemo, type ReactElement } from 'react';
import type { MapEdge } from '../../../src/server/api-types.js';
import { getFindings } from '../api.js';
import { fmtBytes, fmtNum } from '../format.js';
import { useApi } from '../useApi.js';
import { FindingLink } from './FindingLink.js';

/** Findings fetched in one request to resolve incident ids (the route's page maximum). */
const LOOKUP_LIMIT = 500;

/**
 * Renders the edges (test ids `map-violations`, `map-violation-row`, `finding-link`). Incident ids come
 * from one `GET /api/findings?limit=500` (latest findings); an older finding resolves on click instead.
 */
export function ViolationTable({ edges }: { readonly edges: readonly MapEdge[] }): ReactElement {
  const { loaded } = useApi(() => getFindings({ limit: LOOKUP_LIMIT, offset: 0 }), []);
  const incidentOf = useMemo(() => {
    const byFinding = new Map<string, string | null>();
    if (loaded.state === 'ok') for (const f of loaded.data.items) byFinding.set(f.finding_id, f.incident_id);
    return byFinding;
  }, [loaded]);
  return (
    <div className="table-wrap">
      <table data-testid="map-violations">
        <thead>
          <tr><th>Source</th><th>Target</th><th>Service</th><th>Flows</th><th title="Application payload bytes, both directions">Payload bytes</th>
            <th>Findings</th></tr>
        </thead>
        <tbody>
          {edges.map((e) => (
            <tr key={`${e.source}-${e.target}-${e.service}-${e.proto}`} data-testid="map-violation-row">
              <td>{e.source}</td><td>{e.target}</td><td>{e.service}/{e.proto}</td><td>{fmtNum(e.flows)}</td>
              <td>{fmtBytes(e.bytes)}</td>
              <td>
                {e.finding_ids.length === 0 ? '—' : e.finding_ids.map((id, i) => (
                  <span key={id}>{i > 0 && ', '}<FindingLink findingId={id} incidentId={incidentOf.get(id)} /></span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
