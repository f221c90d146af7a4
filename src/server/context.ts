import type { Role } from './api-types.js';
import type { AuthStore, Session } from './auth/auth-store.js';
import type { JobQueue } from './jobs/job-queue.js';
import type { ConsoleQueries } from './queries/console-queries.js';

/** What every route file gets: the read model, the user/session/audit store, the upload queue and upload settings. */
export interface ServerContext {
  readonly queries: ConsoleQueries;
  readonly auth: AuthStore;
  readonly jobs: JobQueue;
  /** Largest accepted upload, bytes. */
  readonly uploadLimitBytes: number;
  /** Folder for uploaded captures and their scratch databases (next to the served file; removed on close). */
  readonly workDir: string;
  /** True when served over TLS (cookies get `Secure`). */
  readonly tls: boolean;
}

/** Per-route access: `public` routes need no session; others need a session whose role is at least `role`. */
export interface RouteAccess {
  readonly public?: boolean;
  readonly role?: Role;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's session, set by the auth hook (auth/auth-hook.ts) on non-public /api routes. */
    cwSession: Session | null;
  }
  interface FastifyContextConfig {
    /** Access rule of the route (see RouteAccess). */
    access?: RouteAccess;
  }
}
