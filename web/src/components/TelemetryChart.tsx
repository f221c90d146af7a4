/** One crane signal over time as an ECharts line, with finding markers as vertical mark lines coloured by severity. */
import { useMemo, type ReactElement } from 'react';
import type { Telemetry } from '../../../src/server/api-types.js';
import { SEVERITY_COLOURS } from '../../../src/server/severity-colours.js';
import { fmtTime } from '../format.js';
import { EChart, type ChartOption } from './EChart.js';


/** Props: chart title, y-axis unit, sample times (epoch seconds), values (null = gap) and the finding markers. */
export interface TelemetryChartProps {
  readonly title: string;
  readonly unit: string;
  readonly ts: readonly number[];
  readonly values: readonly (number | null)[];
  readonly markers: Telemetry['markers'];
  readonly testId: string;
}

/** Renders the signal; all telemetry charts share the `telemetry` group (synchronised tooltip and zoom). */
export function TelemetryChart({ title, unit, ts, values, markers, testId }: TelemetryChartProps): ReactElement {
  const option = useMemo<ChartOption>(() => ({
    animation: false,
    title: { text: `${title} (${unit})`, left: 8, top: 4, textStyle: { fontSize: 13 } },
    grid: { left: 64, right: 24, top: 36, bottom: 28 },
    tooltip: { trigger: 'axis' },
    dataZoom: [{ type: 'inside' }],
    xAxis: { type: 'time' },
    yAxis: { type: 'value', scale: true },
    series: [{
      type: 'line',
      name: title,
      showSymbol: false,
      connectNulls: false,
      data: ts.map((t, i) => [t * 1000, values[i] ?? null]),
      markLine: {
        symbol: 'none',
        label: { show: false },
        data: markers.map((m) => ({
          xAxis: m.ts * 1000,
          name: `${m.severity}: ${m.title} (${fmtTime(m.ts)})`,
          lineStyle: { color: SEVERITY_COLOURS[m.severity], type: 'dashed' as const, width: 1.5 },
        })),
        tooltip: { formatter: '{b}' },
      },
    }],
  }), [title, unit, ts, values, markers]);
  return <EChart option={option} group="telemetry" testId={testId} />;
}
