/** Paginated evidence records of one finding (`GET /api/findings/:id/evidence`). */
import { useState, type ReactElement } from 'react';
import { getFindingEvidence } from '../api.js';
import { useApi } from '../useApi.js';
import { Async } from './Async.js';
import { Pager } from './Pager.js';
import { RecordTable } from './RecordTable.js';

const PAGE_SIZE = 25;

/** Loads and shows one page (25 records) of the finding's evidence with a pager (test ids `evidence-pager-*`). */
export function FindingEvidencePanel({ findingId }: { readonly findingId: string }): ReactElement {
  const [offset, setOffset] = useState(0);
  const { loaded } = useApi(() => getFindingEvidence(findingId, { limit: PAGE_SIZE, offset }), [findingId, offset]);
  return (
    <div className="evidence" data-testid="evidence-panel">
      <Async loaded={loaded}>
        {(ev) => (
          <>
            <p className="muted">
              Streams: {[...new Set(ev.finding.evidence_streams)].join(', ') || '—'} · {ev.finding.evidence_uids.length} uid(s)
            </p>
            <RecordTable records={ev.records.items} />
            <Pager total={ev.records.total} limit={ev.records.limit} offset={ev.records.offset}
              onOffset={setOffset} testId="evidence-pager" />
          </>
        )}
      </Async>
    </div>
  );
}
