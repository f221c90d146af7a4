/** Crane telemetry: pick a crane and a UTC window; hoist, trolley, load and wind charts with finding markers (lazy-loaded with echarts). */
import { useState, type FormEvent, type ReactElement } from 'react';
import type { Telemetry } from '../../../src/server/api-types.js';
import { getOverview, getTelemetry } from '../api.js';
import { Async } from '../components/Async.js';
import { CraneSelect } from '../components/CraneSelect.js';
import { TelemetryChart } from '../components/TelemetryChart.js';
import { SeverityBadge } from '../components/SeverityBadge.js';
import { fmtTime, parseUtcInput, toUtcInput } from '../format.js';
import { navigate, queryObject } from '../router.js';
import { useApi } from '../useApi.js';
import type { ApiResult } from '../api.js';

const SIGNALS: readonly { key: keyof Telemetry['series']; title: string; unit: string; testId: string }[] = [
  { key: 'hoist_position_mm', title: 'Hoist position', unit: 'mm', testId: 'chart-hoist' },
  { key: 'trolley_position_mm', title: 'Trolley position', unit: 'mm', testId: 'chart-trolley' },
  { key: 'load_kg', title: 'Load', unit: 'kg', testId: 'chart-load' },
  { key: 'wind_speed_ms', title: 'Wind speed', unit: 'm/s', testId: 'chart-wind' },
];

function numberParam(query: URLSearchParams, key: string): number | undefined {
  const raw = query.get(key);
  if (raw === null || raw === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

const NO_CRANE: Promise<ApiResult<Telemetry | null>> = Promise.resolve({ ok: true, data: null });

/**
 * Renders the picker (`telemetry-crane`, `telemetry-from`, `telemetry-to`, `telemetry-apply`), four charts (`chart-*`) and
 * the marker list (`telemetry-marker`). Without a `crane` in the URL the overview's first crane is shown.
 */
export function TelemetryPage({ query }: { readonly query: URLSearchParams }): ReactElement {
  const chosen = query.get('crane') ?? '';
  const overview = useApi(getOverview, []).loaded;
  const firstCrane = overview.state === 'ok' ? (overview.data.cranes[0]?.crane ?? '') : '';
  const crane = chosen !== '' ? chosen : firstCrane;
  const waiting = chosen === '' && overview.state === 'loading';
  const from = numberParam(query, 'from');
  const to = numberParam(query, 'to');
  const [fromText, setFromText] = useState(toUtcInput(from));
  const [toText, setToText] = useState(toUtcInput(to));
  const { loaded } = useApi<Telemetry | null>(() => (crane === '' ? NO_CRANE : getTelemetry({ crane, from, to, points: 600 })),
    [crane, from, to]);
  const onApply = (e: FormEvent): void => {
    e.preventDefault();
    navigate(['telemetry'], { ...queryObject(query), from: parseUtcInput(fromText), to: parseUtcInput(toText) });
  };

  return (
    <section>
      <h2>Crane telemetry</h2>
      <form className="filters" onSubmit={onApply}>
        <label>Crane <CraneSelect testId="telemetry-crane" value={crane} allowAny={false}
          onChange={(c) => navigate(['telemetry'], { ...queryObject(query), crane: c })} /></label>
        <label>From (UTC) <input data-testid="telemetry-from" type="datetime-local" step="1" value={fromText}
          onChange={(e) => setFromText(e.target.value)} /></label>
        <label>To (UTC) <input data-testid="telemetry-to" type="datetime-local" step="1" value={toText}
          onChange={(e) => setToText(e.target.value)} /></label>
        <button type="submit" data-testid="telemetry-apply">Apply</button>
      </form>
      <Async loaded={loaded}>
        {(t) => t === null ? (
          <p className="muted" data-testid="telemetry-no-crane">{waiting ? 'Loading…' : overview.state === 'ok' && overview.data.cranes.length === 0 ? 'No crane seen in this data.' : 'Choose a crane.'}</p>
        ) : (
          <>
            <p className="muted" data-testid="telemetry-summary">
              {t.ts.length} points · {fmtTime(t.ts[0])} → {fmtTime(t.ts[t.ts.length - 1])} UTC · {t.markers.length} finding marker(s)
            </p>
            {t.ts.length === 0 ? <p className="muted" data-testid="telemetry-empty">No decoded values in this window.</p>
              : SIGNALS.map((s) => (
                <TelemetryChart key={s.key} title={s.title} unit={s.unit} ts={t.ts} values={t.series[s.key]}
                  markers={t.markers} testId={s.testId} />
              ))}
            {t.markers.length > 0 && (
              <ul className="markers">
                {t.markers.map((m, i) => (
                  <li key={`${m.finding_id}-${i}`} data-testid="telemetry-marker">
                    {fmtTime(m.ts)} <SeverityBadge severity={m.severity} /> {m.title} <code>{m.finding_id}</code>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </Async>
    </section>
  );
}

/** Default export, for `React.lazy`. */
export default TelemetryPage;
