/** Progress of an uploaded capture's analysis: state, a progress bar of bytes read, packets, error. */
import type { ReactElement } from 'react';
import type { JobStatus } from '../../../src/server/api-types.js';
import { fmtBytes, fmtNum } from '../format.js';

/** Renders the job (test ids `job-state`, `upload-progress`, `job-packets`, `job-error`). */
export function JobProgress({ job }: { readonly job: JobStatus }): ReactElement {
  const total = job.bytes_total > 0 ? job.bytes_total : 1;
  const read = job.state === 'done' ? total : Math.min(job.bytes_read, total);
  const percent = Math.floor((read / total) * 100);
  return (
    <section className="card job" data-testid="job" data-job={job.job_id}>
      <p>
        <strong>{job.file}</strong> — <span className={`badge job-${job.state}`} data-testid="job-state">{job.state}</span>
      </p>
      <progress data-testid="upload-progress" max={total} value={read}>{percent}%</progress>
      <p className="muted">
        <span data-testid="job-percent">{percent}%</span> · {fmtBytes(job.bytes_read)} of {fmtBytes(job.bytes_total)}
        {' · '}<span data-testid="job-packets">{fmtNum(job.packets)}</span> packets
      </p>
      {job.error !== null && <p className="error" data-testid="job-error">{job.error}</p>}
    </section>
  );
}
