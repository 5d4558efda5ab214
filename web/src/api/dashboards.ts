// The dashboard endpoints' answers, written by hand from the server's contract: the endpoints are
// not in openapi.json yet. Once the server describes them, these move to the generated types
// (types.ts), like the other answers.

/** GET /api/v1/dashboards */
export interface DashboardList {
  dashboards: DashboardEntry[];
}

export interface DashboardEntry {
  name: string;
  title: string;
  description: string | null;
  panels: number;
  file: string;
}

/** GET /api/v1/dashboards/{name} */
export interface Dashboard {
  name: string;
  title: string;
  description: string | null;
  file: string;
  range_days: number;
  refresh_seconds: number | null;
  filters: DashboardFilter[];
  panels: DashboardPanel[];
}

export interface DashboardFilter {
  name: string;
  label: string;
  /** GET with from and to: the values to offer, most frequent first. */
  values_path: string;
}

export type PanelType = "line" | "area" | "bar" | "pie" | "number" | "table" | "funnel" | "heatmap" | "benchmark" | "markdown";

export interface DashboardPanel {
  id: string;
  title: string;
  description: string | null;
  type: PanelType;
  x: number;
  y: number;
  w: number;
  h: number;
  query: PanelQuery | null;
  filters: string[];
  options: PanelOptions;
  thresholds: Threshold[];
  text: string | null;
}

export interface PanelQuery {
  kind: "trend" | "funnel" | "benchmark" | "rows";
  path: string;
  parameters: Record<string, string[]>;
  /** The parameters that take the range's first and last day, or null when the range does not apply. */
  range: { from: string; to: string } | null;
  /** How a dashboard filter is sent: {name} is replaced by the filter's name. */
  filter_parameter: string;
}

export interface PanelOptions {
  stack?: boolean;
  donut?: boolean;
  compare?: boolean;
  sparkline?: boolean;
  unit?: string;
  decimals?: number;
  page_size?: number;
  order_by?: string;
  columns?: string[];
}

export interface Threshold {
  value: number;
  label: string | null;
  color: string | null;
}

/** GET values_path?from=&to= */
export interface DimensionValues {
  metric: string;
  dimension: string;
  values: { value: string; count: number }[];
}
