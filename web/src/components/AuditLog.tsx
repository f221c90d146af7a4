/** Admin audit log: logins, failed logins, logouts, uploads and user changes, newest first, paginated. */
import { useState, type ReactElement } from 'react';
import { getAudit } from '../api.js';
import { fmtTime } from '../format.js';
import { useApi } from '../useApi.js';
import { Async } from './Async.js';
import { Pager } from './Pager.js';

const PAGE_SIZE = 50;

/** Renders the audit table (rows `audit-row`) with a pager (`audit-pager-*`); reloads when `changes` (a counter of user changes) moves. */
export function AuditLog({ changes }: { readonly changes: number }): ReactElement {
  const [offset, setOffset] = useState(0);
  const { loaded, reload } = useApi(() => getAudit({ limit: PAGE_SIZE, offset }), [offset, changes]);
  return (
    <section>
      <h3>Audit log <button type="button" data-testid="audit-refresh" onClick={reload}>Refresh</button></h3>
      <Async loaded={loaded}>
        {(page) => (
          <>
            <table data-testid="audit-table">
              <thead><tr><th>Time</th><th>User</th><th>Action</th><th>Detail</th><th>Client</th><th>OK</th></tr></thead>
              <tbody>
                {page.items.map((a, i) => (
                  <tr key={`${a.ts}-${i}`} data-testid="audit-row" className={a.ok ? '' : 'failed'}>
                    <td>{fmtTime(a.ts)}</td>
                    <td>{a.username ?? '—'}</td>
                    <td>{a.action}</td>
                    <td>{a.detail}</td>
                    <td>{a.client_ip}</td>
                    <td>{a.ok ? 'yes' : 'no'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager total={page.total} limit={page.limit} offset={page.offset} onOffset={setOffset} testId="audit-pager" />
          </>
        )}
      </Async>
    </section>
  );
}
