/** MITRE ATT&CK for ICS technique ids with the ATT&CK version they were mapped against. */
import type { ReactElement } from 'react';

/** Props: technique ids (`T0855`, `T0831.001`), optional names in the same order, and the ATT&CK version (`v17`). */
export interface TechniquesProps {
  readonly ids: readonly string[];
  readonly names?: readonly string[];
  readonly version: string;
}

/** Lists each technique as `T0855 (ATT&CK v17)`, its name as a tooltip. */
export function Techniques({ ids, names, version }: TechniquesProps): ReactElement {
  if (ids.length === 0) return <span className="muted">—</span>;
  const label = version.startsWith('v') ? version : `v${version}`;
  return (
    <span className="techniques">
      {ids.map((id, i) => (
        <span key={id} className="technique" data-testid="technique" title={names?.[i] ?? id}>
          {id}{names?.[i] !== undefined ? ` ${names[i]}` : ''} <small>(ATT&amp;CK {label})</small>
        </span>
      ))}
    </span>
  );
}
