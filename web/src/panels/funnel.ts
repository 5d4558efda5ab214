// A funnel: entities reaching each step, with the conversion from the first step.
import type { DashboardPanel } from "../api/dashboards";
import { getJson } from "../api/client";
import { num, type FunnelResponse } from "../api/types";
import { baseOption, createChart } from "../charts/echarts";
import { tooltipFormatter } from "../charts/tooltip";
import { parametersOf } from "../dashboard/queries";
import type { PanelView } from "./types";

export function funnel(body: HTMLElement, panel: DashboardPanel): PanelView {
  const { chart, dispose } = createChart(body);
  return {
    async show(context) {
      const query = panel.query!;
      const answer = await getJson<FunnelResponse>(query.path, parametersOf(panel, query, context), context.signal);
      const steps = answer.steps.map((s) => ({ name: s.step, value: num(s.entities) ?? 0, conversion: num(s.conversion_from_first) }));
      chart.setOption(
        {
          ...baseOption,
          tooltip: { trigger: "item", formatter: tooltipFormatter(0) },
          series: [{ type: "funnel", name: panel.title, sort: "none", gap: 2, left: "10%", width: "80%", data: steps, label: { position: "inside", formatter: "{b}: {c}" } }],
        },
        true,
      );
      return {
        empty: steps.every((s) => s.value === 0),
        hook: { series: [{ name: answer.funnel, data: steps.map((s) => [s.name, s.value] as [string, number]) }] },
        table: { columns: ["step", "entities", "dropoff", "conversion_from_previous", "conversion_from_first"], rows: answer.steps.map((s) => [s.step, num(s.entities), num(s.dropoff), num(s.conversion_from_previous), num(s.conversion_from_first)]) },
      };
    },
    dispose,
  };
}
