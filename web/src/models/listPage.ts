// /models: every model, seed, snapshot and source table, searchable, and the project's lineage.
import { h } from "../app/dom";
import type { Page } from "../app/router";
import { fetchLineage } from "./api";
import { drawLineage } from "./lineageGraph";
import { matches, readFilter, writeFilter, type ListFilter } from "./search";
import { Section, dataTable } from "./section";
import { modelHref, type LineageNode } from "./types";

const kinds = ["model", "seed", "snapshot", "source"];

export function renderModelList(root: HTMLElement, url: URL): Page {
  document.title = "Models · Sluice";
  const loads = new AbortController();
  let filter = readFilter(url);
  let nodes: LineageNode[] = [];
  const list = new Section("models", "All models");
  const graph = new Section("lineage", "Lineage", "lineage-section");

  const search = h("input", { id: "model-search", type: "search", value: filter.text, placeholder: "name, kind, tag or materialization", autocomplete: "off" });
  const kind = h("select", { id: "model-kind" }, h("option", { value: "" }, "Every kind"), ...kinds.map((k) => h("option", { value: k }, k)));
  kind.value = filter.kind;
  const count = h("p", { class: "muted small", "aria-live": "polite" });
  const controls = h("div", { class: "controls", role: "search", "aria-label": "Find models" },
    h("div", { class: "control" }, h("label", { for: "model-search" }, "Search"), search),
    h("div", { class: "control" }, h("label", { for: "model-kind" }, "Kind"), kind));
  list.element.insertBefore(controls, list.body);
  list.element.insertBefore(count, list.body);
  root.append(
    h("div", { class: "dashboard-header" }, h("h1", {}, "Models"), h("p", { class: "muted" }, "Every model, seed, snapshot and source table of the project, and what reads what: sources on the left, marts on the right.")),
    list.element,
    graph.element,
  );

  const showList = (): void => {
    const shown = nodes.filter((n) => matches(n, filter));
    const rows = shown.map((n) => [n.name, n.kind, n.materialized, n.table, n.tags.join(", ")]);
    list.body.replaceChildren(dataTable("Models", ["name", "kind", "materialized", "table", "tags"], rows, (value, column) =>
      column === 0 ? h("a", { href: modelHref(String(value)), "data-link": true }, String(value)) : value === null ? "" : String(value)));
    count.textContent = `${shown.length} of ${nodes.length}`;
    list.shown({ columns: ["name", "kind", "materialized", "table", "tags"], rows }, shown.length === 0, nodes.length ? "Nothing matches the search." : "The project has no models.");
  };
  const apply = (next: ListFilter): void => {
    filter = next;
    // One entry per visit, not per keystroke: the search is kept for reloads and links.
    history.replaceState(null, "", `${location.pathname}${writeFilter(filter)}`);
    showList();
  };
  search.addEventListener("input", () => apply({ text: search.value, kind: kind.value }));
  kind.addEventListener("change", () => apply({ text: search.value, kind: kind.value }));

  fetchLineage(loads.signal).then(
    (answer) => {
      nodes = answer.nodes;
      showList();
      drawLineage(graph, nodes, "The project's lineage");
    },
    (error: unknown) => {
      list.failed(error);
      graph.failed(error);
      graph.element.hidden = true;
      controls.hidden = true;
      count.hidden = true;
    },
  );

  return {
    update(next) {
      const read = readFilter(next);
      search.value = read.text;
      kind.value = read.kind;
      filter = read;
      if (nodes.length) {
        showList();
      }

      return true;
    },
    dispose: () => loads.abort(),
  };
}
