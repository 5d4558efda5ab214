// Line, area and bar panels: a trend drawn over its periods, one series per group.
import type { DashboardPanel } from "../api/dashboards";
import { createChart, baseOption, type ChartOption } from "../charts/echarts";
import { axisMaxWith, thresholdLines } from "../charts/thresholds";
import { tooltipFormatter } from "../charts/tooltip";
import { hookSeries, seriesTable, toSeries, type TrendSeries } from "../charts/trendSeries";
import { fetchTrend } from "../dashboard/queries";
import type { PanelEvents, PanelView } from "./types";

export type TrendStyle = "line" | "area" | "bar";

function option(panel: DashboardPanel, style: TrendStyle, trend: TrendSeries): ChartOption {
  const stack = panel.options.stack ? "total" : undefined;
  return {
    ...baseOption,
    tooltip: { trigger: "axis", formatter: tooltipFormatter(panel.options.decimals, panel.options.unit) },
    legend: trend.series.length > 1 ? { type: "scroll", top: 0 } : undefined,
    xAxis: { type: "category", data: trend.periods, boundaryGap: style === "bar" },
    yAxis: { type: "value", max: axisMaxWith(panel.thresholds), axisLabel: { formatter: (v: number) => (panel.options.unit ? `${v} ${panel.options.unit}` : String(v)) } },
    series: trend.series.map((s, i) => ({
      type: style === "bar" ? "bar" : "line",
      name: s.name,
      data: s.values,
      stack,
      showSymbol: trend.periods.length < 40,
      areaStyle: style === "area" ? { opacity: 0.25 } : undefined,
      emphasis: { focus: "series" },
      markLine: i === 0 ? thresholdLines(panel.thresholds) : undefined,
    })),
  };
}

export function trendChart(style: TrendStyle) {
  return (body: HTMLElement, panel: DashboardPanel, events: PanelEvents): PanelView => {
    const { chart, dispose } = createChart(body);
    let groups = new Map<string, Record<string, string> | null>();
    chart.on("click", (params) => {
      const group = groups.get((params as { seriesName?: string }).seriesName ?? "");
      if (group) {
        events.pick(group);
      }
    });
    return {
      async show(context) {
        const { periods } = await fetchTrend(panel, context);
        const trend = toSeries(periods, panel.title);
        groups = new Map(trend.series.map((s) => [s.name, s.group]));
        chart.setOption(option(panel, style, trend), true);
        return { empty: trend.periods.length === 0, hook: { series: hookSeries(trend) }, table: seriesTable(trend) };
      },
      dispose,
    };
  };
}
