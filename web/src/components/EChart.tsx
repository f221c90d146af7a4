/**
 * Minimal React wrapper around an ECharts instance (tree-shaken: line series, grid, tooltip,
 * mark lines/points, inside data zoom, canvas renderer). Resizes with its container.
 */
import { useEffect, useRef, type ReactElement } from 'react';
import { LineChart, type LineSeriesOption } from 'echarts/charts';
import {
  DataZoomInsideComponent,
  GridComponent,
  MarkLineComponent,
  MarkPointComponent,
  TitleComponent,
  TooltipComponent,
  type DataZoomComponentOption,
  type GridComponentOption,
  type MarkLineComponentOption,
  type TitleComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { connect, init, use, type ComposeOption, type EChartsType } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, GridComponent, TooltipComponent, MarkLineComponent, MarkPointComponent, TitleComponent,
  DataZoomInsideComponent, CanvasRenderer]);

/** The option subset the wrapper registers components for. */
export type ChartOption = ComposeOption<
  LineSeriesOption | GridComponentOption | TooltipComponentOption | TitleComponentOption
  | DataZoomComponentOption | MarkLineComponentOption
>;

/** Props: the chart option, a connect group (charts of one group share tooltip and zoom) and a test id. */
export interface EChartProps {
  readonly option: ChartOption;
  readonly group?: string;
  readonly testId?: string;
}

/** Renders a `div.chart` and keeps one ECharts instance on it, replacing its option on change. */
export function EChart({ option, group, testId }: EChartProps): ReactElement {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  useEffect(() => {
    const el = host.current;
    if (el === null) return undefined;
    const instance = init(el, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    const instance = chart.current;
    if (instance === null) return;
    instance.setOption(option, { notMerge: true });
    if (group !== undefined) {
      instance.group = group;
      connect(group);
    }
  }, [option, group]);
  return <div ref={host} className="chart" data-testid={testId} />;
}
