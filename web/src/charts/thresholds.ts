import type { Threshold } from "../api/dashboards";

/** The panel's thresholds as horizontal lines, each with its label and colour. */
export function thresholdLines(thresholds: Threshold[]): object | undefined {
  if (thresholds.length === 0) {
    return undefined;
  }

  return {
    silent: true,
    symbol: "none",
    data: thresholds.map((t) => ({
      yAxis: t.value,
      name: t.label ?? String(t.value),
      lineStyle: { color: t.color ?? "#d62728", type: "dashed", width: 1.5 },
      label: { formatter: t.label ?? String(t.value), position: "insideEndTop", color: t.color ?? "#d62728" },
    })),
  };
}

/** An axis maximum that keeps every threshold in view. */
export function axisMaxWith(thresholds: Threshold[]): ((extent: { max: number }) => number | undefined) | undefined {
  if (thresholds.length === 0) {
    return undefined;
  }

  const highest = Math.max(...thresholds.map((t) => t.value));
  // Undefined leaves the axis to ECharts, which rounds it to a readable figure.
  return (extent) => (extent.max >= highest ? undefined : highest * 1.1);
}
