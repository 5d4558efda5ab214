// ECharts, imported piece by piece: only the charts and components the panels use are bundled.
import { BarChart, FunnelChart, HeatmapChart, LineChart, PieChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent, VisualMapComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { currentTheme } from "../app/theme";

echarts.use([LineChart, BarChart, PieChart, FunnelChart, HeatmapChart, GridComponent, LegendComponent, TooltipComponent, MarkLineComponent, MarkAreaComponent, VisualMapComponent, CanvasRenderer]);

export type Chart = echarts.ECharts;
export type ChartOption = echarts.EChartsCoreOption;

/** A chart in host that follows its size; dispose() releases both. */
export function createChart(host: HTMLElement): { chart: Chart; dispose(): void } {
  const chart = echarts.init(host, currentTheme() === "dark" ? "dark" : undefined, { renderer: "canvas" });
  // The observer also reports the size the chart was created at; redrawing for that would draw
  // every chart twice on each load.
  let size = `${host.clientWidth}x${host.clientHeight}`;
  const observer = new ResizeObserver(() => {
    const now = `${host.clientWidth}x${host.clientHeight}`;
    if (now !== size) {
      size = now;
      chart.resize();
    }
  });
  observer.observe(host);
  return {
    chart,
    dispose() {
      observer.disconnect();
      chart.dispose();
    },
  };
}

/**
 * What every chart shares: a transparent background (the panel's), room for axis labels, and no
 * entry animation, which costs a dashboard of eight charts about a tenth of a second of the
 * browser's main thread on every load and refresh.
 */
export const baseOption = {
  backgroundColor: "transparent",
  animation: false,
  grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
};
