// Charts of the pipeline pages: series of [x, y] points over a time or day axis, drawn with the
// dashboard's ECharts setup. Scatter is registered here: only these pages draw single runs.
import { ScatterChart } from "echarts/charts";
import * as echarts from "echarts/core";
import { baseOption, createChart } from "../charts/echarts";
import { tooltipFormatter } from "../charts/tooltip";
import type { PanelHook } from "../app/hook";
import type { Loaded } from "./section";

echarts.use([ScatterChart]);

export type Point = [string, number | null];

export interface ChartSeries {
  name: string;
  data: Point[];
}

export interface ChartSpec {
  kind: "scatter" | "line" | "bar";
  series: ChartSeries[];
  /** A category axis of days, or a time axis of times (the points' x as the API wrote it). */
  axis: "day" | "time";
  unit: string;
  stack?: boolean;
  threshold?: { value: number; label: string; color: string };
  /** Turns an x as the API wrote it into what the time axis takes. */
  timeOf?: (text: string) => number | null;
}

/** A chart in body; dispose releases it when the page is left or drawn again. */
export class SectionChart {
  private current: { dispose(): void } | null = null;

  draw(body: HTMLElement, spec: ChartSpec, empty: string): Loaded {
    this.dispose();
    if (spec.series.every((s) => s.data.length === 0)) {
      return { empty };
    }

    const host = document.createElement("div");
    host.className = "section-chart";
    body.replaceChildren(host);
    const { chart, dispose } = createChart(host);
    this.current = { dispose };
    const days = [...new Set(spec.series.flatMap((s) => s.data.map((p) => p[0])))].sort();
    const line = spec.threshold
      ? { silent: true, symbol: "none", data: [{ yAxis: spec.threshold.value, name: spec.threshold.label, lineStyle: { color: spec.threshold.color, type: "dashed", width: 1.5 }, label: { formatter: spec.threshold.label, position: "insideEndTop", color: spec.threshold.color } }] }
      : undefined;
    const highest = spec.threshold?.value;
    chart.setOption({
      ...baseOption,
      grid: { ...baseOption.grid, top: 40 },
      legend: { type: "scroll", top: 0 },
      tooltip: { trigger: spec.kind === "scatter" ? "item" : "axis", formatter: tooltipFormatter(null, spec.unit) },
      xAxis: spec.axis === "day" ? { type: "category", data: days } : { type: "time" },
      yAxis: { type: "value", name: spec.unit, max: highest === undefined ? undefined : (extent: { max: number }) => (extent.max >= highest ? undefined : highest * 1.1) },
      series: spec.series.map((s, i) => ({
        name: s.name,
        type: spec.kind,
        stack: spec.stack ? "all" : undefined,
        symbolSize: spec.kind === "scatter" ? 8 : undefined,
        data: spec.axis === "day" ? days.map((d) => s.data.find((p) => p[0] === d)?.[1] ?? null) : s.data.map((p) => [spec.timeOf?.(p[0]) ?? p[0], p[1]]),
        markLine: i === 0 ? line : undefined,
      })),
    });
    const hook: Omit<PanelHook, "state"> = { series: spec.series };
    if (spec.threshold) {
      hook.thresholds = [{ value: spec.threshold.value, label: spec.threshold.label, color: spec.threshold.color }];
    }

    return { hook };
  }

  dispose(): void {
    this.current?.dispose();
    this.current = null;
  }
}
