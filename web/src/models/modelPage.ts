// /models/{name}: one model, seed, snapshot or source table, as dbt's docs show it: what it is,
// its SQL as written and compiled, its columns, its checks and what it reads and feeds.
import { h } from "../app/dom";
import { setPanel } from "../app/hook";
import type { Page } from "../app/router";
import { fetchLineage, fetchModel } from "./api";
import { neighbourhood } from "./graphLayout";
import { drawLineage } from "./lineageGraph";
import { showAbout, showChecks, showColumns, showSql } from "./modelDetails";
import { Section } from "./section";
import { modelHref, type LineageNode, type ModelResponse } from "./types";

function neighbourLinks(label: string, names: string[]): HTMLElement {
  return h("div", { class: "neighbours" }, h("h3", {}, label),
    names.length
      ? h("ul", {}, ...names.map((n) => h("li", {}, h("a", { href: modelHref(n), "data-link": true }, n))))
      : h("p", { class: "muted small" }, "none"));
}

export function renderModelPage(root: HTMLElement, name: string): Page {
  document.title = `${name} · Models · Sluice`;
  const loads = new AbortController();
  const about = new Section("model", "About");
  const lineage = new Section("lineage", "Lineage", "lineage-section");
  const sql = new Section("sql", "SQL");
  const columns = new Section("columns", "Columns");
  const checks = new Section("checks", "Checks");
  const sections = [about, lineage, sql, columns, checks];
  const subtitle = h("p", { class: "muted" });
  root.append(
    h("nav", { class: "breadcrumb", "aria-label": "Breadcrumb" }, h("a", { href: "/models", "data-link": true }, "Models")),
    h("div", { class: "dashboard-header" }, h("h1", {}, name), subtitle),
    h("div", { class: "model-grid" }, ...sections.map((s) => s.element)),
  );
  setPanel("neighbours", { state: "loading" });

  const show = (node: LineageNode, all: LineageNode[], model: ModelResponse | null): void => {
    subtitle.textContent = [node.kind, node.materialized !== node.kind ? node.materialized : null, node.description].filter((t) => t).join(" · ");
    showAbout(about, node, model);
    drawLineage(lineage, neighbourhood(all, node.name), `The lineage of ${node.name}`, node.name);
    lineage.body.append(h("div", { class: "neighbour-lists" }, neighbourLinks("Upstream", node.upstream), neighbourLinks("Downstream", node.downstream)));
    setPanel("neighbours", { state: "ready", columns: ["direction", "name"], rows: [...node.upstream.map((n) => ["upstream", n]), ...node.downstream.map((n) => ["downstream", n])] });
    showSql(sql, node, model);
    showColumns(columns, node, model);
    showChecks(checks, model);
  };

  void (async () => {
    try {
      const graph = await fetchLineage(loads.signal);
      const listed = graph.nodes.find((n) => n.name === name);
      // Sources are in the lineage only: the model endpoint describes what Sluice builds.
      const model = listed?.kind === "source" ? null : await fetchModel(name, loads.signal);
      show(model?.node ?? listed!, graph.nodes, model);
    } catch (error) {
      sections.forEach((s) => s.failed(error));
      // One reason, said once: the other sections would only repeat it.
      sections.slice(1).forEach((s) => (s.element.hidden = true));
      setPanel("neighbours", { state: "error", error: about.element.querySelector(".section-status")?.textContent ?? "" });
      if (!loads.signal.aborted) {
        subtitle.textContent = "Not shown";
      }
    }
  })();

  return { dispose: () => loads.abort() };
}
