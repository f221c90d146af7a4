import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import type { UploadAccepted } from '../api-types.js';
import type { ServerContext } from '../context.js';
import { ApiHttpError, parseInput } from '../errors.js';
import { MAX_JOBS_IN_FLIGHT } from '../jobs/job-queue.js';
import { idParams, openApiSchema } from '../schemas.js';

/** A file name safe to show: its base name, control characters removed, at most 200 characters. */
function displayName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200);
  return base === '' || base === '.' || base === '..' ? 'capture' : base;
}

/** The 429 answer when the upload queue is full (jobs/job-queue.ts MAX_JOBS_IN_FLIGHT). */
function queueFull(): ApiHttpError {
  return new ApiHttpError(429, 'queue_full', `${MAX_JOBS_IN_FLIGHT} analyses are already queued or running; upload again when one has finished`);
}

/**
 * True for a parse error of the multipart body itself, as busboy raises them without an HTTP status or
 * a system error code (no boundary, a truncated or malformed body — RFC 7578, RFC 2046 §5.1.1), rather
 * than a limit of @fastify/multipart (those carry their 4xx status and keep it) or a failure of the
 * server writing the file (a system error code: a 500).
 */
function isMultipartBodyError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const o = e as { statusCode?: unknown; code?: unknown };
  return o.statusCode === undefined && o.code === undefined && /multipart|boundary|unexpected end of form|malformed|part terminated/i.test(e.message);
}

/**
 * `POST /api/captures` (analyst, CSRF; multipart form, one file of at most `uploadLimitBytes`, else
 * 413): streams the file to the work folder, queues its analysis and answers 202 UploadAccepted; the
 * upload is audited. A malformed multipart body answers 400 `bad_request`; a full queue (MAX_JOBS_IN_FLIGHT
 * queued or running) 429 `queue_full`, the upload's file removed at once. `GET /api/jobs/:id` (viewer): the job's JobStatus; 404 when unknown.
 */
export function registerCaptureRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/api/captures', { config: { access: { role: 'analyst' } }, schema: { tags: ['captures'], summary: 'Upload a capture (multipart) for analysis', consumes: ['multipart/form-data'] } }, async (req, reply) => {
    if (!req.isMultipart()) throw new ApiHttpError(415, 'unsupported_media_type', 'send the capture as multipart/form-data');
    if (ctx.jobs.full) throw queueFull();
    let file: Awaited<ReturnType<typeof req.file>>;
    try {
      file = await req.file({ limits: { fileSize: ctx.uploadLimitBytes, files: 1 } });
    } catch (e) {
      if (isMultipartBodyError(e)) throw new ApiHttpError(400, 'bad_request', `malformed multipart body: ${(e as Error).message}`);
      throw e;
    }
    if (file === undefined) throw new ApiHttpError(400, 'bad_request', 'file: expected one capture file in the form');
    const name = displayName(file.filename);
    // Each upload in its own folder under its own name: the run records the capture's base name.
    const folder = join(ctx.workDir, `upload-${randomBytes(12).toString('hex')}`);
    mkdirSync(folder, { mode: 0o700 });
    const path = join(folder, name);
    try {
      await pipeline(file.file, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    } catch (e) {
      rmSync(folder, { recursive: true, force: true });
      ctx.auth.audit({ username: req.cwSession?.username ?? null, action: 'upload', detail: `${name}: ${(e as Error).message}`, clientIp: req.ip, ok: false });
      if (isMultipartBodyError(e)) throw new ApiHttpError(400, 'bad_request', `malformed multipart body: ${(e as Error).message}`);
      throw e;
    }
    if (file.file.truncated) {
      rmSync(folder, { recursive: true, force: true });
      ctx.auth.audit({ username: req.cwSession?.username ?? null, action: 'upload', detail: `${name}: larger than ${ctx.uploadLimitBytes} bytes`, clientIp: req.ip, ok: false });
      throw new ApiHttpError(413, 'too_large', `file: larger than the upload limit of ${ctx.uploadLimitBytes} bytes`);
    }
    const bytes = statSync(path).size;
    const status = ctx.jobs.submit(path, name, bytes);
    if (status === undefined) {
      rmSync(folder, { recursive: true, force: true });
      ctx.auth.audit({ username: req.cwSession?.username ?? null, action: 'upload', detail: `${name}: refused, the upload queue is full`, clientIp: req.ip, ok: false });
      throw queueFull();
    }
    ctx.auth.audit({ username: req.cwSession?.username ?? null, action: 'upload', detail: `${name} (${bytes} bytes) job ${status.job_id}`, clientIp: req.ip, ok: true });
    const body: UploadAccepted = { job_id: status.job_id };
    return reply.code(202).send(body);
  });

  app.get('/api/jobs/:id', { config: { access: { role: 'viewer' } }, schema: { tags: ['captures'], summary: 'An analysis job', params: openApiSchema(idParams) } }, async (req) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const job = ctx.jobs.get(id);
    if (job === undefined) throw new ApiHttpError(404, 'not_found', `no job ${id}`);
    return job;
  });
}
