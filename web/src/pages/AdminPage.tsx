/** Administration (admin only): users and the audit log. */
import { useCallback, useState, type ReactElement } from 'react';
import { AuditLog } from '../components/AuditLog.js';
import { UsersAdmin } from '../components/UsersAdmin.js';

/** Renders the user management and the audit log (reloaded after each user change); `self` is the signed-in admin (cannot remove or demote itself here). */
export function AdminPage({ self }: { readonly self: string }): ReactElement {
  const [changes, setChanges] = useState(0);
  const onChanged = useCallback(() => setChanges((n) => n + 1), []);
  return (
    <section data-testid="admin-page">
      <h2>Administration</h2>
      <UsersAdmin self={self} onChanged={onChanged} />
      <AuditLog changes={changes} />
    </section>
  );
}
