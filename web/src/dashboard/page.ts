import { getJson, ApiError } from "../api/client";
import type { Dashboard } from "../api/dashboards";
import { h } from "../app/dom";
import { startLoad, settle } from "../app/hook";
import type { Page } from "../app/router";
import { PanelFrame } from "../panels/frame";
import { filterPicker, rangePicker, refreshToggle } from "./controls";
import { resolveRange } from "./range";
import { readState, sameState, writeState, type ViewState } from "./urlState";

/** A dashboard: its controls and a 12-column grid of panels, each loaded on its own. */
export async function renderDashboard(root: HTMLElement, name: string, url: URL): Promise<Page> {
  let dashboard: Dashboard;
  try {
    dashboard = await getJson<Dashboard>(`/api/v1/dashboards/${encodeURIComponent(name)}`);
  } catch (error) {
    root.append(h("h1", {}, "Dashboard not shown"), h("p", { class: "page-error", role: "alert" }, error instanceof ApiError ? error.detail : String(error)));
    return { dispose() {} };
  }

  document.title = `${dashboard.title} · Sluice`;
  let state = readState(url, dashboard.range_days);
  let loads = new AbortController();
  let pickers = new AbortController();
  let timer: number | undefined;
  const controls = h("div", { class: "controls", role: "group", "aria-label": "Dashboard controls" });
  const grid = h("div", { class: "grid" });
  const ordered = [...dashboard.panels].sort((a, b) => a.y - b.y || a.x - b.x);
  const frames = ordered.map((panel) => new PanelFrame(panel, (group) => pick(group)));
  grid.append(...frames.map((f) => f.element));
  root.append(h("div", { class: "dashboard-header" }, h("h1", {}, dashboard.title), dashboard.description ? h("p", { class: "muted" }, dashboard.description) : null), controls, grid);

  const apply = (next: ViewState): void => {
    if (!sameState(next, state)) {
      history.pushState(null, "", `${location.pathname}${writeState(next, dashboard.range_days)}`);
      state = next;
      load();
    }
  };
  const pick = (group: Record<string, string>): void => {
    const filters = new Map(state.filters);
    for (const [dimension, value] of Object.entries(group)) {
      if (dashboard.filters.some((f) => f.name === dimension)) {
        filters.set(dimension, [value]);
      }
    }

    apply({ range: state.range, filters });
  };
  let refreshing = dashboard.refresh_seconds !== null;
  const schedule = (): void => {
    window.clearTimeout(timer);
    if (refreshing && dashboard.refresh_seconds) {
      timer = window.setTimeout(() => loadPanels(), dashboard.refresh_seconds * 1000);
    }
  };
  const loadPanels = (): void => {
    loads.abort();
    loads = new AbortController();
    startLoad();
    const context = { range: resolveRange(state.range), filters: state.filters, signal: loads.signal };
    frames.forEach((frame) => void frame.load(context));
    settle();
    schedule();
  };
  const load = (): void => {
    pickers.abort();
    pickers = new AbortController();
    const signal = pickers.signal;
    controls.replaceChildren(
      rangePicker(dashboard, state, (range) => apply({ range, filters: state.filters })),
      ...dashboard.filters.map((filter) =>
        filterPicker(filter, state, signal, (values) => {
          const filters = new Map(state.filters);
          filters.set(filter.name, values);
          apply({ range: state.range, filters });
        }),
      ),
      dashboard.refresh_seconds
        ? refreshToggle(dashboard.refresh_seconds, (on) => {
            refreshing = on;
            schedule();
          })
        : "",
    );
    loadPanels();
  };
  load();

  return {
    update(next: URL): boolean {
      const nextState = readState(next, dashboard.range_days);
      if (!sameState(nextState, state)) {
        state = nextState;
        load();
      }

      return true;
    },
    dispose(): void {
      window.clearTimeout(timer);
      loads.abort();
      pickers.abort();
      frames.forEach((frame) => frame.dispose());
    },
  };
}
