import { num, type TrendPeriod } from "../api/types";
import { groupName } from "../dashboard/queries";

/** A trend's periods as named series over the sorted periods, and each series' group for clicks. */
export interface TrendSeries {
  periods: string[];
  series: { name: string; group: Record<string, string> | null; values: (number | null)[] }[];
}

export function toSeries(periods: TrendPeriod[], fallbackName: string): TrendSeries {
  const days = [...new Set(periods.map((p) => p.period))].sort();
  const index = new Map(days.map((d, i) => [d, i]));
  const byName = new Map<string, TrendSeries["series"][number]>();
  for (const period of periods) {
    const name = groupName(period.group, fallbackName);
    let series = byName.get(name);
    if (!series) {
      const group = period.group ? Object.fromEntries(Object.entries(period.group as Record<string, unknown>).map(([k, v]) => [k, String(v)])) : null;
      series = { name, group, values: days.map(() => null) };
      byName.set(name, series);
    }

    series.values[index.get(period.period)!] = num(period.value);
  }

  return { periods: days, series: [...byName.values()] };
}

/** The series as the test hook and the CSV show them. */
export function hookSeries(trend: TrendSeries): { name: string; data: [string, number | null][] }[] {
  return trend.series.map((s) => ({ name: s.name, data: trend.periods.flatMap((p, i) => (s.values[i] === null ? [] : [[p, s.values[i]!] as [string, number | null]])) }));
}

export function seriesTable(trend: TrendSeries): { columns: string[]; rows: (string | number | null)[][] } {
  return { columns: ["period", "series", "value"], rows: trend.series.flatMap((s) => trend.periods.map((p, i) => [p, s.name, s.values[i] ?? null])).filter((r) => r[2] !== null) };
}
