/** Login form: `POST /api/auth/login`; on success hands the session to the app. */
import { useState, type FormEvent, type ReactElement } from 'react';
import type { ApiError, SessionInfo } from '../../../src/server/api-types.js';
import { login } from '../api.js';
import { ErrorBox } from '../components/ErrorBox.js';

/** Renders the form (`login-username`, `login-password`, `login-submit`); errors show in `error` as a sentence (401: `Wrong user name or password.`; 429: the server's rate-limit message). */
export function LoginPage({ onLogin }: { readonly onLogin: (session: SessionInfo) => void }): ReactElement {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ status: number; error: ApiError } | null>(null);

  const onSubmit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    const result = await login({ username, password });
    setBusy(false);
    if (result.ok) {
      setPassword('');
      onLogin(result.data);
    } else {
      setFailure({ status: result.status, error: result.error });
    }
  };

  return (
    <main className="login">
      <form className="card" onSubmit={(e) => void onSubmit(e)} data-testid="login-form">
        <h1>CraneWatch</h1>
        <label>Username
          <input data-testid="login-username" autoComplete="username" value={username} required autoFocus
            onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>Password
          <input data-testid="login-password" type="password" autoComplete="current-password" value={password} required
            onChange={(e) => setPassword(e.target.value)} />
        </label>
        <button type="submit" data-testid="login-submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
        {failure !== null && (
          <ErrorBox status={failure.status} error={failure.error}
            text={failure.status === 401 ? 'Wrong user name or password.' : undefined} />
        )}
      </form>
    </main>
  );
}
