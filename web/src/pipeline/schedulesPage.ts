// /pipeline/schedules: the project's schedules, which `sluice serve` runs as jobs.
import { ApiError, getJson } from "../api/client";
import type { components } from "../api/openapi.gen";
import type { Page } from "../app/router";
import { PipelinePage } from "./page";
import { Section } from "./section";
import { showTable } from "./table";
import { formatTime } from "./time";

type SchedulesView = components["schemas"]["SchedulesView"];

export const scheduleColumns = ["schedule", "cron", "timezone", "commands", "enabled", "next run", "running", "last tick", "last status"];

export async function renderSchedules(root: HTMLElement): Promise<Page> {
  const list = new Section("schedules", "Schedules", "Each schedule of sluice.yml: when it runs next and how its last run ended.", true);
  const page = new PipelinePage(root, "Schedules", "What runs on its own, on a cron.", [list]);
  page.load((signal) => [
    list.load(signal, async () => {
      let answer: SchedulesView;
      try {
        answer = await getJson<SchedulesView>("/api/v1/schedules", undefined, signal);
      } catch (error) {
        // A project without schedules is a 404 whose detail says so: nothing is wrong.
        if (error instanceof ApiError && error.status === 404) {
          return { empty: error.detail };
        }

        throw error;
      }

      const rows = answer.schedules.map((s) => [s.name, s.cron, s.timezone, s.commands.join("; "), s.enabled ? "yes" : "no", s.next_run, s.running ? "yes" : "no", s.last_tick, s.last_status]);
      const loaded = showTable(list.body, scheduleColumns, rows, "This project has no schedules: add them under schedules: in sluice.yml (see docs/operate.md).", {
        "next run": (v) => formatTime(v as string | null),
        "last tick": (v) => formatTime(v as string | null),
      }, "Schedules");
      if ("hook" in loaded) {
        list.body.prepend(Object.assign(document.createElement("p"), { className: "small muted", textContent: `Run by ${answer.run_by}.` }));
      }

      return loaded;
    }),
  ]);
  return { dispose: () => page.dispose() };
}
