// /pipeline/alerts: alerts.yml's rules with where their alerts stand, and the latest transitions.
import { getJson } from "../api/client";
import type { components } from "../api/openapi.gen";
import type { Page } from "../app/router";
import { PipelinePage } from "./page";
import { Section } from "./section";
import { showTable } from "./table";
import { formatTime } from "./time";

type AlertsOverview = components["schemas"]["AlertsOverview"];

export const ruleColumns = ["rule", "condition", "severity", "state", "alerts", "silenced until", "channels"];
export const eventColumns = ["when", "rule", "subject", "kind", "summary"];

export async function renderAlerts(root: HTMLElement): Promise<Page> {
  const rules = new Section("alerts-rules", "Rules", "Each rule of alerts.yml and its pending or firing alerts.", true);
  const recent = new Section("alerts-recent", "Recent transitions", "Alerts that became pending, fired, were told again or resolved, newest first.", true);
  const page = new PipelinePage(root, "Alerts", "Rules over the pipeline's state that tell people through webhooks.", [rules, recent]);
  page.load((signal) => {
    const answer = getJson<AlertsOverview>("/api/v1/alerts", undefined, signal);
    return [
      rules.load(signal, async () => {
        const rows = (await answer).rules.map((r) => [r.name, r.condition, r.severity, r.state, r.alerts.length, r.silenced_until, r.channels.join(", ")]);
        return showTable(rules.body, ruleColumns, rows, "This project has no alert rules: add them in alerts.yml (see docs/operate.md).", { "silenced until": (v) => formatTime(v as string | null) }, "Alert rules");
      }),
      recent.load(signal, async () => {
        const rows = (await answer).recent.map((e) => [e.occurred_at, e.rule, e.subject, e.kind, e.summary]);
        return showTable(recent.body, eventColumns, rows, "No alert has changed state yet.", { when: (v) => formatTime(v as string) }, "Recent alert transitions");
      }),
    ];
  });
  return { dispose: () => page.dispose() };
}
