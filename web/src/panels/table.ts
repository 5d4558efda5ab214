// A table with sortable headers and pages: a model's rows are sorted and paged by the server
// (order_by, limit, offset); a metric's trend is fetched whole and sorted and paged here.
import { getJson } from "../api/client";
import type { DashboardPanel } from "../api/dashboards";
import { num, type RowsResponse } from "../api/types";
import { h } from "../app/dom";
import { fetchTrend, parametersOf } from "../dashboard/queries";
import type { PanelEvents, PanelView, ShownTable } from "./types";

type Cell = string | number | null;

function cellOf(value: unknown): Cell {
  return value === null || value === undefined ? null : typeof value === "number" || typeof value === "string" ? value : JSON.stringify(value);
}

function compare(a: Cell, b: Cell): number {
  if (a === null || b === null) {
    return a === b ? 0 : a === null ? 1 : -1;
  }

  return typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b), undefined, { numeric: true });
}

export function table(body: HTMLElement, panel: DashboardPanel, events: PanelEvents): PanelView {
  const fromModel = panel.query?.kind === "rows";
  const pageSize = Math.max(1, panel.options.page_size ?? 10);
  let order = panel.options.order_by ?? "";
  let page = 0;
  const sortBy = (column: string): void => {
    order = order === column ? `-${column}` : column;
    page = 0;
    events.reload();
  };
  const turn = (by: number): void => {
    page += by;
    events.reload();
  };

  // Numbers as in the data, fractions cut to the panel's decimals (2 by default).
  const shown = (v: Cell): string => (v === null ? "" : typeof v === "number" && !Number.isInteger(v) ? v.toFixed(panel.options.decimals ?? 2) : String(v));

  function draw(columns: string[], rows: Cell[][], total: number): void {
    const descending = order.startsWith("-");
    const sorted = descending ? order.slice(1) : order;
    const head = columns.map((c) => {
      const button = h("button", { type: "button", class: "sort" }, c);
      button.addEventListener("click", () => sortBy(c));
      return h("th", { scope: "col", "aria-sort": c === sorted ? (descending ? "descending" : "ascending") : "none" }, button);
    });
    const first = total === 0 ? 0 : page * pageSize + 1;
    const previous = h("button", { type: "button", "aria-label": `Previous page of ${panel.title}`, disabled: page === 0 }, "‹ Previous");
    const next = h("button", { type: "button", "aria-label": `Next page of ${panel.title}`, disabled: (page + 1) * pageSize >= total }, "Next ›");
    previous.addEventListener("click", () => turn(-1));
    next.addEventListener("click", () => turn(1));
    body.replaceChildren(
      h("div", { class: "table-scroll" }, h("table", {}, h("thead", {}, h("tr", {}, ...head)), h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((v) => h("td", { class: typeof v === "number" ? "num" : "" }, shown(v)))))))),
      h("div", { class: "pager" }, previous, h("span", { class: "muted" }, `${first}–${Math.min(total, (page + 1) * pageSize)} of ${total}`), next),
    );
  }

  async function modelRows(context: Parameters<PanelView["show"]>[0]): Promise<{ shown: ShownTable; total: number }> {
    const query = panel.query!;
    const parameters = parametersOf(panel, query, context, undefined, { limit: [String(pageSize)], offset: [String(page * pageSize)], ...(order ? { order_by: [order] } : {}) });
    const answer = await getJson<RowsResponse>(query.path, parameters, context.signal);
    const records = answer.rows as Record<string, unknown>[];
    const columns = panel.options.columns ?? Object.keys(records[0] ?? {});
    return { shown: { columns, rows: records.map((r) => columns.map((c) => cellOf(r[c]))) }, total: num(answer.total) ?? records.length };
  }

  async function metricRows(context: Parameters<PanelView["show"]>[0]): Promise<{ shown: ShownTable; total: number }> {
    const { answer, periods } = await fetchTrend(panel, context);
    const all = ["period", ...answer.group_by, "value"];
    const columns = panel.options.columns ?? all;
    let rows = periods.map((p) => {
      const record: Record<string, unknown> = { period: p.period, ...(p.group as Record<string, unknown> | null), value: num(p.value) };
      return columns.map((c) => cellOf(record[c]));
    });
    const descending = order.startsWith("-");
    const index = columns.indexOf(descending ? order.slice(1) : order);
    if (index >= 0) {
      rows = [...rows].sort((a, b) => (descending ? -1 : 1) * compare(a[index]!, b[index]!));
    }

    return { shown: { columns, rows: rows.slice(page * pageSize, (page + 1) * pageSize) }, total: rows.length };
  }

  return {
    async show(context) {
      const { shown, total } = fromModel ? await modelRows(context) : await metricRows(context);
      draw(shown.columns, shown.rows, total);
      return { empty: total === 0, hook: { columns: shown.columns, rows: shown.rows }, table: shown };
    },
    dispose() {},
  };
}
