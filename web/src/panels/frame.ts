// A panel's frame: title, CSV download, and its loading, empty and error states around the view
// of its type.
import { ApiError, isAbort } from "../api/client";
import type { DashboardPanel } from "../api/dashboards";
import { h } from "../app/dom";
import { setPanel, type PanelState } from "../app/hook";
import type { QueryContext } from "../dashboard/queries";
import { downloadCsv } from "./csv";
import { panelFactories } from "./registry";
import type { PanelEvents, PanelView, ShownTable } from "./types";

export class PanelFrame {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly status: HTMLElement;
  private readonly download: HTMLButtonElement;
  private readonly view: PanelView;
  private table: ShownTable | null = null;
  private context: QueryContext | null = null;

  constructor(readonly panel: DashboardPanel, pick: PanelEvents["pick"]) {
    const titleId = `panel-title-${panel.id}`;
    this.download = h("button", { type: "button", class: "panel-csv", "aria-label": `Download the data of ${panel.title} as CSV`, disabled: true }, "CSV");
    this.download.addEventListener("click", () => this.table && downloadCsv(this.table, panel.id));
    this.body = h("div", { class: "panel-body" });
    this.status = h("div", { class: "panel-status", role: "status" });
    this.element = h(
      "section",
      { class: `panel panel-${panel.type}`, "data-panel-id": panel.id, "data-panel-type": panel.type, "aria-labelledby": titleId },
      h("header", { class: "panel-header" }, h("h2", { id: titleId }, panel.title), panel.query ? this.download : null),
      panel.description ? h("p", { class: "panel-description" }, panel.description) : null,
      this.body,
      this.status,
    );
    this.element.style.setProperty("--x", String(panel.x + 1));
    this.element.style.setProperty("--y", String(panel.y + 1));
    this.element.style.setProperty("--w", String(Math.max(1, Math.min(12, panel.w))));
    this.element.style.setProperty("--h", String(Math.max(1, panel.h)));
    const factory = panelFactories[panel.type] ?? panelFactories.markdown!;
    this.view = factory(this.body, panel, { pick, reload: () => this.context && void this.load(this.context) });
    this.setState("loading", "Loading …");
  }

  async load(context: QueryContext): Promise<void> {
    this.context = context;
    this.setState("loading", "Loading …");
    setPanel(this.panel.id, { state: "loading" });
    try {
      const shown = await this.view.show(context);
      if (context.signal.aborted) {
        return;
      }

      this.table = shown.table;
      this.download.disabled = !shown.table || shown.table.rows.length === 0;
      this.setState(shown.empty ? "empty" : "ready", shown.empty ? "No data in this range" : "");
      setPanel(this.panel.id, { state: shown.empty ? "empty" : "ready", ...shown.hook });
    } catch (error) {
      if (isAbort(error) || context.signal.aborted) {
        return;
      }

      const detail = error instanceof ApiError ? error.detail : error instanceof Error ? error.message : String(error);
      this.table = null;
      this.download.disabled = true;
      this.setState("error", detail);
      setPanel(this.panel.id, { state: "error", error: detail });
    }
  }

  dispose(): void {
    this.view.dispose();
  }

  private setState(state: PanelState, message: string): void {
    this.element.dataset.state = state;
    this.status.textContent = message;
  }
}
