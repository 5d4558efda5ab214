// A benchmark: the entity's value against its peers' middle half (p25–p75) and their median.
import type { DashboardPanel } from "../api/dashboards";
import { getJson } from "../api/client";
import { num, type BenchmarkResponse } from "../api/types";
import { formatNumber, h } from "../app/dom";
import { baseOption, createChart } from "../charts/echarts";
import { tooltipFormatter } from "../charts/tooltip";
import { parametersOf } from "../dashboard/queries";
import type { PanelView } from "./types";

export function benchmark(body: HTMLElement, panel: DashboardPanel): PanelView {
  const { decimals, unit } = panel.options;
  const caption = h("p", { class: "benchmark-caption" });
  const host = h("div", { class: "benchmark-chart" });
  body.append(caption, host);
  const { chart, dispose } = createChart(host);
  return {
    async show(context) {
      const query = panel.query!;
      const answer = await getJson<BenchmarkResponse>(query.path, parametersOf(panel, query, context), context.signal);
      const value = num(answer.value);
      const peers = answer.peers as { count?: unknown; p25?: unknown; median?: unknown; p75?: unknown; withheld?: string | null } | null;
      const p25 = num(peers?.p25 as number | null);
      const median = num(peers?.median as number | null);
      const p75 = num(peers?.p75 as number | null);
      const entity = String(answer.entity ?? "entity");
      const percent = num(answer.percent_difference);
      caption.textContent = peers?.withheld
        ? `${entity}: ${formatNumber(value, decimals, unit)}. Peers withheld: ${peers.withheld}`
        : `${entity}: ${formatNumber(value, decimals, unit)}${percent === null ? "" : ` (${percent >= 0 ? "+" : ""}${percent.toFixed(1)}% vs the peers' median)`}`;
      chart.setOption(
        {
          ...baseOption,
          tooltip: { trigger: "item", formatter: tooltipFormatter(decimals, unit) },
          xAxis: { type: "value", scale: true },
          yAxis: { type: "category", data: [entity] },
          series: [
            {
              type: "bar",
              name: entity,
              data: [value],
              barMaxWidth: 28,
              markArea: p25 !== null && p75 !== null ? { silent: true, itemStyle: { opacity: 0.2 }, label: { formatter: "Peers p25–p75", position: "insideTop" }, data: [[{ xAxis: p25 }, { xAxis: p75 }]] } : undefined,
              markLine: median !== null ? { silent: true, symbol: "none", label: { formatter: "Peer median" }, lineStyle: { type: "dashed" }, data: [{ xAxis: median }] } : undefined,
            },
          ],
        },
        true,
      );
      return {
        empty: value === null && median === null,
        hook: { value, series: [{ name: entity, data: [[entity, value]] }, { name: "peers", data: [["p25", p25], ["median", median], ["p75", p75]] }] },
        table: { columns: ["entity", "value", "peers_p25", "peers_median", "peers_p75", "peer_count"], rows: [[entity, value, p25, median, p75, num(peers?.count as number | null)]] },
      };
    },
    dispose,
  };
}
