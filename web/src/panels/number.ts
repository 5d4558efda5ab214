// A single figure: the range's total, optionally against the previous range of the same length,
// with a daily sparkline under it.
import type { DashboardPanel } from "../api/dashboards";
import { num, type TrendPeriod } from "../api/types";
import { formatNumber, h } from "../app/dom";
import { createChart } from "../charts/echarts";
import { fetchTrend } from "../dashboard/queries";
import { previousRange } from "../dashboard/range";
import type { PanelView } from "./types";

function total(periods: TrendPeriod[]): number | null {
  const values = periods.map((p) => num(p.value)).filter((v): v is number => v !== null);
  return values.length ? values.reduce((a, b) => a + b, 0) : null;
}

export function numberPanel(body: HTMLElement, panel: DashboardPanel): PanelView {
  const { decimals, unit, compare, sparkline } = panel.options;
  const figure = h("div", { class: "figure" });
  const change = h("div", { class: "figure-change" });
  const spark = h("div", { class: "sparkline", "aria-hidden": "true" });
  body.append(figure, change);
  if (sparkline) {
    body.append(spark);
  }

  const chart = sparkline ? createChart(spark) : null;
  return {
    async show(context) {
      const [current, previous, days] = await Promise.all([
        fetchTrend(panel, context, undefined, { granularity: ["total"] }),
        compare ? fetchTrend(panel, context, previousRange(context.range), { granularity: ["total"] }) : Promise.resolve(null),
        sparkline ? fetchTrend(panel, context, undefined, { granularity: ["day"] }) : Promise.resolve(null),
      ]);
      const value = total(current.periods);
      const before = previous ? total(previous.periods) : null;
      figure.textContent = formatNumber(value, decimals, unit);
      change.replaceChildren();
      change.className = "figure-change";
      if (compare && value !== null && before !== null && before !== 0) {
        const percent = ((value - before) / Math.abs(before)) * 100;
        change.classList.add(percent >= 0 ? "up" : "down");
        change.textContent = `${percent >= 0 ? "▲ +" : "▼ "}${percent.toFixed(1)}% vs previous ${formatNumber(before, decimals, unit)}`;
      } else if (compare) {
        change.textContent = "No previous period to compare";
      }

      const daily = (days?.periods ?? []).map((p) => [p.period, num(p.value)] as [string, number | null]);
      chart?.chart.setOption(
        {
          backgroundColor: "transparent",
          grid: { left: 0, right: 0, top: 4, bottom: 0 },
          xAxis: { type: "category", show: false, data: daily.map((d) => d[0]) },
          yAxis: { type: "value", show: false, scale: true },
          series: [{ type: "line", data: daily.map((d) => d[1]), showSymbol: false, areaStyle: { opacity: 0.2 }, silent: true }],
        },
        true,
      );
      const hook = { value, previous: compare ? before : null, ...(sparkline ? { series: [{ name: panel.title, data: daily }] } : {}) };
      return { empty: value === null, hook, table: { columns: compare ? ["from", "to", "value", "previous"] : ["from", "to", "value"], rows: [[context.range.from, context.range.to, value, ...(compare ? [before] : [])]] } };
    },
    dispose: () => chart?.dispose(),
  };
}
