/** Capture upload (analyst+): send a pcap/pcapng, then poll its analysis job every second until done or failed. */
import { useEffect, useState, type FormEvent, type ReactElement } from 'react';
import type { ApiError, JobStatus } from '../../../src/server/api-types.js';
import { getJob, uploadCapture } from '../api.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { JobProgress } from '../components/JobProgress.js';

const POLL_MS = 1000;

/**
 * Renders a note that a finished analysis replaces the results shown (`upload-replaces`), the form
 * (`upload-input`, `upload-submit`) and the job (`job-state`, `upload-progress`);
 * calls `onDataChanged` once when the job is done so every page reloads.
 */
export function UploadPage({ onDataChanged }: { readonly onDataChanged: () => void }): ReactElement {
  const [file, setFile] = useState<File | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [job, setJob] = useState<JobStatus | null>(null);
  const [failure, setFailure] = useState<{ status: number; error: ApiError } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (jobId === null) return undefined;
    let stopped = false;
    let timer: number | undefined;
    const poll = async (): Promise<void> => {
      const result = await getJob(jobId);
      if (stopped) return;
      if (!result.ok) {
        setFailure({ status: result.status, error: result.error });
        return;
      }
      setJob(result.data);
      if (result.data.state === 'done') {
        onDataChanged();
        return;
      }
      if (result.data.state === 'failed') return;
      timer = window.setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer !== undefined) window.clearTimeout(timer);
    };
  }, [jobId, onDataChanged]);

  const onSubmit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (file === null) return;
    setBusy(true);
    setFailure(null);
    setJob(null);
    setJobId(null);
    const result = await uploadCapture(file);
    setBusy(false);
    if (result.ok) setJobId(result.data.job_id);
    else setFailure({ status: result.status, error: result.error });
  };

  return (
    <section>
      <h2>Upload a capture</h2>
      <p className="muted" data-testid="upload-replaces">
        When its analysis finishes, the capture's results replace those shown in the console now. If the analysis
        fails, the current results are kept.
      </p>
      <form className="filters" onSubmit={(e) => void onSubmit(e)}>
        <input data-testid="upload-input" type="file" accept=".pcap,.pcapng,.cap,.pcap.gz"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        <button type="submit" data-testid="upload-submit" disabled={file === null || busy}>
          {busy ? 'Uploading…' : 'Upload and analyze'}
        </button>
      </form>
      {failure !== null && <ErrorBox status={failure.status} error={failure.error} />}
      {jobId !== null && job === null && failure === null && <p className="muted" data-testid="job-state">queued</p>}
      {job !== null && <JobProgress job={job} />}
      {job?.state === 'done' && <p className="ok" data-testid="upload-done">Analysis finished; all pages show the new data.</p>}
    </section>
  );
}
