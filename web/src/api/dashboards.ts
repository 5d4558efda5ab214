// The dashboard endpoints' answers, from the server's OpenAPI document like every other answer.
// A few string fields are narrowed to the values the server writes, so that the page can switch
// on them; the server's tests hold it to those values.
import type { components } from "./openapi.gen";

type Schemas = components["schemas"];

/** GET /api/v1/dashboards */
export type DashboardList = Schemas["DashboardListResponse"];
export type DashboardEntry = Schemas["DashboardSummary"];

/** GET /api/v1/dashboards/{name} */
export type Dashboard = Omit<Schemas["DashboardResponse"], "panels"> & { panels: DashboardPanel[] };
export type DashboardFilter = Schemas["FilterEntry"];

export type PanelType = "line" | "area" | "bar" | "pie" | "number" | "table" | "funnel" | "heatmap" | "benchmark" | "markdown";

export type PanelQuery = Omit<Schemas["PanelQuery"], "kind"> & { kind: "trend" | "funnel" | "benchmark" | "rows" };

export type DashboardPanel = Omit<Schemas["PanelEntry"], "type" | "query"> & { type: PanelType; query: PanelQuery | null };

export type PanelOptions = Schemas["PanelOptionsEntry"];
export type Threshold = Schemas["ThresholdEntry"];

/** GET values_path?from=&to= */
export type DimensionValues = Schemas["DimensionValuesResponse"];
