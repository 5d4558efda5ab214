// What the Runs page shows of its data: the timeline of runs against the SLO, failures, missing
// partitions and the latest invocation's progress. Pure functions of the API's answers.
import type { components } from "../api/openapi.gen";
import type { ChartSeries } from "./chart";
import type { RunItem } from "./history";
import type { Cell } from "./table";

type StatusReport = components["schemas"]["StatusReport"];

/** A partition left alone because it was built before: recorded as SKIPPED, it did not run. */
export const alreadyBuilt = (run: RunItem): boolean => run.status === "SKIPPED" && run.skipReason === "ALREADY_BUILT";

/** Each job's finished runs as [started_at, seconds], oldest first; partitions left alone as already built are no runs to time. */
export function durationSeries(runs: RunItem[]): ChartSeries[] {
  const byJob = new Map<string, ChartSeries>();
  for (const run of [...runs].reverse()) {
    if (run.durationMs === null || alreadyBuilt(run)) {
      continue;
    }

    const series = byJob.get(run.job) ?? { name: run.job, data: [] };
    series.data.push([run.startedAt, run.durationMs / 1000]);
    byJob.set(run.job, series);
  }

  return [...byJob.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export const failureColumns = ["started", "job", "partition", "error"];

export function failureRows(failed: RunItem[]): Cell[][] {
  return failed.map((r) => [r.startedAt, r.job, r.targetDate, r.error]);
}

export const missingColumns = ["model", "kind", "missing", "first missing", "last missing"];

/** One row per resource with partitions missing in the status report's range. */
export function missingRows(status: StatusReport): Cell[][] {
  return status.resources
    .filter((r) => r.missing_partitions.length > 0)
    .map((r) => {
      const days = r.missing_partitions.map((p) => p.start ?? "").sort();
      return [r.name, r.kind, days.length, days[0] ?? null, days[days.length - 1] ?? null];
    });
}

export const backfillColumns = ["model", "partitions", "built", "failed", "running", "already built"];

/**
 * The partitions of the newest invocation among runs (the newest run's), per model. Null when
 * that invocation built no partition (a plain build of tables and views). Its SKIPPED partitions
 * are those left alone because they were built before (a skip for a failure upstream is the
 * model's, without a partition).
 */
export function backfillRows(runs: RunItem[]): { invocation: string; rows: Cell[][] } | null {
  const newest = runs[0];
  if (!newest) {
    return null;
  }

  const counts = new Map<string, number[]>();
  for (const run of runs.filter((r) => r.invocation === newest.invocation && r.targetDate !== null)) {
    const row = counts.get(run.job) ?? [0, 0, 0, 0, 0];
    row[0]! += 1;
    const at = { SUCCESS: 1, FAILED: 2, RUNNING: 3, SKIPPED: 4 }[run.status];
    if (at !== undefined) {
      row[at]! += 1;
    }

    counts.set(run.job, row);
  }

  if (counts.size === 0) {
    return null;
  }

  return { invocation: newest.invocation, rows: [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([job, row]) => [job, ...row]) };
}
