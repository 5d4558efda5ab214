// A pie (or donut): one slice per group of the trend's total.
import type { DashboardPanel } from "../api/dashboards";
import { num } from "../api/types";
import { baseOption, createChart } from "../charts/echarts";
import { tooltipFormatter } from "../charts/tooltip";
import { fetchTrend, groupName } from "../dashboard/queries";
import type { PanelEvents, PanelView } from "./types";

export function pie(body: HTMLElement, panel: DashboardPanel, events: PanelEvents): PanelView {
  const { chart, dispose } = createChart(body);
  let groups = new Map<string, Record<string, string>>();
  chart.on("click", (params) => {
    const group = groups.get((params as { name?: string }).name ?? "");
    if (group) {
      events.pick(group);
    }
  });
  return {
    async show(context) {
      const { periods } = await fetchTrend(panel, context, undefined, { granularity: ["total"] });
      const slices = new Map<string, number>();
      groups = new Map();
      for (const period of periods) {
        const name = groupName(period.group, panel.title);
        slices.set(name, (slices.get(name) ?? 0) + (num(period.value) ?? 0));
        if (period.group) {
          groups.set(name, Object.fromEntries(Object.entries(period.group as Record<string, unknown>).map(([k, v]) => [k, String(v)])));
        }
      }

      const data = [...slices].map(([name, value]) => ({ name, value }));
      chart.setOption(
        {
          ...baseOption,
          tooltip: { trigger: "item", formatter: tooltipFormatter(panel.options.decimals, panel.options.unit) },
          legend: { type: "scroll", bottom: 0 },
          series: [{ type: "pie", name: panel.title, radius: panel.options.donut ? ["45%", "70%"] : [0, "70%"], center: ["50%", "45%"], data, label: { show: data.length <= 8 } }],
        },
        true,
      );
      return {
        empty: data.length === 0,
        hook: { series: [{ name: panel.title, data: data.map((d) => [d.name, d.value] as [string, number]) }] },
        table: { columns: ["slice", "value"], rows: data.map((d) => [d.name, d.value]) },
      };
    },
    dispose,
  };
}
