// What the Quality page shows of check results: pure functions of /api/v1/checks's rows.
import type { ChartSeries } from "./chart";
import type { CheckItem } from "./history";
import { dayOf } from "./time";
import type { Cell } from "./table";

/** The newest result of each check on each model (rows come newest first). */
export function latestResults(results: CheckItem[]): CheckItem[] {
  const seen = new Map<string, CheckItem>();
  for (const result of results) {
    const key = `${result.check}\u0000${result.model ?? ""}`;
    if (!seen.has(key)) {
      seen.set(key, result);
    }
  }

  return [...seen.values()];
}

export const latestColumns = ["check", "model", "column", "status", "failing rows", "ratio", "mostly", "message", "checked"];

export function latestRows(latest: CheckItem[]): Cell[][] {
  return latest.map((c) => [c.check, c.model, c.column, c.status, c.failingRows, c.ratio, c.mostly, c.message, c.checkedAt]);
}

const bad = ["fail", "warn", "error"];

/** The latest results that did not pass and carry a sample of failing rows. */
export function samples(latest: CheckItem[]): CheckItem[] {
  return latest.filter((c) => bad.includes(c.status) && c.sample !== null && c.sample !== "" && c.sample !== "[]");
}

/** Per day, how many results failed, warned or errored; days without any are left out. */
export function failuresByDay(results: CheckItem[]): ChartSeries[] {
  const counts = new Map<string, Map<string, number>>();
  for (const result of results.filter((r) => bad.includes(r.status))) {
    const day = dayOf(result.checkedAt);
    if (day) {
      const perStatus = counts.get(day) ?? new Map<string, number>();
      perStatus.set(result.status, (perStatus.get(result.status) ?? 0) + 1);
      counts.set(day, perStatus);
    }
  }

  const days = [...counts.keys()].sort();
  return bad.map((status) => ({ name: status, data: days.map((d) => [d, counts.get(d)!.get(status) ?? 0] as [string, number]) }));
}
