/** Crane picker filled from the overview's crane list. */
import type { ReactElement } from 'react';
import { getOverview } from '../api.js';
import { useApi } from '../useApi.js';

/** Props: the selected crane (`''` for any), the change callback, the test id, and whether `any` is offered. */
export interface CraneSelectProps {
  readonly value: string;
  readonly onChange: (crane: string) => void;
  readonly testId: string;
  readonly allowAny?: boolean;
}

/** Renders a `<select>` of the cranes known to the store (the current value stays listed even if unknown). */
export function CraneSelect({ value, onChange, testId, allowAny = true }: CraneSelectProps): ReactElement {
  const { loaded } = useApi(getOverview, []);
  const cranes = loaded.state === 'ok' ? loaded.data.cranes.map((c) => c.crane) : [];
  if (value !== '' && !cranes.includes(value)) cranes.unshift(value);
  return (
    <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
      {allowAny ? <option value="">any crane</option> : <option value="" disabled>choose a crane</option>}
      {cranes.map((c) => <option key={c} value={c}>{c}</option>)}
    </select>
  );
}
