import cliProgress from 'cli-progress';

/** A byte-based progress bar on stderr, drawn only when stderr is a TTY; otherwise every call is a no-op. */
export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/** Creates the progress bar for reading `label` (inputs totalling some bytes); silent when `enabled` is false. */
export function createProgress(label: string, enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {doneMB}/{totalMB} MB | {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const mb = (n: number): string => (n / 1e6).toFixed(1);
  return {
    update(done, total) {
      if (!started) {
        bar.start(Math.max(total, 1), 0, { doneMB: mb(0), totalMB: mb(total) });
        started = true;
      }
      bar.update(Math.min(done, total), { doneMB: mb(done), totalMB: mb(total) });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
