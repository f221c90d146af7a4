import * as echarts from 'echarts';
import type { Telemetry } from '../server/api-types.js';
import { SEVERITY_COLOURS } from '../server/severity-colours.js';

/** Finding markers drawn on one chart at most (the report lists them all beside it). */
export const MAX_CHART_MARKERS = 40;

/** Chart size in CSS pixels. */
const WIDTH = 760;
const PANEL_HEIGHT = 95;
const TOP = 28;
const GAP = 34;

/** The four panels, top to bottom: series key, axis name. */
const PANELS: readonly { readonly key: keyof Telemetry['series']; readonly name: string }[] = [
  { key: 'hoist_position_mm', name: 'hoist mm' },
  { key: 'trolley_position_mm', name: 'trolley mm' },
  { key: 'load_kg', name: 'load kg' },
  { key: 'wind_speed_ms', name: 'wind m/s' },
];

/**
 * A crane's telemetry as one static SVG image: hoist and trolley position (mm), load (kg) and wind
 * (m/s) in four panels over a shared time axis, and a vertical line per finding marker (at most
 * MAX_CHART_MARKERS, numbered 1… in `t.markers` order, coloured by severity). Rendered server-side
 * by ECharts' SVG renderer, without animation, times in UTC; only numbers and times from `t` reach the image
 * (no free text), so it needs no escaping. Returns the `<svg …>` element's text.
 */
export function telemetrySvg(t: Telemetry): string {
  const height = TOP + PANELS.length * (PANEL_HEIGHT + GAP) + 10;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height });
  const markers = t.markers.slice(0, MAX_CHART_MARKERS);
  const ms = t.ts.map((s) => s * 1000);
  chart.setOption({
    animation: false,
    useUTC: true,
    grid: PANELS.map((_, i) => ({ left: 70, right: 20, top: TOP + i * (PANEL_HEIGHT + GAP), height: PANEL_HEIGHT })),
    xAxis: PANELS.map((_, i) => ({ type: 'time', gridIndex: i, axisLabel: { show: i === PANELS.length - 1, fontSize: 10 } })),
    yAxis: PANELS.map((p, i) => ({ type: 'value', gridIndex: i, name: p.name, nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 10 }, scale: true })),
    series: PANELS.map((p, i) => ({
      type: 'line',
      xAxisIndex: i,
      yAxisIndex: i,
      showSymbol: false,
      connectNulls: false,
      lineStyle: { width: 1 },
      data: ms.map((x, j) => [x, t.series[p.key][j]]),
      markLine:
        markers.length === 0
          ? undefined
          : {
              symbol: 'none',
              silent: true,
              label: { show: i === 0, formatter: '{b}', fontSize: 9 },
              data: markers.map((m, k) => ({ name: String(k + 1), xAxis: m.ts * 1000, lineStyle: { color: SEVERITY_COLOURS[m.severity], type: 'dashed' } })),
            },
    })),
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}
