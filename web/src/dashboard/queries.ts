// Turns a panel's query (from the dashboard's JSON) into requests: its parameters, the range and
// the dashboard's filters that apply to it.
import { getJson } from "../api/client";
import type { DashboardPanel, PanelQuery } from "../api/dashboards";
import { num, type TrendPeriod, type TrendResponse } from "../api/types";
import type { DayRange } from "./range";

/** What a panel's load depends on. */
export interface QueryContext {
  range: DayRange;
  filters: Map<string, string[]>;
  signal: AbortSignal;
}

export function parametersOf(panel: DashboardPanel, query: PanelQuery, context: QueryContext, range: DayRange = context.range, overrides: Record<string, string[]> = {}): URLSearchParams {
  const values = new Map<string, string[]>(Object.entries(query.parameters));
  for (const name of panel.filters) {
    const chosen = context.filters.get(name);
    if (chosen?.length) {
      values.set(query.filter_parameter.replace("{name}", name), chosen);
    }
  }

  if (query.range) {
    values.set(query.range.from, [range.from]);
    values.set(query.range.to, [range.to]);
  }

  Object.entries(overrides).forEach(([name, value]) => values.set(name, value));
  const parameters = new URLSearchParams();
  values.forEach((list, name) => list.forEach((value) => parameters.append(name, value)));
  return parameters;
}

const trendPageSize = 1000;

/** Every period of a trend, fetching page after page. */
export async function fetchTrend(panel: DashboardPanel, context: QueryContext, range?: DayRange, overrides: Record<string, string[]> = {}): Promise<{ answer: TrendResponse; periods: TrendPeriod[] }> {
  const query = panel.query!;
  const periods: TrendPeriod[] = [];
  for (let page = 1; ; page++) {
    const parameters = parametersOf(panel, query, context, range, { ...overrides, page_size: [String(trendPageSize)], page: [String(page)] });
    const answer = await getJson<TrendResponse>(query.path, parameters, context.signal);
    periods.push(...answer.periods);
    const total = num(answer.pagination.total) ?? 0;
    if (answer.periods.length === 0 || page * trendPageSize >= total) {
      return { answer, periods };
    }
  }
}

/** A group's name: its dimensions' values, or the fallback when the trend is not grouped. */
export function groupName(group: TrendPeriod["group"], fallback: string): string {
  const values = group ? Object.values(group as Record<string, unknown>).map((v) => (v === null ? "(none)" : String(v))) : [];
  return values.length ? values.join(" · ") : fallback;
}
