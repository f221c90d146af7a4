/** Renders a {@link Loaded} value: a loading note, an {@link ErrorBox}, or the children given the data. */
import type { ReactElement, ReactNode } from 'react';
import type { Loaded } from '../useApi.js';
import { ErrorBox } from './ErrorBox.js';

/** Props: the load state and the render function for its data. */
export interface AsyncProps<T> {
  readonly loaded: Loaded<T>;
  readonly children: (data: T) => ReactNode;
}

/** Shows `Loading…` until the first answer, then the data or the error. */
export function Async<T>({ loaded, children }: AsyncProps<T>): ReactElement {
  if (loaded.state === 'loading') return <p className="muted" data-testid="loading">Loading…</p>;
  if (loaded.state === 'error') return <ErrorBox status={loaded.status} error={loaded.error} />;
  return <>{children(loaded.data)}</>;
}
