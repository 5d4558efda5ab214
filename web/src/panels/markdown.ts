import type { DashboardPanel } from "../api/dashboards";
import { renderMarkdown } from "../markdown";
import type { PanelView } from "./types";

/** Text from the dashboard's YAML; no query. */
export function markdown(body: HTMLElement, panel: DashboardPanel): PanelView {
  body.classList.add("markdown");
  return {
    async show() {
      body.replaceChildren(renderMarkdown(panel.text ?? ""));
      return { empty: false, hook: {}, table: null };
    },
    dispose() {},
  };
}
