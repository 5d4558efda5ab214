// The pipeline pages, which every project has without configuration.
import { navigate, type Route } from "../app/router";
import { renderAlerts } from "./alertsPage";
import { renderApi } from "./apiPage";
import { renderQuality } from "./qualityPage";
import { renderRuns } from "./runsPage";
import { renderSchedules } from "./schedulesPage";
import { renderSync } from "./syncPage";

/** The pages in the order the nav bar lists them. */
export const pipelinePages: { path: string; title: string }[] = [
  { path: "/pipeline/runs", title: "Runs" },
  { path: "/pipeline/quality", title: "Quality" },
  { path: "/pipeline/sync", title: "Sync" },
  { path: "/pipeline/schedules", title: "Schedules" },
  { path: "/pipeline/alerts", title: "Alerts" },
  { path: "/pipeline/api", title: "API" },
];

const page = (name: string, render: Route["render"]): Route => ({ pattern: new RegExp(`^/pipeline/${name}/?$`), render });

export const pipelineRoutes: Route[] = [
  {
    pattern: /^\/pipeline\/?$/,
    async render() {
      navigate(`/pipeline/runs${location.search}`, true);
      return { dispose() {} };
    },
  },
  page("runs", (root, _m, url) => renderRuns(root, url)),
  page("quality", (root, _m, url) => renderQuality(root, url)),
  page("sync", (root, _m, url) => renderSync(root, url)),
  page("schedules", (root) => renderSchedules(root)),
  page("alerts", (root) => renderAlerts(root)),
  page("api", (root) => renderApi(root)),
];
