// /pipeline/sync: each source table's freshness and lag, rows per sync, and parity drift by day.
import { h } from "../app/dom";
import type { Page } from "../app/router";
import { addDays, today } from "../dashboard/range";
import { SectionChart } from "./chart";
import { readHistory, readParity, readSync } from "./history";
import { choice, dayChoices, daysOf, PipelinePage, pushQuery } from "./page";
import { Section } from "./section";
import { freshnessColumns, freshnessRows, paritySeries, rowsSeries } from "./syncData";
import { showTable } from "./table";
import { formatSpan, formatTime, timeOf } from "./time";

const defaultDays = 30;

export async function renderSync(root: HTMLElement, url: URL): Promise<Page> {
  let days = daysOf(url, defaultDays);
  const freshness = new Section("sync-freshness", "Freshness", "Per table: when its last successful sync ended, how long ago, and its lag behind the source's newest change.", true);
  const rows = new Section("sync-rows", "Rows per sync", "Rows upserted by each successful sync.");
  const parity = new Section("sync-parity", "Parity drift by day", "The share of a day's rows that differ between the source and the warehouse, from the newest check of each day.");
  const rowsChart = new SectionChart();
  const parityChart = new SectionChart();
  const range = choice("sync-days", "Days", dayChoices, String(days), (value) => {
    days = Number(value);
    pushQuery({ days: days === defaultDays ? null : value });
    load();
  });
  const controls = h("div", { class: "controls", role: "group", "aria-label": "Sync controls" }, range.element);
  const page = new PipelinePage(root, "Sync", "Syncs of source tables into the warehouse, from _sluice.sync_runs and _sluice.parity_checks.", [freshness, rows, parity], controls);

  function load(): void {
    page.load((signal) => {
      const since = addDays(today(), 1 - days);
      const runs = readHistory("/api/v1/sync", { since }, readSync, signal);
      return [
        freshness.load(signal, async () =>
          showTable(freshness.body, freshnessColumns, freshnessRows((await runs).items, Date.now()), "No sync ran in this range", {
            "last success": (v) => formatTime(v as string | null),
            "seconds since": (v) => (v === null ? "–" : `${formatSpan(v as number)} ago`),
            "lag seconds": (v) => formatSpan(v as number | null),
            "last status": (v) => String(v).toUpperCase(),
          }, "Freshness per table"),
        ),
        rows.load(signal, async () => rowsChart.draw(rows.body, { kind: "line", axis: "time", unit: "rows", series: rowsSeries((await runs).items), timeOf }, "No successful sync in this range")),
        parity.load(signal, async () => {
          const { items } = await readHistory("/api/v1/parity", { since }, readParity, signal);
          return parityChart.draw(parity.body, { kind: "line", axis: "day", unit: "mismatch ratio", series: paritySeries(items) }, "No parity check of a day in this range (tables with parity: {date_column: …})");
        }),
      ];
    });
  }

  load();
  return {
    update(next: URL): boolean {
      days = daysOf(next, defaultDays);
      range.set(String(days));
      load();
      return true;
    },
    dispose(): void {
      page.dispose();
      rowsChart.dispose();
      parityChart.dispose();
    },
  };
}
