import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type Database from 'better-sqlite3';
import { runAnalyze } from '../../cli/analyze.js';
import type { JobStatus } from '../api-types.js';
import { ensureConsoleIndexes } from '../queries/indexes.js';
import { mergeResults } from './merge-results.js';

/** Finished jobs remembered for `GET /api/jobs/:id` (oldest forgotten first). */
const MAX_REMEMBERED_JOBS = 100;
/** Jobs queued or running at most (one runs, the others wait); another upload is refused. */
export const MAX_JOBS_IN_FLIGHT = 3;
/** A failed job's error when its capture held no packet (the served results are not replaced). */
export const NO_PACKETS_ERROR = 'the capture holds no packets; the current results are kept';

/** What the queue needs from the server: the write connection, the site file, a scratch folder, and a hook after results change. */
export interface JobQueueOptions {
  readonly db: Database.Database;
  /** Site file given to `cranewatch serve --site`, or undefined (no detection). */
  readonly site?: string;
  /** Folder for each job's scratch database. */
  readonly workDir: string;
  /** Called after an upload's results replaced the served ones. */
  readonly onResults: () => void;
  /** Seconds since the epoch. */
  readonly now?: () => number;
}

interface Job {
  status: JobStatus;
  readonly capture: string;
}

/** A job's one-line error: the scratch paths replaced by the uploaded file's name, or dropped. */
function jobError(e: unknown, job: Job, scratch: string, workDir: string): string {
  return (e instanceof Error ? e.message : String(e))
    .replace(/[\r\n]+/g, ' ')
    .replaceAll(job.capture, job.status.file)
    .replaceAll(scratch, 'the scratch database')
    .replaceAll(workDir, 'the upload folder');
}

/**
 * Analyses uploaded captures one at a time with the `cranewatch analyze` pipeline (cli/analyze.ts
 * runAnalyze, site file as given to `serve`) into a scratch store file, then merges the results into the
 * served database in one transaction (jobs/merge-results.ts) — so the console keeps answering from the
 * previous results while a job runs, and a failed job leaves them as they were. A capture holding no
 * packet fails with NO_PACKETS_ERROR and changes nothing. At most MAX_JOBS_IN_FLIGHT jobs are queued or
 * running. Job errors never show the scratch folder: the capture is named by its uploaded file name.
 * Progress: `bytes_read` while reading; `packets` when the analysis is done. Each job's capture file is
 * deleted when it ends.
 */
export class JobQueue {
  private readonly jobs = new Map<string, Job>();
  private readonly pending: Job[] = [];
  /** True while the queue is being worked through: a job's analysis or merge is under way. */
  private running = false;
  private idle: Promise<void> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly opts: JobQueueOptions) {
    this.now = opts.now ?? (() => Date.now() / 1000);
  }

  /**
   * Queues the analysis of a capture file alone in its own folder (taken over: the folder is deleted when
   * the job ends); returns its status. When MAX_JOBS_IN_FLIGHT jobs are already queued or running, takes
   * nothing over (the caller keeps and removes the file) and returns undefined.
   */
  submit(capture: string, fileName: string, bytes: number): JobStatus | undefined {
    if (this.full) return undefined;
    const id = randomBytes(12).toString('base64url');
    const job: Job = {
      capture,
      status: { job_id: id, state: 'queued', file: fileName, bytes_total: bytes, bytes_read: 0, packets: 0, error: null, started_ts: null, finished_ts: null },
    };
    this.jobs.set(id, job);
    while (this.jobs.size > MAX_REMEMBERED_JOBS) {
      const oldest = [...this.jobs.values()].find((j) => j.status.state === 'done' || j.status.state === 'failed');
      if (oldest === undefined) break;
      this.jobs.delete(oldest.status.job_id);
    }
    this.pending.push(job);
    if (!this.running) this.idle = this.drain();
    return job.status;
  }

  /** A job's status, or undefined when unknown. */
  get(id: string): JobStatus | undefined {
    return this.jobs.get(id)?.status;
  }

  /** True when MAX_JOBS_IN_FLIGHT jobs are queued or running: `submit` would refuse another. */
  get full(): boolean {
    return this.pending.length + (this.running ? 1 : 0) >= MAX_JOBS_IN_FLIGHT;
  }

  /** True while a job is queued or running. */
  get busy(): boolean {
    return this.running;
  }

  /** Resolves when no job is queued or running. */
  whenIdle(): Promise<void> {
    return this.idle;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let job = this.pending.shift(); job !== undefined; job = this.pending.shift()) await this.run(job);
    } finally {
      this.running = false;
    }
  }

  private async run(job: Job): Promise<void> {
    const scratch = join(this.opts.workDir, `${job.status.job_id}.sqlite`);
    job.status = { ...job.status, state: 'running', started_ts: this.now() };
    try {
      const out = await runAnalyze([job.capture], {
        db: scratch,
        site: this.opts.site,
        quiet: true,
        progress: false,
        onProgress: (done) => {
          job.status = { ...job.status, bytes_read: done };
        },
      });
      if (out.result.packets === 0) {
        job.status = { ...job.status, state: 'failed', bytes_read: job.status.bytes_total, error: NO_PACKETS_ERROR, finished_ts: this.now() };
        return;
      }
      mergeResults(this.opts.db, scratch);
      ensureConsoleIndexes(this.opts.db);
      this.opts.onResults();
      job.status = { ...job.status, state: 'done', bytes_read: job.status.bytes_total, packets: out.result.packets, finished_ts: this.now() };
    } catch (e) {
      job.status = { ...job.status, state: 'failed', error: jobError(e, job, scratch, this.opts.workDir), finished_ts: this.now() };
    } finally {
      rmSync(scratch, { force: true });
      rmSync(`${scratch}-journal`, { force: true });
      rmSync(dirname(job.capture), { recursive: true, force: true });
    }
  }
}
