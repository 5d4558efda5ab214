// A plain table for a section, and the same rows for the test hook, so that what a test reads is
// exactly what the table holds.
import { h } from "../app/dom";
import type { Loaded } from "./section";

export type Cell = string | number | null;

/** How a cell reads on screen; numbers keep their figure in the hook. */
export type Formatters = Partial<Record<string, (value: Cell) => string>>;

function shown(value: Cell): string {
  if (value === null) {
    return "–";
  }

  return typeof value === "number" ? value.toLocaleString("en-US", { maximumFractionDigits: 4 }) : value;
}

/** Fills body with a table of rows, or says why there is none; returns what the section shows. */
export function showTable(body: HTMLElement, columns: string[], rows: Cell[][], empty: string, format: Formatters = {}, caption?: string): Loaded {
  if (rows.length === 0) {
    return { empty };
  }

  const head = h("tr", {}, ...columns.map((c) => h("th", { scope: "col" }, c)));
  const lines = rows.map((row) =>
    h("tr", {}, ...row.map((value, i) => h("td", { class: typeof value === "number" ? "num" : "" }, (format[columns[i]!] ?? shown)(value)))),
  );
  // The wrapper scrolls sideways on a phone and can be reached with the keyboard to do so.
  body.replaceChildren(
    h("div", { class: "section-table", tabindex: 0, role: "region", "aria-label": caption ?? columns.join(", ") }, h("table", {}, h("thead", {}, head), h("tbody", {}, ...lines))),
  );
  return { hook: { columns, rows } };
}
