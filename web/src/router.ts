/**
 * Minimal hash router: the route lives in `location.hash` as `#/<segment>/<segment>?<query>`,
 * so the server only ever serves `index.html` and reloads keep the page and its filters.
 */
import { useEffect, useState } from 'react';
import { queryString } from './api.js';

/** A parsed hash route: decoded path segments (`#/incidents/I1` → `['incidents', 'I1']`) and the query. */
export interface Route {
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
}

/** Parses a `location.hash` value into a {@link Route}; an empty hash is the root (no segments). */
export function parseHash(hash: string): Route {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  const mark = body.indexOf('?');
  const pathPart = mark === -1 ? body : body.slice(0, mark);
  const queryPart = mark === -1 ? '' : body.slice(mark + 1);
  const segments = pathPart.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  return { segments, query: new URLSearchParams(queryPart) };
}

/** Builds a hash (`#/a/b?x=1`) from path segments and query values; empty and undefined values are left out. */
export function hrefFor(segments: readonly string[], query?: Readonly<Record<string, string | number | undefined>>): string {
  const path = segments.map((s) => encodeURIComponent(s)).join('/');
  return `#/${path}${query === undefined ? '' : queryString(query)}`;
}

/** Navigates to a route (adds a history entry). */
export function navigate(segments: readonly string[], query?: Readonly<Record<string, string | number | undefined>>): void {
  window.location.hash = hrefFor(segments, query);
}

/** The current route, re-rendering on every `hashchange`. */
export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** Reads a non-negative integer query value (e.g. `offset`), falling back when absent or malformed. */
export function queryInt(query: URLSearchParams, key: string, fallback: number): number {
  const raw = query.get(key);
  if (raw === null || !/^\d+$/.test(raw)) return fallback;
  return Number(raw);
}

/** The query as a plain object, to copy and change one value before {@link navigate}. */
export function queryObject(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of query) out[key] = value;
  return out;
}
