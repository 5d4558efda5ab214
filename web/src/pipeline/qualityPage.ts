// /pipeline/quality: the latest result of each check, the samples of failing rows, and failures
// per day over the chosen days.
import { h } from "../app/dom";
import type { Page } from "../app/router";
import { addDays, today } from "../dashboard/range";
import { SectionChart } from "./chart";
import { readCheck, readHistory, type CheckItem } from "./history";
import { choice, dayChoices, daysOf, PipelinePage, pushQuery } from "./page";
import { failuresByDay, latestColumns, latestResults, latestRows, samples } from "./qualityData";
import { Section, type Loaded } from "./section";
import { showTable } from "./table";
import { formatTime } from "./time";

const defaultDays = 30;

export async function renderQuality(root: HTMLElement, url: URL): Promise<Page> {
  let days = daysOf(url, defaultDays);
  const latest = new Section("quality-latest", "Latest result per check", "Each check's newest result in the range.", true);
  const failing = new Section("quality-samples", "Failing samples", "Rows that broke a check whose latest result did not pass.");
  const overTime = new Section("quality-failures", "Failures over time", "Results per day that failed, warned or errored.");
  const chart = new SectionChart();
  const range = choice("quality-days", "Days", dayChoices, String(days), (value) => {
    days = Number(value);
    pushQuery({ days: days === defaultDays ? null : value });
    load();
  });
  const controls = h("div", { class: "controls", role: "group", "aria-label": "Quality controls" }, range.element);
  const page = new PipelinePage(root, "Quality", "Check results after each build and test, from _sluice.check_results.", [latest, failing, overTime], controls);

  function load(): void {
    page.load((signal) => {
      const results = readHistory("/api/v1/checks", { since: addDays(today(), 1 - days) }, readCheck, signal);
      return [
        latest.load(signal, async () => {
          const rows = latestRows(latestResults((await results).items));
          return showTable(latest.body, latestColumns, rows, "No check ran in this range", { checked: (v) => formatTime(v as string), status: (v) => String(v).toUpperCase() }, "Latest check results");
        }),
        failing.load(signal, async () => showSamples(failing, samples(latestResults((await results).items)))),
        overTime.load(signal, async () =>
          chart.draw(overTime.body, { kind: "bar", axis: "day", unit: "results", stack: true, series: failuresByDay((await results).items) }, "No check failed, warned or errored in this range"),
        ),
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
      chart.dispose();
    },
  };
}

// A disclosure per check, open for the first few, so that long samples do not bury the page.
function showSamples(section: Section, shown: CheckItem[]): Loaded {
  if (shown.length === 0) {
    return { empty: "No failing rows to show: every check's latest result passed or has no sample" };
  }

  section.body.replaceChildren(
    ...shown.map((c, i) =>
      h(
        "details",
        { class: "sample", open: i < 3 },
        h("summary", {}, `${c.check}${c.model ? ` on ${c.model}` : ""}: ${c.status.toUpperCase()}, ${c.failingRows ?? "?"} failing rows`),
        c.message ? h("p", { class: "small" }, c.message) : null,
        h("pre", { class: "sample-rows", tabindex: 0 }, pretty(c.sample ?? "")),
      ),
    ),
  );
  return { hook: { columns: ["check", "model", "sample"], rows: shown.map((c) => [c.check, c.model, c.sample]) } };
}

function pretty(sample: string): string {
  try {
    return JSON.stringify(JSON.parse(sample), null, 1);
  } catch {
    return sample;
  }
}
