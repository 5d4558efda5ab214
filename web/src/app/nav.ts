import { getJson } from "../api/client";
import type { DashboardList } from "../api/dashboards";
import { pipelinePages } from "../pipeline/routes";
import { h } from "./dom";
import { toggleTheme, currentTheme } from "./theme";

let list: Promise<DashboardList> | null = null;

/** The dashboards, fetched once per page load. */
export function dashboards(): Promise<DashboardList> {
  list ??= getJson<DashboardList>("/api/v1/dashboards").catch((error: unknown) => {
    list = null;
    throw error;
  });
  return list;
}

// A link is current on its own path; Models also on each model's page beneath it.
function isCurrent(href: string, path: string): boolean {
  return href === path || (href === "/models" && path.startsWith("/models/"));
}

/** The bar at the top: the dashboards, the pipeline pages, the models, and the theme toggle. */
export function renderNav(bar: HTMLElement): () => void {
  const links = h("ul", { class: "nav-links" });
  const link = (href: string, text: string): HTMLElement => h("li", {}, h("a", { href, "data-link": true }, text));
  const pipeline = h("ul", { class: "nav-links" }, ...pipelinePages.map((p) => link(p.path, p.title)));
  const models = h("ul", { class: "nav-links" }, link("/models", "Models"));
  const theme = h("button", { type: "button", class: "theme-toggle" });
  const label = (): void => {
    const next = currentTheme() === "dark" ? "light" : "dark";
    theme.textContent = next === "dark" ? "Dark" : "Light";
    theme.setAttribute("aria-label", `Use the ${next} theme`);
  };
  theme.addEventListener("click", () => {
    toggleTheme();
    label();
  });
  label();
  bar.replaceChildren(
    h("a", { href: "/", "data-link": true, class: "brand" }, "Sluice"),
    h("nav", { "aria-label": "Dashboards" }, links),
    h("nav", { "aria-label": "Pipeline", class: "nav-group" }, h("span", { class: "nav-group-label", "aria-hidden": "true" }, "Pipeline"), pipeline),
    h("nav", { "aria-label": "Models", class: "nav-group" }, models),
    theme,
  );

  const mark = (): void => {
    for (const anchor of bar.querySelectorAll("nav a")) {
      if (isCurrent(anchor.getAttribute("href") ?? "", location.pathname)) {
        anchor.setAttribute("aria-current", "page");
      } else {
        anchor.removeAttribute("aria-current");
      }
    }
  };
  dashboards()
    .then((answer) => {
      const sorted = [...answer.dashboards].sort((a, b) => a.name.localeCompare(b.name));
      links.replaceChildren(...sorted.map((d) => link(`/dashboards/${encodeURIComponent(d.name)}`, d.title)));
      mark();
    })
    .catch(() => links.replaceChildren());
  return mark;
}
