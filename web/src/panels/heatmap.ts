// A heatmap: periods across, the one grouping dimension's values down, the value as colour.
import type { DashboardPanel } from "../api/dashboards";
import { baseOption, createChart } from "../charts/echarts";
import { hookSeries, seriesTable, toSeries } from "../charts/trendSeries";
import { formatNumber, h } from "../app/dom";
import { fetchTrend } from "../dashboard/queries";
import type { PanelView } from "./types";

export function heatmap(body: HTMLElement, panel: DashboardPanel): PanelView {
  const { chart, dispose } = createChart(body);
  return {
    async show(context) {
      const { periods } = await fetchTrend(panel, context);
      const trend = toSeries(periods, panel.title);
      const cells = trend.series.flatMap((s, y) => s.values.flatMap((v, x) => (v === null ? [] : [[x, y, v]])));
      const values = cells.map((c) => c[2]!);
      chart.setOption(
        {
          ...baseOption,
          grid: { ...baseOption.grid, bottom: 48 },
          // An element, not an HTML string: group names come from the data.
          tooltip: { trigger: "item", formatter: (p: { value: number[] }) => h("div", { class: "tip" }, `${trend.series[p.value[1]!]?.name ?? ""} · ${trend.periods[p.value[0]!] ?? ""}: ${formatNumber(p.value[2], panel.options.decimals, panel.options.unit)}`) },
          xAxis: { type: "category", data: trend.periods, splitArea: { show: true } },
          yAxis: { type: "category", data: trend.series.map((s) => s.name), splitArea: { show: true } },
          visualMap: { min: values.length ? Math.min(...values) : 0, max: values.length ? Math.max(...values) : 1, calculable: true, orient: "horizontal", left: "center", bottom: 0, itemHeight: 120 },
          series: [{ type: "heatmap", name: panel.title, data: cells, emphasis: { itemStyle: { borderWidth: 1 } } }],
        },
        true,
      );
      return { empty: cells.length === 0, hook: { series: hookSeries(trend) }, table: seriesTable(trend) };
    },
    dispose,
  };
}
