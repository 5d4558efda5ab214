// The parts of a model page drawn from GET /api/v1/models/{name}: what it is, its SQL, columns
// and checks. Each fills its section and tells the hook what it shows.
import { h } from "../app/dom";
import { dataTable, type Section } from "./section";
import { sqlBlock } from "./sqlBlock";
import type { LineageNode, ModelResponse } from "./types";

/** Whether the warehouse has the model: the server gives column types only when it does. */
export function isBuilt(model: ModelResponse): boolean {
  return model.columns.some((c) => c.type !== null);
}

export function showAbout(section: Section, node: LineageNode, model: ModelResponse | null): void {
  const built = model === null ? null : node.materialized === "ephemeral" ? "no: ephemeral models live inside the SQL that reads them" : isBuilt(model) ? "yes" : "no: not built yet (run sluice build)";
  const fields: [string, string | null][] = [
    ["kind", node.kind],
    ["materialized", node.materialized],
    ["table", node.table],
    ["file", node.file],
    ["description", node.description],
    ["tags", node.tags.join(", ") || null],
    ["partition column", model?.partition_by ?? null],
    ["unique key", model && model.unique_key.length ? model.unique_key.join(", ") : null],
    ["built", built],
  ];
  const shown = fields.filter(([name, value]) => value !== null || (model !== null && name !== "built"));
  section.body.replaceChildren(h("dl", { class: "model-facts" }, ...shown.flatMap(([name, value]) => [h("dt", {}, name), h("dd", { class: value === null ? "muted" : "" }, value ?? "none")])));
  section.shown({ columns: ["field", "value"], rows: shown }, false);
}

export function showSql(section: Section, node: LineageNode, model: ModelResponse | null): void {
  const blocks: HTMLElement[] = [];
  if (model?.sql) {
    blocks.push(sqlBlock(`As written${node.file ? ` in ${node.file}` : ""}`, model.sql, "sql"));
  }

  if (model?.compiled_sql) {
    blocks.push(sqlBlock("Compiled (a full build)", model.compiled_sql, "compiled"));
  } else if (model?.compile_error) {
    blocks.push(h("div", { class: "compile-error", role: "note" }, h("strong", {}, "Does not compile: "), h("pre", {}, model.compile_error)));
  }

  section.body.replaceChildren(...blocks);
  const message = node.kind === "source" ? "A source table: synced from the application's database, not built from SQL." : "A seed: loaded from its file, not built from SQL.";
  section.shown({ columns: ["sql", "compiled_sql", "compile_error"], rows: model ? [[model.sql, model.compiled_sql, model.compile_error]] : [] }, blocks.length === 0, message);
}

export function showColumns(section: Section, node: LineageNode, model: ModelResponse | null): void {
  if (!model) {
    section.body.replaceChildren();
    section.shown({ columns: ["name", "type", "description"], rows: [] }, true, "Sources' columns are listed in the warehouse's schema, not here.");
    return;
  }

  const rows = model.columns.map((c) => [c.name, c.type, c.description]);
  const note = isBuilt(model) ? null : h("p", { class: "not-built", role: "note" }, `${node.name} is not built in the warehouse: the columns are those its property files describe, without types.`);
  section.body.replaceChildren(...[note, rows.length ? dataTable(`Columns of ${node.name}`, ["name", "type", "description"], rows, (v) => (v === null ? "–" : String(v))) : null].filter((e): e is HTMLElement => e !== null));
  section.shown({ columns: ["name", "type", "description"], rows }, rows.length === 0, `${node.name} is not built, and its property files describe no columns.`);
}

const checkColumns = ["name", "type", "column", "severity", "status", "failing rows", "message", "checked at"];

export function showChecks(section: Section, model: ModelResponse | null): void {
  const rows = (model?.checks ?? []).map((c) => [c.name, c.type, c.column, c.severity, c.status, c.failing_rows, c.message, c.checked_at]);
  section.body.replaceChildren(rows.length ? dataTable("Checks", checkColumns, rows, (value, column) => {
    if (column === 4) {
      return h("span", { class: `check-status status-${value ?? "none"}` }, value === null ? "never run" : String(value));
    }

    return column === 7 && typeof value === "string" ? h("time", { datetime: value }, new Date(value).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" })) : value === null ? "" : String(value);
  }) : "");
  section.shown({ columns: checkColumns, rows }, rows.length === 0, "No checks: add tests in the model's property file (schema.yml).");
}
