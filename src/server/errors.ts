import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ApiError } from './api-types.js';

/** An API failure with its HTTP status and ApiError body (`error` code, one-line `message`). */
export class ApiHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiHttpError';
  }
}

const STATUS_CODES: Readonly<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/**
 * Validates `data` (a query string, route parameters or a JSON body) with a zod schema.
 * @throws ApiHttpError 400 `bad_request` whose message names the first offending parameter.
 */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown, part: 'query' | 'params' | 'body'): z.output<S> {
  const r = schema.safeParse(data ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const name = issue.path.length > 0 ? issue.path.map(String).join('.') : part;
  throw new ApiHttpError(400, 'bad_request', `${name}: ${issue.message}`);
}

const oneLine = (s: string): string => s.replace(/[\r\n]+/g, ' ').slice(0, 300);

/**
 * Writes a server failure to standard error whether or not Fastify's logger is on: one line
 * `cranewatch: server error: METHOD ROUTE: MESSAGE`, then the stack trace when there is one. The
 * route is the matched route pattern (`/api/incidents/:id`), else the path without its query.
 */
function writeServerError(req: FastifyRequest, err: Error): void {
  const route = req.routeOptions.url ?? req.url.split('?')[0];
  const stack = typeof err.stack === 'string' ? `${err.stack}\n` : '';
  process.stderr.write(`cranewatch: server error: ${req.method} ${oneLine(route)}: ${oneLine(err.message)}\n${stack}`);
}

/**
 * Uniform error answers (api-types.ts ApiError, never a stack trace): ApiHttpError as given; Fastify
 * and plugin errors with a 4xx status keep their status and message; anything else is written to
 * standard error (`writeServerError`, and the Fastify log when on) and answered 500 `internal` with a
 * generic message. Unknown `/api/*` routes answer 404 JSON; other
 * unknown GETs answer the dashboard's index.html when `spaIndex` is set (client-side routing).
 */
export function installErrorHandlers(app: FastifyInstance, spaIndex: boolean): void {
  app.setErrorHandler((err: FastifyError | ApiHttpError, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof ApiHttpError) {
      const body: ApiError = { error: err.code, message: err.message };
      return reply.code(err.status).send(body);
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) {
      writeServerError(req, err);
      req.log.error({ err }, 'request failed');
      const body: ApiError = { error: 'internal', message: 'internal error; see the server log' };
      return reply.code(status).send(body);
    }
    const e = err as FastifyError & { error?: unknown };
    const code = typeof e.error === 'string' ? e.error : (STATUS_CODES[status] ?? 'bad_request');
    const body: ApiError = { error: code, message: oneLine(err.message || code) };
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    if (spaIndex && (req.method === 'GET' || req.method === 'HEAD') && !path.startsWith('/api/') && path !== '/api') {
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    const body: ApiError = { error: 'not_found', message: `no route ${req.method} ${oneLine(path)}` };
    return reply.code(404).send(body);
  });
}
