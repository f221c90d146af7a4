/**
 * Communication map: zone-grouped graph of hosts and flows (lazy-loaded with cytoscape), filters by
 * zone, service and minimum payload bytes in the URL, a node picker, and the selected node's asset row.
 */
import { useState, type FormEvent, type ReactElement } from 'react';
import { getMap } from '../api.js';
import { Async } from '../components/Async.js';
import { MapGraph } from '../components/MapGraph.js';
import { NodeAsset } from '../components/NodeAsset.js';
import { ViolationTable } from '../components/ViolationTable.js';
import { fmtNum } from '../format.js';
import { navigate, queryInt, queryObject } from '../router.js';
import { useApi } from '../useApi.js';

/**
 * Renders the filters (`map-zone`, `map-service`, `map-min-bytes`, `map-apply`), the graph
 * (`map-canvas`), the node picker (`map-node-select`), the violation list
 * (`map-violation-row`, finding ids linking to their incidents) and the selected node's asset (`map-asset-row`).
 */
export function MapPage({ query }: { readonly query: URLSearchParams }): ReactElement {
  const zone = query.get('zone') ?? '';
  const service = query.get('service') ?? '';
  const minBytes = queryInt(query, 'min_bytes', 0);
  const [zoneText, setZoneText] = useState(zone);
  const [serviceText, setServiceText] = useState(service);
  const [minText, setMinText] = useState(minBytes === 0 ? '' : String(minBytes));
  const [selected, setSelected] = useState<string | null>(null);
  const { loaded } = useApi(() => getMap({ zone, service, min_bytes: minBytes === 0 ? undefined : minBytes }),
    [zone, service, minBytes]);

  const onApply = (e: FormEvent): void => {
    e.preventDefault();
    const min = /^\d+$/.test(minText.trim()) ? Number(minText.trim()) : undefined;
    setSelected(null);
    navigate(['map'], { ...queryObject(query), zone: zoneText.trim(), service: serviceText.trim(), min_bytes: min });
  };

  return (
    <section>
      <h2>Communication map</h2>
      <form className="filters" onSubmit={onApply}>
        <label>Zone <input data-testid="map-zone" list="map-zones" value={zoneText} onChange={(e) => setZoneText(e.target.value)} /></label>
        <label>Service <input data-testid="map-service" value={serviceText} placeholder="modbus"
          onChange={(e) => setServiceText(e.target.value)} /></label>
        <label>Min payload bytes <input data-testid="map-min-bytes" inputMode="numeric" value={minText}
          onChange={(e) => setMinText(e.target.value)} /></label>
        <button type="submit" data-testid="map-apply">Apply</button>
      </form>
      <Async loaded={loaded}>
        {(map) => {
          const node = map.nodes.find((n) => n.id === selected) ?? null;
          const violations = map.edges.filter((e) => e.violation);
          return (
            <>
              <datalist id="map-zones">{map.zones.map((z) => <option key={z.zone} value={z.zone} />)}</datalist>
              <p className="muted" data-testid="map-summary">
                {fmtNum(map.nodes.length)} nodes · {fmtNum(map.edges.length)} edges · {fmtNum(violations.length)} violation(s)
                {map.truncated && <strong data-testid="map-truncated"> · truncated to the heaviest edges</strong>}
              </p>
              <ul className="legend">
                <li className="lg-asset">asset</li>
                <li className="lg-uninventoried">uninventoried</li>
                <li className="lg-flagged">has findings</li>
                <li className="lg-external">outside peer</li>
                <li className="lg-violation">violation</li>
              </ul>
              <MapGraph map={map} selected={selected} onSelect={setSelected} />
              <label>Node
                <select data-testid="map-node-select" value={selected ?? ''}
                  onChange={(e) => setSelected(e.target.value === '' ? null : e.target.value)}>
                  <option value="">choose a node</option>
                  {map.nodes.map((n) => <option key={n.id} value={n.id}>{n.label} ({n.zone ?? 'no zone'})</option>)}
                </select>
              </label>
              {node !== null && <NodeAsset node={node} />}
              {violations.length > 0 && (
                <>
                  <h3>Violations</h3>
                  <ViolationTable edges={violations} />
                </>
              )}
            </>
          );
        }}
      </Async>
    </section>
  );
}

/** Default export, for `React.lazy`. */
export default MapPage;
