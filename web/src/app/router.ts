// Client-side routes. The server answers index.html for / and the areas below, so
// each of these can be reloaded or linked to.
import { h } from "./dom";
import { resetPanels, settle, startLoad } from "./hook";

/** A rendered page. */
export interface Page {
  /** Takes a new URL for the same route (back/forward, a changed query); false to be rendered anew. */
  update?(url: URL): boolean;
  dispose(): void;
}

export interface Route {
  pattern: RegExp;
  render(root: HTMLElement, match: RegExpMatchArray, url: URL): Promise<Page>;
}

const routes: Route[] = [];
let current: { route: Route; path: string; page: Page } | null = null;
let root: HTMLElement;
let rendered: () => void = () => {};

/**
 * Adds routes. Pages to come (/pipeline/runs, /pipeline/quality, /pipeline/sync, /models/{name})
 * register here beside the dashboards. The server answers index.html only under /dashboards,
 * /pipeline and /models (src/Sluice.Server/Web/ClientRoute.cs): a new area is added there too.
 */
export function addRoutes(...added: Route[]): void {
  routes.push(...added);
}

export function navigate(href: string, replace = false): void {
  if (replace) {
    history.replaceState(null, "", href);
  } else {
    history.pushState(null, "", href);
  }

  void show();
}

/** Calls listener after each page renders (the nav bar marks the current page). */
export function onRendered(listener: () => void): void {
  rendered = listener;
}

/** Renders the current URL again from scratch (after a theme change). */
export function refresh(): void {
  current?.page.dispose();
  current = null;
  void show();
}

async function show(): Promise<void> {
  const url = new URL(location.href);
  if (current && current.path === url.pathname && current.page.update?.(url)) {
    return;
  }

  current?.page.dispose();
  current = null;
  resetPanels();
  startLoad();
  const route = routes.find((r) => r.pattern.test(url.pathname));
  const outlet = h("main", { id: "main" });
  root.replaceChildren(outlet);
  if (!route) {
    outlet.append(h("h1", {}, "Not found"), h("p", {}, `Nothing is shown at ${url.pathname}. `, h("a", { href: "/", "data-link": true }, "Dashboards")));
    settle();
  } else {
    const page = await route.render(outlet, url.pathname.match(route.pattern)!, url);
    current = { route, path: url.pathname, page };
  }

  rendered();
  settle();
}

export function startRouter(outlet: HTMLElement): void {
  root = outlet;
  window.addEventListener("popstate", () => void show());
  document.addEventListener("click", (event) => {
    const link = (event.target as Element).closest?.("a[data-link]");
    if (link instanceof HTMLAnchorElement && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.button === 0) {
      event.preventDefault();
      navigate(link.getAttribute("href") ?? "/");
    }
  });
  void show();
}
