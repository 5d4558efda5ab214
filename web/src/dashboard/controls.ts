// The dashboard's controls: time range, auto-refresh and filter pickers. Each reports a new
// ViewState; the page puts it in the URL and loads again.
import { getJson } from "../api/client";
import type { Dashboard, DimensionValues } from "../api/dashboards";
import { h } from "../app/dom";
import { resolveRange, type RangeChoice } from "./range";
import type { ViewState } from "./urlState";

const presets = [7, 30, 90];

export function rangePicker(dashboard: Dashboard, state: ViewState, change: (range: RangeChoice) => void): HTMLElement {
  const days = [...new Set([...presets, dashboard.range_days])].sort((a, b) => a - b);
  const select = h("select", { id: "range", name: "range" });
  for (const n of days) {
    select.append(h("option", { value: `${n}d`, selected: state.range.kind === "last" && state.range.days === n }, `Last ${n} days${n === dashboard.range_days ? " (default)" : ""}`));
  }

  select.append(h("option", { value: "custom", selected: state.range.kind === "custom" }, "Custom …"));
  const shown = resolveRange(state.range);
  const from = h("input", { id: "range-from", type: "date", value: shown.from });
  const to = h("input", { id: "range-to", type: "date", value: shown.to });
  const custom = h("span", { class: "custom-range", hidden: state.range.kind !== "custom" }, h("label", { for: "range-from" }, "From"), from, h("label", { for: "range-to" }, "To"), to);
  select.addEventListener("change", () => {
    if (select.value === "custom") {
      custom.hidden = false;
      from.focus();
    } else {
      change({ kind: "last", days: Number.parseInt(select.value, 10) });
    }
  });
  const customChanged = (): void => {
    if (from.value && to.value && from.value <= to.value) {
      change({ kind: "custom", from: from.value, to: to.value });
    }
  };
  from.addEventListener("change", customChanged);
  to.addEventListener("change", customChanged);
  return h("div", { class: "control" }, h("label", { for: "range" }, "Time range"), select, custom);
}

/** The auto-refresh toggle, on by default, when the dashboard declares an interval. */
export function refreshToggle(seconds: number, onToggle: (on: boolean) => void): HTMLElement {
  const box = h("input", { id: "auto-refresh", type: "checkbox", checked: true });
  box.addEventListener("change", () => onToggle(box.checked));
  const every = seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
  return h("div", { class: "control control-inline" }, box, h("label", { for: "auto-refresh" }, `Auto-refresh every ${every}`));
}

/** A multiple select per filter, filled with the values in the range; nothing chosen means all. */
export function filterPicker(filter: Dashboard["filters"][number], state: ViewState, signal: AbortSignal, change: (values: string[]) => void): HTMLElement {
  const id = `filter-${filter.name}`;
  const chosen = state.filters.get(filter.name) ?? [];
  const select = h("select", { id, name: filter.name, multiple: true, size: 4 });
  const fill = (values: string[]): void => {
    const all = [...chosen.filter((c) => !values.includes(c)), ...values];
    select.replaceChildren(...all.map((value) => h("option", { value, selected: chosen.includes(value) }, value)));
  };
  fill([]);
  const range = resolveRange(state.range);
  getJson<DimensionValues>(filter.values_path, new URLSearchParams({ from: range.from, to: range.to }), signal)
    .then((answer) => fill(answer.values.map((v) => v.value)))
    .catch(() => {
      // The picker keeps the chosen values; the panels show any error of the API.
    });
  select.addEventListener("change", () => change([...select.selectedOptions].map((o) => o.value)));
  const clear = h("button", { type: "button", class: "link-button", "aria-label": `Show every ${filter.label}`, hidden: chosen.length === 0 }, "All");
  clear.addEventListener("click", () => change([]));
  return h("div", { class: "control" }, h("label", { for: id }, filter.label), select, clear);
}
