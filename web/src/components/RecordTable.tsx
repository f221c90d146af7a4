/** Table of evidence log records whose columns are the records' own (Zeek / ICSNPP) field names. */
import type { ReactElement } from 'react';
import type { EvidenceRecord } from '../../../src/server/api-types.js';
import { fmtTime, fmtValue } from '../format.js';

const TIME_FIELDS = new Set(['ts', 'last_ts', 'detected_ts', 'lock_ts', 'unlock_ts']);

/** Columns in first-seen order over all records: `stream`, then every field (ts first when present). */
export function recordColumns(records: readonly EvidenceRecord[]): string[] {
  const seen = new Set<string>();
  const columns: string[] = [];
  for (const { record } of records) {
    for (const field of Object.keys(record)) {
      if (seen.has(field)) continue;
      seen.add(field);
      columns.push(field);
    }
  }
  columns.sort((a, b) => (a === 'ts' ? -1 : b === 'ts' ? 1 : 0));
  return columns;
}

/** Renders one row per record (test id `evidence-row`), timestamps as UTC, in a box that scrolls sideways (keyboard-focusable) when wide. */
export function RecordTable({ records }: { readonly records: readonly EvidenceRecord[] }): ReactElement {
  if (records.length === 0) return <p className="muted" data-testid="evidence-empty">No evidence records stored.</p>;
  const columns = recordColumns(records);
  return (
    <div className="table-wrap" role="region" aria-label="Evidence records (scrolls sideways)" tabIndex={0}>
      <table className="records" data-testid="evidence-table">
        <thead>
          <tr><th>stream</th>{columns.map((c) => <th key={c}>{c}</th>)}</tr>
        </thead>
        <tbody>
          {records.map((r, i) => (
            <tr key={i} data-testid="evidence-row">
              <td>{r.stream}</td>
              {columns.map((c) => {
                const value = r.record[c];
                return <td key={c}>{TIME_FIELDS.has(c) && typeof value === 'number' ? fmtTime(value) : fmtValue(value)}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
