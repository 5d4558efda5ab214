// /pipeline/runs: job runs over the chosen days. Durations against an SLO (?slo=, seconds),
// failures with their error text, partitions missing in the range, and the latest backfill.
import { getJson } from "../api/client";
import type { components } from "../api/openapi.gen";
import { h } from "../app/dom";
import type { Page } from "../app/router";
import { addDays, today } from "../dashboard/range";
import { SectionChart } from "./chart";
import { readHistory, readRun, type RunItem } from "./history";
import { choice, dayChoices, daysOf, PipelinePage, pushQuery } from "./page";
import { alreadyBuilt, backfillColumns, backfillRows, durationSeries, failureColumns, failureRows, missingColumns, missingRows } from "./runsSections";
import { Section } from "./section";
import { showTable } from "./table";
import { formatTime, timeOf } from "./time";

const defaultSlo = 300;
const defaultDays = 7;

function sloOf(url: URL): number {
  const slo = Number(url.searchParams.get("slo"));
  return Number.isFinite(slo) && slo > 0 ? slo : defaultSlo;
}

export async function renderRuns(root: HTMLElement, url: URL): Promise<Page> {
  let days = daysOf(url, defaultDays);
  let slo = sloOf(url);
  const timeline = new Section("runs-timeline", "Run durations", "Each finished run's duration by when it started, one series per job; the dashed line is the SLO.", true);
  const failures = new Section("runs-failures", "Failures", "Failed runs in the range, newest first, with their error.", true);
  const missing = new Section("runs-missing", "Missing partitions", "Partitions of partitioned models in the range without a successful run.");
  const backfill = new Section("runs-backfill", "Latest backfill", "The partitions of the newest invocation, per model.");
  const chart = new SectionChart();

  const range = choice("runs-days", "Days", dayChoices, String(days), (value) => {
    days = Number(value);
    pushQuery({ days: days === defaultDays ? null : value });
    load();
  });
  const sloInput = h("input", { id: "runs-slo", name: "slo", type: "number", min: 1, step: 1, value: slo, inputmode: "numeric" });
  sloInput.addEventListener("change", () => {
    const value = Number(sloInput.value);
    if (Number.isFinite(value) && value > 0 && value !== slo) {
      slo = value;
      pushQuery({ slo: slo === defaultSlo ? null : String(slo) });
      load();
    }
  });
  const controls = h("div", { class: "controls", role: "group", "aria-label": "Runs controls" }, range.element, h("div", { class: "control" }, h("label", { for: "runs-slo" }, "Duration SLO (seconds)"), sloInput));
  const page = new PipelinePage(root, "Runs", "Job runs of models, seeds and snapshots, from the warehouse's _sluice.job_runs.", [timeline, failures, missing, backfill], controls);

  function load(): void {
    page.load((signal) => {
      const since = addDays(today(), 1 - days);
      const runs = readHistory("/api/v1/runs", { since }, readRun, signal);
      const status = getJson<components["schemas"]["StatusReport"]>("/api/v1/status", new URLSearchParams({ days: String(days) }), signal);
      return [
        timeline.load(signal, async () => {
          const { items } = await runs;
          const threshold = { value: slo, label: `SLO ${slo} s`, color: "#d62728" };
          const loaded = chart.draw(timeline.body, { kind: "scatter", axis: "time", unit: "s", series: durationSeries(items), threshold, timeOf }, "No finished runs in this range");
          const timed = items.filter((r) => !alreadyBuilt(r));
          const over = timed.filter((r) => r.durationMs !== null && r.durationMs / 1000 > slo).length;
          if ("hook" in loaded) {
            timeline.body.append(h("p", { class: "muted small" }, `${over} of ${timed.length} runs took longer than the SLO.`));
          }

          return loaded;
        }),
        failures.load(signal, async () => {
          const { items } = await readHistory("/api/v1/runs", { since, status: "failed" }, readRun, signal);
          return showTable(failures.body, failureColumns, failureRows(items), "No failed runs in this range", { started: (v) => formatTime(v as string) }, "Failed runs");
        }),
        missing.load(signal, async () => {
          const report = await status;
          return showTable(missing.body, missingColumns, missingRows(report), `No partitions missing from ${report.from} to ${report.to}`, {}, "Missing partitions");
        }),
        backfill.load(signal, async () => showBackfill(backfill, (await runs).items)),
      ];
    });
  }

  load();
  return {
    update(next: URL): boolean {
      days = daysOf(next, defaultDays);
      slo = sloOf(next);
      range.set(String(days));
      sloInput.value = String(slo);
      load();
      return true;
    },
    dispose(): void {
      page.dispose();
      chart.dispose();
    },
  };
}

function showBackfill(section: Section, runs: RunItem[]): ReturnType<typeof showTable> {
  const latest = backfillRows(runs);
  if (!latest) {
    return { empty: "The newest invocation in this range built no partitions" };
  }

  const loaded = showTable(section.body, backfillColumns, latest.rows, "", {}, "Partitions of the newest invocation");
  const total = latest.rows.reduce((sum, r) => sum + (r[1] as number), 0);
  const done = latest.rows.reduce((sum, r) => sum + (r[2] as number) + (r[5] as number), 0);
  const bar = h("progress", { max: total, value: done, "aria-label": "Partitions done" });
  section.body.prepend(h("p", { class: "small" }, `Invocation ${latest.invocation}: ${done} of ${total} partitions done `, bar));
  return loaded;
}
