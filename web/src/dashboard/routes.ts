import { h } from "../app/dom";
import { dashboards } from "../app/nav";
import { navigate, type Route } from "../app/router";
import { ApiError } from "../api/client";
import { renderDashboard } from "./page";

/** `/`: the first dashboard by name, or a page saying there is none. */
const home: Route = {
  pattern: /^\/$/,
  async render(root, _match, url) {
    try {
      const first = [...(await dashboards()).dashboards].sort((a, b) => a.name.localeCompare(b.name))[0];
      if (first) {
        navigate(`/dashboards/${encodeURIComponent(first.name)}${url.search}`, true);
        return { dispose() {} };
      }

      document.title = "Sluice";
      root.append(h("h1", {}, "No dashboards yet"), h("p", {}, "Add a YAML file under dashboards/ in the project (see docs/dashboards.md) and restart sluice serve."));
    } catch (error) {
      root.append(h("h1", {}, "Dashboards"), h("p", { class: "page-error", role: "alert" }, error instanceof ApiError ? error.detail : String(error)));
    }

    return { dispose() {} };
  },
};

const dashboard: Route = {
  pattern: /^\/dashboards\/([^/]+)\/?$/,
  render: (root, match, url) => renderDashboard(root, decodeURIComponent(match[1]!), url),
};

export const dashboardRoutes: Route[] = [home, dashboard];
