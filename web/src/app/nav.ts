import { getJson } from "../api/client";
import type { DashboardList } from "../api/dashboards";
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

/** The bar at the top: the dashboards, and the theme toggle. */
export function renderNav(bar: HTMLElement): () => void {
  const links = h("ul", { class: "nav-links" });
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
  bar.replaceChildren(h("a", { href: "/", "data-link": true, class: "brand" }, "Sluice"), h("nav", { "aria-label": "Dashboards" }, links), theme);

  const mark = (): void => {
    for (const link of links.querySelectorAll("a")) {
      if (link.getAttribute("href") === location.pathname) {
        link.setAttribute("aria-current", "page");
      } else {
        link.removeAttribute("aria-current");
      }
    }
  };
  dashboards()
    .then((answer) => {
      const sorted = [...answer.dashboards].sort((a, b) => a.name.localeCompare(b.name));
      links.replaceChildren(...sorted.map((d) => h("li", {}, h("a", { href: `/dashboards/${encodeURIComponent(d.name)}`, "data-link": true }, d.title))));
      mark();
    })
    .catch(() => links.replaceChildren());
  return mark;
}
