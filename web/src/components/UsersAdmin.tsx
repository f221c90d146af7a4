/** Admin user management: the user list with a role picker per user, an add-user form and a two-step remove per row. */
import { useState, type FormEvent, type ReactElement } from 'react';
import type { ApiError, Role } from '../../../src/server/api-types.js';
import { addUser, getUsers, removeUser, setUserRole } from '../api.js';
import { fmtTime } from '../format.js';
import { useApi } from '../useApi.js';
import { Async } from './Async.js';
import { ErrorBox } from './ErrorBox.js';

const ROLES: readonly Role[] = ['viewer', 'analyst', 'admin'];

/**
 * Renders the users table (rows `user-row`, `admin-user-role-select`, `admin-user-remove`) and the form
 * (`admin-user-name`, `-password`, `-role`, `-add`); calls `onChanged` after every add, role change or removal.
 */
export function UsersAdmin({ self, onChanged }: { readonly self: string; readonly onChanged: () => void }): ReactElement {
  const { loaded, reload } = useApi(getUsers, []);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [pendingRemove, setPendingRemove] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ status: number; error: ApiError } | null>(null);
  const [busy, setBusy] = useState(false);

  const onAdd = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    const result = await addUser({ username: username.trim(), password, role });
    setBusy(false);
    if (!result.ok) {
      setFailure({ status: result.status, error: result.error });
      return;
    }
    setFailure(null);
    setUsername('');
    setPassword('');
    reload();
    onChanged();
  };
  const onRole = async (name: string, next: Role): Promise<void> => {
    setBusy(true);
    const result = await setUserRole(name, { role: next });
    setBusy(false);
    setFailure(result.ok ? null : { status: result.status, error: result.error });
    reload();
    onChanged();
  };
  const onRemove = async (name: string): Promise<void> => {
    setBusy(true);
    const result = await removeUser(name);
    setBusy(false);
    setPendingRemove(null);
    setFailure(result.ok ? null : { status: result.status, error: result.error });
    reload();
    onChanged();
  };

  return (
    <section>
      <h3>Users</h3>
      {failure !== null && <ErrorBox status={failure.status} error={failure.error} />}
      <Async loaded={loaded}>
        {(users) => (
          <table data-testid="users-table">
            <thead><tr><th>User</th><th>Role</th><th>Created</th><th>Last login</th><th /></tr></thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.username} data-testid="user-row" data-user={u.username}>
                  <td>{u.username}</td>
                  <td>
                    <select data-testid="admin-user-role-select" value={u.role} disabled={busy || u.username === self}
                      onChange={(e) => void onRole(u.username, e.target.value as Role)}>
                      {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                    </select>
                  </td>
                  <td>{fmtTime(u.created_ts)}</td>
                  <td>{fmtTime(u.last_login_ts)}</td>
                  <td>
                    {u.username === self ? <span className="muted">you</span>
                      : pendingRemove === u.username ? (
                        <>
                          <button type="button" className="danger" data-testid="admin-user-remove-confirm" disabled={busy}
                            onClick={() => void onRemove(u.username)}>Confirm remove</button>{' '}
                          <button type="button" onClick={() => setPendingRemove(null)}>Cancel</button>
                        </>
                      ) : (
                        <button type="button" data-testid="admin-user-remove" onClick={() => setPendingRemove(u.username)}>
                          Remove
                        </button>
                      )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Async>
      <form className="inline-form" onSubmit={(e) => void onAdd(e)}>
        <input data-testid="admin-user-name" placeholder="username" value={username} required autoComplete="off"
          onChange={(e) => setUsername(e.target.value)} />
        <input data-testid="admin-user-password" type="password" placeholder="password" value={password} required
          autoComplete="new-password" onChange={(e) => setPassword(e.target.value)} />
        <select data-testid="admin-user-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
        <button type="submit" data-testid="admin-user-add" disabled={busy}>Add user</button>
      </form>
    </section>
  );
}
