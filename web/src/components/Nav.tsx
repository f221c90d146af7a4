/** Top navigation: one link per page allowed for the user's role, the user name and role, and logout. */
import type { ReactElement } from 'react';
import type { Role, SessionInfo } from '../../../src/server/api-types.js';
import { roleAtLeast } from '../../../src/server/console-rules.js';
import { hrefFor } from '../router.js';

/** A navigable page: route segment, label, and the least role that may open it. */
export interface NavPage {
  readonly page: string;
  readonly label: string;
  readonly minRole: Role;
}

/** Props: the pages, the current page segment, the session and the logout callback. */
export interface NavProps {
  readonly pages: readonly NavPage[];
  readonly current: string;
  readonly session: SessionInfo;
  readonly onLogout: () => void;
}

/** Renders the bar; links carry test ids `nav-<page>`, the role `user-role`, the button `logout`. */
export function Nav({ pages, current, session, onLogout }: NavProps): ReactElement {
  return (
    <nav className="topnav">
      <span className="brand">CraneWatch</span>
      <ul>
        {pages.filter((p) => roleAtLeast(session.user.role, p.minRole)).map((p) => (
          <li key={p.page}>
            <a href={hrefFor([p.page])} data-testid={`nav-${p.page}`} aria-current={p.page === current ? 'page' : undefined}>
              {p.label}
            </a>
          </li>
        ))}
      </ul>
      <span className="user">
        <span data-testid="user-name">{session.user.username}</span>{' '}
        <span className="badge role" data-testid="user-role">{session.user.role}</span>{' '}
        <button type="button" data-testid="logout" onClick={onLogout}>Log out</button>
      </span>
    </nav>
  );
}
