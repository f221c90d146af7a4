/** Previous / next pager for a server-side {@link Page}: shows `first–last of total`. */
import type { ReactElement } from 'react';

/** Props: the page's `total`, `limit`, `offset` (records) and the callback given the new offset. */
export interface PagerProps {
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  readonly onOffset: (offset: number) => void;
  /** Prefix of the test ids (`<prefix>-prev`, `-next`, `-info`); `pager` by default. */
  readonly testId?: string;
}

/** Renders the pager; buttons are disabled at either end. */
export function Pager({ total, limit, offset, onOffset, testId = 'pager' }: PagerProps): ReactElement {
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);
  return (
    <div className="pager">
      <button type="button" data-testid={`${testId}-prev`} disabled={offset <= 0}
        onClick={() => onOffset(Math.max(0, offset - limit))}>‹ Prev</button>
      <span data-testid={`${testId}-info`}>{first}–{last} of {total.toLocaleString('en-US')}</span>
      <button type="button" data-testid={`${testId}-next`} disabled={offset + limit >= total}
        onClick={() => onOffset(offset + limit)}>Next ›</button>
    </div>
  );
}
