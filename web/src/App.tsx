/**
 * Application shell: restores the session (`GET /api/auth/me`), shows the login page without one
 * (and again after any 401), and routes `#/<page>/…` to the pages allowed for the user's role.
 */
import { lazy, Suspense, useCallback, useEffect, useState, type ReactElement } from 'react';
import type { SessionInfo } from '../../src/server/api-types.js';
import { logout, me, setCsrfToken, setUnauthorizedHandler } from './api.js';
import { ErrorBoundary } from './components/ErrorBoundary.js';
import { roleAtLeast } from '../../src/server/console-rules.js';
import { Nav, type NavPage } from './components/Nav.js';
import { DataVersionContext } from './dataVersion.js';
import { AdminPage } from './pages/AdminPage.js';
import { AssetsPage } from './pages/AssetsPage.js';
import { ContainerPage } from './pages/ContainerPage.js';
import { IncidentDetailPage } from './pages/IncidentDetailPage.js';
import { IncidentsPage } from './pages/IncidentsPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { MovesPage } from './pages/MovesPage.js';
import { OverviewPage } from './pages/OverviewPage.js';
import { UploadPage } from './pages/UploadPage.js';
import { useRoute, type Route } from './router.js';

const MapPage = lazy(() => import('./pages/MapPage.js'));
const TelemetryPage = lazy(() => import('./pages/TelemetryPage.js'));

/** Pages in navigation order with the least role each needs. */
export const PAGES: readonly NavPage[] = [
  { page: 'overview', label: 'Overview', minRole: 'viewer' },
  { page: 'incidents', label: 'Incidents', minRole: 'viewer' },
  { page: 'map', label: 'Map', minRole: 'viewer' },
  { page: 'moves', label: 'Moves', minRole: 'viewer' },
  { page: 'assets', label: 'Assets', minRole: 'viewer' },
  { page: 'telemetry', label: 'Telemetry', minRole: 'viewer' },
  { page: 'upload', label: 'Upload', minRole: 'analyst' },
  { page: 'admin', label: 'Admin', minRole: 'admin' },
];

function NotFound({ text }: { readonly text: string }): ReactElement {
  return <p className="error" data-testid="not-found">{text}</p>;
}

function PageFor({ route, session, onDataChanged }: {
  readonly route: Route; readonly session: SessionInfo; readonly onDataChanged: () => void;
}): ReactElement {
  const [page = 'overview', id] = route.segments;
  const entry = PAGES.find((p) => p.page === page);
  if (entry !== undefined && !roleAtLeast(session.user.role, entry.minRole)) {
    return <NotFound text={`The ${entry.label} page needs the ${entry.minRole} role.`} />;
  }
  switch (page) {
    case 'overview': return <OverviewPage />;
    case 'incidents':
      return id === undefined ? <IncidentsPage query={route.query} /> : <IncidentDetailPage key={id} id={id} />;
    case 'map': return <MapPage query={route.query} />;
    case 'moves': return <MovesPage key={route.query.toString()} query={route.query} />;
    case 'containers':
      return id === undefined ? <NotFound text="No container number given." /> : <ContainerPage containerNumber={id} />;
    case 'assets': return <AssetsPage key={route.query.toString()} query={route.query} />;
    case 'telemetry': return <TelemetryPage query={route.query} />;
    case 'upload': return <UploadPage onDataChanged={onDataChanged} />;
    case 'admin': return <AdminPage self={session.user.username} />;
    default: return <NotFound text={`No page named “${page}”.`} />;
  }
}

/** The whole dashboard. */
export function App(): ReactElement {
  const route = useRoute();
  const [session, setSession] = useState<SessionInfo | null | 'checking'>('checking');
  const [dataVersion, setDataVersion] = useState(0);
  const onDataChanged = useCallback(() => setDataVersion((v) => v + 1), []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      setSession(null);
    });
    void me().then((result) => setSession(result.ok ? result.data : null));
  }, []);

  const onLogout = useCallback(() => {
    void logout().then(() => setSession(null));
  }, []);

  if (session === 'checking') return <p className="muted" data-testid="loading">Loading…</p>;
  if (session === null) return <LoginPage onLogin={setSession} />;
  return (
    <DataVersionContext.Provider value={dataVersion}>
      <Nav pages={PAGES} current={route.segments[0] ?? 'overview'} session={session} onLogout={onLogout} />
      <main className="content">
        <ErrorBoundary resetKey={route.segments.join('/')}>
          <Suspense fallback={<p className="muted" data-testid="loading">Loading…</p>}>
            <PageFor route={route} session={session} onDataChanged={onDataChanged} />
          </Suspense>
        </ErrorBoundary>
      </main>
    </DataVersionContext.Provider>
  );
}
