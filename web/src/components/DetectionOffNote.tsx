/** The note shown where findings would be listed when the analyzed run had no site file (RunInfo.detection false). */
import type { ReactElement } from 'react';

/** The note's wording. */
export const DETECTION_OFF_TEXT = 'Detection was off for this run (no site file): no findings were looked for.';

/** Renders the note as a muted paragraph with the given test id. */
export function DetectionOffNote({ testId }: { readonly testId: string }): ReactElement {
  return <p className="muted" data-testid={testId}>{DETECTION_OFF_TEXT}</p>;
}
