// What the Sync page shows: pure functions of /api/v1/sync's and /api/v1/parity's rows.
import type { ChartSeries } from "./chart";
import type { ParityItem, SyncItem } from "./history";
import type { Cell } from "./table";
import { timeOf } from "./time";

const tableName = (item: { source: string; table: string }): string => `${item.source}.${item.table}`;

export const freshnessColumns = ["table", "last success", "seconds since", "lag seconds", "last status"];

/**
 * Per table: its last successful sync, the seconds from its end to now, the lag (from the newest
 * source change it saw, its watermark when that is a time, to its end) and its latest status.
 */
export function freshnessRows(runs: SyncItem[], now: number): Cell[][] {
  const tables = new Map<string, { latest: SyncItem; success: SyncItem | null }>();
  for (const run of runs) {
    const entry = tables.get(tableName(run)) ?? { latest: run, success: null };
    if (!entry.success && run.status === "success") {
      entry.success = run;
    }

    tables.set(tableName(run), entry);
  }

  return [...tables]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, { latest, success }]) => {
      const ended = timeOf(success?.completedAt ?? null);
      const seen = timeOf(success?.watermarkAfter ?? null);
      return [name, success?.completedAt ?? null, ended === null ? null : Math.round((now - ended) / 1000), ended === null || seen === null ? null : Math.round((ended - seen) / 1000), latest.status];
    });
}

/** Rows upserted by each successful sync, per table, by when it started. */
export function rowsSeries(runs: SyncItem[]): ChartSeries[] {
  const byTable = new Map<string, ChartSeries>();
  for (const run of [...runs].reverse().filter((r) => r.status === "success")) {
    const series = byTable.get(tableName(run)) ?? { name: tableName(run), data: [] };
    series.data.push([run.startedAt, run.rowsUpserted]);
    byTable.set(tableName(run), series);
  }

  return [...byTable.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Each table's mismatch ratio per day, from the newest check of that day (rows come newest first). */
export function paritySeries(checks: ParityItem[]): ChartSeries[] {
  const byTable = new Map<string, Map<string, number | null>>();
  for (const check of checks.filter((c) => c.day !== null)) {
    const days = byTable.get(tableName(check)) ?? new Map<string, number | null>();
    if (!days.has(check.day!)) {
      days.set(check.day!, check.ratio);
    }

    byTable.set(tableName(check), days);
  }

  return [...byTable]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, days]) => ({ name, data: [...days].sort(([a], [b]) => a.localeCompare(b)) }));
}
