import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { installAuthHook } from './auth/auth-hook.js';
import { AuthStore } from './auth/auth-store.js';
import type { ServerContext } from './context.js';
import { clientErrorHandler, frameworkErrorHandler } from './early-errors.js';
import { installErrorHandlers } from './errors.js';
import { JobQueue } from './jobs/job-queue.js';
import { ensureConsoleIndexes } from './queries/indexes.js';
import { SqliteConsoleQueries } from './queries/sqlite-queries.js';
import { registerAssetRoutes } from './routes/assets.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerCaptureRoutes } from './routes/captures.js';
import { registerFindingRoutes } from './routes/findings.js';
import { registerIncidentRoutes } from './routes/incidents.js';
import { registerMoveRoutes } from './routes/moves.js';
import { registerOverviewRoutes } from './routes/overview.js';
import { registerServiceRoutes } from './routes/service.js';
import { registerTelemetryRoutes } from './routes/telemetry.js';
import { installNoStore, SecurityHeaders } from './response-headers.js';
import { registerUserRoutes } from './routes/users.js';
import { checkStoreFile, openWriteConnection } from './store-file.js';
import { packageRoot } from '../files/package-root.js';

/** Default largest upload: 2 GiB. */
export const DEFAULT_UPLOAD_LIMIT_BYTES = 2 * 1024 ** 3;
/** Default requests per minute and client address over all routes (the dashboard polls several routes per view). */
export const DEFAULT_RATE_PER_MINUTE = 1200;

/** Options of `buildApp`. */
export interface AppOptions {
  /** The CraneWatch store file served (must exist: `cranewatch analyze --db`). */
  readonly db: string;
  /** Site file for uploads' analyses (detection on), as `cranewatch serve --site`. */
  readonly site?: string;
  /** The built dashboard; default `dist/web` of the installed package (`npm run build:web`), served when it holds index.html. */
  readonly staticDir?: string;
  /** PEM certificate and key (file contents): serve HTTPS, cookies `Secure`, HSTS. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  /** Largest upload in bytes (default DEFAULT_UPLOAD_LIMIT_BYTES). */
  readonly uploadLimitBytes?: number;
  /** Requests per minute per client address over all routes (default DEFAULT_RATE_PER_MINUTE). */
  readonly ratePerMinute?: number;
  /** Fastify request logging (default off). */
  readonly logger?: boolean;
}

/** A built console server: the Fastify app, its context, and the served DB's write connection inside. */
export interface ConsoleApp {
  readonly app: FastifyInstance;
  readonly ctx: ServerContext;
}

/** Content Security Policy for the Vite-built dashboard: own-origin scripts only, no inline scripts, no framing. */
function cspDirectives(tls: boolean): Record<string, string[] | null> {
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    upgradeInsecureRequests: tls ? [] : null,
  };
}

/**
 * Builds the console's Fastify app (not listening): helmet headers with a strict CSP, cookies,
 * rate limits (global, and 10/min on login), multipart uploads, OpenAPI at `/api/openapi.json`, the
 * auth hook, every `/api` route, uniform errors (Fastify's early errors too: bad URLs, oversized
 * headers — early-errors.ts), `Cache-Control: no-store` on `/api` answers, and the dashboard from
 * `staticDir` (index.html for other GETs). `trustProxy` is off: the client address is the socket's. Reads go through a read-only
 * connection; users, sessions, audit rows, console indexes and upload merges through one write connection.
 * @throws CwError CW_ERR_NOT_FOUND / CW_ERR_READ when `db` is not an existing CraneWatch store, CW_ERR_WRITE
 *   when it cannot be opened for writing.
 */
export async function buildApp(opts: AppOptions): Promise<ConsoleApp> {
  checkStoreFile(opts.db);
  const tls = opts.tls !== undefined;
  const writeDb = openWriteConnection(opts.db);
  let queries: SqliteConsoleQueries | null = null;
  // Uploads and their scratch databases go next to the served file: same file system, room for large captures.
  const workDir = mkdtempSync(join(dirname(resolve(opts.db)), '.cranewatch-upload-'));
  try {
    ensureConsoleIndexes(writeDb);
    const auth = new AuthStore(writeDb);
    queries = new SqliteConsoleQueries(opts.db);
    const q = queries;
    const jobs = new JobQueue({ db: writeDb, site: opts.site, workDir, onResults: () => q.invalidate() });
    const ctx: ServerContext = { queries: q, auth, jobs, uploadLimitBytes: opts.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT_BYTES, workDir, tls };
    const security = new SecurityHeaders();
    const base = { logger: opts.logger ?? false, trustProxy: false, frameworkErrors: frameworkErrorHandler(security), clientErrorHandler: clientErrorHandler(security) };
    const app = (
      opts.tls !== undefined ? Fastify({ ...base, https: { cert: opts.tls.cert, key: opts.tls.key } }) : Fastify(base)
    ) as unknown as FastifyInstance;
    // Inputs are validated with zod inside the handlers; the JSON schemas only document them.
    app.setValidatorCompiler(() => () => true);
    await app.register(helmet, {
      contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(tls) },
      hsts: tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      crossOriginEmbedderPolicy: false,
    });
    await app.register(cookie);
    await app.register(rateLimit, {
      global: true,
      max: opts.ratePerMinute ?? DEFAULT_RATE_PER_MINUTE,
      timeWindow: '1 minute',
      errorResponseBuilder: (_req, c) => ({ statusCode: c.statusCode, error: 'rate_limited', message: `too many requests; retry in ${c.after}` }),
    });
    await app.register(multipart, { limits: { fileSize: ctx.uploadLimitBytes, files: 1, fields: 10, parts: 20 } });
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: { title: 'CraneWatch console API', version: '0.1.0', description: 'Read model, uploads and users of the CraneWatch console (src/server/api-types.ts).' },
        components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'cw_session' } } },
        security: [{ session: [] }],
      },
    });
    const staticDir = opts.staticDir ?? join(packageRoot(import.meta.url) ?? '.', 'dist', 'web');
    const spa = existsSync(join(staticDir, 'index.html'));
    if (spa) await app.register(fastifyStatic, { root: resolve(staticDir), index: ['index.html'], wildcard: true });
    installAuthHook(app, ctx);
    installErrorHandlers(app, spa);
    installNoStore(app);
    registerServiceRoutes(app, ctx);
    registerAuthRoutes(app, ctx);
    registerOverviewRoutes(app, ctx);
    registerIncidentRoutes(app, ctx);
    registerFindingRoutes(app, ctx);
    registerMoveRoutes(app, ctx);
    registerAssetRoutes(app, ctx);
    registerTelemetryRoutes(app, ctx);
    registerCaptureRoutes(app, ctx);
    registerUserRoutes(app, ctx);
    registerAuditRoutes(app, ctx);
    app.addHook('onClose', async () => {
      await jobs.whenIdle();
      q.close();
      writeDb.close();
      rmSync(workDir, { recursive: true, force: true });
    });
    await app.ready();
    await security.capture(app);
    return { app, ctx };
  } catch (e) {
    queries?.close();
    if (writeDb.open) writeDb.close();
    rmSync(workDir, { recursive: true, force: true });
    throw e;
  }
}

/** Reads a PEM certificate and key for `AppOptions.tls`. @throws what readFileSync throws. */
export function readTlsFiles(certPath: string, keyPath: string): { cert: Buffer; key: Buffer } {
  return { cert: readFileSync(certPath), key: readFileSync(keyPath) };
}
