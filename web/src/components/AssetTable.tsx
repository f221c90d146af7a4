/** Asset inventory table: host, name, zone, inventory status, roles, vendor and device identity, traffic, findings. */
import type { ReactElement } from 'react';
import type { AssetRow } from '../../../src/server/api-types.js';
import { fmtBytes, fmtNum, fmtTime } from '../format.js';

/** Props: the rows and the test id of each row (`asset-row` by default). */
export interface AssetTableProps {
  readonly assets: readonly AssetRow[];
  readonly rowTestId?: string;
}

function device(a: AssetRow): string {
  const parts = [a.device_vendor, a.device_product, a.device_model, a.device_firmware && `fw ${a.device_firmware}`,
    a.device_serial && `s/n ${a.device_serial}`].filter((p): p is string => typeof p === 'string' && p !== '');
  return parts.length === 0 ? '—' : parts.join(' · ');
}

/** Renders one row per asset; the status cell carries the class `status-<status>`. */
export function AssetTable({ assets, rowTestId = 'asset-row' }: AssetTableProps): ReactElement {
  if (assets.length === 0) return <p className="muted" data-testid="assets-empty">No assets match.</p>;
  return (
    <div className="table-wrap">
      <table data-testid="assets-table">
        <thead>
          <tr>
            <th>Host</th><th>Name</th><th>Zone</th><th>Status</th><th>Roles</th><th>Vendors</th><th>MACs</th>
            <th>Protocols</th><th>Device</th><th>First seen</th><th>Last seen</th><th>Sent</th><th>Received</th>
            <th>Open findings</th>
          </tr>
        </thead>
        <tbody>
          {assets.map((a) => (
            <tr key={a.host} data-testid={rowTestId} data-host={a.host}>
              <td>{a.host}</td>
              <td>{a.name ?? '—'}</td>
              <td>{a.zone ?? '—'}</td>
              <td><span className={`badge status-${a.status}`} data-testid="asset-status">{a.status}</span></td>
              <td>{a.roles.join(', ') || '—'}</td>
              <td>{a.vendors.join(', ') || '—'}</td>
              <td>{a.macs.join(', ') || '—'}</td>
              <td>{a.protocols.join(', ') || '—'}</td>
              <td>{device(a)}</td>
              <td>{fmtTime(a.first_seen)}</td>
              <td>{fmtTime(a.last_seen)}</td>
              <td>{fmtBytes(a.bytes_sent)}</td>
              <td>{fmtBytes(a.bytes_received)}</td>
              <td>{fmtNum(a.open_findings)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
