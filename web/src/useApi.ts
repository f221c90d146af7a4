/**
 * Loading hook over the typed client: runs a loader whenever its dependencies or the data
 * generation change, keeps only the newest answer, and exposes loading / error / data.
 */
import { useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../src/server/api-types.js';
import type { ApiResult } from './api.js';
import { DataVersionContext } from './dataVersion.js';

/** State of a load: `loading` until the first answer, then `ok` with data or `error` with the {@link ApiError}. */
export type Loaded<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'ok'; readonly data: T }
  | { readonly state: 'error'; readonly status: number; readonly error: ApiError };

/** A load and a way to re-run it (after a change made on the page). */
export interface UseApi<T> {
  readonly loaded: Loaded<T>;
  readonly reload: () => void;
}

/**
 * Runs `loader` on mount and whenever `deps`, the data generation or a {@link UseApi.reload} call
 * change; answers to superseded runs are dropped. Previous data stays shown while reloading.
 */
export function useApi<T>(loader: () => Promise<ApiResult<T>>, deps: readonly unknown[]): UseApi<T> {
  const version = useContext(DataVersionContext);
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  const loaderRef = useRef(loader);
  loaderRef.current = loader;
  useEffect(() => {
    generation.current += 1;
    const mine = generation.current;
    void loaderRef.current().then((result) => {
      if (mine !== generation.current) return;
      setLoaded(result.ok ? { state: 'ok', data: result.data } : { state: 'error', status: result.status, error: result.error });
    });
  }, [version, tick, ...deps]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { loaded, reload };
}
